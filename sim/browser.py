"""A client's phone: follow a link, read the page's forms, press the button that fits the intent.

No knowledge of the product's routes beyond what a page shows: a form is found by what its
action or button says (``confirm``, ``/mode`` with mode=tele, a time button ...), then posted
with its hidden fields, CSRF token included, as a browser would. Every answer is recorded
(the invariant: no request answers 5xx).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

URL = re.compile(r"https?://[^\s<>\"')]+")


@dataclass
class Form:
    action: str
    method: str
    fields: dict = field(default_factory=dict)  # hidden inputs and textareas: name -> value
    radios: dict = field(default_factory=dict)  # name -> [values]
    buttons: list = field(default_factory=list)  # (name, value, text)

    def button(self, predicate=lambda name, value, text: True):
        return next((b for b in self.buttons if predicate(*b)), None)


@dataclass
class Page:
    url: str
    status: int
    forms: list
    links: list  # (href, text)

    def form(self, predicate) -> Form | None:
        return next((f for f in self.forms if predicate(f)), None)

    def link(self, predicate) -> str | None:
        return next((href for href, text in self.links if predicate(href, text)), None)


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.links = [], []
        self._form = self._button = self._link = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), (a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None:
            kind = a.get("type", "text")
            if kind == "radio":
                self._form.radios.setdefault(a.get("name", ""), []).append(a.get("value", ""))
            elif kind in ("hidden", "text") and a.get("name"):
                self._form.fields[a["name"]] = a.get("value", "")
        elif tag == "textarea" and self._form is not None and a.get("name"):
            self._textarea = a["name"]
            self._form.fields[a["name"]] = ""
        elif tag == "button" and self._form is not None:
            self._button = [a.get("name", ""), a.get("value", ""), ""]
        elif tag == "a" and a.get("href"):
            self._link = [a["href"], ""]

    def handle_data(self, data):
        if self._button is not None:
            self._button[2] += data
        if self._link is not None:
            self._link[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "button" and self._button is not None:
            self._form.buttons.append((self._button[0], self._button[1], " ".join(self._button[2].split())))
            self._button = None
        elif tag == "a" and self._link is not None:
            self.links.append((self._link[0], " ".join(self._link[1].split())))
            self._link = None
        elif tag == "textarea":
            self._textarea = None


def parse(url: str, status: int, html: str) -> Page:
    parser = _Parser()
    parser.feed(html)
    return Page(url, status, parser.forms, parser.links)


def links_in(text: str) -> list[str]:
    return [u.rstrip(".,;:") for u in URL.findall(text or "")]


class Browser:
    """One client's browser (its own cookies) on the Flask test client."""

    def __init__(self, app, base_url: str, on_answer):
        self.http = app.test_client()
        self.base = base_url.rstrip("/")
        self.on_answer = on_answer  # (method, path, status) for the 5xx invariant

    def _path(self, url: str) -> str:
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def _follow(self, answer, path) -> Page:
        for _ in range(5):
            if answer.status_code not in (301, 302, 303, 307, 308):
                break
            path = self._path(urljoin(self.base + path, answer.headers["Location"]))
            answer = self.http.get(path)
            self.on_answer("GET", path, answer.status_code)
        return parse(path, answer.status_code, answer.get_data(as_text=True))

    def get(self, url: str) -> Page:
        path = self._path(url)
        answer = self.http.get(path)
        self.on_answer("GET", path, answer.status_code)
        return self._follow(answer, path)

    def submit(self, page: Page, form: Form, values: dict | None = None, button=None) -> Page:
        data = dict(form.fields)
        data.update(values or {})
        if button is not None and button[0]:
            data[button[0]] = button[1]
        path = self._path(urljoin(self.base + page.url, form.action or page.url))
        answer = self.http.post(path, data=data)
        self.on_answer("POST", path, answer.status_code)
        return self._follow(answer, path)


# --- what a client looks for on a page -------------------------------------------------------
def ends(suffix):
    return lambda form: urlsplit(form.action).path.endswith(suffix)


def mode_form(mode_value: str):
    return lambda form: ends("/mode")(form) and form.fields.get("mode") == mode_value


def time_form(form: Form) -> bool:
    return any(name == "start" for name, _, _ in form.buttons)
