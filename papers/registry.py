"""The kinds of paper the product writes, in one registry.

Each app that writes a paper registers a `PaperKind` in its own `papers` module (`planning.papers`,
`conferences.papers`, `reports.papers`), which the papers app imports at start
(`autodiscover_modules("papers")` in its `AppConfig.ready`):

- `build(obj)` returns the built-in layout (`papers.layout.Paper`);
- `context(obj)` returns the placeholders a school's own .docx template may use (documented in
  docs/PAPERS.md); every value is a string or a list of dicts of strings;
- `load(request, pk)` fetches the object the paper is about, applying the same permission rules
  as the pages (outsider 404, member without right 403);
- `filename(obj)` is the download name without extension;
- `placeholders` (optional) describes the kind's own placeholders, beside the common ones of
  `papers.placeholders.COMMON`, for the template page and the starter template;
- `latest(school)` (optional) returns the school's most recent object of the kind (or None), so an
  uploaded template is tried against real data before it is stored;
- `headline(obj)` (optional) returns the paper's headline figures as it shows them (label → value
  as text, in the paper's order), frozen with the paper once issued: what a body above the school
  that asked for the paper (a Sở's report request, `province`) lays side by side across schools.

`papers.output.render(kind, obj, fmt)` produces the bytes, using the school's template for the
kind when it has one and the built-in layout otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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
    placeholders: Mapping[str, str] = field(default_factory=dict)
    latest: Callable[[Any], Any] | None = None
    headline: Callable[[Any], dict[str, str]] | None = None


KINDS: dict[str, PaperKind] = {}


def register(kind: PaperKind) -> PaperKind:
    KINDS[kind.code] = kind
    return kind


def get(code: str) -> PaperKind:
    return KINDS[code]
