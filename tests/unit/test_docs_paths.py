"""Every repository path the README and docs/ name exists, so a move or rename can't leave a
newcomer following a dead trail.

A "path" is anything that looks like one of ours: `portal/...`, `tests/...`, `functions/...`,
`devstack/...`, `sim/...`, `tools/...`, `infra/...`, `templates/...`, `static/...`, `docs/...`,
`.ci/...` (with or without `.py`; a `*` must match something), the short forms `domain/`,
`services/`, `adapters/`, `web/` (read under `portal/`), dotted module names
(`portal.services.sessions.booking`), a module's name with what it defines
(`portal/domain/slots.open_slots`, `devstack.schedule`), a test's node id (`tests/x.py::test_y`)
and every relative Markdown link (with its `#heading`, if any).
"""
from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

TOPS = ("portal", "tests", "functions", "devstack", "sim", "tools", "infra", "templates", "static",
        "docs", ".ci")
SHORT = ("domain", "services", "adapters", "web")  # the docs' short forms of portal/<that>/
GENERATED = ("sim/out/",)  # written by `make simulate`; ignored by git, so absent in a clone

_START = r"(?<![\w./@:-])"  # not inside a URL, an address or a longer path
_SLASHED = re.compile(_START + r"((?:%s)/[\w./{},*-]*(?:::\w+)?)" % "|".join(
    re.escape(t) for t in TOPS + SHORT))
_DOTTED = re.compile(_START + r"((?:portal|devstack|sim|tools|functions|tests)(?:\.[A-Za-z_]\w*)+)(?![\w-])")
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _expand(name: str) -> list[str]:
    """`portal/services/{sessions,client}/` -> both paths."""
    match = re.search(r"\{([^{}]*)\}", name)
    if not match:
        return [name]
    head, tail = name[:match.start()], name[match.end():]
    return [n for part in match.group(1).split(",") for n in _expand(head + part + tail)]


def named_paths(text: str) -> list[str]:
    """Every repository path and dotted module name the text names, in order."""
    found = [m.group(1).rstrip(".,") for m in _SLASHED.finditer(text)]
    found += [m.group(1).rstrip(".") for m in _DOTTED.finditer(text)]
    return [n for name in found for n in _expand(name)]


@cache
def _defined(module: Path) -> dict[str, ast.AST]:
    """The names a module defines or imports at its top level."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return _names_in(tree.body)


def _names_in(body: list[ast.stmt]) -> dict[str, ast.AST]:
    names: dict[str, ast.AST] = {}
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names[node.name] = node
        elif isinstance(node, ast.Assign):
            names.update((t.id, node) for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names[node.target.id] = node
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update(((a.asname or a.name).split(".")[0], node) for a in node.names)
    return names


def _has(module: Path, attrs: list[str]) -> bool:
    """`attrs` (a function, a class, a class's method...) is defined in the module."""
    names = _defined(module)
    for i, attr in enumerate(attrs):
        node = names.get(attr)
        if node is None:
            return False
        if i + 1 < len(attrs):
            if not isinstance(node, ast.ClassDef):
                return False
            names = _names_in(node.body)
    return True


def _module(parts: list[str]) -> Path | None:
    """The module file a list of package parts names, or None."""
    base = ROOT.joinpath(*parts)
    if base.is_dir() and (base / "__init__.py").is_file():
        return base / "__init__.py"
    module = base.with_name(base.name + ".py")
    return module if module.is_file() else None


def _resolves_dotted(parts: list[str]) -> bool:
    for i in range(len(parts), 0, -1):
        module = _module(parts[:i])
        if module is not None:
            return i == len(parts) or _has(module, parts[i:])
    return False


def resolves(name: str) -> bool:
    """A named path exists in the repository (see the module's docstring for the forms)."""
    name, _, test = name.partition("::")
    if name.startswith(GENERATED):
        return True
    if name.split("/")[0] in SHORT:
        name = "portal/" + name
    if "*" in name:
        return any(ROOT.glob(name))
    if "/" not in name:
        return _resolves_dotted(name.split("."))
    target = ROOT / name.rstrip("/")
    if test:
        return target.is_file() and _has(target, [test])
    if target.exists() or target.with_name(target.name + ".py").is_file():
        return True
    folder, _, last = name.rstrip("/").rpartition("/")
    module, *attrs = last.split(".")
    found = _module([*folder.split("/"), module])
    return found is not None and bool(attrs) and _has(found, attrs)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


def _anchors(doc: Path) -> set[str]:
    text = doc.read_text(encoding="utf-8")
    return {_slug(m.group(1)) for m in re.finditer(r"^#+ (.+)$", text, re.MULTILINE)}


def broken_links(doc: Path) -> list[str]:
    """Relative Markdown links of a doc whose file (or #heading) is not there."""
    broken = []
    for match in _LINK.finditer(doc.read_text(encoding="utf-8")):
        link = match.group(1)
        if re.match(r"[a-z]+:", link):
            continue  # http:, https:, mailto:
        target, _, anchor = link.partition("#")
        path = (doc.parent / target).resolve() if target else doc
        if not path.exists() or (anchor and path.suffix == ".md" and anchor not in _anchors(path)):
            broken.append(link)
    return broken


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: str(d.relative_to(ROOT)))
def test_every_path_a_doc_names_exists(doc):
    text = doc.read_text(encoding="utf-8")
    assert [n for n in named_paths(text) if not resolves(n)] == []


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: str(d.relative_to(ROOT)))
def test_every_relative_link_of_a_doc_leads_somewhere(doc):
    assert broken_links(doc) == []


def test_the_docs_name_paths_at_all():
    # Guards the guard: if the patterns stopped matching, the tests above would pass on nothing.
    assert len(DOCS) >= 8
    assert sum(len(named_paths(d.read_text(encoding="utf-8"))) for d in DOCS) > 100


def test_the_readme_stays_a_five_minute_read():
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 210


@pytest.mark.parametrize("text, stale", [
    ("see `portal/services/workspace.py`", ["portal/services/workspace.py"]),  # a package now
    ("in portal/services/booking.py.", ["portal/services/booking.py"]),  # moved to sessions/
    ("`services/workspace_access.visible_client`", ["services/workspace_access.visible_client"]),
    ("`portal/domain/slots.no_such_rule`", ["portal/domain/slots.no_such_rule"]),
    ("`python -m tools.no_such_tool`", ["tools.no_such_tool"]),
    ("`portal.services.sessions.booking.no_such_use_case`",
     ["portal.services.sessions.booking.no_such_use_case"]),
    ("`tests/unit/test_docs_paths.py::test_nothing_here`",
     ["tests/unit/test_docs_paths.py::test_nothing_here"]),
    ("`portal/services/{sessions,nowhere}/`", ["portal/services/nowhere/"]),
    ("`templates/client/gone.html`", ["templates/client/gone.html"]),
    ("`tools/nothing_*.py`", ["tools/nothing_*.py"]),
])
def test_a_stale_path_is_caught(text, stale):
    assert [n for n in named_paths(text) if not resolves(n)] == stale


@pytest.mark.parametrize("text", [
    "`portal/services/sessions/booking.py` and `portal/services/sessions/booking`",
    "`portal/domain/slots.open_slots`, `domain/slots.py`, `portal/services/{sessions,client}/`",
    "`flask --app portal.wsgi`, `python -m tools.deploy_config`, `devstack.schedule`",
    "`tests/unit/test_docs_paths.py::test_a_stale_path_is_caught`, `infra/template.yaml`",
    "`sim/out/report.html`, http://127.0.0.1:5000/dev/run/reminders, maya@riverbend.example",
    "`tools/bench_*.py`; https://portal.your-practice.org and `tools.deploy_config`",
])
def test_paths_that_exist_pass(text):
    assert named_paths(text)
    assert [n for n in named_paths(text) if not resolves(n)] == []


def test_a_broken_link_is_caught(tmp_path):
    doc = tmp_path / "page.md"
    (tmp_path / "other.md").write_text("# Other page\n\n## Its part\n")
    doc.write_text("[ok](other.md) [ok](other.md#its-part) [no](gone.md) [no](other.md#nope)"
                   " [web](https://example.org/x)\n")
    assert broken_links(doc) == ["gone.md", "other.md#nope"]
