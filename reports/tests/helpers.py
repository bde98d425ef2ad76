"""Builders shared by the report tests: a world with progress reported through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from conftest import World
from planning import services as plan_services
from planning.models import Task
from reports import services
from reports.models import Report
from tracking import services as tracking

CUTOFF = dt.date(2024, 1, 5)


def report_on(
    world: World, task: Any, day: dt.date, progress: int, role: str = "staff", **extra: Any
) -> Any:
    return tracking.submit_checkin(
        task,
        by=world.users[role],
        unit=extra.pop("unit", task.lead_unit),
        data=tracking.CheckInData(
            progress=progress,
            done=extra.pop("done", "Đã tổ chức tư vấn tuyển sinh tại 5 trường THPT."),
            confidence="medium",
            difficulties=extra.pop("difficulties", ""),
            proposals=extra.pop("proposals", ""),
            actual_value=extra.pop("actual_value", None),
        ),
        on=day,
    )


def track(world: World) -> World:
    """Progress of the fixture's year up to (and past) the cut-off of 05/01/2024."""
    by = world.users["leadership"]
    world.school.abbreviation = "CĐM"
    world.school.place = "Lạng Sơn"
    world.school.save()
    world.office.abbreviation = "PĐT"
    world.office.save()
    report_on(
        world, world.task, dt.date(2023, 11, 25), 40,
        difficulties="Kinh phí tư vấn tuyển sinh cấp muộn.",
        proposals="Đề nghị bố trí xe đi tư vấn tuyển sinh.",
        actual_value=Decimal("70"),
    )  # fmt: skip
    # After the cut-off: counts neither in the figures nor in the drafts.
    report_on(
        world, world.task, dt.date(2024, 2, 25), 60,
        difficulties="Khó khăn sau ngày chốt.", actual_value=Decimal("95"),
    )  # fmt: skip
    early = plan_services.save_plan_object(
        Task(plan=world.plan, title="Khai giảng năm học", lead_unit=world.faculty,
             area=world.area, due_date=dt.date(2023, 9, 30), code="2"),
        by=by,
    )  # fmt: skip
    report_on(world, early, dt.date(2023, 9, 28), 100)  # done on time
    late = plan_services.save_plan_object(
        Task(plan=world.plan, title="Tổng kết thi học kỳ", lead_unit=world.faculty,
             area=world.area, due_date=dt.date(2023, 12, 20), code="3"),
        by=by,
    )  # fmt: skip
    report_on(world, late, dt.date(2023, 12, 1), 50, difficulties="Thiếu phòng thi.")
    world.late = late  # type: ignore[attr-defined]
    report_on(world, world.unit_task, dt.date(2023, 12, 10), 30, role="unit_head",
              proposals="Đề nghị nâng cấp máy chủ cổng tuyển sinh.")  # fmt: skip
    return world


def semester(world: World, **extra: Any) -> Report:
    return services.create_report(
        world.plan, kind="semester", cutoff=CUTOFF, by=world.users["leadership"], **extra
    )


def unit_report(world: World) -> Report:
    return services.create_report(
        world.plan, kind="unit", unit=world.office, cutoff=CUTOFF, by=world.users["unit_head"]
    )
