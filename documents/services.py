from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import stamp
from core.text import normalise
from documents.models import Document


class DuplicateDocument(Exception):
    pass


_SUMMARY_LEAD = re.compile(r"^\s*(?:v/v|về việc|về)\s*[:.]?\s+", re.IGNORECASE)


def clean_summary(summary: str) -> str:
    """The summary line (trích yếu) without a leading "về việc" / "V/v" / "về".

    Papers print "về việc …" before it, so storing it too would print it twice.
    """
    text = normalise(summary)
    text = _SUMMARY_LEAD.sub("", text, count=1)
    return text[:1].upper() + text[1:]


def find_registered(document: Document) -> Document | None:
    """The same document already in the school's register: same symbol, same year of issue.

    State numbers restart every year, so `01/QĐ-UBND` of 2023 and of 2024 are different papers.
    """
    candidates = Document.objects.active().filter(
        school_id=document.school_id, symbol=document.symbol
    )
    if document.pk:
        candidates = candidates.exclude(pk=document.pk)
    if document.issued_on:
        candidates = candidates.filter(issued_on__year=document.issued_on.year)
    return candidates.first()


@transaction.atomic
def register_document(document: Document, *, by: Any) -> Document:
    document.summary = clean_summary(document.summary)
    document.refresh_symbol()
    duplicate = find_registered(document)
    if duplicate is not None:
        raise DuplicateDocument(
            _("Văn bản %(symbol)s đã có trong sổ văn bản.") % {"symbol": duplicate.symbol}
        )
    stamp(document, by)
    document.save()
    return document


@transaction.atomic
def archive_document(document: Document, *, by: Any) -> None:
    stamp(document, by, _("Lưu trữ"))
    document.archive()
