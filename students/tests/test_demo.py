"""The demo school's students: programmes, three intakes, cohorts whose headcount falls."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from notifications.models import Notification
from students import figures
from students.models import AcademicWarning, Cohort, Intake, Programme, TargetFeed
from students.models_support import RepaymentCase, SupportGrant, SupportReport
from tracking.models import TargetReading


def test_demo_has_programmes_intakes_and_falling_cohorts(demo_plan: Any, db: Any) -> None:
    school = demo_plan.school
    names = set(Programme.objects.filter(school=school).values_list("name", flat=True))
    assert {"Giáo dục Mầm non", "Giáo dục Tiểu học"} <= names
    assert set(Intake.objects.filter(programme__school=school).values_list("year", flat=True)) == {
        2023,
        2024,
        2025,
    }
    cohort = Cohort.objects.get(school=school, code="51140201-K23")
    _terms, (line,) = figures.retention_matrix([cohort], figures.dt.date(2025, 10, 1))
    firsts = [c.studying for c in line.cells if c is not None]
    assert firsts[0] > firsts[-1] and line.retention_now is not None


def test_demo_targets_are_fed_and_a_semester_has_warnings(demo_plan: Any, db: Any) -> None:
    fed = {
        f.target.code: f
        for f in TargetFeed.objects.active().filter(target__plan=demo_plan).select_related("target")
    }
    assert set(fed) == {"CT01", "CT02", "CT03"}
    ct01 = fed["CT01"].target
    # 2023 intakes: 217 enrolled of a quota of 330, counted on 30/9/2023
    assert (ct01.actual_value, ct01.actual_on) == (Decimal("65.80"), dt.date(2023, 9, 30))
    assert TargetReading.objects.filter(target=ct01, value=Decimal("65.80")).exists()
    warnings = AcademicWarning.objects.filter(school=demo_plan.school)
    assert warnings.count() >= 5
    followed = warnings.filter(task__isnull=False)
    assert followed.count() == 3 and warnings.exclude(outcome="").count() == 2
    assert all(w.task.plan_id == demo_plan.pk for w in followed)


def test_demo_has_supported_students_and_one_on_the_repayment_list(demo_plan: Any, db: Any) -> None:
    school = demo_plan.school
    grants = (
        SupportGrant.objects.active()
        .filter(school=school)
        .select_related("student__cohort__programme")
    )
    assert grants.count() == 6
    assert all(g.student.cohort.programme.teacher_training for g in grants)
    (case,) = RepaymentCase.objects.filter(school=school)
    assert (case.ground, case.happened_on) == ("withdrawn", dt.date(2025, 3, 10))
    assert case.rule is not None and case.rule.source.startswith("NĐ 116/2020/NĐ-CP")
    assert case.months == 7 and case.amount == Decimal("4880000") * 7
    report = SupportReport.objects.get(school=school)
    assert (report.school_year, report.dated) == (2024, dt.date(2025, 9, 5))
    # Nobody but the principal (who recorded it) has an account in the demo: nobody is told.
    assert not Notification.objects.filter(title__contains=case.student.cohort.code).exists()


def test_demo_has_headcounts_beside_the_list_and_one_behind_it(demo_plan: Any, db: Any) -> None:
    """The training office's counts at the end of each semester: they agree with the student
    list but for one class's last count, made before a withdrawal reached the list."""
    from django.test import Client
    from django.urls import reverse

    from students.models_counts import CohortCount
    from students.views_counts import _with_listed

    counts = list(CohortCount.objects.filter(school=demo_plan.school).select_related("cohort"))
    assert len({c.cohort_id for c in counts}) >= 4
    differ = [
        (c.cohort.code, c.counted_on) for c, listed in _with_listed(counts) if c.headcount != listed
    ]
    assert differ == [("51140201-K23", dt.date(2025, 5, 31))]
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="phungquyson"))
    page = client.get(reverse("students:headcounts")).content.decode()
    assert "51140201-K23" in page and "Chưa cập nhật một trường hợp thôi học" in page
