"""Who the students' domain tells, and what: a supported student put on the repayment list → the
student affairs office (or the leadership when nobody there can be told), through
notifications.services.notify, e-mailed after commit. The title names the class and the code,
not the student's name (an e-mail leaves the school's system)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from notifications.models import NotificationKind
from notifications.people import leadership_of
from notifications.services import notify
from organisations.models import Position
from students.models import RecordsOffice
from students.models_support import RepaymentCase


def records_office_users(school_id: int) -> list[Any]:
    """The members of the school's student affairs office who have an account, else (no office
    named, or nobody in it can sign in) the school's leadership."""
    with scopes_disabled():
        office = (
            RecordsOffice.objects.filter(school_id=school_id)
            .values_list("office_id", flat=True)
            .first()
        )
        if office is None:
            return leadership_of(school_id)
        positions = (
            Position.objects.current(timezone.localdate())
            .filter(
                organisation_id=office,
                person__user__isnull=False,
                person__archived_at__isnull=True,
            )
            .select_related("person__user")
            .order_by("pk")
        )
        return [p.person.user for p in positions] or leadership_of(school_id)


def repayment_listed(case: RepaymentCase, *, by: User) -> None:
    student = case.student
    notify(
        records_office_users(case.school_id),
        kind=NotificationKind.GENERAL,
        title=_("Người học hưởng hỗ trợ sư phạm vào danh sách bồi hoàn: lớp %(c)s, mã %(code)s")
        % {"c": student.cohort.code, "code": student.code or "—"},
        body=_("Lý do: %(g)s, ngày %(d)s. Căn cứ: %(s)s.")
        % {
            "g": case.get_ground_display(),
            "d": case.happened_on.strftime("%d/%m/%Y"),
            "s": case.rule.source if case.rule else "—",
        },
        url=reverse("students:support") + f"#case{case.pk}",
        source=case,
        actor=by,
    )
