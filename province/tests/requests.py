"""Builders shared by the report-request tests: the Sở asks (on 20/12/2023, by 15/01/2024), the
world's school has an issued plan and an issued Báo cáo sơ kết học kỳ I (05/01/2024), the second
college a principal and no clerk."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from conftest import make_person
from organisations.models import Position, Role
from planning import services as plan_services
from province import reporting
from province.models import Audience, ReportRequest, RequestKind, SchoolLevel
from province.tests.conftest import Province
from reports import services as report_services
from reports.models import Report
from reports.tests.helpers import CUTOFF, semester, track

ASKED_AT = dt.date(2023, 12, 20)
DEADLINE = dt.date(2024, 1, 15)
TITLE = "Báo cáo sơ kết học kỳ I năm học 2023–2024"


def moment(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A local time of the site (Asia/Ho_Chi_Minh), aware."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def ask_semester(province: Province, **extra: Any) -> ReportRequest:
    """The sơ kết học kỳ I asked of every college (the world's school and the second college)."""
    values: dict[str, Any] = {
        "kind": RequestKind.SEMESTER_REPORT,
        "title": TITLE,
        "start_year": 2023,
        "deadline": DEADLINE,
        "text": "Các trường gửi báo cáo sơ kết học kỳ I kèm số liệu.",
        "audience": Audience.LEVEL,
        "level": SchoolLevel.COLLEGE,
        "by": province.users["officer"],
        "at": moment(ASKED_AT),
    }
    return reporting.create_request(province.sgd, **{**values, **extra})


def ask_targets(province: Province, targets: list[str]) -> ReportRequest:
    """The figures of chosen targets asked of every school the Sở directs."""
    return reporting.create_request(
        province.sgd,
        kind=RequestKind.TARGETS,
        title="Số liệu tuyển sinh năm học 2023–2024",
        start_year=2023,
        deadline=DEADLINE,
        targets=targets,
        audience=Audience.ALL,
        by=province.users["officer"],
        at=moment(ASKED_AT),
    )


def issued_semester(province: Province) -> Report:
    """The world's plan issued and progress reported (reports' helpers), its sơ kết issued."""
    world = track(province.world)
    plan_services.issue_plan(world.plan, by=world.users["leadership"], on=dt.date(2023, 9, 26))
    report = semester(world)
    principal = Position.objects.get(person=world.people["leadership"], organisation=world.school)
    return report_services.issue_report(
        report, by=world.users["leadership"], on=CUTOFF, signer=principal
    )


def college_principal(province: Province) -> Any:
    return make_person(
        province.college, province.college, "Lê Văn Cao", "college", "Hiệu trưởng", Role.LEADERSHIP
    )[1]
