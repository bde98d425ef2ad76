"""Sample progress for the demo year, so that the dashboards are not empty.

Invented (marked `is_sample`): monthly check-ins through the services, a few late or unfinished
tasks, one paused, deadline extensions, and target readings over the year. Deterministic: the
same demo every time.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db.models import Min

from planning.models import Plan, ProgressMode, Target, Task
from planning.status import RunState
from tracking import services

DONE = [
    "Đã triển khai theo kế hoạch, tổ chức họp giao ban và phân công cụ thể.",
    "Hoàn thành các đầu việc của tháng, cập nhật số liệu lên hệ thống.",
    "Đã ban hành văn bản hướng dẫn và kiểm tra việc thực hiện tại các đơn vị.",
    "Tổ chức thực hiện, tổng hợp kết quả và báo cáo Ban giám hiệu.",
]
DIFFICULTIES = [
    "",
    "",
    "Một số đơn vị gửi số liệu chậm.",
    "Kinh phí được cấp muộn so với kế hoạch.",
    "Thiếu nhân lực do cán bộ đi học tập trung.",
]
PROPOSALS = ["", "", "Đề nghị Phòng Kế hoạch – Tài chính bố trí kinh phí kịp thời."]


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    """Report days: about the 25th of each month from start to end."""
    days = []
    year, month = start.year, start.month
    while True:
        day = dt.date(year, month, 25)
        if day > end:
            break
        if day >= start:
            days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


class _Demo:
    def __init__(self, plan: Plan, by: Any) -> None:
        self.plan = plan
        self.by = by
        self.done_on: dict[int, dt.date | None] = {}
        self.extended = False
        # Each task's outcome is drawn from its code and its place in creation order (1 for the
        # first task of a fresh database), not from its id: a database that hands out ids after
        # earlier rows (a test run's, after a flush) must draw the same demo school.
        first = Task._base_manager.aggregate(first=Min("pk"))["first"] or 1
        self.place_offset = first - 1

    def checkin(
        self,
        task: Task,
        day: dt.date,
        progress: int,
        rng: random.Random,
        actual: Decimal | None = None,
    ) -> None:
        confidence = "high" if progress >= 60 else rng.choice(["high", "medium", "medium", "low"])
        services.submit_checkin(
            task,
            by=None,
            unit=task.lead_unit or task.owner_unit or task.plan.school,
            data=services.CheckInData(
                progress=progress,
                done=rng.choice(DONE),
                confidence=confidence,
                difficulties=rng.choice(DIFFICULTIES) if progress < 100 else "",
                proposals=rng.choice(PROPOSALS),
                actual_value=actual,
            ),
            on=day,
            consolidate=list(
                task.checkins.filter(
                    role="coordinating", consolidated_into__isnull=True
                ).values_list("pk", flat=True)
            ),
            is_sample=True,
        )

    def run(self, task: Task) -> dt.date | None:
        children = list(task.children.active().select_related("lead_unit", "owner_unit"))
        for child in children:
            self.done_on[child.pk] = self.run(child)
        rng = random.Random(f"trongtam-{task.code}-{(task.pk - self.place_offset) % 7}")
        start = task.start_date or self.plan.starts_on
        due = task.due_date or self.plan.ends_on
        fate = rng.random()
        if children:
            services.update_tracking(
                task, by=self.by, progress_mode=ProgressMode.DERIVED, run_state=RunState.ACTIVE
            )
            finished = [self.done_on.get(c.pk) for c in children]
            if all(finished):
                last = max(d for d in finished if d)
                return self._finish(task, max(last, start), rng)
            return None
        if fate < 0.04:  # paused half-way, with a reason
            for day in _months(start, min(due, start + dt.timedelta(days=70))):
                self.checkin(task, day, 30, rng)
            services.update_tracking(
                task,
                by=self.by,
                progress_mode=task.progress_mode,
                run_state=RunState.PAUSED,
                reason="Tạm dừng chờ hướng dẫn mới của Sở Giáo dục và Đào tạo (dữ liệu mẫu).",
            )
            return None
        if fate < 0.12:  # still open at the end of the year
            finish = None
        elif fate < 0.27:  # done late
            finish = min(due + dt.timedelta(days=rng.randint(5, 40)), self.plan.ends_on)
        else:
            finish = due - dt.timedelta(days=rng.randint(0, 20))
        finish_day = max(finish, start) if finish else None
        if finish_day and task.due_date and finish_day > task.due_date and not self.extended:
            # Asked in time and approved: done within the new deadline, late against the first.
            self.extended = True
            extension = services.request_extension(
                task,
                new_due=finish_day,
                reason="Lùi lịch do trùng kỳ thi học kỳ (dữ liệu mẫu).",
                by=self.by,
                on=task.due_date - dt.timedelta(days=5),
            )
            services.decide_extension(
                extension,
                accept=True,
                note="Đồng ý (dữ liệu mẫu).",
                by=self.by,
                on=task.due_date - dt.timedelta(days=3),
            )
        end = finish_day or self.plan.ends_on
        days = _months(start, end - dt.timedelta(days=1))
        for index, day in enumerate(days):
            share = (index + 1) / (len(days) + 1)
            progress = int(share * (100 if finish_day else 75)) // 5 * 5
            if rng.random() < 0.15 and index:  # a skipped month now and then
                continue
            self.checkin(task, day, progress, rng)
        if finish_day:
            return self._finish(task, finish_day, rng)
        return None

    def _finish(self, task: Task, day: dt.date, rng: random.Random) -> dt.date:
        task.refresh_from_db()
        self.checkin(task, day, 100, rng)
        return day


def _value_for(target: Target, share: float, outcome: float) -> Decimal | None:
    """A plausible value `share` of the way through the year, ending green, amber or red."""
    if target.direction == "boolean":
        return Decimal(1 if outcome < 0.75 or share < 1 else 0)
    if target.direction == "range":
        if target.range_min is None or target.range_max is None:
            return None
        low, high = target.range_min, target.range_max
        final = (low + high) / 2 if outcome < 0.7 else high + (high - low) / 5
        return Decimal(final).quantize(Decimal("0.1"))
    goal = target.target_value
    if goal is None:
        return None
    baseline = target.baseline if target.baseline is not None else goal * Decimal("0.8")
    if outcome < 0.6:
        final = goal * (Decimal("1.03") if target.direction == "higher" else Decimal("0.95"))
    elif outcome < 0.85:
        line = target.red_threshold if target.red_threshold is not None else goal
        final = (goal + line) / 2
    else:
        final = baseline
    value = baseline + (final - baseline) * Decimal(str(share))
    return value.quantize(Decimal("0.1"))


def load_tracking_demo(plan: Plan | None, by: Any) -> None:
    if plan is None or plan.tasks.filter(checkins__isnull=False).exists():
        return
    demo = _Demo(plan, by)
    roots = (
        plan.tasks.active().filter(parent__isnull=True).select_related("lead_unit", "owner_unit")
    )
    for task in roots.order_by("owner_unit_id", "order", "pk"):
        demo.run(task)
    # A coordinating unit's contribution and a pending extension, on an open task.
    open_task = (
        plan.tasks.active()
        .filter(completed_on__isnull=True, run_state=RunState.ACTIVE, coordinations__isnull=False)
        .order_by("pk")
        .first()
    )
    if open_task is not None and open_task.due_date:
        coordination = open_task.coordinations.active().select_related("unit").first()
        if coordination is not None:
            services.submit_checkin(
                open_task,
                by=None,
                unit=coordination.unit,
                data=services.CheckInData(
                    progress=60,
                    done="Đã cung cấp số liệu và cử cán bộ phối hợp theo đề nghị của đơn vị chủ trì.",
                    confidence="medium",
                    difficulties="Số liệu của một số lớp chưa đầy đủ.",
                ),
                on=open_task.due_date - dt.timedelta(days=10),
                is_sample=True,
            )
        services.request_extension(
            open_task,
            new_due=open_task.due_date + dt.timedelta(days=45),
            reason="Chờ kết quả tuyển sinh đợt bổ sung để hoàn thiện số liệu (dữ liệu mẫu).",
            by=by,
            on=open_task.due_date - dt.timedelta(days=7),
        )
    # Targets not reported through a task get quarterly readings.
    for target in plan.targets.active().filter(actual_value__isnull=True):
        outcome = random.Random(f"trongtam-target-{target.code}").random()
        for index, month in enumerate([12, 3, 6, 8]):
            day = dt.date(plan.start_year + (0 if month >= 9 else 1), month, 28)
            value = _value_for(target, (index + 1) / 4, outcome)
            if value is not None:
                services.record_target_value(target, value, on=day, by=by, is_sample=True)


def load_demo(plan: Plan, loader: Any) -> None:
    """The demo plan's check-ins and readings (demo/loader.py calls every domain's `load_demo`)."""
    load_tracking_demo(plan, loader.by)
