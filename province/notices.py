"""Who is told of the province's steps: the leadership of each school a directive reached; for a
report asked for, the school's clerks and leadership (who answer it); for a report submitted, the
officer who asked for it; for a report returned, the school's clerks and leadership and the one
who submitted it; for a merger carried out, the old school's staff who moved (their positions at
the new school), the new school's leadership and clerks (how much moved in) and the recording
body's officers (leadership and clerks), each person once."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from core.clock import today
from core.text import format_date
from documents.models import Document, DocumentReceipt
from notifications.models import NotificationKind
from notifications.people import leadership_of
from notifications.services import notify
from organisations.models import Organisation, Person, Position, Role

if TYPE_CHECKING:
    from organisations.merging import Handover
    from province.models import ReportRequest, SchoolChange, Submission


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


def directive_changed(document: Document, *, by: User, withdrawn: bool, reason: str) -> None:
    """A sent directive corrected or withdrawn: each recipient school's leadership and clerks."""
    receipts = list(DocumentReceipt._base_manager.filter(document=document).order_by("pk"))
    people = answerers(receipt.school_id for receipt in receipts)
    sender = document.school
    values = {"sender": sender.short_name or sender.name, "symbol": document.symbol}
    if withdrawn:
        title = _("%(sender)s thu hồi văn bản %(symbol)s") % values
        body = _(
            "Lý do: %(reason)s. Văn bản vẫn ở trong sổ văn bản của trường, được đánh dấu đã thu "
            "hồi; các nhiệm vụ đã gắn với văn bản giữ nguyên liên kết."
        ) % {"reason": reason}
    else:
        title = _("%(sender)s đính chính văn bản %(symbol)s") % values
        body = _("Lý do: %(reason)s. Trích yếu hiện nay: “%(summary)s”.") % {
            "reason": reason,
            "summary": document.summary,
        }
    users = [user for receipt in receipts for user in people.of(receipt.school_id)]
    notify(
        users,
        kind=NotificationKind.DIRECTIVE_RECEIVED,
        title=title,
        body=body,
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


def _officers(organisation_id: int, day: dt.date) -> list[Any]:
    """The leadership and clerks of a school or a body on the day (across scopes on purpose)."""
    with scopes_disabled():
        return [
            position.person.user
            for position in Position.objects.current(day)
            .filter(
                person__school_id=organisation_id,
                person__user__isnull=False,
                person__archived_at__isnull=True,
                role__in=[Role.LEADERSHIP, Role.CLERK],
            )
            .select_related("person__user")
            .order_by("pk")
        ]


def _positions_text(people: Sequence[Person], day: dt.date) -> dict[int, str]:
    """Each moved person's positions at the new school from the merger's day: "title – unit"."""
    found: dict[int, list[str]] = defaultdict(list)
    with scopes_disabled():
        for position in (
            Position.objects.current(day)
            .filter(person__in=list(people))
            .select_related("organisation")
            .order_by("person_id", "order", "pk")
        ):
            unit = position.organisation
            place = unit.short_name or unit.name
            found[position.person_id].append(
                f"{position.title} – {place}" if position.title else place
            )
    return {person_id: "; ".join(texts) for person_id, texts in found.items()}


def school_merged(change: SchoolChange, handover: Handover, *, by: User) -> None:
    """A merger carried out: each person concerned told once, with counts and their own
    positions only (no one else's name, no student). The old school's staff who moved come first
    (one of them now leading the new school hears of their own move), then the new school's
    leadership and clerks, then the recording body's officers; the one who recorded it is not
    told."""
    old, new = handover.old, handover.new
    decision = change.decision
    old_name = old.short_name or old.name
    title = _("%(old)s sáp nhập vào %(new)s") % {"old": old_name, "new": new.name}
    when = _("theo Quyết định số %(symbol)s, từ ngày %(day)s") % {
        "symbol": decision.symbol,
        "day": format_date(change.effective_on),
    }
    url = reverse("documents:document_detail", args=[decision.pk])
    told: set[int] = set()

    def tell(users: Iterable[Any], body: str, link: str) -> None:
        fresh = [user for user in users if user.pk not in told]
        told.update(user.pk for user in fresh)
        notify(
            fresh,
            kind=NotificationKind.SCHOOL_MERGED,
            title=title,
            body=body,
            url=link,
            source=change,
            actor=by,
        )

    # The old school's staff: grouped by what they are told (most share their positions' text).
    people = list(handover.people.values())
    texts = _positions_text(people, change.effective_on)
    groups: dict[str, list[Any]] = defaultdict(list)
    for person in people:
        if person.user is None:
            continue
        text = texts.get(person.pk, "")
        groups[text].append(person.user)
    for text, users in groups.items():
        body = _("%(old)s sáp nhập vào %(new)s %(when)s.") % {
            "old": old.name, "new": new.name, "when": when
        }  # fmt: skip
        if text:
            body += " " + _("Vị trí công tác của bạn tại trường mới: %(positions)s.") % {
                "positions": text
            }
        body += " " + _("Hồ sơ và lịch sử công việc ở trường cũ được giữ nguyên.")
        tell(users, body, url)

    moved = change.moved
    counts = _(
        "Đã chuyển sang: %(staff)d cán bộ, viên chức; %(tasks)d nhiệm vụ đang thực hiện; "
        "%(students)d người học; %(units)d đơn vị mới được lập."
    ) % {
        "staff": moved.get("staff", 0),
        "tasks": moved.get("tasks", 0),
        "students": moved.get("students", 0),
        "units": moved.get("units_created", 0),
    }
    day = max(today(), change.effective_on)
    tell(
        _officers(new.pk, day),
        _("%(old)s sáp nhập vào trường %(when)s.") % {"old": old.name, "when": when} + " " + counts,
        url,
    )
    if change.body_id is not None:
        tell(
            _officers(change.body_id, today()),
            _("%(old)s sáp nhập vào %(new)s %(when)s.")
            % {"old": old.name, "new": new.name, "when": when}
            + " "
            + counts,
            reverse("province:merger_list"),
        )
