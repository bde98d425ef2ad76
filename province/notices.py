"""Who is told when a directive comes down: the leadership of each school that received it."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from documents.models import Document, DocumentReceipt
from notifications.models import NotificationKind
from notifications.people import leadership_of
from notifications.services import notify


def directive_received(
    document: Document, receipts: Sequence[DocumentReceipt], *, by: User
) -> None:
    sender = document.school
    for receipt in receipts:
        notify(
            leadership_of(receipt.school_id),
            kind=NotificationKind.DIRECTIVE_RECEIVED,
            title=_("%(sender)s gửi văn bản %(symbol)s")
            % {"sender": sender.short_name or sender.name, "symbol": document.symbol},
            body=_(
                "“%(summary)s”: đã có trong sổ văn bản của trường, sẵn sàng làm căn cứ cho nhiệm vụ."
            )
            % {"summary": document.summary},
            url=reverse("documents:document_detail", args=[document.pk]),
            source=document,
            actor=by,
        )
