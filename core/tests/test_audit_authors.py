"""The history shown on a page names each change's author in a fixed number of queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import World
from core.audit import history_entries
from planning import services


def _edits(world: World, count: int) -> None:
    for index in range(count):
        world.task.title = f"Tên mới lần {index}"
        role = "leadership" if index % 2 else "unit_head"
        world.task = services.save_plan_object(world.task, by=world.users[role])


def _queries(world: World) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        entries = history_entries(world.task)
    return len(queries), [entry.who for entry in entries]


def test_authors_are_named_by_their_staff_records_in_fixed_queries(world: World) -> None:
    _edits(world, 2)
    few, names = _queries(world)
    assert world.people["leadership"].full_name in names
    assert world.people["unit_head"].full_name in names
    _edits(world, 12)
    many, _ = _queries(world)
    assert many == few
