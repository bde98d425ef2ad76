"""The year-end review step by step: where each person stands, self-assessment in its window,
the subject group's, the unit's and (for managers) the leadership's reviews, each keeping who,
when and why; nobody reviews their own; the unit's minutes and sending its reviews on."""

from __future__ import annotations

from decimal import Decimal

import pytest

from emulation.models import Evaluation, ReviewStep, Stage
from emulation.services import evaluations as services
from emulation.services.common import EmulationError
from emulation.tests.conftest import ASSESSMENT_DAY, REVIEW_DAY, Cycle
from notifications.models import Notification, NotificationKind


def evaluation_of(cycle: Cycle, role: str) -> Evaluation:
    return Evaluation.objects.get(campaign=cycle.campaign, person=cycle.people[role])


def told(username: str) -> list[str]:
    return list(
        Notification.objects.filter(
            user__username=username, kind=NotificationKind.EMULATION_REVIEW
        ).values_list("title", flat=True)
    )


@pytest.fixture
def prepared(cycle: Cycle) -> Cycle:
    cycle.clock.set(ASSESSMENT_DAY)
    made = services.prepare_evaluations(cycle.campaign, by=cycle.users["leadership"])
    assert made == 7  # every current staff member of the school, the officer of the Sở not
    return cycle


def test_each_person_stands_in_the_unit_under_the_school(prepared: Cycle) -> None:
    world = prepared.world
    staff = evaluation_of(prepared, "staff")
    assert (staff.unit, staff.subunit, staff.task_group, staff.is_manager) == (
        world.faculty,
        world.group,
        "Giảng viên",
        False,
    )
    clerk = evaluation_of(prepared, "clerk")
    assert (clerk.unit, clerk.subunit, clerk.task_group) == (world.office, None, "Văn thư")
    head = evaluation_of(prepared, "unit_head")
    assert (head.unit, head.task_group, head.is_manager) == (
        world.office,
        "Viên chức quản lý",
        True,
    )
    leader = evaluation_of(prepared, "leadership")
    assert leader.unit.name == "Ban Giám hiệu" and leader.is_manager
    assert services.prepare_evaluations(prepared.campaign, by=prepared.users["leadership"]) == 0
    # Everyone evaluated is told that the self-assessment is open.
    opened = Notification.objects.filter(
        kind=NotificationKind.EMULATION_CAMPAIGN, title__startswith="Tự đánh giá"
    )
    assert opened.count() == 6  # not the leader who opened it


def test_self_assessment_is_the_persons_own_in_its_window(prepared: Cycle) -> None:
    staff = evaluation_of(prepared, "staff")
    with pytest.raises(EmulationError, match="Chỉ người được đánh giá"):
        services.self_assess(staff, level="HTXS", comment="Tốt", by=prepared.users["colleague"])
    with pytest.raises(EmulationError, match="tự nhận xét"):
        services.self_assess(staff, level="HTXS", comment=" ", by=prepared.users["staff"])
    with pytest.raises(EmulationError, match="mức xếp loại"):
        services.self_assess(staff, level="XUẤT SẮC", comment="Tốt", by=prepared.users["staff"])
    prepared.clock.set(REVIEW_DAY)
    with pytest.raises(
        EmulationError, match="Thời hạn tự đánh giá là từ 01/05/2024 đến 15/05/2024"
    ):
        services.self_assess(staff, level="HTXS", comment="Tốt", by=prepared.users["staff"])
    prepared.clock.set(ASSESSMENT_DAY)
    services.self_assess(
        staff, level="HTXS", comment="Hoàn thành đúng hạn mọi nhiệm vụ.", by=prepared.users["staff"]
    )
    staff.refresh_from_db()
    assert (staff.stage, staff.self_level) == (Stage.SELF_ASSESSED, "HTXS")
    record = staff.history.first()
    assert record.history_user == prepared.users["staff"]
    assert record.history_change_reason == "Tự đánh giá: HTXS"
    # The head of the subject group reviews first, and is told.
    assert told("group_head") == ["Hoàng Văn An đã tự đánh giá: HTXS"]
    assert told("faculty_head") == []


def test_the_reviews_in_order_each_with_who_when_and_why(prepared: Cycle) -> None:
    users = prepared.users
    staff = evaluation_of(prepared, "staff")
    with pytest.raises(EmulationError, match="Đang chờ cá nhân tự đánh giá"):
        services.review(staff, ReviewStep.UNIT, level="HTT", comment="x", by=users["faculty_head"])
    services.self_assess(staff, level="HTXS", comment="Vượt giờ chuẩn.", by=users["staff"])
    services.review(
        staff, ReviewStep.GROUP, level="HTXS", comment="Tổ nhất trí.", by=users["group_head"]
    )
    assert told("staff") == ["Tổ, bộ môn đã nhận xét phiếu đánh giá của bạn: HTXS"]
    assert "Hoàng Văn An chờ đơn vị xét (Tổ, bộ môn đề nghị HTXS)" in told("faculty_head")
    with pytest.raises(EmulationError, match="không sửa tự đánh giá"):
        services.self_assess(staff, level="HTT", comment="Sửa", by=users["staff"])
    with pytest.raises(EmulationError, match="Hãy ghi nhận xét"):
        services.review(staff, ReviewStep.UNIT, level="HTT", comment="", by=users["faculty_head"])
    services.review(
        staff, ReviewStep.UNIT, level="HTT", comment="Còn 1 việc trễ hạn.", by=users["faculty_head"]
    )
    staff.refresh_from_db()
    assert (staff.stage, staff.unit_level, staff.proposed_level) == (
        Stage.UNIT_REVIEWED,
        "HTT",
        "HTT",
    )
    assert staff.unit_reviewed_by == prepared.people["faculty_head"]
    assert staff.history.first().history_change_reason == "Đơn vị đề nghị HTT: Còn 1 việc trễ hạn."
    with pytest.raises(EmulationError, match="Đơn vị đã xét"):
        services.review(staff, ReviewStep.GROUP, level="HTXS", comment="x", by=users["group_head"])
    with pytest.raises(EmulationError, match="chỉ xét riêng cán bộ quản lý"):
        services.review(
            staff, ReviewStep.LEADERSHIP, level="HTXS", comment="x", by=users["leadership"]
        )


def test_nobody_reviews_their_own_and_managers_go_to_the_leadership(prepared: Cycle) -> None:
    users = prepared.users
    head = evaluation_of(prepared, "unit_head")
    services.self_assess(
        head, level="HTXS", comment="Phòng đạt mọi chỉ tiêu.", by=users["unit_head"]
    )
    assert told("leadership") == ["Nguyễn Thị Phương Loan đã tự đánh giá: HTXS"]
    with pytest.raises(EmulationError, match="chính mình"):
        services.review(head, ReviewStep.UNIT, level="HTXS", comment="x", by=users["unit_head"])
    services.review(
        head,
        ReviewStep.LEADERSHIP,
        level="HTT",
        comment="Còn chỉ tiêu chưa đạt.",
        by=users["leadership"],
    )
    head.refresh_from_db()
    assert (head.stage, head.proposed_level) == (Stage.LEADERSHIP_REVIEWED, "HTT")
    leader = evaluation_of(prepared, "leadership")
    services.self_assess(leader, level="HTXS", comment="x", by=users["leadership"])
    with pytest.raises(EmulationError, match="chính mình"):
        services.review(
            leader, ReviewStep.LEADERSHIP, level="HTXS", comment="x", by=users["leadership"]
        )


def test_after_the_window_the_unit_reviews_those_who_did_not_assess(prepared: Cycle) -> None:
    clerk = evaluation_of(prepared, "clerk")
    prepared.clock.set(REVIEW_DAY)
    services.review(
        clerk,
        ReviewStep.UNIT,
        level="HT",
        comment="Không tự đánh giá.",
        by=prepared.users["unit_head"],
    )
    clerk.refresh_from_db()
    assert (clerk.stage, clerk.proposed_level) == (Stage.UNIT_REVIEWED, "HT")


def test_the_unit_sends_its_reviews_with_its_minutes(prepared: Cycle) -> None:
    users, office = prepared.users, prepared.world.office
    campaign = prepared.campaign
    with pytest.raises(EmulationError, match="biên bản"):
        services.submit_unit_reviews(campaign, office, by=users["unit_head"])
    part = services.save_unit_minutes(
        services.campaign_unit(campaign, office),
        meeting_on=REVIEW_DAY,
        minutes="Họp toàn phòng, 2/2 có mặt.",
        by=users["unit_head"],
    )
    with pytest.raises(EmulationError, match="Đơn vị chưa xét: Lý Thị Hoa"):
        services.submit_unit_reviews(campaign, office, by=users["unit_head"])
    clerk = evaluation_of(prepared, "clerk")
    services.self_assess(clerk, level="HTT", comment="Đúng hạn.", by=users["clerk"])
    services.review(clerk, ReviewStep.UNIT, level="HTT", comment="Nhất trí.", by=users["unit_head"])
    services.submit_unit_reviews(campaign, office, by=users["unit_head"])
    assert "Phòng Đào tạo gửi kết quả xét thi đua" in told("leadership")
    with pytest.raises(EmulationError, match="gửi kết quả xét lên Ban giám hiệu"):
        services.review(clerk, ReviewStep.UNIT, level="HTXS", comment="x", by=users["unit_head"])
    part.refresh_from_db()
    with pytest.raises(EmulationError, match="không sửa biên bản"):
        services.save_unit_minutes(part, meeting_on=None, minutes="x", by=users["unit_head"])


def test_facts_and_ranks_are_recorded_with_their_reason(prepared: Cycle) -> None:
    staff = evaluation_of(prepared, "staff")
    services.record_facts(
        staff,
        months_worked=Decimal("5.5"),
        discipline="khiển trách",
        task_group="Giảng viên",
        reason="Nghỉ thai sản từ 01/12/2023",
        by=prepared.users["clerk"],
    )
    staff.refresh_from_db()
    assert staff.months_worked == Decimal("5.5") and staff.discipline == "khiển trách"
    assert staff.history.first().history_change_reason == "Nghỉ thai sản từ 01/12/2023"
    with pytest.raises(EmulationError, match="từ 0 đến 12"):
        services.record_facts(
            staff,
            months_worked=Decimal(13),
            discipline=None,
            task_group="GV",
            by=prepared.users["clerk"],
        )
    with pytest.raises(EmulationError, match="kỷ luật không hợp lệ"):
        services.record_facts(
            staff,
            months_worked=Decimal(12),
            discipline="phạt",
            task_group="GV",
            by=prepared.users["clerk"],
        )
    changed = services.set_council_ranks(
        prepared.campaign,
        {staff.pk: 2, evaluation_of(prepared, "colleague").pk: None},
        by=prepared.users["leadership"],
    )
    assert changed == 1
    with pytest.raises(EmulationError, match="từ 1"):
        services.set_council_ranks(
            prepared.campaign, {staff.pk: 0}, by=prepared.users["leadership"]
        )


def test_an_edit_opened_before_anothers_save_conflicts(prepared: Cycle) -> None:
    staff = evaluation_of(prepared, "staff")
    opened_at = staff.version
    services.self_assess(
        staff, level="HTT", comment="Lần 1", by=prepared.users["staff"], expected_version=opened_at
    )
    from core.versioning import EditConflict

    with pytest.raises(EditConflict):
        services.self_assess(
            Evaluation.objects.get(pk=staff.pk),
            level="HTXS",
            comment="Lần 2",
            by=prepared.users["staff"],
            expected_version=opened_at,
        )
