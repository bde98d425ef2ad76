"""Archived plan data comes back (planning.restoring): under the rules of archiving, with its
history, its numbers never given twice, and the plan's cached pages refreshed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from conftest import World, commit
from planning import restoring, services
from planning.models import Target, Task, WorkArea
from planning.services import PlanLocked, PlanningError


def fresh(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)


def latest_record(obj: Any) -> Any:
    return type(obj).history.filter(id=obj.pk).order_by("-history_date", "-history_id").first()


def test_a_restored_task_is_back_in_the_plan_with_its_history(settled: World) -> None:
    world = settled
    leader = world.users["leadership"]
    services.archive_plan_object(world.subtask, by=leader)
    commit()
    version = fresh(world.plan).figures_version

    restoring.restore_task(world.subtask, by=leader)
    assert commit() >= 1

    task = fresh(world.subtask)
    assert not task.is_archived and task.code == "1.1"
    assert world.plan.tasks.active().filter(pk=task.pk).exists()
    # The plan's cached pages (tree, dashboards) are computed afresh.
    assert fresh(world.plan).figures_version == version + 1
    restored, archived = Task.history.filter(id=task.pk).order_by("-history_date", "-history_id")[
        :2
    ]
    assert restored.archived_at is None and archived.archived_at is not None
    assert restored.history_change_reason == "Khôi phục từ lưu trữ"
    assert restored.history_user == leader
    assert archived.history_change_reason == "Lưu trữ"


def test_a_task_under_an_archived_task_comes_back_only_with_it(world: World) -> None:
    leader = world.users["leadership"]
    services.archive_plan_object(world.subtask, by=leader)
    services.archive_plan_object(world.task, by=leader)

    with pytest.raises(PlanningError, match=r"Nhiệm vụ cấp trên “1\. Tuyển sinh"):
        restoring.restore_task(fresh(world.subtask), by=leader)
    assert fresh(world.subtask).is_archived and fresh(world.task).is_archived

    result = restoring.restore_task(fresh(world.subtask), by=leader, with_parents=True)
    assert [t.pk for t in result.chain] == [world.task.pk, world.subtask.pk]
    assert result.renumbered == []
    assert not fresh(world.task).is_archived and not fresh(world.subtask).is_archived
    assert latest_record(world.task).history_change_reason == "Khôi phục từ lưu trữ"


def test_the_parent_chain_is_refused_when_the_user_may_not_restore_a_parent(world: World) -> None:
    leader = world.users["leadership"]
    services.archive_plan_object(world.subtask, by=leader)
    services.archive_plan_object(world.task, by=leader)
    with pytest.raises(PlanningError, match="không có quyền khôi phục"):
        restoring.restore_task(
            fresh(world.subtask),
            by=leader,
            with_parents=True,
            may_restore=lambda task: task.pk != world.task.pk,
        )
    assert fresh(world.subtask).is_archived and fresh(world.task).is_archived


def test_a_number_taken_meanwhile_is_not_given_twice(world: World) -> None:
    leader = world.users["leadership"]
    services.archive_plan_object(world.subtask, by=leader)
    newcomer = services.save_plan_object(
        Task(plan=world.plan, parent=world.task, kind="solution", title="Giải pháp mới"), by=leader
    )
    assert newcomer.code == "1.1"

    result = restoring.restore_task(fresh(world.subtask), by=leader)

    assert fresh(world.subtask).code == "1.2"
    assert fresh(newcomer).code == "1.1"
    assert [str(r) for r in result.renumbered] == [
        "Số 1.1 nay đã thuộc nhiệm vụ khác: nhiệm vụ được đánh số mới là 1.2."
    ]
    # It stands where its number puts it: after the newcomer.
    assert fresh(world.subtask).order > fresh(newcomer).order


def test_a_renumbered_parent_takes_its_archived_child_along(world: World) -> None:
    leader = world.users["leadership"]
    services.archive_plan_object(world.subtask, by=leader)
    services.archive_plan_object(world.task, by=leader)
    newcomer = services.save_plan_object(Task(plan=world.plan, title="Nhiệm vụ mới"), by=leader)
    assert newcomer.code == "1"

    result = restoring.restore_task(fresh(world.subtask), by=leader, with_parents=True)

    assert (fresh(world.task).code, fresh(world.subtask).code) == ("2", "2.1")
    assert [str(r) for r in result.renumbered] == [
        "Số 1 nay đã thuộc nhiệm vụ khác: nhiệm vụ được đánh số mới là 2.",
        "Số 1.1 đổi thành 2.1 theo số mới của nhiệm vụ cấp trên.",
    ]


def test_a_child_restored_after_its_renumbered_parent_follows_its_number(world: World) -> None:
    """Restored one at a time (the parent first, then the child from the archived list), the
    child still comes back under its parent's new number."""
    leader = world.users["leadership"]
    services.archive_plan_object(world.subtask, by=leader)
    services.archive_plan_object(world.task, by=leader)
    services.save_plan_object(Task(plan=world.plan, title="Nhiệm vụ mới"), by=leader)
    restoring.restore_task(fresh(world.task), by=leader)
    assert fresh(world.task).code == "2"

    result = restoring.restore_task(fresh(world.subtask), by=leader)

    assert fresh(world.subtask).code == "2.1"
    assert [str(r) for r in result.renumbered] == [
        "Số 1.1 đổi thành 2.1 theo số mới của nhiệm vụ cấp trên."
    ]


def test_a_units_task_renumbered_keeps_the_units_prefix(world: World) -> None:
    head = world.users["unit_head"]
    services.archive_plan_object(world.unit_task, by=head)
    newcomer = services.save_plan_object(
        Task(
            plan=world.plan, title="Việc mới", owner_unit=world.office, lead_unit=world.office,
            serves=world.task,
        ),
        by=head,
    )  # fmt: skip
    assert newcomer.code == "PDT.1"
    restoring.restore_task(fresh(world.unit_task), by=head)
    assert fresh(world.unit_task).code == "PDT.2"


def test_a_target_whose_number_was_taken_comes_back_under_the_next(world: World) -> None:
    leader = world.users["leadership"]
    assert world.target.code == "CT01"
    services.archive_plan_object(world.target, by=leader)
    services.save_plan_object(
        Target(plan=world.plan, name="Chỉ tiêu mới", unit_of_measure="%"), by=leader
    )
    renumbered = restoring.restore_target(fresh(world.target), by=leader)
    target = fresh(world.target)
    assert not target.is_archived and target.code == "CT02"
    assert [str(r) for r in renumbered] == [
        "Số CT01 nay đã thuộc chỉ tiêu khác: chỉ tiêu được đánh số mới là CT02."
    ]
    assert target.allocations.get().value == Decimal("90")  # its units' shares are kept


def test_a_work_area_comes_back(world: World) -> None:
    leader = world.users["leadership"]
    services.archive_plan_object(world.area, by=leader)
    restoring.restore_area(fresh(world.area), by=leader)
    assert world.plan.areas.active().filter(pk=world.area.pk).exists()
    assert latest_record(world.area).history_user == leader


def test_in_an_issued_plan_restoring_goes_into_the_open_amendment(world: World) -> None:
    leader = world.users["leadership"]
    services.issue_plan(world.plan, by=leader)
    first = services.open_amendment(world.plan, reason="Bỏ giải pháp trùng", by=leader)
    services.archive_plan_object(world.subtask, by=leader)
    services.archive_plan_object(world.target, by=leader)
    services.close_amendment(first, by=leader)

    with pytest.raises(PlanLocked, match="sửa đổi, bổ sung"):
        restoring.restore_task(fresh(world.subtask), by=leader)
    with pytest.raises(PlanLocked):
        restoring.restore_target(fresh(world.target), by=leader)
    assert fresh(world.subtask).is_archived

    second = services.open_amendment(world.plan, reason="Giữ lại giải pháp tư vấn", by=leader)
    restoring.restore_task(fresh(world.subtask), by=leader)
    restoring.restore_target(fresh(world.target), by=leader)

    assert not fresh(world.subtask).is_archived and not fresh(world.target).is_archived
    assert latest_record(world.subtask).history_change_reason == str(second)
    assert latest_record(world.target).history_change_reason == str(second)


def test_an_archived_plan_comes_back_unless_its_year_is_taken(world: World) -> None:
    leader = world.users["leadership"]
    services.archive_plan_object(world.plan, by=leader)
    other = services.create_plan(
        school=world.school, start_year=2023, title="Kế hoạch thay thế", by=leader
    )
    with pytest.raises(PlanningError, match="đã có kế hoạch “Kế hoạch thay thế” đang dùng"):
        restoring.restore_plan(fresh(world.plan), by=leader)
    assert fresh(world.plan).is_archived

    services.archive_plan_object(other, by=leader)
    restoring.restore_plan(fresh(world.plan), by=leader)
    plan = fresh(world.plan)
    assert not plan.is_archived
    assert latest_record(plan).history_change_reason == "Khôi phục từ lưu trữ"
    # Its tasks are there as they were.
    assert plan.tasks.active().count() == 3


def test_nothing_of_an_archived_plan_comes_back_before_the_plan(world: World) -> None:
    leader = world.users["leadership"]
    services.archive_plan_object(world.subtask, by=leader)
    services.archive_plan_object(world.plan, by=leader)
    with pytest.raises(PlanLocked, match="hãy khôi phục kế hoạch trước"):
        restoring.restore_task(fresh(world.subtask), by=leader)
    assert fresh(world.subtask).is_archived


@pytest.mark.parametrize("name", ["plan", "area", "target", "task"])
def test_what_is_not_archived_is_not_restored(world: World, name: str) -> None:
    obj = {"plan": world.plan, "area": world.area, "target": world.target, "task": world.task}[name]
    version = obj.version
    with pytest.raises(PlanningError, match="không ở trạng thái lưu trữ"):
        restoring.restore_object(obj, by=world.users["leadership"])
    assert fresh(obj).version == version


def test_what_is_archived_is_not_archived_twice(world: World) -> None:
    leader = world.users["leadership"]
    services.archive_plan_object(world.subtask, by=leader)
    with pytest.raises(PlanningError, match="đã được lưu trữ"):
        services.archive_plan_object(fresh(world.subtask), by=leader)


def test_the_archive_lists_who_archived_what(world: World) -> None:
    leader, head = world.users["leadership"], world.users["unit_head"]
    services.archive_plan_object(world.subtask, by=leader)
    services.archive_plan_object(world.unit_task, by=head)
    services.archive_plan_object(world.target, by=leader)
    # Archived by hand, without a history record: told by its date alone.
    WorkArea.objects.filter(pk=world.area.pk).update(archived_at=fresh(world.target).archived_at)

    everything = restoring.archived_of(world.plan, areas_and_targets=True, unit_ids=None)
    assert [row.obj.pk for row in everything.tasks] == [world.subtask.pk, world.unit_task.pk]
    assert [row.archiving.who for row in everything.tasks] == [
        "Phùng Quý Sơn",
        "Nguyễn Thị Phương Loan",
    ]
    assert everything.tasks[0].archiving.reason == ""  # the plain "Lưu trữ" says nothing more
    assert [row.obj.pk for row in everything.targets] == [world.target.pk]
    assert [(row.obj.pk, row.archiving.who) for row in everything.areas] == [(world.area.pk, "")]
    assert everything.count == 4
    assert restoring.archived_count(world.plan, areas_and_targets=True, unit_ids=None) == 4

    units = frozenset({world.office.pk})
    own = restoring.archived_of(world.plan, areas_and_targets=False, unit_ids=units)
    assert [row.obj.pk for row in own.tasks] == [world.unit_task.pk]
    assert own.areas == [] and own.targets == []
    assert restoring.archived_count(world.plan, areas_and_targets=False, unit_ids=units) == 1


def test_a_plan_of_the_year_made_meanwhile_is_named_not_a_server_error(world: World) -> None:
    """Two people at once: the check passed for each, the database's one-plan-a-year rule
    refuses the second; the refusal names the plan in the way."""
    from unittest import mock

    from django.utils import timezone

    from planning.models import Plan

    leader = world.users["leadership"]
    archived = Plan.objects.create(
        school=world.school, start_year=2023, title="Bản cũ", archived_at=timezone.now()
    )
    checks = iter([None])  # the first check sees nothing in the way (the race)
    real = restoring.plan_in_the_way

    def racing(plan: Any) -> Any:
        return next(checks, real(plan))

    with (
        mock.patch.object(restoring, "plan_in_the_way", racing),
        pytest.raises(PlanningError, match=world.plan.title),
    ):
        restoring.restore_plan(archived, by=leader)
    assert fresh(archived).is_archived


def test_archiving_and_restoring_a_subtask_moves_its_parents_derived_progress(
    world: World,
) -> None:
    """A parent's progress derived from its sub-tasks counts the ones in the plan: archiving
    one leaves it out at once, restoring it counts it again."""
    from planning.models import ProgressMode

    leader = world.users["leadership"]
    Task.objects.filter(pk=world.task.pk).update(progress_mode=ProgressMode.DERIVED)
    done = services.save_plan_object(
        Task(plan=world.plan, parent=world.task, title="Việc đã xong", progress=100), by=leader
    )
    Task.objects.filter(pk=world.subtask.pk).update(progress=0)
    from planning.progress import refresh_derived_progress

    refresh_derived_progress(world.task.pk)
    assert fresh(world.task).derived_progress == 50

    services.archive_plan_object(fresh(world.subtask), by=leader)
    assert fresh(world.task).derived_progress == 100
    restoring.restore_task(fresh(world.subtask), by=leader)
    assert fresh(world.task).derived_progress == 50
    assert done.pk
