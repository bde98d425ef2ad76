"""The task form: one ordering field (the number, "Số thứ tự"), the parent list in tree order
with its indentation, and words instead of "---------" in its lists."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.urls import reverse

from conftest import World
from planning import services
from planning.forms import TaskForm
from planning.models import Task

NO_COORDINATION = {
    "coord-TOTAL_FORMS": "0",
    "coord-INITIAL_FORMS": "0",
    "coord-MIN_NUM_FORMS": "0",
    "coord-MAX_NUM_FORMS": "1000",
}


def root_titles(world: World) -> list[str]:
    roots = world.plan.tasks.active().school_level().filter(parent=None).order_by("order", "pk")
    return [f"{t.code} {t.title}" for t in roots]


def add_task(world: World, code: str, title: str, **extra: str) -> None:
    data = {"kind": "task", "code": code, "title": title, "weight": "1", **NO_COORDINATION}
    response = world.client("leadership").post(
        reverse("planning:task_create", args=[world.plan.pk]), {**data, **extra}
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_task_form_has_one_ordering_field(world: World) -> None:
    form = TaskForm(plan=world.plan)
    assert "order" not in form.fields
    assert "code" in form.fields and "xếp theo số này" in str(form.fields["code"].help_text)


def test_a_task_stands_where_its_number_puts_it(world: World) -> None:
    # world.task is "1"; a "3" then a "2" are added, the second must not land first (it used to:
    # every task added by the form had the place 0) nor last.
    add_task(world, "3", "Ba")
    add_task(world, "2", "Hai")
    add_task(world, "10", "Mười")
    assert root_titles(world) == ["1 Tuyển sinh và duy trì sĩ số", "2 Hai", "3 Ba", "10 Mười"]


def test_renumbering_a_task_moves_it(world: World) -> None:
    add_task(world, "2", "Hai")
    task = Task.objects.get(title="Hai")
    data = {
        "kind": "task", "code": "0", "title": "Hai", "weight": "1", "version": task.version,
        **NO_COORDINATION,
    }  # fmt: skip
    response = world.client("leadership").post(reverse("planning:task_edit", args=[task.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert root_titles(world)[0] == "0 Hai"


def test_parent_choices_follow_the_tree_indented_and_leave_out_the_own_branch(
    world: World,
) -> None:
    by = world.users["leadership"]
    second = services.save_plan_object(Task(plan=world.plan, code="2", title="Hai"), by=by)
    services.place_by_number(second)
    deep = services.save_plan_object(
        Task(plan=world.plan, parent=world.subtask, code="1.1.1", title="Sâu"), by=by
    )
    # Created last, but it belongs under "1": the list must show it there, not at the end.
    late = services.save_plan_object(
        Task(plan=world.plan, parent=world.task, code="1.2", title="Muộn"), by=by
    )
    services.place_by_number(late)
    labels = [label for _, label in TaskForm(plan=world.plan).fields["parent"].choices]
    indent = "\u00a0" * 4
    assert labels == [
        "— Không (cấp cao nhất) —",
        "1. Tuyển sinh và duy trì sĩ số",
        f"{indent}1.1. Tư vấn tuyển sinh",
        f"{indent * 2}1.1.1. Sâu",
        f"{indent}1.2. Muộn",
        "2. Hai",
    ]
    editing = TaskForm(instance=world.subtask, plan=world.plan).fields["parent"].choices
    assert [str(label).strip("\u00a0") for _, label in editing] == [
        "— Không (cấp cao nhất) —",
        "1. Tuyển sinh và duy trì sĩ số",
        "1.2. Muộn",
        "2. Hai",
    ], "a task cannot go under itself or its own branch"
    assert deep.pk not in [value for value, _ in editing]


def test_task_form_lists_start_with_words(world: World) -> None:
    response = world.client("leadership").get(reverse("planning:task_create", args=[world.plan.pk]))
    html = response.content.decode()
    assert "---------" not in html
    assert "— Không chọn —" in html
    # The coordinating units' rows: every field has a label (for screen readers only).
    for field in ("unit", "duty", "DELETE"):
        assert f'<label class="visually-hidden" for="id_coord-0-{field}">' in html, field


def test_the_migration_keeps_places_in_steps_in_the_order_shown(world: World) -> None:
    by = world.users["leadership"]
    a = services.save_plan_object(Task(plan=world.plan, title="A", code="9"), by=by)
    b = services.save_plan_object(Task(plan=world.plan, title="B", code="8"), by=by)
    Task.objects.filter(pk=world.task.pk).update(order=35)  # after A (20) and B (30)
    shown = list(
        Task.objects.filter(plan=world.plan, parent=None, owner_unit=None).order_by("order", "pk")
    )
    assert [t.pk for t in shown] == [a.pk, b.pk, world.task.pk]
    migration = import_module("planning.migrations.0005_task_places_kept_in_steps")
    migration.keep_places_in_steps(apps, None)
    after = Task.objects.filter(plan=world.plan, parent=None, owner_unit=None).order_by("order")
    assert [(t.pk, t.order) for t in after] == [(a.pk, 10), (b.pk, 20), (world.task.pk, 30)]
