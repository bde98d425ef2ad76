"""Lost updates: two people edit the same plan object at once; the later save must not silently
revert the earlier one (core.versioning)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import World
from core.tests.edit_race import conflict_message, form_data, race
from core.versioning import EditConflict
from planning import services
from planning.models import StrategicGoal, Task

# (url name, World attribute, edited field, the field's label as the message shows it)
EDITS = [
    ("planning:task_edit", "task", "title", "Tên nhiệm vụ"),
    ("planning:target_edit", "target", "name", "Chỉ tiêu"),
    ("planning:plan_edit", "plan", "title", "Tên kế hoạch"),
    ("planning:area_edit", "area", "name", "Lĩnh vực công tác"),
    ("planning:goal_edit", "goal", "title", "Mục tiêu chiến lược"),
]


def edited(world: World, attr: str) -> Any:
    if attr != "goal":
        return getattr(world, attr)
    goal = StrategicGoal(
        school=world.school, title="Nâng cao chất lượng đào tạo", period_start=2021, period_end=2025
    )
    return services.save_strategic_goal(goal, by=world.users["leadership"])


@pytest.mark.parametrize(("url_name", "attr", "field", "label"), EDITS)
def test_second_editor_is_refused_with_the_first_editors_changes(
    world: World, url_name: str, attr: str, field: str, label: str
) -> None:
    obj = edited(world, attr)
    old = getattr(obj, field)
    records = obj.history.count()
    url = reverse(url_name, args=[obj.pk])
    first, second = world.client("leadership"), world.client("leadership")

    result = race(url, first, second, {field: "Bản của người thứ nhất"}, {field: "Bản thứ hai"})

    assert result.first.status_code == 302
    assert result.second.status_code == 409
    obj.refresh_from_db()
    assert getattr(obj, field) == "Bản của người thứ nhất"
    message = conflict_message(result.second)
    assert "vừa được Phùng Quý Sơn sửa lúc" in message
    assert f"{label}: {old} → Bản của người thứ nhất" in message
    # The second editor keeps what they typed; nothing of theirs was written.
    assert result.second.context["form"][field].value() == "Bản thứ hai"
    assert obj.history.count() == records + 1

    # Having seen the change, they save again on purpose: now it goes through.
    retry = second.post(url, form_data(result.second))
    assert retry.status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == "Bản thứ hai"
    names = [getattr(r, field) for r in obj.history.order_by("-history_date")[:3]]
    assert names == ["Bản thứ hai", "Bản của người thứ nhất", old]


def test_task_form_without_its_version_is_refused(world: World) -> None:
    url = reverse("planning:task_edit", args=[world.task.pk])
    client = world.client("leadership")
    data = form_data(client.get(url), title="Không có phiên bản")
    del data["version"]
    response = client.post(url, data)
    assert response.status_code == 400
    world.task.refresh_from_db()
    assert world.task.title == "Tuyển sinh và duy trì sĩ số"


def test_stale_version_is_refused_by_the_service_and_nothing_is_written(world: World) -> None:
    by = world.users["leadership"]
    stale = Task.objects.get(pk=world.task.pk)
    fresh = Task.objects.get(pk=world.task.pk)
    opened_at = stale.version
    fresh.title = "Sửa trước"
    services.save_plan_object(fresh, by=by, expected_version=opened_at)
    records = stale.history.count()

    stale.title = "Sửa sau"
    with pytest.raises(EditConflict) as caught:
        services.save_plan_object(stale, by=by, expected_version=opened_at)

    assert caught.value.status == 409
    assert caught.value.current.title == "Sửa trước"
    current = Task.objects.get(pk=world.task.pk)
    assert (current.title, current.version) == ("Sửa trước", opened_at + 1)
    assert stale.history.count() == records


def test_any_save_in_between_makes_the_form_stale(world: World) -> None:
    """A check-in or a move saves the task without a form: an editor opened before is stale."""
    by = world.users["leadership"]
    opened_at = world.task.version
    moved = Task.objects.get(pk=world.task.pk)
    moved.order = 7
    services.save_plan_object(moved, by=by)
    stale = Task.objects.get(pk=world.task.pk)
    stale.title = "Sửa sau"
    with pytest.raises(EditConflict):
        services.save_plan_object(stale, by=by, expected_version=opened_at)
