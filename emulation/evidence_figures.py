"""The figures of the year's evidence (emulation.evidence) and the rules that make them: pure, no
database.

Every figure is the tuple of the rows behind it (task, check-in or target ids), so that a page
can show the count and link to each one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from planning.status import RAG_COLOURS, Rag, RunState, TaskStatus
from tracking.task_figures import percent


class Outcome(models.TextChoices):
    """Where a task stands for emulation: measured against its original deadline."""

    AHEAD = "ahead", _("Hoàn thành vượt tiến độ")
    ON_TIME = "on_time", _("Hoàn thành đúng hạn")
    LATE = "late", _("Hoàn thành sau hạn ban đầu")
    OVERDUE = "overdue", _("Quá hạn chưa hoàn thành")
    OPEN = "open", _("Đang thực hiện, còn hạn")
    PAUSED = "paused", _("Tạm dừng")
    CANCELLED = "cancelled", _("Hủy bỏ")


OUTCOME_COLOURS = {
    Outcome.AHEAD: "success",
    Outcome.ON_TIME: "success",
    Outcome.LATE: "warning",
    Outcome.OVERDUE: "danger",
    Outcome.OPEN: "primary",
    Outcome.PAUSED: "dark",
    Outcome.CANCELLED: "light",
}
DONE = (Outcome.AHEAD, Outcome.ON_TIME, Outcome.LATE)


def outcome_of(
    *, status: TaskStatus, baseline_due: dt.date | None, completed_on: dt.date | None
) -> Outcome:
    """The task's outcome from its status on the day (planning.status.compute_status) and, once
    done, its completion against the original deadline."""
    if status == TaskStatus.CANCELLED:
        return Outcome.CANCELLED
    if status == TaskStatus.PAUSED:
        return Outcome.PAUSED
    if status in (TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE) and completed_on is not None:
        if baseline_due is None or completed_on == baseline_due:
            return Outcome.ON_TIME
        return Outcome.AHEAD if completed_on < baseline_due else Outcome.LATE
    if status == TaskStatus.OVERDUE:
        return Outcome.OVERDUE
    return Outcome.OPEN


def expected_checkins(
    *,
    run_state: str,
    start: dt.date,
    due: dt.date | None,
    completed_on: dt.date | None,
    on: dt.date,
    period_days: int,
) -> int:
    """How many periodic reports a task asks of a reporting unit by `on`: one per full period
    from its start until it is done, its deadline comes, or the day, whichever is first. A
    paused or cancelled task asks for none (the reminders leave it alone)."""
    if run_state != RunState.ACTIVE or period_days <= 0:
        return 0
    end = min(day for day in (on, completed_on, due) if day is not None)
    return max(0, (end - start).days // period_days)


@dataclass(frozen=True)
class EvidenceFile:
    pk: int
    name: str
    task_id: int
    task_label: str
    reported_on: dt.date


@dataclass
class Reports:
    """One reporting unit's (or the lead role's) reports on one task."""

    sent: list[int] = field(default_factory=list)
    on_time: list[int] = field(default_factory=list)
    files: list[EvidenceFile] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class TaskLine:
    """One task as the evidence reads it on the day."""

    pk: int
    code: str
    title: str
    lead_unit_id: int | None
    owner_unit_id: int | None
    unit_name: str  # the lead unit's (else the owning unit's)
    person_in_charge_id: int | None
    run_state: str
    start: dt.date
    baseline_due: dt.date | None  # the original deadline: what punctuality is measured on
    due: dt.date | None  # the deadline in force on the day
    completed_on: dt.date | None  # None when done after the day
    status: TaskStatus
    outcome: Outcome
    is_due: bool
    days_late: int  # done after the original deadline (late), or past the deadline (overdue)
    lead_reports: Reports
    expected: int  # periodic reports asked of the lead unit by the day

    @property
    def label(self) -> str:
        return f"{self.code}. {self.title}" if self.code else self.title

    @property
    def outcome_label(self) -> str:
        return str(self.outcome.label)

    @property
    def colour(self) -> str:
        return OUTCOME_COLOURS[self.outcome]

    @property
    def reports_owed(self) -> int:
        return max(self.expected, len(self.lead_reports.sent))


def _ids(lines: Iterable[TaskLine]) -> tuple[int, ...]:
    return tuple(line.pk for line in lines)


@dataclass(frozen=True)
class TaskFigures:
    """Counts over a set of tasks; each figure is the tuple of the tasks behind it."""

    lines: tuple[TaskLine, ...]

    @property
    def tasks(self) -> tuple[int, ...]:
        return _ids(self.lines)

    @property
    def due(self) -> tuple[int, ...]:
        return _ids(line for line in self.lines if line.is_due)

    @property
    def due_done(self) -> tuple[int, ...]:
        return _ids(line for line in self.lines if line.is_due and line.outcome in DONE)

    @property
    def on_time(self) -> tuple[int, ...]:
        """Due and done by the original deadline (the headline's "đúng hạn")."""
        ok = (Outcome.AHEAD, Outcome.ON_TIME)
        return _ids(line for line in self.lines if line.is_due and line.outcome in ok)

    @property
    def done(self) -> tuple[int, ...]:
        return _ids(line for line in self.lines if line.outcome in DONE)

    @property
    def ahead(self) -> tuple[int, ...]:
        return _ids(line for line in self.lines if line.outcome == Outcome.AHEAD)

    @property
    def late(self) -> tuple[int, ...]:
        return _ids(line for line in self.lines if line.outcome == Outcome.LATE)

    @property
    def overdue(self) -> tuple[int, ...]:
        return _ids(line for line in self.lines if line.outcome == Outcome.OVERDUE)

    @property
    def on_time_rate(self) -> float | None:
        return percent(len(self.on_time), len(self.due))

    @property
    def done_rate(self) -> float | None:
        return percent(len(self.due_done), len(self.due))

    @property
    def ahead_rate(self) -> float | None:
        """Of the tasks done, the share done before their original deadline."""
        return percent(len(self.ahead), len(self.done))


@dataclass(frozen=True)
class CheckInFigures:
    expected: int
    owed: int
    sent: tuple[int, ...]
    on_time: tuple[int, ...]
    files: tuple[EvidenceFile, ...]

    @property
    def on_time_rate(self) -> float | None:
        return percent(len(self.on_time), self.owed)


def checkin_figures(parts: Iterable[tuple[int, Reports]]) -> CheckInFigures:
    """Reports summed over (reports expected, reports) pairs: one per task and reporting role."""
    expected = owed = 0
    sent: list[int] = []
    on_time: list[int] = []
    files: list[EvidenceFile] = []
    for wanted, reports in parts:
        expected += wanted
        owed += max(wanted, len(reports.sent))
        sent += reports.sent
        on_time += reports.on_time
        files += reports.files
    files.sort(key=lambda f: (f.reported_on, f.pk))
    return CheckInFigures(expected, owed, tuple(sent), tuple(on_time), tuple(files))


@dataclass(frozen=True)
class TargetLine:
    pk: int  # the target
    code: str
    name: str
    unit_of_measure: str
    unit_id: int
    unit_name: str
    allocated: bool  # a share allocated to the unit (else the unit is responsible for it)
    goal: Decimal | None  # the target's value, or the value allocated
    actual: Decimal | None
    measured_on: dt.date | None
    rag: Rag | None

    @property
    def label(self) -> str:
        return f"{self.code}. {self.name}" if self.code else self.name

    @property
    def met(self) -> bool:
        return self.rag == Rag.GREEN

    @property
    def colour(self) -> str:
        return RAG_COLOURS.get(self.rag, "secondary") if self.rag else "secondary"

    @property
    def rag_label(self) -> str:
        return str(self.rag.label) if self.rag else str(_("Chưa có số liệu"))


@dataclass(frozen=True)
class TargetFigures:
    lines: tuple[TargetLine, ...]

    @property
    def met(self) -> tuple[int, ...]:
        return tuple(line.pk for line in self.lines if line.met)

    @property
    def measured(self) -> tuple[int, ...]:
        return tuple(line.pk for line in self.lines if line.actual is not None)

    @property
    def met_rate(self) -> float | None:
        return percent(len(self.met), len(self.lines))


@dataclass(frozen=True)
class Teaching:
    lecturer_id: int
    title: str
    year_target: Decimal | None  # None: no norm for the title in the rules in force
    first: Decimal
    second: Decimal

    @property
    def total(self) -> Decimal:
        return self.first + self.second

    @property
    def rate(self) -> float | None:
        if not self.year_target:
            return None
        return round(100 * float(self.total) / float(self.year_target), 1)
