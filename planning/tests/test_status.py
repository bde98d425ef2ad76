"""Task status and target RAG: pure functions, plain tests, and the SQL twin checked against them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planning.status import (
    Rag,
    RunState,
    TaskStatus,
    compute_status,
    done_on_time_against,
    target_rag,
    weighted_progress,
)

DAY = dt.date(2024, 3, 15)


def status(**kwargs: object) -> tuple[TaskStatus, int]:
    defaults: dict[str, object] = {
        "run_state": RunState.ACTIVE,
        "due_date": dt.date(2024, 5, 31),
        "completed_on": None,
        "progress": 40,
        "start_date": dt.date(2023, 9, 1),
        "on": DAY,
    }
    info = compute_status(**{**defaults, **kwargs})  # type: ignore[arg-type]
    return info.status, info.days_late


def test_a_draft_plans_task_is_never_overdue() -> None:
    assert status(due_date=dt.date(2024, 1, 31))[0] == TaskStatus.OVERDUE
    assert status(due_date=dt.date(2024, 1, 31), issued=False) == (TaskStatus.IN_PROGRESS, 0)
    assert status(due_date=dt.date(2024, 1, 31), progress=0, issued=False) == (
        TaskStatus.NOT_STARTED,
        0,
    )


def test_open_within_deadline_is_in_progress() -> None:
    assert status() == (TaskStatus.IN_PROGRESS, 0)


def test_nothing_done_yet_is_not_started() -> None:
    assert status(progress=0) == (TaskStatus.NOT_STARTED, 0)


def test_start_date_in_the_future_is_not_started() -> None:
    assert status(start_date=dt.date(2024, 4, 1)) == (TaskStatus.NOT_STARTED, 0)


def test_open_past_deadline_is_overdue_with_days() -> None:
    assert status(due_date=dt.date(2024, 3, 10)) == (TaskStatus.OVERDUE, 5)


def test_due_today_is_not_yet_overdue() -> None:
    assert status(due_date=DAY)[0] == TaskStatus.IN_PROGRESS


def test_overdue_even_if_never_started() -> None:
    assert status(due_date=dt.date(2024, 3, 1), progress=0) == (TaskStatus.OVERDUE, 14)


def test_done_by_the_deadline_is_on_time() -> None:
    assert status(completed_on=dt.date(2024, 5, 31), on=dt.date(2024, 6, 10)) == (
        TaskStatus.DONE_ON_TIME,
        0,
    )


def test_done_after_the_deadline_is_late_with_days() -> None:
    assert status(completed_on=dt.date(2024, 6, 3), on=dt.date(2024, 6, 10)) == (
        TaskStatus.DONE_LATE,
        3,
    )


def test_done_after_the_day_read_was_still_open_then() -> None:
    assert status(completed_on=DAY + dt.timedelta(days=1))[0] == TaskStatus.IN_PROGRESS


def test_no_deadline_done_is_on_time() -> None:
    assert status(due_date=None, completed_on=DAY)[0] == TaskStatus.DONE_ON_TIME


def test_paused_and_cancelled_win_over_dates() -> None:
    assert status(run_state=RunState.PAUSED, due_date=dt.date(2024, 1, 1))[0] == TaskStatus.PAUSED
    assert status(run_state=RunState.CANCELLED, completed_on=DAY)[0] == TaskStatus.CANCELLED


def test_punctuality_counts_the_original_deadline() -> None:
    assert done_on_time_against(dt.date(2024, 5, 31), dt.date(2024, 5, 31))
    assert not done_on_time_against(dt.date(2024, 5, 31), dt.date(2024, 6, 30))
    assert not done_on_time_against(dt.date(2024, 5, 31), None)
    assert done_on_time_against(None, dt.date(2024, 6, 30))


def test_weighted_progress_uses_weights() -> None:
    assert weighted_progress([(Decimal(3), 100), (Decimal(1), 0)]) == 75
    assert weighted_progress([(Decimal(1), 50), (Decimal(1), 25)]) == 38  # 37.5 rounds half up
    assert weighted_progress([]) == 0
    assert weighted_progress([(Decimal(0), 100), (Decimal(0), 0)]) == 50


D = Decimal


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (D(95), Rag.GREEN),
        (D(90), Rag.GREEN),
        (D(85), Rag.AMBER),
        (D(80), Rag.AMBER),
        (D(79), Rag.RED),
    ],
)
def test_higher_is_better(actual: Decimal, expected: Rag) -> None:
    assert target_rag("higher", actual, target_value=D(90), red_threshold=D(80)) == expected


def test_higher_with_its_own_amber_threshold() -> None:
    kwargs = {"target_value": D(90), "amber_threshold": D(85), "red_threshold": D(75)}
    assert target_rag("higher", D(86), **kwargs) == Rag.GREEN  # type: ignore[arg-type]
    assert target_rag("higher", D(80), **kwargs) == Rag.AMBER  # type: ignore[arg-type]
    assert target_rag("higher", D(70), **kwargs) == Rag.RED  # type: ignore[arg-type]


def test_higher_without_red_threshold_has_no_amber_band() -> None:
    assert target_rag("higher", D(89), target_value=D(90)) == Rag.RED


@pytest.mark.parametrize(
    ("actual", "expected"),
    [(D(3), Rag.GREEN), (D(5), Rag.GREEN), (D(7), Rag.AMBER), (D(8), Rag.AMBER), (D(9), Rag.RED)],
)
def test_lower_is_better_mirrors(actual: Decimal, expected: Rag) -> None:
    # e.g. drop-out rate: target 5%, alarm above 8%.
    assert target_rag("lower", actual, target_value=D(5), red_threshold=D(8)) == expected


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (D(20), Rag.GREEN),
        (D(25), Rag.GREEN),
        (D(27), Rag.AMBER),
        (D(17), Rag.AMBER),
        (D(30), Rag.RED),
        (D(10), Rag.RED),
    ],
)
def test_range_within_bounds_or_near(actual: Decimal, expected: Rag) -> None:
    kwargs = {"range_min": D(18), "range_max": D(25), "red_threshold": D(2)}
    assert target_rag("range", actual, **kwargs) == expected  # type: ignore[arg-type]


def test_range_without_tolerance_is_red_outside() -> None:
    assert target_rag("range", D(26), range_min=D(18), range_max=D(25)) == Rag.RED


def test_boolean() -> None:
    assert target_rag("boolean", D(1)) == Rag.GREEN
    assert target_rag("boolean", D(0)) == Rag.RED


def test_unmeasured_has_no_colour() -> None:
    assert target_rag("higher", None, target_value=D(90)) is None


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(list(RunState)),
            st.one_of(st.none(), st.integers(min_value=-20, max_value=20)),
            st.one_of(st.none(), st.integers(min_value=-20, max_value=20)),
            st.sampled_from([0, 30, 100]),
            st.one_of(st.none(), st.integers(min_value=-20, max_value=20)),
        ),
        min_size=1,
        max_size=12,
    ),
    st.booleans(),
)
@pytest.mark.django_db
def test_sql_status_agrees_with_the_pure_function(
    world: object,
    rows: list[tuple],  # type: ignore[type-arg]
    issued: bool,
) -> None:
    from planning.models import Plan, PlanStatus, Task

    plan = world.plan  # type: ignore[attr-defined]
    # Issued or still a draft (whose deadlines are not in force: nothing is overdue).
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.ISSUED if issued else PlanStatus.DRAFT)
    Task.objects.filter(plan=plan, title__startswith="Sinh ").delete()
    expected: dict[int, TaskStatus] = {}
    for index, (state, due, done, progress, start) in enumerate(rows):
        task = Task.objects.create(
            plan=plan,
            title=f"Sinh {index}",
            run_state=state,
            due_date=DAY + dt.timedelta(days=due) if due is not None else None,
            completed_on=DAY + dt.timedelta(days=done) if done is not None else None,
            progress=progress,
            start_date=DAY + dt.timedelta(days=start) if start is not None else None,
        )
        expected[task.pk] = compute_status(
            run_state=task.run_state,
            due_date=task.due_date,
            completed_on=task.completed_on,
            progress=task.progress,
            start_date=task.start_date,
            on=DAY,
            issued=issued,
        ).status
    generated = Task.objects.filter(plan=plan, title__startswith="Sinh ")
    for value in TaskStatus:
        in_sql = set(generated.with_status(value, on=DAY).values_list("pk", flat=True))
        assert in_sql == {pk for pk, s in expected.items() if s == value}, value
    counts = generated.status_counts(on=DAY)
    assert sum(counts.values()) == len(expected)
