"""What a browser sends when it submits a page's form: the province load benchmark's check-ins
(bench/locustfile.py) go through the real check-in form this way. No locust here, so that a test
can check the submission against the test client.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class _FormFields(HTMLParser):
    """The fields of each `<form method="post">` of a page, with the values a browser would
    send untouched: inputs (checkboxes and radios only when checked), selected options,
    textareas. File inputs are left out (nothing chosen)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self.fields: list[tuple[str, str]] = []
        self.in_form = False
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.in_form = True
            self.fields = []
            self.forms.append(self.fields)
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self.select, self.select_first, self.select_chosen = name, None, False
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            if self.select_first is None:
                self.select_first = value
            if "selected" in a and not self.select_chosen:
                self.fields.append((self.select, value))
                self.select_chosen = True
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if not self.in_form:
            return
        if tag == "select" and self.select is not None:
            if not self.select_chosen and self.select_first is not None:
                self.fields.append((self.select, self.select_first))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append((self.textarea, "".join(self.text).removeprefix("\n")))
            self.textarea = None
        elif tag == "form":
            self.in_form = False


def form_fields(html: str, *, having: str) -> dict[str, str]:
    """The page's post form with a field named `having` (the base layout has others, e.g. the
    sign-out button's), as a browser would submit it unchanged (the last value of a name)."""
    parser = _FormFields()
    parser.feed(html)
    for fields in parser.forms:
        if any(name == having for name, _value in fields):
            return dict(fields)
    raise ValueError(f"no post form with a field {having!r}")


def multipart(fields: dict[str, str], *, files: tuple[str, ...] = ()) -> list[Any]:
    """`fields` as the parts of a multipart/form-data body (requests' `files=`), with an empty
    part for each file input left empty, as a browser sends them."""
    parts: list[Any] = [(name, (None, value)) for name, value in fields.items()]
    parts += [(name, ("", b"", "application/octet-stream")) for name in files]
    return parts


def checkin_submission(html: str, *, progress: int, done: str) -> dict[str, str]:
    """The check-in form of `html` filled as a person does: the progress and what was done typed
    in, "medium" chosen as the likelihood; the CSRF token, the task's version and the unit
    chosen by the page sent back as they came."""
    fields = form_fields(html, having="version")
    if "csrfmiddlewaretoken" not in fields:
        raise ValueError("not a check-in form: no CSRF token")
    fields.update(progress=str(progress), done=done, confidence="medium")
    return fields
