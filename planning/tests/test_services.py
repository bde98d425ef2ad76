"""The planning rules, through the services every view and command calls."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import World
from planning import services
from planning.models import Plan, ProposalStatus, Target, Task, TaskCoordination


def test_draft_plan_edits_freely_and_history_names_the_user(world: World) -> None:
    task = world.task
    task.title = "Tuyển sinh, duy trì sĩ số toàn khóa"
    services.save_plan_object(task, by=world.users["leadership"])
    latest = task.history.first()
    assert latest.history_user == world.users["leadership"]
    assert latest.title == "Tuyển sinh, duy trì sĩ số toàn khóa"


def test_issued_plan_is_locked_until_an_amendment_is_opened(world: World) -> None:
    leader = world.users["leadership"]
    services.issue_plan(world.plan, by=leader, on=dt.date(2023, 9, 26))
    world.task.title = "Đổi tên"
    with pytest.raises(services.PlanLocked, match="sửa đổi, bổ sung"):
        services.save_plan_object(world.task, by=leader)
    with pytest.raises(services.PlanLocked):
        services.set_coordinations(world.task, [], by=leader)

    services.open_amendment(world.plan, reason="Bổ sung theo kết luận Hội nghị", by=leader)
    services.save_plan_object(world.task, by=leader)
    record = world.task.history.first()
    assert "Sửa đổi lần 1" in record.history_change_reason
    assert "kết luận Hội nghị" in record.history_change_reason

    services.close_amendment(services.open_amendment_of(world.plan), by=leader)
    with pytest.raises(services.PlanLocked):
        services.save_plan_object(world.task, by=leader)


def test_amendment_needs_a_reason_and_only_one_is_open(world: World) -> None:
    leader = world.users["leadership"]
    with pytest.raises(services.PlanningError):
        services.open_amendment(world.plan, reason="Lý do", by=leader)  # still a draft
    services.issue_plan(world.plan, by=leader)
    with pytest.raises(services.PlanningError):
        services.open_amendment(world.plan, reason="   ", by=leader)
    services.open_amendment(world.plan, reason="Lần một", by=leader)
    with pytest.raises(services.PlanningError):
        services.open_amendment(world.plan, reason="Lần hai", by=leader)


def test_plan_without_tasks_cannot_be_issued(world: World) -> None:
    empty = services.create_plan(
        school=world.school, start_year=2030, title="Trống", by=world.users["leadership"]
    )
    with pytest.raises(services.PlanningError):
        services.issue_plan(empty, by=world.users["leadership"])


def test_coordinations_keep_their_duty_and_are_archived_not_deleted(world: World) -> None:
    leader = world.users["leadership"]
    services.set_coordinations(
        world.task,
        [(world.office, "Tổng hợp số liệu"), (world.group, "Tư vấn tại trường THPT")],
        by=leader,
    )
    assert [(c.unit, c.duty) for c in world.task.coordinations.active()] == [
        (world.office, "Tổng hợp số liệu"),
        (world.group, "Tư vấn tại trường THPT"),
    ]
    services.set_coordinations(world.task, [(world.group, "Tư vấn tại trường THPT")], by=leader)
    assert list(world.task.coordinations.active().values_list("unit", flat=True)) == [
        world.group.pk
    ]
    archived = TaskCoordination.objects.get(task=world.task, unit=world.office)
    assert archived.archived_at is not None


def test_lead_unit_cannot_also_coordinate(world: World) -> None:
    with pytest.raises(services.PlanningError):
        services.set_coordinations(world.task, [(world.faculty, "")], by=world.users["leadership"])


def test_task_cannot_be_its_own_ancestor(world: World) -> None:
    world.task.parent = world.subtask
    with pytest.raises(services.PlanningError):
        services.save_plan_object(world.task, by=world.users["leadership"])


def test_dates_in_order(world: World) -> None:
    world.task.start_date = dt.date(2024, 6, 1)
    with pytest.raises(services.PlanningError, match="Ngày bắt đầu"):
        services.save_plan_object(world.task, by=world.users["leadership"])


def test_new_tasks_are_numbered_in_the_tree(world: World) -> None:
    leader = world.users["leadership"]
    second = services.save_plan_object(Task(plan=world.plan, title="Nhiệm vụ hai"), by=leader)
    child = services.save_plan_object(
        Task(plan=world.plan, parent=world.task, title="Giải pháp hai"), by=leader
    )
    assert world.task.code == "1"
    assert second.code == "2"
    assert world.subtask.code == "1.1"
    assert child.code == "1.2"


def test_archiving_keeps_the_row_and_refuses_parents_with_children(world: World) -> None:
    leader = world.users["leadership"]
    with pytest.raises(services.PlanningError):
        services.archive_plan_object(world.task, by=leader)
    services.archive_plan_object(world.subtask, by=leader)
    world.subtask.refresh_from_db()
    assert world.subtask.is_archived
    assert Task.objects.filter(pk=world.subtask.pk).exists()
    assert world.subtask.pk not in Task.objects.active().values_list("pk", flat=True)


def test_copy_plan_carries_unfinished_tasks_and_recurring_targets(world: World) -> None:
    leader = world.users["leadership"]
    done = services.save_plan_object(
        Task(
            plan=world.plan,
            title="Đã xong",
            completed_on=dt.date(2024, 3, 1),
            due_date=dt.date(2024, 3, 31),
        ),
        by=leader,
    )
    one_off = services.save_plan_object(
        Target(
            plan=world.plan,
            name="Một lần",
            unit_of_measure="lần",
            target_value=1,
            is_recurring=False,
        ),
        by=leader,
    )
    services.issue_plan(world.plan, by=leader)

    new = services.copy_plan(world.plan, start_year=2024, by=leader)

    assert new.status == "draft" and new.copied_from == world.plan
    assert new.title == "Kế hoạch năm học 2024–2025"
    assert list(new.bases.all()) == [world.document]
    titles = set(new.tasks.values_list("title", flat=True))
    assert (
        world.task.title in titles
        and world.subtask.title in titles
        and world.unit_task.title in titles
    )
    assert done.title not in titles
    copied = new.tasks.get(title=world.task.title)
    assert copied.carried_from == world.task
    assert copied.due_date == dt.date(2025, 5, 31)
    assert copied.area.plan == new and copied.area.name == world.area.name
    assert [(c.unit, c.duty) for c in copied.coordinations.active()] == [
        (world.office, "Tổng hợp số liệu tuyển sinh")
    ]
    assert list(copied.bases.all()) == [world.document]
    assert new.tasks.get(title=world.subtask.title).parent == copied
    assert new.tasks.get(title=world.unit_task.title).serves == copied
    target_names = set(new.targets.values_list("name", flat=True))
    assert world.target.name in target_names and one_off.name not in target_names
    assert new.targets.get(name=world.target.name).carried_from == world.target
    assert copied.target == new.targets.get(name=world.target.name)
    # The source plan is untouched.
    assert world.plan.tasks.count() == 4


def test_copy_needs_a_later_year_without_a_plan(world: World) -> None:
    with pytest.raises(services.PlanningError):
        services.copy_plan(world.plan, start_year=2023, by=world.users["leadership"])
    services.create_plan(
        school=world.school, start_year=2024, title="Có rồi", by=world.users["leadership"]
    )
    with pytest.raises(services.PlanningError, match="đã có kế hoạch"):
        services.copy_plan(world.plan, start_year=2024, by=world.users["leadership"])
    assert Plan.objects.filter(school=world.school).count() == 2  # nothing half-written


def test_unit_proposes_and_leadership_decides(world: World) -> None:
    allocation = world.target.allocations.get()
    services.propose_allocation(
        allocation,
        value=Decimal("85"),
        reason="Khó khăn về nguồn tuyển",
        by=world.users["unit_head"],
    )
    assert allocation.proposal_status == ProposalStatus.PENDING
    with pytest.raises(services.PlanningError):
        services.propose_allocation(
            allocation, value=Decimal("80"), reason="Lần nữa", by=world.users["unit_head"]
        )
    services.decide_allocation(allocation, accept=True, note="Đồng ý", by=world.users["leadership"])
    allocation.refresh_from_db()
    assert allocation.value == Decimal("85")
    assert allocation.proposal_status == ProposalStatus.ACCEPTED


def test_rejected_proposal_keeps_the_value(world: World) -> None:
    allocation = world.target.allocations.get()
    services.propose_allocation(
        allocation, value=Decimal("70"), reason="Giảm", by=world.users["unit_head"]
    )
    services.decide_allocation(
        allocation, accept=False, note="Giữ nguyên", by=world.users["leadership"]
    )
    allocation.refresh_from_db()
    assert allocation.value == Decimal("90")
    assert allocation.proposal_status == ProposalStatus.REJECTED
    assert allocation.decision_note == "Giữ nguyên"


def test_proposal_needs_a_reason(world: World) -> None:
    with pytest.raises(services.PlanningError):
        services.propose_allocation(
            world.target.allocations.get(),
            value=Decimal("1"),
            reason=" ",
            by=world.users["unit_head"],
        )


def test_basis_must_come_from_the_schools_register(world: World) -> None:
    from documents.models import Document, DocumentType

    foreign = Document.objects.create(
        school=world.other_school,
        doc_type=DocumentType.objects.get(code="KH"),
        number="1",
        issuer_code="X",
        summary="Khác",
    )
    with pytest.raises(services.PlanningError):
        services.link_basis(world.task, foreign, by=world.users["leadership"])
