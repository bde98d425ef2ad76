"""The year's evidence, computed: exact figures on a hand-made year (emulation.tests.
evidence_helpers), read as of 14/6/2024 unless a test says otherwise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import World
from emulation.evidence import YearEvidence, year_evidence
from emulation.evidence_figures import Outcome, expected_checkins, outcome_of
from emulation.tests.evidence_helpers import ON, Year, build_year, more_people
from planning.models import Task
from planning.status import TaskStatus
from tracking.models import Extension, ExtensionStatus, ReminderPolicy
from tracking.task_figures import headline, scope


@pytest.fixture
def year(world: World) -> Year:
    return build_year(world)


def evidence(year: Year, on: dt.date = ON, past: bool = False) -> YearEvidence:
    w = year.world
    people = [w.people[role] for role in ("staff", "unit_head", "clerk", "leadership")]
    units = [w.faculty, w.office, w.group]
    return year_evidence(w.plan, people=people, units=units, on=on, past=past)


def codes(year: Year, ids: tuple[int, ...]) -> list[str]:
    return sorted(Task.objects.filter(pk__in=ids).values_list("code", flat=True))


def test_a_person_s_tasks_against_their_original_deadlines(year: Year) -> None:
    staff = evidence(year).people[year.world.people["staff"].pk]
    tasks = staff.tasks
    # world.task (code 1) and A–G are in their charge; H is the clerk's, I nobody's, Z archived.
    assert codes(year, tasks.tasks) == ["1", "A", "B", "C", "D", "E", "F", "G"]
    assert codes(year, tasks.due) == ["1", "A", "B", "C", "D"]  # E not yet; F paused; G cancelled
    assert codes(year, tasks.due_done) == ["A", "B", "C"]
    assert codes(year, tasks.on_time) == ["A", "B"]  # C was done within its extension only
    assert codes(year, tasks.ahead) == ["A"]
    assert codes(year, tasks.late) == ["C"]
    assert codes(year, tasks.overdue) == ["1", "D"]
    assert (tasks.on_time_rate, tasks.done_rate, tasks.ahead_rate) == (40.0, 60.0, 33.3)
    lines = {line.code: line for line in tasks.lines}
    assert [line.code for line in tasks.lines] == ["1", "A", "B", "C", "D", "E", "F", "G"]
    assert lines["C"].outcome == Outcome.LATE and lines["C"].days_late == 24
    assert lines["D"].outcome == Outcome.OVERDUE and lines["D"].days_late == 74
    assert lines["1"].days_late == 14
    assert [lines[c].outcome for c in "EFG"] == [Outcome.OPEN, Outcome.PAUSED, Outcome.CANCELLED]
    assert staff.in_charge == frozenset(tasks.tasks)


def test_a_person_s_check_ins_expected_sent_and_on_time(year: Year) -> None:
    staff = evidence(year).people[year.world.people["staff"].pk]
    lines = {line.code: line for line in staff.tasks.lines}
    # One report per 30 days from the start to completion, deadline or the day.
    assert {code: line.expected for code, line in lines.items()} == {
        "1": 9, "A": 1, "B": 2, "C": 1, "D": 3, "E": 5, "F": 0, "G": 0,
    }  # fmt: skip
    checkins = staff.checkins
    assert checkins.expected == 21
    # D sent four for three periods: its extra report does not make up for the others.
    assert checkins.owed == 22
    c = year.checkins
    assert set(checkins.sent) == {c[k].pk for k in ("task-1", "task-2", "task-3", "task-4", "A-1",
                                                     "D-1", "D-2", "D-3", "D-4")}  # fmt: skip
    assert set(checkins.on_time) == {c[k].pk for k in ("task-1", "task-3", "task-4", "A-1", "D-1")}
    assert checkins.on_time_rate == 22.7
    # The report after the day, and its file, are not counted.
    assert [f.name for f in checkins.files] == ["bien-ban-tu-van.pdf"]
    assert checkins.files[0].task_id == year.world.task.pk


def test_a_unit_head_answers_for_what_their_unit_leads(year: Year) -> None:
    result = evidence(year)
    head = result.people[year.world.people["unit_head"].pk]
    assert codes(year, head.tasks.tasks) == ["H", "PDT.1"]
    assert head.in_charge == frozenset()
    assert codes(year, head.tasks.due) == ["H"] and codes(year, head.tasks.ahead) == ["H"]
    assert head.tasks.on_time_rate == 100.0
    assert (head.checkins.expected, head.checkins.owed, head.checkins.sent) == (9, 9, ())
    assert head.checkins.on_time_rate == 0.0
    assert head.headed_unit_ids == (year.world.office.pk,)
    # The clerk of the same office answers for H only.
    clerk = result.people[year.world.people["clerk"].pk]
    assert codes(year, clerk.tasks.tasks) == ["H"] and clerk.headed_unit_ids == ()


def test_targets_of_a_person_s_unit(year: Year) -> None:
    result = evidence(year)
    staff = result.people[year.world.people["staff"].pk]
    lines = {line.code: line for line in staff.targets.lines}
    assert set(lines) == {"CT03", "CT04"}  # allocated to their subject group
    # The group's own reading (12 of 10) meets its share; the faculty's 5 is not the group's.
    assert lines["CT03"].allocated and lines["CT03"].actual == Decimal(12) and lines["CT03"].met
    assert lines["CT03"].goal == Decimal(10)
    assert lines["CT04"].actual is None and not lines["CT04"].met
    assert staff.targets.met == (year.targets["CT03"].pk,)
    assert staff.targets.met_rate == 50.0
    head = result.people[year.world.people["unit_head"].pk]
    # Responsible for CT01 and allocated it too: one line, the whole target, not measured.
    assert [(t.code, t.allocated, t.rag) for t in head.targets.lines] == [("CT01", False, None)]


def test_teaching_hours_against_the_norm(year: Year) -> None:
    result = evidence(year)
    staff = result.people[year.world.people["staff"].pk].teaching
    assert staff is not None
    assert (staff.first, staff.second, staff.total) == (
        Decimal(100), Decimal("150.5"), Decimal("250.5"),
    )  # fmt: skip
    assert staff.year_target == Decimal(270) and staff.rate == 92.8
    head = result.people[year.world.people["unit_head"].pk].teaching
    assert head is not None
    # A head of office teaches 25 % of the norm (the archived section does not count).
    assert head.year_target == Decimal("67.50") and head.total == Decimal(30)
    assert head.rate == 44.4
    assert result.people[year.world.people["clerk"].pk].teaching is None


def test_a_unit_with_its_sub_units(year: Year) -> None:
    result = evidence(year)
    faculty = result.units[year.world.faculty.pk]
    assert codes(year, faculty.led.tasks) == ["1", "1.1", "A", "B", "C", "D", "E", "F", "G", "I"]
    assert faculty.coordinated.tasks == ()
    assert codes(year, faculty.led.due) == ["1", "A", "B", "C", "D"]
    assert codes(year, faculty.led.on_time) == ["A", "B"]
    assert faculty.led.on_time_rate == 40.0
    lines = {line.pk: line for line in faculty.led.lines}
    assert lines[year.tasks["I"].pk].outcome == Outcome.OPEN  # done after the day
    assert (faculty.checkins.expected, faculty.checkins.owed) == (35, 36)
    assert (len(faculty.checkins.sent), len(faculty.checkins.on_time)) == (9, 5)
    assert faculty.checkins.on_time_rate == 13.9
    assert {t.code for t in faculty.targets.lines} == {"CT02", "CT03", "CT04"}
    assert faculty.targets.met_rate == 66.7
    assert len(result.units[year.world.group.pk].led.tasks) == 8


def test_a_unit_s_coordination_and_its_contributions(year: Year) -> None:
    office = evidence(year).units[year.world.office.pk]
    assert set(office.led.tasks) == {year.world.unit_task.pk, year.tasks["H"].pk}
    assert office.coordinated.tasks == (year.world.task.pk,)
    assert office.coordinated.overdue == (year.world.task.pk,)
    # The office's own task asks for 9 reports; its contribution to the coordinated one is
    # counted as sent (on time) but none was owed.
    assert (office.checkins.expected, office.checkins.owed) == (9, 10)
    assert office.checkins.sent == (year.checkins["office-coord"].pk,)
    assert office.checkins.on_time_rate == 10.0
    assert [f.name for f in office.checkins.files] == ["so-lieu-tuyen-sinh.xlsx"]
    assert [t.code for t in office.targets.lines] == ["CT01"] and office.targets.met == ()


def test_a_unit_s_tasks_count_as_its_dashboard_counts_them(year: Year) -> None:
    world = year.world
    for unit in (world.faculty, world.office, world.group):
        figures = evidence(year).units[unit.pk].led
        board = headline(scope(world.plan, unit), ON)
        assert (len(figures.due), len(figures.due_done), len(figures.on_time)) == (
            board["due"], board["due_done"], board["due_on_time"],
        ), unit.name  # fmt: skip


def test_the_school_s_reporting_period_is_used(year: Year) -> None:
    ReminderPolicy.objects.create(school=year.world.school, checkin_period_days=60)
    staff = evidence(year).people[year.world.people["staff"].pk]
    assert {line.code: line.expected for line in staff.tasks.lines}["1"] == 4  # 273 days / 60


def test_a_past_day_is_read_as_it_stood(year: Year) -> None:
    """D (due 1/4) was extended to 31/7 on 1/5: on 15/4 it was overdue, and its reports after
    15/4 were not sent yet."""
    d = year.tasks["D"]
    Task.objects.filter(pk=d.pk).update(
        due_date=dt.date(2024, 7, 31), original_due_date=dt.date(2024, 4, 1)
    )
    Extension.objects.create(
        task=d, previous_due=dt.date(2024, 4, 1), requested_due=dt.date(2024, 7, 31),
        reason="Chờ số liệu", requested_by=year.world.users["staff"],
        status=ExtensionStatus.APPROVED, decided_on=dt.date(2024, 5, 1),
    )  # fmt: skip
    day = dt.date(2024, 4, 15)
    staff_pk = year.world.people["staff"].pk
    then = {line.code: line for line in evidence(year, day, past=True).people[staff_pk].tasks.lines}
    assert then["D"].outcome == Outcome.OVERDUE and then["D"].due == dt.date(2024, 4, 1)
    assert then["D"].expected == 3 and len(then["D"].lead_reports.sent) == 2  # 20/1, 1/3
    now = {line.code: line for line in evidence(year, day).people[staff_pk].tasks.lines}
    assert now["D"].outcome == Outcome.OPEN and now["D"].due == dt.date(2024, 7, 31)
    # Due against its original deadline either way.
    assert then["D"].is_due and now["D"].is_due


def test_nothing_asked_gives_nothing(world: World) -> None:
    result = year_evidence(world.plan, on=ON)
    assert result.people == {} and result.units == {}
    outsider = world.people["outsider"]
    result = year_evidence(world.plan, people=[outsider], on=ON)
    assert result.people[outsider.pk].tasks.tasks == ()
    assert result.people[outsider.pk].tasks.on_time_rate is None


def test_outcomes_and_expected_reports() -> None:
    day = dt.date(2024, 3, 1)
    assert outcome_of(status=TaskStatus.DONE_LATE, baseline_due=day, completed_on=day) == (
        Outcome.ON_TIME
    )
    assert outcome_of(status=TaskStatus.DONE_ON_TIME, baseline_due=None, completed_on=day) == (
        Outcome.ON_TIME
    )
    assert outcome_of(status=TaskStatus.NOT_STARTED, baseline_due=day, completed_on=None) == (
        Outcome.OPEN
    )
    start = dt.date(2024, 1, 1)
    common = {"start": start, "due": None, "completed_on": None, "period_days": 30}
    assert expected_checkins(run_state="active", on=start, **common) == 0  # type: ignore[arg-type]
    assert expected_checkins(run_state="active", on=dt.date(2024, 1, 31), **common) == 1  # type: ignore[arg-type]
    assert expected_checkins(run_state="paused", on=dt.date(2024, 6, 1), **common) == 0  # type: ignore[arg-type]
    # A task not started by the day asks for nothing.
    assert expected_checkins(
        run_state="active", start=dt.date(2024, 9, 1), due=None, completed_on=None,
        on=dt.date(2024, 6, 1), period_days=30,
    ) == 0  # fmt: skip


@pytest.mark.parametrize("past", [False, True])
def test_queries_do_not_grow_with_people_or_tasks(year: Year, past: bool) -> None:
    world = year.world

    def run() -> int:
        people = list(world.plan.school.people.all())
        units = [world.faculty, world.office, world.group]
        with CaptureQueriesContext(connection) as queries:
            result = year_evidence(world.plan, people=people, units=units, on=ON, past=past)
        assert len(result.people) == len(people)
        return len(queries)

    more_people(world, 2, world.group)
    few = run()
    more_people(world, 20, world.faculty)
    many = run()
    assert few == many, (few, many)
    assert few <= 16, few  # see emulation.evidence
