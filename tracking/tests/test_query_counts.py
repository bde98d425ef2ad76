"""Tracking pages cost the same number of queries with a few tasks or many."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World
from planning.models import Target, Task, TaskCoordination
from tracking.models import CheckIn, Extension, TargetReading

DAY = dt.date(2024, 3, 15)


def grow(world: World, n: int) -> None:
    """n more tasks in every status, with check-ins, extensions, targets and readings."""
    user = world.users["leadership"]
    for i in range(n):
        for state, due, done, progress in [
            ("active", DAY - dt.timedelta(days=10 + i), None, 40),
            ("active", DAY + dt.timedelta(days=10), None, 0),
            ("active", DAY + dt.timedelta(days=10), None, 50),
            ("active", DAY - dt.timedelta(days=5), DAY - dt.timedelta(days=7), 100),
            ("active", DAY - dt.timedelta(days=5), DAY - dt.timedelta(days=2), 100),
            ("paused", DAY, None, 20),
        ]:
            task = Task.objects.create(
                plan=world.plan, title=f"Việc {i} {state}", code=f"{100 + i}", area=world.area,
                lead_unit=world.office if i % 2 else world.faculty, person_in_charge=world.people["staff"],
                run_state=state, due_date=due, completed_on=done, progress=progress,
                target=world.target,
            )  # fmt: skip
            TaskCoordination.objects.create(task=task, unit=world.group, duty="Phối hợp")
            CheckIn.objects.create(
                task=task, unit=task.lead_unit, role="lead", reported_on=DAY, progress=progress,
                done="Đã làm", confidence="low", on_time=bool(i % 2),
            )  # fmt: skip
        Extension.objects.create(
            task=task, previous_due=DAY, requested_due=DAY + dt.timedelta(days=30),
            reason="Lý do", requested_by=user,
        )  # fmt: skip
        target = Target.objects.create(
            plan=world.plan, area=world.area, name=f"Chỉ tiêu {i}", unit_of_measure="%",
            target_value=90, red_threshold=80, actual_value=70 + i, responsible_unit=world.office,
        )  # fmt: skip
        TargetReading.objects.create(target=target, value=70 + i, measured_on=DAY)


def count(world: World, url: str, role: str = "leadership") -> int:
    client = world.client(role)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


PAGES = {
    "dashboard": lambda w: reverse("tracking:dashboard", args=[w.plan.pk]) + "?on=15/03/2024",
    "unit dashboard": lambda w: (
        reverse("tracking:unit_dashboard", args=[w.plan.pk, w.office.pk]) + "?on=15/03/2024"
    ),
    "task list": lambda w: reverse("tracking:task_list", args=[w.plan.pk]) + "?on=15/03/2024",
    "task list overdue": lambda w: (
        reverse("tracking:task_list", args=[w.plan.pk])
        + f"?cell=open_overdue&unit={w.faculty.pk}&area={w.area.pk}"
    ),
    "plan page": lambda w: reverse("planning:plan_detail", args=[w.plan.pk]),
    "unit plan": lambda w: reverse("planning:unit_plan", args=[w.plan.pk, w.office.pk]),
    "task page": lambda w: reverse("planning:task_detail", args=[w.task.pk]),
    "target page": lambda w: reverse("planning:target_detail", args=[w.target.pk]),
    "notifications": lambda w: reverse("notifications:list"),
}


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_rows(world: World, page: str) -> None:
    grow(world, 2)
    few = count(world, PAGES[page](world))
    grow(world, 20)
    many = count(world, PAGES[page](world))
    assert many == few, f"{page}: {few} queries with few rows, {many} with many"
    assert few <= 35, f"{page}: {few} queries"


def test_api_task_list_query_count(world: World) -> None:
    from api.services import create_token

    _token, secret = create_token(world.users["leadership"], name="test")
    url = f"/api/plans/{world.plan.pk}/tasks?limit=100"

    def run() -> int:
        world.client("anonymous").get(url, HTTP_AUTHORIZATION=f"Bearer {secret}")
        with CaptureQueriesContext(connection) as queries:
            response = world.client("anonymous").get(url, HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 200
        return len(queries)

    grow(world, 2)
    few = run()
    grow(world, 10)
    assert run() == few


@pytest.mark.parametrize("page", ["dashboard", "unit dashboard"])
def test_dashboard_without_cache_is_constant_too(world: World, page: str) -> None:
    from django.core.cache import cache

    def cold() -> int:
        client = world.client("leadership")
        url = PAGES[page](world)
        client.get(url)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    grow(world, 2)
    few = cold()
    grow(world, 20)
    assert cold() == few
    # About 30 to compute (a past day reads its targets' readings too), and 11 for the cache:
    # the figures' lock, write and release, and the targets' part read and written
    # (tracking/target_figures.py).
    assert few <= 42
