"""Register the documents cited in a pasted text ("Nhập từ văn bản"), and link them.

Two steps, both here: `find_candidates` reads the text (no writes) for the preview, and
`register_rows` writes what the clerk confirmed, all or nothing, and hands the documents to the
caller to link (planning links them to a plan or a task: planning/views_bases.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from documents.models import Document, DocumentSystem, DocumentType
from documents.references import Reference, extract_references
from documents.services import (
    DocumentError,
    find_existing,
    in_register,
    register_document,
    registered_by_key,
)


@dataclass
class Candidate:
    reference: Reference
    existing: Document | None
    initial: dict[str, Any]
    problems: list[str] = field(default_factory=list)


def _types_by_code_and_name() -> tuple[dict[str, DocumentType], dict[str, DocumentType]]:
    types = list(DocumentType.objects.all())
    return {t.code: t for t in types}, {t.name.lower(): t for t in types}


def find_candidates(text: str, school_id: int) -> list[Candidate]:
    """What the text cites, each with the register's copy if it already has it."""
    by_code, by_name = _types_by_code_and_name()
    index = registered_by_key(school_id)
    candidates: list[Candidate] = []
    seen: set[tuple[str, dt.date | None]] = set()
    for reference in extract_references(text):
        if (reference.ref, reference.date) in seen:
            continue
        seen.add((reference.ref, reference.date))
        doc_type = by_code.get(reference.type_code or "") or by_name.get(
            (reference.type or "").lower()
        )
        has_number = bool(reference.number) and reference.number[:1].isdigit()
        existing = find_existing(index, reference.ref, reference.date) if has_number else None
        problems = []
        if not has_number:
            problems.append(_("Văn bản được nêu theo tên: cần nhập số, ký hiệu."))
        if doc_type is None:
            problems.append(_("Chưa rõ loại văn bản."))
        candidates.append(
            Candidate(
                reference=reference,
                existing=existing,
                problems=problems,
                initial={
                    "include": existing is not None or not problems,
                    "existing": existing.pk if existing else None,
                    "system": reference.system,
                    "doc_type": doc_type.pk if doc_type else None,
                    "number": reference.number if has_number else "",
                    "year": reference.year if doc_type and doc_type.is_regulatory else None,
                    "issuer_code": reference.issuer_code or "",
                    "issued_on": reference.date,
                    "issuer_name": reference.issuer or "",
                    "summary": reference.summary or reference.name or "",
                },
            )
        )
    return candidates


def highlight(text: str, references: Iterable[Reference]) -> SafeString:
    """The text, escaped, with each cited document marked (offsets are the extractor's)."""
    parts: list[str] = []
    position = 0
    for index, reference in enumerate(sorted(references, key=lambda r: r.start)):
        if reference.start < position:
            continue
        parts.append(escape(text[position : reference.start]))
        parts.append(
            f'<mark id="ref-{index}">{escape(text[reference.start : reference.end])}</mark>'
        )
        position = reference.end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


@dataclass
class ImportResult:
    created: list[Document]
    reused: list[Document]

    @property
    def documents(self) -> list[Document]:
        return self.created + self.reused


@transaction.atomic
def register_rows(
    rows: Sequence[dict[str, Any]],
    *,
    school_id: int,
    by: User,
    link: Callable[[list[Document]], None] | None = None,
) -> ImportResult:
    """Register the confirmed rows (reusing documents already in the register), then `link` them.

    Rows are the cleaned data of the preview's forms; `link` is the caller's (e.g. planning adds
    them to a plan's bases). Any failure, of registering or of linking, writes nothing.
    """
    result = ImportResult(created=[], reused=[])
    for row in rows:
        if not row.get("include"):
            continue
        existing = row.get("existing")
        if existing is not None:
            if not in_register(existing, school_id):
                raise DocumentError(_("Văn bản không thuộc sổ của trường."))
            result.reused.append(existing)
            continue
        document = Document(
            school_id=school_id,
            system=row.get("system") or DocumentSystem.STATE,
            doc_type=row["doc_type"],
            number=row["number"],
            year=row.get("year"),
            issuer_code=row["issuer_code"],
            issued_on=row.get("issued_on"),
            issuer_name=row.get("issuer_name", ""),
            summary=row["summary"],
        )
        result.created.append(register_document(document, by=by))
    if link is not None:
        link(result.documents)
    return result
