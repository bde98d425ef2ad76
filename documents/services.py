from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import stamp
from documents.models import Document


class DuplicateDocument(Exception):
    pass


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
