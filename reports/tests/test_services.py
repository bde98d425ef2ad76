"""Reports: drafts from the check-ins, figures as of the cut-off, issuing, concurrency, archive."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import World
from notifications.models import Notification, NotificationKind
from organisations.models import Position
from papers.models import IssuedPaper
from reports import figures, services
from reports.models import Report, ReportStatus
from reports.tests.helpers import CUTOFF, report_on, semester, track, unit_report
from tracking import services as tracking


@pytest.fixture
def tracked(world: World) -> World:
    return track(world)


def principal(world: World) -> Position:
    return Position.objects.get(person=world.people["leadership"], organisation=world.school)


def test_narrative_is_drafted_from_checkins_up_to_the_cutoff(tracked: World) -> None:
    report = semester(tracked)
    assert "Kinh phí tư vấn tuyển sinh cấp muộn. (Khoa Tự nhiên)" in report.shortcomings
    assert "Thiếu phòng thi." in report.shortcomings
    assert "Đào tạo:" in report.shortcomings  # grouped by area
    assert "Khó khăn sau ngày chốt" not in report.shortcomings
    assert "Đề nghị bố trí xe đi tư vấn tuyển sinh. (Khoa Tự nhiên)" in report.proposals
    # The office's own task is not the school's: its proposal stays in the unit's report.
    assert "máy chủ" not in report.proposals
    comment = report.area_comments[str(tracked.area.pk)]
    assert "Tuyển sinh và duy trì sĩ số: Đã tổ chức tư vấn tuyển sinh" in comment
    # Direction: the overdue task first, then those still within their deadline.
    assert report.direction.index("3. Tổng kết thi học kỳ") < report.direction.index(
        "Tuyển sinh và duy trì sĩ số"
    )
    assert "học kỳ II" in report.direction
    assert "05/01/2024" in report.situation


def test_figures_are_read_as_of_the_cutoff(tracked: World) -> None:
    data = figures.compute(semester(tracked))
    assert data["totals"] == {
        "done_on_time": 1, "done_late": 0, "open_in_time": 2, "open_overdue": 1, "total": 4,
    }  # fmt: skip
    [target] = data["targets"]
    # The reading of 25/02/2024 came after the cut-off: the value then was 70.
    assert (target["actual"], target["measured_on"], target["state"]) == ("70", "25/11/2023", "Chưa đạt")  # fmt: skip
    [overdue] = data["overdue"]
    assert (overdue["title"], overdue["due"], overdue["progress"], overdue["days_late"]) == (
        "Tổng kết thi học kỳ", "20/12/2023", "50%", 16,
    )  # fmt: skip
    assert data["checkins"] == 3  # in the period, on the school's tasks
    # Rates over the tasks whose original deadline has come: 1 of 2 done, on time.
    assert (data["due"], data["due_done"], data["done_rate"], data["on_time_rate"]) == (
        2,
        1,
        "50",
        "50",
    )


def test_done_late_is_measured_against_the_original_deadline(tracked: World) -> None:
    extension = tracking.request_extension(
        tracked.late, new_due=dt.date(2024, 1, 31), reason="Trùng lịch thi",
        by=tracked.users["leadership"], on=dt.date(2023, 12, 15),
    )  # fmt: skip
    tracking.decide_extension(
        extension, accept=True, note="", by=tracked.users["leadership"], on=dt.date(2023, 12, 16)
    )
    tracked.late.refresh_from_db()
    report_on(tracked, tracked.late, dt.date(2024, 1, 3), 100)
    data = figures.compute(semester(tracked))
    assert data["totals"]["done_late"] == 1
    assert data["totals"]["open_overdue"] == 0


def test_unit_report_counts_the_units_tasks(tracked: World) -> None:
    report = unit_report(tracked)
    data = figures.compute(report)
    assert [t["title"] for t in data["tasks"]] == ["Cập nhật cổng tuyển sinh"]
    assert data["tasks"][0]["progress"] == "30%"
    assert [t["name"] for t in data["targets"]] == ["Tỷ lệ tuyển sinh"]  # the office answers for it
    assert "máy chủ cổng tuyển sinh" in report.proposals
    assert report.summary == (
        "Kết quả thực hiện nhiệm vụ học kỳ I năm học 2023–2024 của Phòng Đào tạo"
    )


def test_unit_report_needs_a_unit_of_the_school(world: World) -> None:
    with pytest.raises(services.ReportError):
        services.create_report(world.plan, kind="unit", cutoff=CUTOFF, by=None)
    with pytest.raises(services.ReportError):
        services.create_report(
            world.plan, kind="unit", unit=world.other_school, cutoff=CUTOFF, by=None
        )
    with pytest.raises(services.ReportError):
        services.create_report(world.plan, kind="year", cutoff=dt.date(2025, 1, 1), by=None)


def test_a_second_editor_is_told(tracked: World) -> None:
    report = semester(tracked)
    opened = report.version
    services.update_narrative(
        report, by=tracked.users["leadership"], texts={"situation": "Bản của người thứ nhất."},
        expected_version=opened,
    )  # fmt: skip
    with pytest.raises(services.StaleReport) as error:
        services.update_narrative(
            report, by=tracked.users["leadership"], texts={"situation": "Bản thứ hai."},
            expected_version=opened,
        )  # fmt: skip
    assert "Phùng Quý Sơn" in error.value.message
    report.refresh_from_db()
    assert report.situation == "Bản của người thứ nhất."


def test_issue_takes_a_bc_number_and_freezes_the_figures(tracked: World) -> None:
    report = semester(tracked)
    issued = services.issue_report(
        report, by=tracked.users["leadership"], on=CUTOFF, signer=principal(tracked)
    )
    assert issued.status == ReportStatus.ISSUED
    paper = IssuedPaper.objects.get(kind="report_semester", object_id=report.pk)
    assert paper.document.symbol == "01/BC-CĐM"
    assert paper.document.doc_type.code == "BC"
    assert (issued.signing_mark, issued.signer_title, issued.signer_name) == (
        "", "Hiệu trưởng", "Phùng Quý Sơn",
    )  # fmt: skip
    frozen = issued.snapshot
    assert frozen == figures.compute(issued)
    # Data entered later (a late check-in dated before the cut-off) changes the live figures
    # but not the issued ones.
    report_on(tracked, tracked.late, dt.date(2023, 12, 30), 100)
    issued.refresh_from_db()
    assert issued.snapshot == frozen
    live = figures.compute(issued)
    assert live != frozen
    assert "số nhiệm vụ theo lĩnh vực" in figures.differences(frozen, live)
    with pytest.raises(services.ReportError):
        services.update_narrative(issued, by=None, texts={"situation": "x"}, expected_version=None)


def test_a_second_report_takes_the_next_number(tracked: World) -> None:
    first = semester(tracked)
    services.issue_report(
        first, by=tracked.users["leadership"], on=CUTOFF, signer=principal(tracked)
    )
    second = services.create_report(tracked.plan, kind="year", cutoff=dt.date(2024, 5, 31), by=None)
    services.issue_report(
        second, by=tracked.users["leadership"], on=dt.date(2024, 6, 5), signer=principal(tracked)
    )
    assert IssuedPaper.objects.get(object_id=second.pk, kind="report_year").document.symbol == (
        "02/BC-CĐM"
    )


def test_a_deputy_signs_for_the_head(tracked: World) -> None:
    deputy = Position.objects.create(
        person=tracked.people["staff"], organisation=tracked.office, title="Phó Trưởng phòng",
        role="deputy",
    )  # fmt: skip
    report = unit_report(tracked)
    assert deputy in services.signer_choices(report, CUTOFF)
    issued = services.issue_report(
        report, by=tracked.users["unit_head"], on=dt.date(2024, 1, 8), signer=deputy
    )
    assert issued.signing_mark == "KT. TRƯỞNG PHÒNG"
    symbol = IssuedPaper.objects.get(kind="report_unit", object_id=report.pk).document.symbol
    assert symbol == "01/BC-PĐT"


def test_only_a_current_signer_of_the_report_may_sign(tracked: World) -> None:
    outsider = Position.objects.get(person=tracked.people["outsider"])
    with pytest.raises(services.ReportError):
        services.issue_report(semester(tracked), by=None, on=CUTOFF, signer=outsider)


def test_drafts_are_archived_not_deleted(tracked: World) -> None:
    report = semester(tracked)
    services.archive_report(report, by=tracked.users["leadership"])
    assert Report.objects.get(pk=report.pk).is_archived
    assert not Report.objects.active().filter(pk=report.pk).exists()


def test_history_is_kept(tracked: World) -> None:
    report = semester(tracked)
    services.update_narrative(
        report, by=tracked.users["leadership"], texts={"proposals": "Đề nghị mới."},
        expected_version=report.version,
    )  # fmt: skip
    reasons = list(report.history.values_list("history_change_reason", flat=True))  # type: ignore[attr-defined]
    assert reasons[0] == "Sửa nội dung báo cáo"
    assert len(reasons) == 2


def test_target_state_follows_direction(world: World) -> None:
    world.target.direction = "lower"
    world.target.target_value = Decimal("5")
    world.target.save()
    tracking.record_target_value(world.target, Decimal("3"), on=dt.date(2023, 12, 1), by=None)
    [row] = figures.compute(semester(world))["targets"]
    assert row["state"] == "Đạt"


def test_issuing_the_schools_report_tells_leadership_and_the_unit_heads(tracked: World) -> None:
    report = semester(tracked)
    services.issue_report(
        report, by=tracked.users["leadership"], on=CUTOFF, signer=principal(tracked)
    )
    told = Notification.objects.filter(kind=NotificationKind.REPORT_ISSUED)
    assert [n.user for n in told] == [tracked.users["unit_head"]]  # not the one who issued it
    assert told[0].url == f"/reports/{report.pk}/"
    assert "Sơ kết học kỳ I" in told[0].title
