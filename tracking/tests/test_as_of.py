"""The dashboard "as of" a past day (?on=dd/mm/yyyy) reads that day as it stood then: a decision
made after it (an extension approved, a task paused, a reading recorded later) does not rewrite
it, while today's view follows the decision."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import World, commit
from planning.models import Plan, PlanStatus, Task
from tracking import services, task_figures
from tracking.models import TargetReading
from tracking.tests.test_query_counts import grow


@pytest.fixture(autouse=True)
def issued(world: World) -> None:
    """Deadlines count once the plan is issued (a draft's tasks are never overdue)."""
    Plan.objects.filter(pk=world.plan.pk).update(status=PlanStatus.ISSUED)
    world.plan.refresh_from_db()


ON = dt.date(2024, 6, 10)  # the world's task (due 31/05/2024) is 10 days overdue that day
LATER = dt.date(2024, 6, 20)


def dashboard(world: World, day: dt.date | None = ON) -> str:
    """The dashboard once what the test changed has committed (a past day of the year is kept
    in the cache under the plan's figures version, which moves on commit)."""
    commit()
    url = reverse("tracking:dashboard", args=[world.plan.pk])
    if day is not None:
        url += f"?on={day:%d/%m/%Y}"
    response = world.client("leadership").get(url)
    assert response.status_code == 200
    return response.content.decode()


def overdue_count(body: str) -> int:
    match = re.search(r'id="overdue-count">(\d+)<', body)
    assert match is not None
    return int(match.group(1))


def attention(body: str) -> str:
    start = body.index('id="can-chu-y"')
    return body[start : body.index("</section>", start)]


def recorded_in_january(task: Task) -> None:
    """The task's history as if it had been entered at the start of the year (tests make every
    row today)."""
    moment = timezone.make_aware(dt.datetime(2024, 1, 15, 9, 0))
    Task.history.filter(id=task.pk).update(history_date=moment)  # type: ignore[attr-defined]


def test_an_extension_approved_later_does_not_rewrite_a_past_day(world: World) -> None:
    before = dashboard(world)
    assert overdue_count(before) == 1 and world.task.title[:40] in attention(before)
    leader, staff = world.users["leadership"], world.users["staff"]
    extension = services.request_extension(
        world.task, new_due=dt.date(2024, 7, 31), reason="Chờ số liệu", by=staff, on=LATER
    )
    services.decide_extension(extension, accept=True, by=leader, on=LATER)
    after = dashboard(world)
    assert overdue_count(after) == 1
    assert world.task.title[:40] in attention(after)
    assert "10 ngày" in attention(after)
    # Read on a day after the decision, the task is no longer overdue.
    assert overdue_count(dashboard(world, dt.date(2024, 6, 25))) == 0


def test_a_request_pending_on_the_day_is_shown_pending_even_if_decided_later(
    world: World,
) -> None:
    staff, leader = world.users["staff"], world.users["leadership"]
    extension = services.request_extension(
        world.task, new_due=dt.date(2024, 7, 31), reason="Chờ số liệu", by=staff, on=ON
    )
    link = reverse("tracking:extension_decide", args=[extension.pk])
    # Requested today (the test's clock): a past day knows nothing of it.
    assert link not in attention(dashboard(world))
    # Requested on 05/06/2024 and refused on 20/06: pending on 10/06, not today.
    requested = timezone.make_aware(dt.datetime(2024, 6, 5, 10, 0))
    type(extension).objects.filter(pk=extension.pk).update(requested_at=requested)
    services.decide_extension(extension, accept=False, by=leader, on=LATER)
    assert link in attention(dashboard(world))
    assert link not in attention(dashboard(world, None))


def test_a_task_paused_later_was_running_on_the_day(world: World) -> None:
    recorded_in_january(world.task)
    Task.objects.filter(pk=world.task.pk).update(run_state="paused")
    task = Task.objects.get(pk=world.task.pk)
    task.save()  # a history record of today, as the tracking form makes
    assert overdue_count(dashboard(world)) == 1
    assert overdue_count(dashboard(world, None)) == 0


def test_a_deadline_edited_later_does_not_rewrite_the_day(world: World) -> None:
    recorded_in_january(world.task)
    task = Task.objects.get(pk=world.task.pk)
    task.due_date = dt.date(2024, 12, 31)
    task.save()
    assert overdue_count(dashboard(world)) == 1


def test_a_reading_recorded_after_the_day_is_not_counted(world: World) -> None:
    target = world.target
    TargetReading.objects.create(target=target, value=Decimal("95"), measured_on=LATER)
    type(target).objects.filter(pk=target.pk).update(actual_value=Decimal("95"), actual_on=LATER)
    body = dashboard(world)
    row = body[body.index(f"/targets/{target.pk}/") :]
    assert 'data-rag="none"' in body[: body.index(f"/targets/{target.pk}/")].rsplit("<tr", 1)[1]
    assert "95" not in row[: row.index("</tr>")]
    later = dashboard(world, dt.date(2024, 6, 25))
    assert 'data-rag="green"' in later


def test_the_task_list_behind_a_past_days_figure_shows_the_same_tasks(world: World) -> None:
    leader, staff = world.users["leadership"], world.users["staff"]
    extension = services.request_extension(
        world.task, new_due=dt.date(2024, 7, 31), reason="Chờ số liệu", by=staff, on=LATER
    )
    services.decide_extension(extension, accept=True, by=leader, on=LATER)
    body = dashboard(world)
    link = f"?cell=open_overdue&amp;on={ON:%d/%m/%Y}"
    assert link in body
    url = reverse("tracking:task_list", args=[world.plan.pk]) + link.replace("&amp;", "&")
    listed = world.client("leadership").get(url).content.decode()
    assert world.task.title in listed
    assert 'data-status="overdue"' in listed and "31/05/2024" in listed


def test_a_past_days_counts_summed_in_python_match_their_sql_twin(world: World) -> None:
    """task_rows for a past day sums each task's columns of that day in Python (the database
    would evaluate the history subqueries once per count); the SQL count is its twin."""
    grow(world, 3)
    leader, staff = world.users["leadership"], world.users["staff"]
    extension = services.request_extension(
        world.task, new_due=dt.date(2024, 7, 31), reason="Chờ số liệu", by=staff, on=LATER
    )
    services.decide_extension(extension, accept=True, by=leader, on=LATER)
    paused = Task.objects.filter(plan=world.plan, run_state="active").exclude(pk=world.task.pk)
    recorded_in_january(paused.first())
    Task.objects.filter(pk=paused.first().pk).update(run_state="paused")
    tasks = task_figures.scope(world.plan)

    def key(row: dict[str, object]) -> tuple[object, ...]:
        return (row["area_id"] or 0, row["lead_unit_id"] or 0)

    seen_overdue = 0
    for day in (dt.date(2023, 10, 1), ON, LATER, dt.date(2024, 8, 31)):
        in_python = sorted(task_figures.rows_as_of(tasks, day), key=key)
        in_sql = sorted(task_figures.rows_in_sql(tasks, day, past=True), key=key)
        assert [dict(r) for r in in_python] == [
            {k: int(v or 0) if k not in ("area_id", "lead_unit_id") else v for k, v in r.items()}
            for r in in_sql
        ], day
        assert sum(task_figures.counts_of(in_python).values()) == tasks.count()
        # The most overdue tasks of that day, from the same read, as the database orders them.
        in_sql_overdue = list(
            task_figures.as_of(tasks, day)
            .filter(task_figures.status_then("overdue", day))
            .order_by(task_figures.THEN_DUE, "pk")
            .values_list("pk", task_figures.THEN_DUE)[:10]
        )
        shown = task_figures.PastDay(tasks, day).most_overdue(10)
        assert [(t.pk, getattr(t, task_figures.THEN_DUE)) for t in shown] == in_sql_overdue, day
        assert all(
            t.days_overdue == (day - d).days
            for t, (_, d) in zip(shown, in_sql_overdue, strict=True)
        )
        seen_overdue += len(shown)
    assert seen_overdue, "some day has overdue tasks to compare"
