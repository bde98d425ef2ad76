"""Who is told when a report is issued: leadership, and the heads of the report's unit (a unit's
report) or of every unit (the school's report), through notifications.services.notify."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.models import NotificationKind
from notifications.people import heads_of, heads_of_units, leadership_of
from notifications.services import notify
from reports.models import Report


def report_issued(report: Report, *, by: User) -> None:
    school_id = report.plan.school_id
    heads = heads_of(report.unit_id) if report.unit_id else heads_of_units(school_id)
    notify(
        [*leadership_of(school_id), *heads],
        kind=NotificationKind.REPORT_ISSUED,
        title=_("Đã ban hành báo cáo: %(report)s") % {"report": report.summary},
        body=_("Ngày ban hành: %(day)s; người ký: %(signer)s.")
        % {
            "day": report.issued_on.strftime("%d/%m/%Y") if report.issued_on else "",
            "signer": report.signer_name,
        },
        url=reverse("reports:report_detail", args=[report.pk]),
        actor=by,
    )
