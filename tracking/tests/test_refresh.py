"""After a committed change the worker recomputes the plan's figures, so that the next request
finds them ready; a request that comes first computes them itself (never stale figures)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World
from core.clock import today
from tracking import dashboard as figures
from tracking import refresh, services
from tracking.models import FiguresRefresh, StoredFigures
from tracking.tests.helpers import checkin
from tracking.tests.test_dashboard import cell


@pytest.fixture
def settled(world: World) -> World:
    """The world as if its setup had committed and the worker had run: the callbacks its setup
    queued (the test's transaction never commits) run now, so a test's change is the only one
    waiting for a commit."""
    commit()
    return world


def commit() -> int:
    """Run the on-commit callbacks queued so far and forget them, as a commit would."""
    queued = [entry[1] for entry in connection.run_on_commit]
    connection.run_on_commit.clear()
    for callback in queued:
        callback()
    return len(queued)


def dashboard_url(world: World) -> str:
    # No ?on=: the day the worker warms (a finished year is read on its last day).
    return reverse("tracking:dashboard", args=[world.plan.pk])


def warm_count(world: World, url: str, role: str = "leadership") -> int:
    client = world.client(role)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def test_a_change_then_the_job_leaves_the_dashboard_warm(
    settled: World, django_capture_on_commit_callbacks: Any, django_assert_num_queries: Any
) -> None:
    world = settled
    url = dashboard_url(world)
    client = world.client("leadership")
    warm = warm_count(world, url)
    assert cell(client.get(url).content.decode(), "done_on_time") == 0

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        checkin(world, progress=100, on=dt.date(2024, 5, 20))  # the task is due 31/05/2024
    assert callbacks, "the change asks for a refresh once committed"
    assert not FiguresRefresh.objects.get(plan=world.plan).pending

    with CaptureQueriesContext(connection) as queries, django_assert_num_queries(warm):
        body = client.get(url).content.decode()
    assert cell(body, "done_on_time") == 1
    stored_reads = [q["sql"] for q in queries if "tracking_storedfigures" in q["sql"]]
    assert len(stored_reads) == 1, "stamp and stored figures are read in one query"
    assert not any(q["sql"].lstrip().upper().startswith("INSERT") for q in queries)


def test_a_request_that_beats_the_worker_computes_fresh_figures(
    world: World, django_assert_max_num_queries: Any
) -> None:
    url = dashboard_url(world)
    client = world.client("leadership")
    warm = warm_count(world, url)
    # No on-commit callbacks run inside the test's transaction: the worker has not run.
    checkin(world, progress=100, on=dt.date(2024, 5, 20))
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).content.decode()
    assert cell(body, "done_on_time") == 1
    assert len(queries) > warm + 5  # the figures were computed inline …
    with django_assert_max_num_queries(warm):
        client.get(url)  # … and stored for the next request


def test_figures_stored_under_an_older_stamp_are_not_used(world: World) -> None:
    url = dashboard_url(world)
    client = world.client("leadership")
    client.get(url)
    row = StoredFigures.objects.get(plan=world.plan, key__contains="dashboard:0:")
    # The worker computed after a change it had not seen in its stamp: the request recomputes.
    checkin(world, progress=100, on=dt.date(2024, 5, 20))
    StoredFigures.objects.filter(pk=row.pk).update(stamp=row.stamp)
    assert cell(client.get(url).content.decode(), "done_on_time") == 1


def test_the_job_warms_viewed_unit_dashboards_and_the_plan_tree(
    settled: World, django_capture_on_commit_callbacks: Any
) -> None:
    world = settled
    unit_url = reverse("tracking:unit_dashboard", args=[world.plan.pk, world.office.pk])
    head = world.client("unit_head")
    head.get(unit_url)
    with django_capture_on_commit_callbacks(execute=True):
        checkin(world, progress=60)
    stamp = figures.stamp_text(figures.change_stamp(world.plan))
    keys = dict(StoredFigures.objects.filter(plan=world.plan).values_list("key", "stamp"))
    day = figures.default_day(world.plan, today()).isoformat()
    expected = {
        figures.stored_key(f"dashboard:0:{day}"),
        figures.stored_key(f"dashboard:{world.office.pk}:{day}"),
        figures.stored_key(f"plan-tree:{today().isoformat()}"),
    }
    assert expected <= set(keys)
    assert all(keys[key] == stamp for key in expected)
    # The plan page uses the tree the worker rendered.
    leader = world.client("leadership")
    with CaptureQueriesContext(connection) as queries:
        response = leader.get(reverse("planning:plan_detail", args=[world.plan.pk]))
    assert response.status_code == 200 and world.task.title in response.content.decode()
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("INSERT")]


def test_the_job_warms_viewed_unit_plan_pages(
    settled: World, django_capture_on_commit_callbacks: Any
) -> None:
    world = settled
    url = reverse("planning:unit_plan", args=[world.plan.pk, world.office.pk])
    head = world.client("unit_head")
    head.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        world.task.title = "Tên mới của nhiệm vụ do phòng chủ trì"
        world.task.save()
    key = figures.stored_key(f"unit-plan:{world.office.pk}:{today().isoformat()}")
    stamp = figures.stamp_text(figures.change_stamp(world.plan))
    assert StoredFigures.objects.get(plan=world.plan, key=key).stamp == stamp
    with CaptureQueriesContext(connection) as queries:
        body = head.get(url).content.decode()
    assert "Tên mới của nhiệm vụ do phòng chủ trì" in body
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("INSERT")]


def test_a_burst_of_changes_enqueues_one_job_per_plan(settled: World) -> None:
    world = settled
    with mock.patch("tracking.jobs.refresh_figures_job") as job:
        checkin(world, progress=20)
        checkin(world, progress=30)
        services.request_extension(
            world.task, new_due=dt.date(2024, 6, 20), reason="Chờ số liệu",
            by=world.users["staff"], on=dt.date(2024, 5, 25),
        )  # fmt: skip
        assert commit() == 2  # by task (check-ins, extension) and by plan (the task's history)
        assert job.enqueue.call_args_list == [mock.call(world.plan.pk)]
        # Still pending (the worker has not run): later changes add nothing.
        checkin(world, progress=40)
        commit()
        assert job.enqueue.call_count == 1
        # Once the job has started, the next change enqueues again.
        refresh.refresh(world.plan.pk, today())
        checkin(world, progress=50)
        commit()
        assert job.enqueue.call_count == 2


def test_a_job_that_died_does_not_block_the_plan(world: World) -> None:
    with mock.patch("tracking.jobs.refresh_figures_job") as job:
        assert refresh.request_refresh(world.plan.pk)
        assert not refresh.request_refresh(world.plan.pk)
        FiguresRefresh.objects.filter(plan=world.plan).update(
            requested_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
        )
        assert refresh.request_refresh(world.plan.pk)
    assert job.enqueue.call_count == 2


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_enqueues_nothing(world: World) -> None:
    with mock.patch("tracking.jobs.refresh_figures_job") as job:
        with pytest.raises(RuntimeError), transaction.atomic():
            checkin(world, progress=70)
            raise RuntimeError
        assert job.enqueue.call_count == 0
        checkin(world, progress=70)  # commits: one job
        assert job.enqueue.call_count == 1


def test_a_dashboard_asked_for_another_day_is_not_stored(world: World) -> None:
    """Any day can be asked (?on=): storing each would let a reader fill the store, one row per
    day asked. Only the default day's figures are kept."""
    client = world.client("leadership")
    unit_url = reverse("tracking:unit_dashboard", args=[world.plan.pk, world.office.pk])
    for day in ("01/10/2023", "02/10/2023", "15/01/2024"):
        assert client.get(dashboard_url(world), {"on": day}).status_code == 200
        assert client.get(unit_url, {"on": day}).status_code == 200
    assert not StoredFigures.objects.filter(plan=world.plan, key__contains="dashboard:").exists()
    # The figures are still those of the day asked, computed for the request.
    checkin(world, progress=100, on=dt.date(2024, 1, 10))
    assert (
        cell(
            client.get(dashboard_url(world), {"on": "15/01/2024"}).content.decode(), "done_on_time"
        )
        == 1
    )
    assert (
        cell(
            client.get(dashboard_url(world), {"on": "02/10/2023"}).content.decode(), "done_on_time"
        )
        == 0
    )
    # The default day's are stored as before.
    client.get(dashboard_url(world))
    day = figures.default_day(world.plan, today()).isoformat()
    assert StoredFigures.objects.filter(
        plan=world.plan, key=figures.stored_key(f"dashboard:0:{day}")
    ).exists()
