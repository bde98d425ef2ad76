"""The kinds of paper the product writes, in one registry.

Each app that writes a paper registers a `PaperKind` in its `AppConfig.ready()`:

- `build(obj)` returns the built-in layout (`papers.layout.Paper`);
- `context(obj)` returns the placeholders a school's own .docx template may use (documented in
  docs/PAPERS.md); every value is a string or a list of dicts of strings;
- `load(request, pk)` fetches the object the paper is about, applying the same permission rules
  as the pages (outsider 404, member without right 403);
- `filename(obj)` is the download name without extension.

`papers.output.render(kind, obj, fmt)` produces the bytes, using the school's template for the
kind when it has one and the built-in layout otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from papers.layout import Paper


@dataclass(frozen=True)
class PaperKind:
    code: str  # "plan", "report_semester", "minutes", ...
    label: str  # "Kế hoạch năm học"
    build: Callable[[Any], Paper]
    context: Callable[[Any], dict[str, Any]]
    load: Callable[[HttpRequest, int], Any]
    filename: Callable[[Any], str]
    school_of: Callable[[Any], Any]  # the Organisation whose templates apply


KINDS: dict[str, PaperKind] = {}


def register(kind: PaperKind) -> PaperKind:
    KINDS[kind.code] = kind
    return kind


def get(code: str) -> PaperKind:
    return KINDS[code]
