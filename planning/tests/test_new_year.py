"""A new year that starts clean: the copy is numbered without gaps, measures nothing yet, shows
no overdue task before it is issued, and points out what still names the old year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from conftest import World
from planning import numbering, review, services
from planning.models import Plan, Target, Task
from planning.status import RunState, TaskStatus, task_status
from tracking.tests.helpers import checkin


def _task(world: World, title: str, **fields: object) -> Task:
    return services.save_plan_object(
        Task(plan=world.plan, title=title, **fields), by=world.users["leadership"]
    )


def _gappy_year(world: World) -> None:
    """Last year as it ended: some tasks done, a one-off target, so the copy would have gaps."""
    leader = world.users["leadership"]
    done = {"completed_on": dt.date(2024, 3, 1), "due_date": dt.date(2024, 3, 31)}
    _task(world, "Giải pháp đã xong", parent=world.task, **done)  # 1.2
    _task(world, "Giải pháp còn dở", parent=world.task, lead_unit=world.office)  # 1.3
    _task(world, "Nhiệm vụ đã xong", **done)  # 2
    _task(world, "Nhiệm vụ còn dở", lead_unit=world.office)  # 3
    one_off = Target(plan=world.plan, name="Một lần", unit_of_measure="lần", is_recurring=False)
    services.save_plan_object(one_off, by=leader)  # CT02
    services.save_plan_object(
        Target(plan=world.plan, name="Số đề tài", unit_of_measure="đề tài", target_value=5),
        by=leader,
    )  # CT03
    services.issue_plan(world.plan, by=leader, on=dt.date(2023, 9, 26))


def _codes(plan: Plan) -> list[str]:
    return [t.code for t in numbering.tree_order(plan.tasks.active())]


def test_new_tasks_and_targets_take_the_next_free_number(world: World) -> None:
    leader = world.users["leadership"]
    assert world.target.code == "CT01" and world.unit_task.code == "PDT.1"
    second = _task(world, "Giải pháp hai", parent=world.task)
    third = _task(world, "Giải pháp ba", parent=world.task)
    assert (second.code, third.code) == ("1.2", "1.3")
    # The new one goes after its siblings, not before them.
    assert third.order > second.order > world.subtask.order
    services.archive_plan_object(third, by=leader)
    # Free again once its holder left the plan; never a number still held.
    assert _task(world, "Giải pháp bốn", parent=world.task).code == "1.3"
    services.archive_plan_object(world.subtask, by=leader)
    assert _task(world, "Giải pháp năm", parent=world.task).code == "1.4"
    assert _task(world, "Việc của phòng", owner_unit=world.office).code == "PDT.2"
    target = Target(plan=world.plan, name="Mới", unit_of_measure="%", target_value=1)
    assert services.save_plan_object(target, by=leader).code == "CT02"


def test_copy_is_numbered_without_gaps(world: World) -> None:
    _gappy_year(world)
    assert _codes(world.plan) == ["1", "1.1", "1.2", "1.3", "2", "3", "PDT.1"]

    new = services.copy_plan(world.plan, start_year=2024, by=world.users["leadership"])

    assert _codes(new) == ["1", "1.1", "1.2", "2", "PDT.1"]
    carried = {t.code: t.carried_from.code for t in new.tasks.select_related("carried_from")}
    assert carried == {"1": "1", "1.1": "1.1", "1.2": "1.3", "2": "3", "PDT.1": "PDT.1"}
    targets = new.targets.order_by("order")
    assert [(t.code, t.carried_from.code) for t in targets] == [("CT01", "CT01"), ("CT02", "CT03")]
    # A task added later gets the next free number in its branch.
    leader = world.users["leadership"]
    root = new.tasks.get(code="1")
    child = services.save_plan_object(Task(plan=new, parent=root, title="Mới"), by=leader)
    assert child.code == "1.3"
    assert services.save_plan_object(Task(plan=new, title="Mới nữa"), by=leader).code == "3"
    target = Target(plan=new, name="Mới", unit_of_measure="%", target_value=1)
    assert services.save_plan_object(target, by=leader).code == "CT03"


def test_copy_resets_targets_with_last_years_actual_as_baseline(world: World) -> None:
    leader = world.users["leadership"]
    unmeasured = services.save_plan_object(
        Target(plan=world.plan, name="Chưa đo", unit_of_measure="%", baseline=70, target_value=80),
        by=leader,
    )
    services.issue_plan(world.plan, by=leader, on=dt.date(2023, 9, 26))
    checkin(world, actual_value=Decimal("87.5"), progress=60)
    world.target.refresh_from_db()
    assert world.target.actual_value == Decimal("87.5") and world.target.actual_on

    new = services.copy_plan(world.plan, start_year=2024, by=leader)

    measured = new.targets.get(carried_from=world.target)
    assert measured.baseline == Decimal("87.5")
    assert measured.actual_value is None and measured.actual_on is None
    assert measured.target_value == world.target.target_value
    assert not measured.readings.exists()
    # Not measured last year: its baseline is unknown (the old one is two years old).
    assert new.targets.get(carried_from=unmeasured).baseline is None
    findings = [f.text for f in review.issue_review(new).problems]
    assert any("chưa có giá trị năm trước" in text for text in findings)
    # The page and the paper say what the baseline is.
    page = world.client("staff").get(reverse("planning:plan_detail", args=[new.pk]))
    assert "Thực hiện năm học 2023–2024" in page.content.decode()


def test_copy_clears_statuses_and_check_ins(world: World) -> None:
    leader = world.users["leadership"]
    services.issue_plan(world.plan, by=leader, on=dt.date(2023, 9, 26))
    checkin(world, progress=60)
    Task.objects.filter(pk=world.task.pk).update(
        original_due_date=dt.date(2024, 4, 30), run_state=RunState.PAUSED
    )

    new = services.copy_plan(world.plan, start_year=2024, by=leader)

    for task in new.tasks.all():
        assert task.progress == 0 and task.derived_progress == 0
        assert task.run_state == RunState.ACTIVE
        assert task.completed_on is None and task.original_due_date is None
        assert not task.checkins.exists() and not task.extensions.exists()
    assert world.task.checkins.count() == 1  # the source keeps its history


def test_copied_draft_shows_no_overdue_task_until_issued(world: World) -> None:
    leader = world.users["leadership"]
    services.issue_plan(world.plan, by=leader, on=dt.date(2023, 9, 26))
    new = services.copy_plan(world.plan, start_year=2024, by=leader)
    copied = new.tasks.select_related("plan").get(code="1")
    late = dt.date(2025, 7, 1)  # past the copied deadline of 31/05/2025
    assert task_status(copied, late).status == TaskStatus.NOT_STARTED
    assert not new.tasks.overdue(on=late).exists()
    url = reverse("planning:plan_detail", args=[new.pk])
    # The year 2024–2025 is over on this machine's clock: read on its last day, still not overdue.
    assert 'data-status="overdue"' not in world.client("staff").get(url).content.decode()

    services.issue_plan(new, by=leader)
    copied = Task.objects.select_related("plan").get(pk=copied.pk)
    assert task_status(copied, late).status == TaskStatus.OVERDUE
    assert list(new.tasks.overdue(on=late)) == [copied]


def test_texts_and_bases_naming_the_old_year_are_flagged(world: World) -> None:
    leader = world.users["leadership"]
    world.subtask.title = "Tư vấn tuyển sinh năm 2024"
    services.save_plan_object(world.subtask, by=leader)
    world.task.description = "Theo kết luận Hội nghị ngày 26/9/2023."
    services.save_plan_object(world.task, by=leader)

    new = services.copy_plan(world.plan, start_year=2024, by=leader)
    flagged = {item.label: item.excerpt for item in review.issue_review(new).old_year}

    assert flagged["Nhiệm vụ 1.1"] == "Tư vấn tuyển sinh năm 2024"
    assert "26/9/2023" in flagged["Nhiệm vụ 1 (nội dung)"]
    assert "năm học 2023-2024" in flagged["Căn cứ: 2457/QĐ-BGDĐT"]
    assert "Căn cứ của nhiệm vụ 1: 2457/QĐ-BGDĐT" in flagged
    # Its own year is not the old one; a plan made from scratch has nothing to compare with.
    assert "Tên kế hoạch" not in flagged and "Nhiệm vụ 2" not in flagged
    assert review.issue_review(world.plan).old_year == []


def test_old_year_detection_reads_years_not_digits() -> None:
    texts = [
        ("a", "", "Kế hoạch năm học 2024–2025"),
        ("b", "", "Kế hoạch năm học 2024 - 2025, giai đoạn 2021-2025"),
        ("c", "", "Mã 120234 và 20235"),
        ("d", "", "Năm học 2023 – 2024"),
        ("e", "", "Quyết toán năm 2024"),
    ]
    found = [item.label for item in review.find_old_year(texts, 2023, 2024)]
    assert found == ["d", "e"]
