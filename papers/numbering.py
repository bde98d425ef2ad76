"""Taking the next number of a series, once."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import stamp
from core.errors import DomainError
from documents.models import Document, DocumentSystem, DocumentType
from documents.services import register_document
from organisations.models import Organisation
from papers.models import IssuedPaper, NumberSeries


class NumberingError(DomainError):
    pass


def series_period(issuer: Organisation, system: str, on: dt.date) -> int:
    """State series restart every calendar year; Party series run over the committee's term."""
    if system == DocumentSystem.PARTY:
        if issuer.valid_from is None:
            raise NumberingError(
                _("Chưa ghi ngày bắt đầu nhiệm kỳ của %(body)s (hiệu lực từ).") % {"body": issuer}
            )
        return issuer.valid_from.year
    return on.year


@transaction.atomic
def issue_number(
    *,
    issuer: Organisation,
    doc_type: DocumentType,
    system: str,
    on: dt.date,
    kind: str,
    object_id: int,
    summary: str,
    signer_title: str,
    by: User,
    render: Callable[[], bytes] | None = None,
    amends: IssuedPaper | None = None,
) -> IssuedPaper:
    """Give the paper the next number of its series and enter it in the school's register.

    `render` writes the paper's .docx once the number is taken (so the file shows it); the bytes
    are kept with their hash and are the paper from then on. Without `amends` a paper is
    numbered once; with it, a new number is taken for an amendment of that issued paper.
    """
    if amends is None:
        existing = (
            IssuedPaper.objects.filter(kind=kind, object_id=object_id, amends=None)
            .select_related("document")
            .first()
        )
        if existing is not None:
            return existing
    if not issuer.abbreviation:
        raise NumberingError(_("Đơn vị ban hành chưa có chữ viết tắt dùng trong ký hiệu văn bản."))
    school_id = issuer.school_id or issuer.pk
    series, _created = NumberSeries.objects.get_or_create(
        issuer=issuer, doc_type=doc_type, period=series_period(issuer, system, on)
    )
    series = NumberSeries.objects.select_for_update().get(pk=series.pk)
    if amends is not None:
        # Two clicks at once: the second finds the amendment the first made (the series lock
        # orders them), instead of numbering the same amendment twice.
        made = IssuedPaper.objects.filter(kind=kind, object_id=object_id, amends=amends).first()
        if made is not None:
            return made
    series.last_number += 1
    series.save(update_fields=["last_number"])
    document = Document(
        school_id=school_id,
        system=system,
        doc_type=doc_type,
        number=f"{series.last_number:02d}",
        issuer_code=issuer.abbreviation,
        issued_on=on,
        issuer=issuer,
        issuer_name=issuer.name,
        signer_title=signer_title,
        summary=summary,
    )
    register_document(document, by=by)
    paper = IssuedPaper(
        series=series,
        number=series.last_number,
        document=document,
        kind=kind,
        object_id=object_id,
        amends=amends,
        issued_by=by,
    )
    stamp(paper, by)
    paper.save()
    if render is not None:
        content = render()
        paper.sha256 = hashlib.sha256(content).hexdigest()
        paper.file.save("issued.docx", ContentFile(content), save=False)
        paper.save(update_fields=["file", "sha256"])
    return paper
