"""mypy's errors per folder, held to mypy-baseline.txt: a folder's count may only shrink.

`make lint` runs this. It fails when a folder has more errors than its baseline line allows
(a folder without a line is allowed none), and says when a count fell so the line can be
lowered (`python -m tools.mypy_budget --write` lowers every line to today's count).
"""
from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.txt"
ERROR = re.compile(r"^(?P<path>[^:\s]+\.py):\d+: error: ")


def folder_of(path: str) -> str:
    """portal/web/x/y.py -> portal/web; portal/x.py -> portal; functions/x.py -> functions."""
    parts = Path(path).parts
    if parts[0] == "portal" and len(parts) > 2:
        return "/".join(parts[:2])
    return parts[0]


def count_errors(output: str) -> Counter[str]:
    return Counter(folder_of(m["path"]) for m in map(ERROR.match, output.splitlines()) if m)


def read_baseline(text: str) -> dict[str, int]:
    """Lines of `folder count`; '#' starts a comment."""
    allowed: dict[str, int] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            folder, count = line.split()
            allowed[folder] = int(count)
    return allowed


def compare(found: Counter[str], allowed: dict[str, int]) -> tuple[list[str], list[str]]:
    """(rises, falls): one line each, naming the folder and both counts."""
    rises = [f"{f}: {n} errors, the baseline allows {allowed.get(f, 0)}"
             for f, n in sorted(found.items()) if n > allowed.get(f, 0)]
    falls = [f"{f}: {found.get(f, 0)} errors, down from {n}"
             for f, n in sorted(allowed.items()) if found.get(f, 0) < n]
    return rises, falls


def lowered(text: str, found: Counter[str]) -> str:
    """The baseline with each count lowered to what was found (comments kept)."""
    out = []
    for line in text.splitlines():
        body, sep, comment = line.partition("#")
        if body.strip():
            folder, count = body.split()
            new = min(int(count), found.get(folder, 0))
            body = f"{folder} {new}" + body[len(body.rstrip()):]  # the spacing before a comment kept
        out.append(body + sep + comment)
    return "\n".join(out) + "\n"


def run_mypy() -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "--config-file", "mypy.ini"],
                          cwd=ROOT, capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def main(argv: list[str]) -> int:
    code, output = run_mypy()
    found = count_errors(output)
    if code not in (0, 1) or (code == 1 and not found):  # 2: mypy itself could not run
        print(output)
        return 2
    text = BASELINE.read_text()
    rises, falls = compare(found, read_baseline(text))
    if "--write" in argv:
        BASELINE.write_text(lowered(text, found))
        print(f"mypy-baseline.txt lowered to today's counts ({sum(found.values())} errors).")
        return 0
    if rises:
        risen = {line.split(":", 1)[0] for line in rises}
        print("\n".join(line for line in output.splitlines()
                        if (m := ERROR.match(line)) and folder_of(m["path"]) in risen))
        print("mypy: more errors than mypy-baseline.txt allows (fix them; the baseline only shrinks):")
        print("\n".join("  " + r for r in rises))
        return 1
    if falls:
        print("mypy: fewer errors than the baseline; lower it with `python -m tools.mypy_budget --write`:")
        print("\n".join("  " + f for f in falls))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
