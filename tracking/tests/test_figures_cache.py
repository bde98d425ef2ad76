"""The figures of a plan's pages in Django's cache, under the plan's figures version: a committed
change makes the next view compute fresh figures (and only what it asks for), each cold page is
computed by one request at a time, and both paths cost a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from conftest import World, commit
from core.clock import today
from planning import figures_cache
from planning.models import Plan
from planning.tree import PIECES
from tracking import dashboard as figures
from tracking import services
from tracking.tests.helpers import checkin
from tracking.tests.test_dashboard import cell
from tracking.tests.test_query_counts import grow

CACHE_TABLE = "trongtam_cache"


def dashboard_url(world: World) -> str:
    # No ?on=: the default day, the one that is cached (a finished year is read on its last day).
    return reverse("tracking:dashboard", args=[world.plan.pk])


def version(world: World) -> int:
    return Plan.objects.get(pk=world.plan.pk).figures_version


def cache_queries(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries if CACHE_TABLE in q["sql"]]


def writes(sql: list[str]) -> list[str]:
    return [q for q in sql if q.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def cold_and_warm(world: World, url: str) -> tuple[CaptureQueriesContext, CaptureQueriesContext]:
    """The page's queries with an empty cache, then right after (the session already warm)."""
    client = world.client("leadership")
    assert client.get(url).status_code == 200
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    return cold, warm


PAGES = {
    "dashboard": dashboard_url,
    "unit dashboard": lambda w: reverse("tracking:unit_dashboard", args=[w.plan.pk, w.office.pk]),
    "plan page": lambda w: reverse("planning:plan_detail", args=[w.plan.pk]),
    "unit plan": lambda w: reverse("planning:unit_plan", args=[w.plan.pk, w.office.pk]),
}
# What each page reads and writes in the cache. The dashboards: their figures under the plan's
# figures version, computed once (read, lock taken, kept, lock released), and their targets,
# kept while only tasks change (read; kept with the version) and under a digest of their content
# (read, kept). The plan page: its tree's store (read; read whole under a lock, kept, lock
# released) and its targets like the dashboards'. A unit's page: its parts under the version
# (read, lock, kept, lock released), inside them the stores of the tasks it leads and of those it
# owns. A list's store is its index and its PIECES pieces, read at once, written one by one. A
# write of the cache is one query (core/cache.py), a delete one. (writes, queries) cold; reads
# warm.
COLD = {
    "dashboard": (5, 3 + 4 + 1),
    "unit dashboard": (5, 3 + 4 + 1),
    "plan page": (5 + PIECES, 3 + 4 + PIECES + 1),
    "unit plan": (9 + 2 * PIECES, 3 + 6 + 2 * PIECES + 3),
}
WARM = {"dashboard": 1, "unit dashboard": 1, "plan page": 2, "unit plan": 1}


@pytest.mark.parametrize("page", PAGES)
def test_cold_and_warm_paths_cost_a_fixed_number_of_queries(world: World, page: str) -> None:
    url = PAGES[page](world)
    grow(world, 2)
    few = cold_and_warm(world, url)
    grow(world, 20)
    many = cold_and_warm(world, url)
    assert [len(q) for q in many] == [len(q) for q in few], page
    cold, warm = few
    # Warm: each part is one cache read, and nothing is written.
    assert len(cache_queries(warm)) == WARM[page] and not writes(cache_queries(warm)), page
    # Cold: each part computed once, by this request, and kept; whatever the number of rows.
    cold_cache = cache_queries(cold)
    kept, queries = COLD[page]
    assert len(writes(cold_cache)) == kept, page
    assert len(cold_cache) == queries, page
    assert len(cold) > len(warm) + 3, page


def test_a_committed_change_shows_on_the_next_view(settled: World) -> None:
    world = settled
    url = dashboard_url(world)
    client = world.client("leadership")
    assert cell(client.get(url).content.decode(), "done_on_time") == 0
    before = version(world)
    checkin(world, progress=100, on=dt.date(2024, 5, 20))  # the task is due 31/05/2024
    assert commit() == 1, "one bump per plan and transaction"
    assert version(world) == before + 1
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).content.decode()
    assert cell(body, "done_on_time") == 1
    assert len(writes(cache_queries(queries))) == 3, "recomputed once, on this view"


def test_the_plan_page_and_a_units_page_follow_a_change(settled: World) -> None:
    world = settled
    plan_url = reverse("planning:plan_detail", args=[world.plan.pk])
    unit_url = reverse("planning:unit_plan", args=[world.plan.pk, world.office.pk])
    head = world.client("unit_head")
    head.get(plan_url)
    head.get(unit_url)
    world.task.title = "Tên mới của nhiệm vụ do phòng chủ trì"
    world.task.save()
    commit()
    assert "Tên mới của nhiệm vụ do phòng chủ trì" in head.get(plan_url).content.decode()
    assert "Tên mới của nhiệm vụ do phòng chủ trì" in head.get(unit_url).content.decode()


def test_a_burst_of_changes_bumps_the_plan_once(settled: World) -> None:
    world = settled
    before = version(world)
    checkin(world, progress=20)
    checkin(world, progress=30)
    services.request_extension(
        world.task, new_due=dt.date(2024, 6, 20), reason="Chờ số liệu",
        by=world.users["staff"], on=dt.date(2024, 5, 25),
    )  # fmt: skip
    assert commit() == 1
    assert version(world) == before + 1


def test_a_unit_renamed_bumps_every_plan_of_its_school(settled: World) -> None:
    world = settled
    before = version(world)
    world.office.name = "Phòng Đào tạo và Khảo thí"
    world.office.save()
    commit()
    assert version(world) == before + 1


def test_saving_a_plan_read_before_a_bump_keeps_the_bump(settled: World) -> None:
    """A plan object read before a committed change must not write back its older version (the
    next bump would reuse a number whose cached figures predate the change)."""
    world = settled
    stale = Plan.objects.get(pk=world.plan.pk)
    checkin(world, progress=20)
    commit()
    bumped = version(world)
    stale.theme = "Chủ đề mới"
    stale.save()
    assert version(world) == bumped
    commit()
    assert version(world) == bumped + 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_bumps_nothing(world: World) -> None:
    before = version(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        checkin(world, progress=70)
        raise RuntimeError
    assert version(world) == before
    checkin(world, progress=70)  # commits
    assert version(world) == before + 1


def test_a_cold_page_is_computed_by_one_request_at_a_time(world: World) -> None:
    """While another request holds the lock, this one waits for its result instead of
    computing the same figures at the same time."""
    plan = Plan.objects.get(pk=world.plan.pk)
    key = figures_cache.key_of(plan, "test")
    assert cache.add(f"{key}:computing", True, 60)  # another request is computing

    def the_other_one_finishes(_seconds: float) -> None:
        figures_cache.put(key, "computed by the other request", 60)

    compute = mock.Mock(return_value="computed here")
    with mock.patch.object(figures_cache.time, "sleep", the_other_one_finishes):
        assert figures_cache.cached(plan, "test", compute) == "computed by the other request"
    compute.assert_not_called()


def test_a_lock_held_too_long_does_not_block_the_page(world: World) -> None:
    plan = Plan.objects.get(pk=world.plan.pk)
    key = figures_cache.key_of(plan, "test")
    assert cache.add(f"{key}:computing", True, 60)
    with mock.patch.object(figures_cache, "WAIT", 0):
        assert figures_cache.cached(plan, "test", lambda: "computed here") == "computed here"
    assert figures_cache.get(key) == "computed here"
    # The lock was another request's: it is left to it (or to its timeout).
    assert cache.get(f"{key}:computing") is True


def test_the_lock_is_released_when_computing_fails(world: World) -> None:
    plan = Plan.objects.get(pk=world.plan.pk)

    def broken() -> Any:
        raise RuntimeError

    with pytest.raises(RuntimeError):
        figures_cache.cached(plan, "test", broken)
    assert cache.get(f"{figures_cache.key_of(plan, 'test')}:computing") is None
    assert figures_cache.cached(plan, "test", lambda: 1) == 1


def test_a_dashboard_asked_for_a_day_of_the_year_is_cached_and_no_other(settled: World) -> None:
    """Any day can be asked (?on=). A day of the plan's year is kept under the figures version
    (a conference reads its report day many times); a day outside the year is computed for the
    request, so that no reader can fill the cache beyond 366 entries per unit and version."""
    world = settled
    client = world.client("leadership")
    unit_url = reverse("tracking:unit_dashboard", args=[world.plan.pk, world.office.pk])
    plan = Plan.objects.get(pk=world.plan.pk)

    def kept(day: str, unit_id: int | None) -> bool:
        on = dt.datetime.strptime(day, "%d/%m/%Y").date()
        key = figures_cache.key_of(plan, figures.dashboard_key(unit_id, on))
        return figures_cache.get(key) is not figures_cache.MISSING

    for day in ("01/09/2023", "15/01/2024", "31/08/2024"):
        assert client.get(dashboard_url(world), {"on": day}).status_code == 200
        assert client.get(unit_url, {"on": day}).status_code == 200
        assert kept(day, None) and kept(day, world.office.pk), day
    for day in ("31/08/2023", "01/09/2024", "15/01/2031"):
        assert client.get(dashboard_url(world), {"on": day}).status_code == 200
        assert client.get(unit_url, {"on": day}).status_code == 200
        assert not kept(day, None) and not kept(day, world.office.pk), day
    # A committed change shows on a day already kept: the figures are those of the day asked.
    url = dashboard_url(world)
    assert cell(client.get(url, {"on": "15/01/2024"}).content.decode(), "done_on_time") == 0
    checkin(world, progress=100, on=dt.date(2024, 1, 10))
    commit()
    assert cell(client.get(url, {"on": "15/01/2024"}).content.decode(), "done_on_time") == 1
    assert cell(client.get(url, {"on": "02/10/2023"}).content.decode(), "done_on_time") == 0
    # The default day's are cached as before.
    client.get(dashboard_url(world))
    day = figures.default_day(world.plan, today())
    key = figures_cache.key_of(plan, figures.dashboard_key(None, day))
    assert figures_cache.get(key) is not figures_cache.MISSING


def test_a_change_made_in_another_organisations_scope_still_bumps_its_plan(
    settled: World,
) -> None:
    """The bump is bookkeeping: it finds the plan whatever scope the change committed in (an
    officer above the school, a job), not only the plan's own school."""
    world = settled
    before = version(world)
    with scope(school=world.other_school.pk):
        world.task.title = "Tên do cấp trên sửa"
        world.task.save()
        commit()
    assert version(world) == before + 1
