from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import stamp
from core.errors import DomainError
from core.text import normalise
from core.versioning import claim_version
from documents.models import Document, DocumentReceipt
from documents.references import symbol_key
from organisations import merging
from organisations.models import Organisation, OrganisationKind


class DocumentError(DomainError):
    """A register rule refused the change; the message is for the user."""


class DuplicateDocument(DocumentError):
    """The register already holds a document with this number (HTTP 409 Conflict)."""

    status = 409


_SUMMARY_LEAD = re.compile(r"^\s*(?:v/v|về việc|về)\s*[:.]?\s+", re.IGNORECASE)


def ensure_open_school(school_id: int | None) -> None:
    """A school merged into another keeps its register as history: no văn bản is added, changed
    or archived there (organisations.merging)."""
    merging.ensure_open_school(school_id, what=_("văn bản trong sổ"), error=DocumentError)


def clean_summary(summary: str) -> str:
    """The summary line (trích yếu) without a leading "về việc" / "V/v" / "về".

    Papers print "về việc …" before it, so storing it too would print it twice.
    """
    text = normalise(summary)
    text = _SUMMARY_LEAD.sub("", text, count=1)
    return text[:1].upper() + text[1:]


def registered_by_key(school_id: int) -> dict[str, list[Document]]:
    """The school's register (received documents too) indexed by a loose symbol key (case,
    spaces, diacritics ignored)."""
    index: dict[str, list[Document]] = {}
    for document in Document.objects.active().in_register_of(school_id):
        index.setdefault(symbol_key(document.symbol), []).append(document)
    return index


def find_existing(
    index: dict[str, list[Document]], symbol: str, issued_on: dt.date | None
) -> Document | None:
    """The registered copy: same symbol, and same year of issue when both dates are known.

    State numbers restart every year, so the year tells two documents with one symbol apart.
    """
    for document in index.get(symbol_key(symbol), []):
        if issued_on is None or document.issued_on is None:
            return document
        if document.issued_on.year == issued_on.year:
            return document
    return None


def find_registered(document: Document) -> Document | None:
    """The same document already in the school's register: same symbol, same year of issue.

    Symbols are compared loosely (`2457/QD-BGD&ĐT` is `2457/QĐ-BGDĐT`); state numbers restart
    every year, so `01/QĐ-UBND` of 2023 and of 2024 are different papers.
    """
    index = registered_by_key(document.school_id)
    if document.pk:
        index = {key: [d for d in docs if d.pk != document.pk] for key, docs in index.items()}
    return find_existing(index, document.symbol, document.issued_on)


@transaction.atomic
def register_document(
    document: Document, *, by: User, expected_version: int | None = None
) -> Document:
    """Register a document or save a correction to its entry; a correction made on a form
    opened before someone else's save is refused (EditConflict) and writes nothing."""
    ensure_open_school(document.school_id)
    claim_version(document, expected_version)
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


def is_sent(document: Document) -> bool:
    """Whether the document was sent down to other registers by a body above the schools (a
    Sở's directive): its sender then corrects or withdraws it where the recipients are known
    (province), not here. A school's own entry that reached another school's register (a merger
    decision the administrator registered in the successor's register and handed to the old
    school, a document handed over with a task) stays the school's to keep."""
    return (
        document.pk is not None
        and DocumentReceipt._base_manager.filter(document_id=document.pk)
        .exclude(document__school__kind=OrganisationKind.SCHOOL)
        .exists()
    )


def sent_message() -> str:
    """What the register's edit and archive say of a document sent down."""
    return _(
        "Văn bản đã gửi đến các trường: chỉ đính chính hoặc thu hồi được ở trang văn bản chỉ "
        "đạo, để các trường nhận được thông báo."
    )


@transaction.atomic
def withdraw_document(document: Document, *, reason: str, by: User) -> Document:
    """The issuer withdraws (thu hồi) a document it sent down: nothing is deleted, every register
    it reached and every task built on it show it withdrawn, with the reason."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise DocumentError(_("Hãy ghi lý do thu hồi văn bản."))
    # Read afresh under a lock: two withdrawals at once, the second refused.
    current = Document._base_manager.select_for_update().get(pk=document.pk)
    if current.is_withdrawn:
        raise DocumentError(_("Văn bản đã được thu hồi."))
    current.withdrawn_at = timezone.now()
    current.withdrawn_by = by
    current.withdrawal_reason = reason
    stamp(current, by, _("Thu hồi: %(reason)s") % {"reason": reason})
    current.save()
    return current


@transaction.atomic
def archive_document(document: Document, *, by: User) -> None:
    ensure_open_school(document.school_id)
    stamp(document, by, _("Lưu trữ"))
    document.archive()


def register_list(school_id: int | None, params: Any) -> QuerySet[Document]:
    """The register as the list page and its Excel export show it: search (?q=) and type
    (?type=), with each document's number of implementing tasks (the school's own: a directive
    sent to many schools counts this one's), newest first; `received` marks what a body above
    sent."""
    documents = (
        Document.objects.active()
        .in_register_of(school_id)
        .select_related("doc_type", "issuer", "school")
        .annotate(
            task_count=Count(
                "task_links",
                filter=Q(
                    task_links__archived_at__isnull=True,
                    task_links__task__plan__school_id=school_id,
                ),
                distinct=True,
            ),
            received=Exists(
                DocumentReceipt._base_manager.filter(document=OuterRef("pk"), school_id=school_id)
            ),
        )
        .order_by("-issued_on", "symbol", "pk")
    )
    query = (params.get("q") or "").strip()
    if query:
        documents = documents.search(query)
    doc_type = params.get("type") or ""
    if doc_type:
        documents = documents.filter(doc_type__code=doc_type)
    return documents


def in_register(document: Document, school_id: int | None) -> bool:
    """Whether the document is in the organisation's register: its own, or sent to it."""
    if school_id is None:
        return False
    if document.school_id == school_id:
        return True
    return DocumentReceipt._base_manager.filter(document=document, school_id=school_id).exists()


def receipt_of(document: Document, school_id: int | None) -> DocumentReceipt | None:
    """How the document reached the school's register, when a body above sent it."""
    if school_id is None or document.school_id == school_id:
        return None
    return (
        DocumentReceipt._base_manager.filter(document=document, school_id=school_id)
        .select_related("document__school")
        .first()
    )


def send_document(
    document: Document,
    schools: Iterable[Organisation],
    *,
    by: User,
    at: dt.datetime | None = None,
) -> list[DocumentReceipt]:
    """Put the document in each school's register (once: a school it already reached is left as
    it was); the new receipts, stamped now. Nested in the sender's transaction (province)."""
    if document.is_archived:
        raise DocumentError(_("Văn bản đã được lưu trữ, không gửi được."))
    # A withdrawn document is refused by the sender's own service (province.send_directive); a
    # merger still carries a task's existing link to it into the new school's register.
    already = set(
        DocumentReceipt._base_manager.filter(document=document).values_list("school_id", flat=True)
    )
    now = at or timezone.now()
    receipts = []
    for school in schools:
        if school.pk in already or school.pk == document.school_id:
            continue
        already.add(school.pk)
        receipt = DocumentReceipt(document=document, school=school, sent_at=now, sent_by=by)
        stamp(receipt, by)
        receipt.save()
        receipts.append(receipt)
    return receipts


@transaction.atomic
def share_tasks(receipt: DocumentReceipt, shares: bool, *, by: User) -> DocumentReceipt:
    """The school lets the sender see the names of its tasks implementing the document (or stops
    doing so); the sender always sees their number."""
    ensure_open_school(receipt.school_id)
    if receipt.shares_tasks != shares:
        receipt.shares_tasks = shares
        stamp(receipt, by, _("Chia sẻ tên nhiệm vụ") if shares else _("Thôi chia sẻ tên nhiệm vụ"))
        receipt.save(update_fields=["shares_tasks"])
    return receipt
