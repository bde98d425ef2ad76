"""Who reports tell, and what (through notifications.services.notify, e-mailed after commit):
a draft submitted for signature → the people who may sign it; returned to be revised → the one
who submitted it; issued → leadership, the heads of the report's unit (a unit's report) or of
every unit (the school's report), and the one who submitted it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import NotificationKind
from notifications.people import heads_of, heads_of_units, leadership_of
from notifications.services import notify
from organisations.membership import person_record
from reports.models import Report


def _url(report: Report) -> str:
    return reverse("reports:report_detail", args=[report.pk])


def _name(user: Any) -> str:
    if user is None:
        return _("Hệ thống")
    person = person_record(user)
    return str(person) if person is not None else str(user.get_username())


def signers_to_tell(report: Report) -> list[Any]:
    """Who may sign the report: leadership for the school's, the unit's heads (or those of the
    nearest unit above that has some) for a unit's."""
    people = heads_of(report.unit_id) if report.unit_id else leadership_of(report.plan.school_id)
    # One each, though a principal may hold two positions (the school, its board).
    return list({user.pk: user for user in people}.values())


def report_submitted(report: Report, *, by: User) -> None:
    at = timezone.localtime(report.submitted_at) if report.submitted_at else None
    body = _("%(who)s trình ký lúc %(when)s; số liệu tính đến ngày %(cutoff)s.") % {
        "who": _name(report.submitted_by),
        "when": at.strftime("%H:%M %d/%m/%Y") if at else "",
        "cutoff": report.cutoff.strftime("%d/%m/%Y"),
    }
    if report.submission_note:
        body = f"{body}\n" + _("Lời trình: %(note)s") % {"note": report.submission_note}
    notify(
        signers_to_tell(report),
        kind=NotificationKind.REPORT_TO_REVIEW,
        title=_("Trình ký báo cáo: %(report)s") % {"report": report.summary},
        body=body,
        url=_url(report),
        actor=by,
    )


def report_returned(report: Report, *, by: User) -> None:
    notify(
        [report.submitted_by],
        kind=NotificationKind.REPORT_RETURNED,
        title=_("Báo cáo bị trả lại để chỉnh sửa: %(report)s") % {"report": report.summary},
        body=_("%(who)s trả lại. Lý do: %(reason)s")
        % {"who": _name(report.returned_by), "reason": report.return_reason},
        url=_url(report),
        actor=by,
    )


def report_issued(report: Report, *, by: User) -> None:
    school_id = report.plan.school_id
    heads = heads_of(report.unit_id) if report.unit_id else heads_of_units(school_id)
    notify(
        [*leadership_of(school_id), *heads, report.submitted_by],
        kind=NotificationKind.REPORT_ISSUED,
        title=_("Đã ban hành báo cáo: %(report)s") % {"report": report.summary},
        body=_("Ngày ban hành: %(day)s; người ký: %(signer)s.")
        % {
            "day": report.issued_on.strftime("%d/%m/%Y") if report.issued_on else "",
            "signer": report.signer_name,
        },
        url=_url(report),
        actor=by,
    )
