"""The plan's long task lists are assembled from rows stored under a digest of what each shows
(planning/tree.py): after a change, the next view renders the rows whose content changed and
only those, and the page it assembles is the page a full render would give."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.template.loader import get_template
from django.urls import reverse

from conftest import World, commit
from planning import figures_cache, tree
from planning.models import Plan, PlanStatus, Task
from tracking.tests.helpers import checkin
from tracking.tests.test_query_counts import grow


class Renders:
    """The task rows rendered, by task id."""

    def __init__(self) -> None:
        self.tasks: list[int] = []

    def get_template(self, name: str) -> Any:
        template = get_template(name)
        renders = self

        real = template

        class Spy:
            source_template = real.template

            @property
            def template(self) -> Any:
                return self.source_template

            def render(self, context: dict[str, Any]) -> str:
                renders.tasks.append(context["task"].pk)
                return template.render(context)

        return Spy()


@pytest.fixture
def renders() -> Iterator[Renders]:
    spy = Renders()
    with mock.patch.object(tree, "get_template", spy.get_template):
        yield spy


def plan_page(world: World) -> str:
    response = world.client("leadership").get(reverse("planning:plan_detail", args=[world.plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


def full_render(world: World) -> str:
    """The tree as a render of every row from scratch would give it."""
    cache.clear()
    return str(tree.plan_tree(world.plan)["tree_html"])


@pytest.fixture
def grown(settled: World) -> World:
    grow(settled, 5)
    commit()
    return settled


def test_a_change_renders_again_only_the_rows_it_changed(grown: World, renders: Renders) -> None:
    world = grown
    plan_page(world)
    rows = Task.objects.filter(plan=world.plan).active().school_level().count()
    assert len(renders.tasks) == rows > 30, "the first view renders every row"
    renders.tasks.clear()
    world.task.refresh_from_db()
    world.task.title = "Tên mới của nhiệm vụ"
    world.task.save()
    commit()
    assert "Tên mới của nhiệm vụ" in plan_page(world)
    assert renders.tasks == [world.task.pk]
    renders.tasks.clear()
    plan_page(world)
    assert renders.tasks == [], "the next view is one read of the whole tree"


def test_a_checkin_renders_the_task_and_the_parent_whose_progress_moved(
    grown: World, renders: Renders
) -> None:
    world = grown
    plan_page(world)
    renders.tasks.clear()
    subtask = world.subtask
    checkin(world, progress=60, on=dt.date(2024, 3, 1))
    commit()
    page = plan_page(world)
    assert set(renders.tasks) <= {world.task.pk, subtask.pk} and world.task.pk in renders.tasks
    assert (
        page.count('id="task-')
        == Task.objects.filter(plan=world.plan).active().school_level().count()
    )


def test_a_unit_renamed_renders_the_rows_that_name_it(grown: World, renders: Renders) -> None:
    world = grown
    plan_page(world)
    renders.tasks.clear()
    world.office.short_name = "P.ĐT-KT"
    world.office.save()
    commit()
    assert "P.ĐT-KT" in plan_page(world)
    naming = set(
        Task.objects.filter(plan=world.plan).active().school_level().filter(lead_unit=world.office)
        .values_list("pk", flat=True)
    ) | set(
        Task.objects.filter(plan=world.plan, coordinations__unit=world.office)
        .values_list("pk", flat=True)
    )  # fmt: skip
    assert set(renders.tasks) == naming and naming


def test_the_assembled_tree_is_the_tree_rendered_from_scratch(grown: World) -> None:
    world = grown
    plan_page(world)
    world.task.refresh_from_db()
    world.task.title = "Đổi tên"
    world.task.save()
    checkin(world, progress=80, on=dt.date(2024, 3, 1))
    world.faculty.name = "Khoa Khoa học Tự nhiên"
    world.faculty.save()
    Task.objects.filter(pk=world.subtask.pk).update(
        archived_at=dt.datetime(2024, 3, 2, tzinfo=dt.UTC)
    )
    commit()
    world.plan.refresh_from_db()
    assembled = str(tree.plan_tree(world.plan)["tree_html"])
    assert "Đổi tên" in assembled and f'id="task-{world.subtask.pk}"' not in assembled
    assert assembled == full_render(world)


def test_the_status_is_read_on_the_day_the_page_is_opened(grown: World) -> None:
    world = grown
    # Deadlines are in force once the plan is issued (a draft's tasks are never overdue).
    Plan.objects.filter(pk=world.plan.pk).update(status=PlanStatus.ISSUED)
    world.plan.refresh_from_db()
    due = world.task.due_date
    assert due is not None
    with mock.patch("django.utils.timezone.localdate", return_value=due - dt.timedelta(days=1)):
        before = str(tree.plan_tree(world.plan)["tree_html"])
    with mock.patch("django.utils.timezone.localdate", return_value=due + dt.timedelta(days=3)):
        after = str(tree.plan_tree(world.plan)["tree_html"])
    row = f'id="task-{world.task.pk}"'
    assert 'data-status="overdue"' not in before.split(row)[1].split("</li>")[0]
    assert "3 ngày" in after.split(row)[1].split("</li>")[0]


# Caught up from what each change touched --------------------------------------------------------


class FactsRead:
    """How many rows' facts each view read: `sizes`, a list's every row read as values
    (row_facts), one size per read; `one_by_one`, rows whose facts were taken from tasks loaded
    to render them (facts_of, after a change)."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self.one_by_one = 0

    def __call__(self, tasks: Any) -> list[tree.RowFacts]:
        rows = ROW_FACTS(tasks)
        self.sizes.append(len(rows))
        return rows

    def of(self, task: Task) -> tree.RowFacts:
        self.one_by_one += 1
        return FACTS_OF(task)


ROW_FACTS = tree.row_facts
FACTS_OF = tree.facts_of


@pytest.fixture
def facts_read() -> Iterator[FactsRead]:
    spy = FactsRead()
    with mock.patch.object(tree, "row_facts", spy), mock.patch.object(tree, "facts_of", spy.of):
        yield spy


def test_a_rows_facts_taken_from_its_task_are_the_facts_read_as_values(grown: World) -> None:
    """The two ways of reading a row's facts give the same digest (else a row would be rendered
    again after every change for nothing): with coordinations, bases, a person in charge and a
    task served."""
    tasks = Task.objects.filter(plan=grown.plan)
    assert tasks.filter(coordinations__isnull=False).exists()
    assert tasks.filter(basis_links__isnull=False).exists()
    as_values = {row.pk: (row.place, row.facts) for row in tree.row_facts(tasks)}
    as_tasks = {
        task.pk: (tree.facts_of(task).place, tree.facts_of(task).facts)
        for task in tree.task_rows(tasks)
    }
    assert as_tasks == as_values


def test_after_a_checkin_only_the_touched_rows_facts_are_read(
    grown: World, facts_read: FactsRead, renders: Renders
) -> None:
    world = grown
    rows = Task.objects.filter(plan=world.plan).active().school_level().count()
    plan_page(world)
    assert facts_read.sizes == [rows]
    facts_read.sizes.clear()
    renders.tasks.clear()
    checkin(world, progress=55, on=dt.date(2024, 3, 1))
    commit()
    page = plan_page(world)
    # The check-in touched its task (and the parent whose derived progress moved), not the 30+.
    assert facts_read.sizes == [] and 1 <= facts_read.one_by_one <= 2
    assert world.task.pk in renders.tasks
    world.plan.refresh_from_db()
    assert page.count('id="task-') == rows
    assert _tree_of(page) == _tree_of_html(full_render(world))


def test_a_checkins_commit_brings_the_plans_tree_up_to_date(
    grown: World, facts_read: FactsRead, renders: Renders
) -> None:
    """The change that made the tree stale catches it up, from the rows it touched: the next
    view of the plan reads the tree as it is, with nothing to read or render."""
    world = grown
    plan_page(world)
    facts_read.sizes.clear()
    renders.tasks.clear()
    checkin(world, progress=65, on=dt.date(2024, 3, 1))
    commit()
    assert facts_read.sizes == [] and 1 <= facts_read.one_by_one <= 2, "only the touched rows"
    assert world.task.pk in renders.tasks
    facts_read.one_by_one = 0
    renders.tasks.clear()
    page = plan_page(world)
    assert facts_read.sizes == [] and facts_read.one_by_one == 0 and renders.tasks == []
    assert full_render(world) in page, "the tree as a render from scratch gives it"


def test_a_commit_leaves_a_whole_read_to_the_next_view(
    grown: World, facts_read: FactsRead, renders: Renders
) -> None:
    """What cannot be caught up row by row (a task moved; a tree nobody has opened) is not read
    at the commit: the change costs its writer no more than the rows it touched."""
    world = grown
    moved = Task.objects.filter(plan=world.plan, parent=world.task).active().first()
    assert moved is not None
    checkin(world, progress=40, on=dt.date(2024, 3, 1))
    commit()
    assert facts_read.sizes == [] and facts_read.one_by_one == 0 and renders.tasks == []
    plan_page(world)
    facts_read.sizes.clear()
    renders.tasks.clear()
    moved.parent = None
    moved.save()
    commit()
    assert facts_read.sizes == [] and renders.tasks == []
    rows = Task.objects.filter(plan=world.plan).active().school_level().count()
    plan_page(world)
    assert facts_read.sizes == [rows]


def test_a_task_moved_to_another_parent_reads_the_whole_list(
    grown: World, facts_read: FactsRead
) -> None:
    world = grown
    plan_page(world)
    facts_read.sizes.clear()
    moved = Task.objects.filter(plan=world.plan, parent=world.task).active().first()
    assert moved is not None
    moved.parent = None
    moved.save()
    commit()
    page = plan_page(world)
    rows = Task.objects.filter(plan=world.plan).active().school_level().count()
    assert facts_read.sizes[-1] == rows, "a move builds the tree again"
    assert _tree_of(page) == _tree_of_html(full_render(world))


def test_two_numbers_swapped_by_the_service_reorder_the_tree(grown: World) -> None:
    """place_by_number moves siblings with update() (no signal): they are touched all the same,
    so the list is read whole and shows the new order."""
    from planning import services

    world = grown
    plan_page(world)
    siblings = list(
        Task.objects.filter(plan=world.plan, parent=None, owner_unit=None)
        .active()
        .order_by("order", "pk")
    )
    assert len(siblings) >= 2
    last = siblings[-1]
    Task.objects.filter(pk=last.pk).update(code="0")  # no signal: only its new place tells
    last.code = "0"
    services.place_by_number(last)
    commit()
    page = plan_page(world)
    assert _tree_of(page) == _tree_of_html(full_render(world))
    assert _tree_of(page).index(last.pk) < _tree_of(page).index(siblings[0].pk)


def test_a_forgotten_record_of_a_change_reads_the_whole_list(
    grown: World, facts_read: FactsRead
) -> None:
    world = grown
    plan_page(world)
    world.task.refresh_from_db()
    world.task.title = "Tên khác"
    world.task.save()
    with mock.patch.object(figures_cache, "KEPT_CURRENT", []):  # not caught up at the commit
        commit()
    world.plan.refresh_from_db()
    cache.delete(figures_cache.touched_key(world.plan.pk, world.plan.figures_version))
    facts_read.sizes.clear()
    page = plan_page(world)
    assert facts_read.sizes[-1] > 30 and "Tên khác" in page


def test_changes_of_one_transaction_bump_the_version_once_with_every_task(
    grown: World,
) -> None:
    from django.db import transaction

    from planning import figures_cache

    world = grown
    world.plan.refresh_from_db()
    before = world.plan.figures_version
    with transaction.atomic():
        for task in (world.task, world.subtask):
            task.refresh_from_db()
            task.title += " (sửa)"
            task.save()
    assert commit() == 1
    world.plan.refresh_from_db()
    assert world.plan.figures_version == before + 1
    assert figures_cache.touched_since(world.plan, before) == {world.task.pk, world.subtask.pk}


def test_a_change_in_a_savepoint_rolled_back_does_not_take_a_later_one_with_it(
    grown: World,
) -> None:
    from django.db import transaction

    from planning import figures_cache

    world = grown
    world.plan.refresh_from_db()
    before = world.plan.figures_version
    with transaction.atomic():
        try:
            with transaction.atomic():
                world.subtask.title += " (bỏ)"
                world.subtask.save()
                raise RuntimeError
        except RuntimeError:
            pass
        world.task.refresh_from_db()
        world.task.title += " (giữ)"
        world.task.save()
    commit()
    world.plan.refresh_from_db()
    assert world.plan.figures_version == before + 1
    assert figures_cache.touched_since(world.plan, before) == {world.task.pk}


def test_a_change_that_may_touch_anything_leaves_no_record(grown: World) -> None:
    from planning import figures_cache

    world = grown
    world.plan.refresh_from_db()
    before = world.plan.figures_version
    world.office.name = "Phòng Đào tạo – Khảo thí"
    world.office.save()
    commit()
    world.plan.refresh_from_db()
    assert world.plan.figures_version == before + 1
    assert figures_cache.touched_since(world.plan, before) is None


def _tree_of_html(html: str) -> list[int]:
    import re

    return [int(pk) for pk in re.findall(r'id="task-(\d+)"', html)]


def _tree_of(page: str) -> list[int]:
    return _tree_of_html(page)


def test_an_edited_row_template_renders_every_row_again(grown: World, renders: Renders) -> None:
    """The row template's source is part of every row's digest: nothing to bump by hand."""
    world = grown
    plan_page(world)
    renders.tasks.clear()
    real_source = tree.get_template(tree.ROW_TEMPLATE).template.source

    class Edited:
        class template:  # the shape of a Django template
            source = real_source + "<!-- sửa -->"

    tree.row_shape.cache_clear()
    try:
        with mock.patch.object(tree, "get_template", lambda name: Edited()):
            shape = tree.row_shape()
        assert shape != tree.digest(real_source)
        with mock.patch.object(tree, "row_shape", lambda: shape):
            world.plan.refresh_from_db()
            tree.plan_tree(world.plan)
    finally:
        tree.row_shape.cache_clear()
    assert (
        len(renders.tasks) == Task.objects.filter(plan=world.plan).active().school_level().count()
    )


def test_a_units_own_task_shows_the_new_number_of_the_task_it_serves(grown: World) -> None:
    """A unit's own task names the school task it serves: renumbering that task touches only
    itself, and the rows serving it are read again with it."""
    world = grown
    url = reverse("planning:unit_plan", args=[world.plan.pk, world.office.pk])
    client = world.client("leadership")

    def own_row() -> str:
        page = client.get(url).content.decode()
        return page[page.index(f'id="task-{world.unit_task.pk}"') :].split("</li>")[0]

    assert world.task.code in own_row()
    world.task.refresh_from_db()
    world.task.code = "97"
    world.task.save()
    commit()
    assert "97" in own_row()
