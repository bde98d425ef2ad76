"""List pages cost the same number of queries for a few rows or many."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World
from documents.models import Document, DocumentType
from organisations.models import Person, Position
from planning import services
from planning.models import Target, Task, TaskCoordination


def grow(world: World, n: int) -> None:
    """Add n of everything a list page shows, with their related rows."""
    leader = world.users["leadership"]
    qd = DocumentType.objects.get(code="QĐ")
    for i in range(n):
        parent = Task.objects.create(
            plan=world.plan,
            title=f"Nhiệm vụ {i}",
            code=f"{i + 10}",
            lead_unit=world.office,
            area=world.area,
            person_in_charge=world.people["staff"],
        )
        child = Task.objects.create(
            plan=world.plan,
            parent=parent,
            title=f"Giải pháp {i}",
            code=f"{i + 10}.1",
            lead_unit=world.office,
            owner_unit=None,
        )
        TaskCoordination.objects.create(task=parent, unit=world.faculty, duty="Phối hợp")
        TaskCoordination.objects.create(task=child, unit=world.group, duty="Phối hợp")
        Task.objects.create(
            plan=world.plan,
            title=f"Việc của phòng {i}",
            code=f"PDT.{i + 2}",
            owner_unit=world.office,
            lead_unit=world.office,
            serves=parent,
        )
        TaskCoordination.objects.create(
            task=Task.objects.create(
                plan=world.plan, title=f"Phối hợp {i}", lead_unit=world.faculty
            ),
            unit=world.office,
            duty="Hỗ trợ",
        )
        document = Document.objects.create(
            school=world.school,
            doc_type=qd,
            number=str(100 + i),
            issuer_code="UBND",
            issued_on=dt.date(2023, 1, 1),
            summary=f"Văn bản {i}",
        )
        services.link_basis(parent, document, clause="Điều 1", by=leader)
        Target.objects.create(
            plan=world.plan,
            area=world.area,
            name=f"Chỉ tiêu {i}",
            unit_of_measure="%",
            target_value=1,
            responsible_unit=world.office,
        )
        person = Person.objects.create(full_name=f"Nguyễn Văn Số {i}", school=world.school)
        Position.objects.create(
            person=person, organisation=world.group, title="Giảng viên", role="member"
        )


def count_queries(world: World, url: Callable[[World], str]) -> int:
    client = world.client("leadership")
    client.get(url(world))  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(world))
    assert response.status_code == 200
    return len(queries)


PAGES = {
    "plan": lambda w: reverse("planning:plan_detail", args=[w.plan.pk]),
    "unit": lambda w: reverse("planning:unit_plan", args=[w.plan.pk, w.office.pk]),
    "documents": lambda w: reverse("documents:document_list"),
    "people": lambda w: reverse("organisations:person_list"),
    "task": lambda w: reverse("planning:task_detail", args=[w.task.pk]),
    "organisations": lambda w: reverse("organisations:tree"),
    "search": lambda w: reverse("search") + "?q=van",
}


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_rows(world: World, page: str) -> None:
    grow(world, 3)
    few = count_queries(world, PAGES[page])
    grow(world, 30)
    many = count_queries(world, PAGES[page])
    assert many == few, f"{page}: {few} queries with few rows, {many} with many"
    assert few <= 30


def test_derived_progress_reads_the_sub_tasks_in_one_query_whatever_their_number(
    world: World,
) -> None:
    """A check-in on a sub-task recomputes its parents' derived progress: reading the sub-tasks
    costs the same for two or twelve of them (a deferred parent_id was one query each), and the
    progress is still the weighted mean of theirs."""
    from planning.models import ProgressMode
    from planning.progress import refresh_derived_progress

    Task.objects.filter(pk=world.task.pk).update(progress_mode=ProgressMode.DERIVED)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            refresh_derived_progress(world.task.pk)
        # The reads (an update follows only when the value moved).
        return sum(1 for q in captured if q["sql"].lstrip().upper().startswith("SELECT"))

    Task.objects.create(plan=world.plan, parent=world.task, title="Việc A", code="9.1", progress=0)
    few = queries()
    for i in range(10):
        Task.objects.create(
            plan=world.plan, parent=world.task, title=f"Việc {i}", code=f"9.{i + 2}", progress=100
        )
    many = queries()
    assert many == few
    children = list(world.task.children.active().values_list("progress", "weight"))
    expected = round(sum(p * w for p, w in children) / sum(w for _, w in children))
    assert Task.objects.get(pk=world.task.pk).derived_progress == pytest.approx(expected, abs=1)
