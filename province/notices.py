"""Who is told of the province's steps: the leadership of each school a directive reached; for a
report asked for, the school's clerks and leadership (who answer it); for a report submitted, the
officer who asked for it; for a report returned, the school's clerks and leadership and the one
who submitted it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from documents.models import Document, DocumentReceipt
from notifications.models import NotificationKind
from notifications.people import leadership_of
from notifications.services import notify
from organisations.models import Organisation, Position, Role

if TYPE_CHECKING:
    from province.models import ReportRequest, Submission


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


@dataclass
class Answerers:
    """Who answers a body's requests in each school: its clerks (văn thư) and its leadership."""

    clerks: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    leadership: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))

    def of(self, school_id: int) -> list[Any]:
        return [*self.clerks.get(school_id, []), *self.leadership.get(school_id, [])]


def answerers(school_ids: Iterable[int]) -> Answerers:
    """The clerks and the leadership of those schools, read once (across schools on purpose:
    who is to be told, never shown to anyone)."""
    found = Answerers()
    with scopes_disabled():
        positions = (
            Position.objects.current(timezone.localdate())
            .filter(
                person__school_id__in=list(school_ids),
                person__user__isnull=False,
                person__archived_at__isnull=True,
                role__in=[Role.CLERK, Role.LEADERSHIP],
            )
            .select_related("person__user")
            .order_by("pk")
        )
        for position in positions:
            where = found.clerks if position.role == Role.CLERK else found.leadership
            where[position.person.school_id].append(position.person.user)
    return found


def _body_name(body: Organisation) -> str:
    return body.short_name or body.name


def report_requested(request: ReportRequest, schools: Sequence[Organisation], *, by: User) -> None:
    people = answerers(school.pk for school in schools)
    for school in schools:
        notify(
            people.of(school.pk),
            kind=NotificationKind.REPORT_REQUESTED,
            title=_("%(body)s yêu cầu báo cáo: %(title)s")
            % {"body": _body_name(request.body), "title": request.title},
            body=_("Hạn nộp: %(deadline)s.") % {"deadline": request.deadline.strftime("%d/%m/%Y")},
            url=reverse("province:inbox_detail", args=[request.pk]),
            source=request,
            actor=by,
        )


def report_submitted(submission: Submission, *, by: User) -> None:
    request = submission.request
    if request.created_by is None:
        return
    notify(
        [request.created_by],
        kind=NotificationKind.REPORT_REQUESTED,
        title=_("%(school)s đã nộp báo cáo: %(title)s (lần %(number)s)")
        % {
            "school": submission.school.short_name or submission.school.name,
            "title": request.title,
            "number": submission.number,
        },
        body=_("Nộp đúng hạn.") if submission.on_time else _("Nộp sau hạn."),
        url=reverse("province:request_detail", args=[request.pk]),
        source=request,
        actor=by,
    )


def submission_returned(submission: Submission, *, by: User) -> None:
    request = submission.request
    users = answerers([submission.school_id]).of(submission.school_id)
    if submission.submitted_by is not None:
        users.append(submission.submitted_by)
    notify(
        users,
        kind=NotificationKind.REPORT_REQUESTED,
        title=_("%(body)s trả lại báo cáo: %(title)s")
        % {"body": _body_name(request.body), "title": request.title},
        body=_("Lý do: %(reason)s. Hãy nộp lại.") % {"reason": submission.return_reason},
        url=reverse("province:inbox_detail", args=[request.pk]),
        source=request,
        actor=by,
    )
