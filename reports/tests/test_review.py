"""The review step: submitted for signature (trình ký), returned with a reason, issued; who is told
at each step, what the history keeps, and two people never overwriting each other."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import World, make_person
from notifications.models import Notification, NotificationKind
from organisations.models import Role
from reports import services
from reports.models import Report, ReportStatus
from reports.tests.helpers import CUTOFF, semester, track, unit_report
from reports.tests.review import add_reviewers, principal, told

TO_REVIEW = NotificationKind.REPORT_TO_REVIEW
RETURNED = NotificationKind.REPORT_RETURNED
ISSUED = NotificationKind.REPORT_ISSUED


@pytest.fixture
def reviewed(world: World) -> World:
    return add_reviewers(track(world))


def submit(world: World, report: Report, role: str = "vice", note: str = "") -> Report:
    return services.submit_report(
        report, by=world.users[role], note=note, expected_version=report.version
    )


def give_back(world: World, report: Report, reason: str, role: str = "leadership") -> Report:
    return services.return_report(
        report, by=world.users[role], reason=reason, expected_version=report.version
    )


def test_submitting_the_schools_report_tells_leadership(reviewed: World) -> None:
    report = submit(reviewed, semester(reviewed), note="Kính trình Hiệu trưởng xem xét.")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == reviewed.users["vice"] and report.submitted_at is not None
    assert report.submission_note == "Kính trình Hiệu trưởng xem xét."
    # The principal, not the vice-principal who submitted, nor the unit heads or staff.
    assert told(TO_REVIEW) == [reviewed.users["leadership"]]
    notice = Notification.objects.get(kind=TO_REVIEW)
    assert notice.url == f"/reports/{report.pk}/"
    assert notice.title == "Trình ký báo cáo: Sơ kết học kỳ I năm học 2023–2024"
    assert "Trần Văn Phó trình ký lúc" in notice.body
    assert "Lời trình: Kính trình Hiệu trưởng xem xét." in notice.body
    record = report.history.first()  # type: ignore[attr-defined]
    assert record.history_change_reason == "Trình ký báo cáo"
    assert record.history_user == reviewed.users["vice"]
    assert record.status == ReportStatus.SUBMITTED


def test_submitting_a_units_report_tells_its_heads(reviewed: World) -> None:
    report = submit(reviewed, unit_report(reviewed), role="deputy")
    assert report.status == ReportStatus.SUBMITTED
    assert told(TO_REVIEW) == [reviewed.users["unit_head"]]  # not leadership, not the deputy


def test_a_unit_head_submitting_alone_tells_nobody(reviewed: World) -> None:
    """The deputy is the office's other signer: told. Without one, nobody else signs."""
    submit(reviewed, unit_report(reviewed), role="unit_head")
    assert told(TO_REVIEW) == [reviewed.users["deputy"]]


def test_what_cannot_be_submitted(reviewed: World) -> None:
    report = semester(reviewed)
    with pytest.raises(services.ReportError, match="dài quá 1000 ký tự"):
        submit(reviewed, report, note="x" * 1001)
    with pytest.raises(services.StaleReport):
        services.submit_report(
            report, by=reviewed.users["vice"], expected_version=report.version - 1
        )
    report = submit(reviewed, report)
    with pytest.raises(services.ReportError, match="đã được trình ký"):
        submit(reviewed, report, role="leadership")
    issued = services.issue_report(
        report, by=reviewed.users["leadership"], on=CUTOFF, signer=principal(reviewed)
    )
    with pytest.raises(services.ReportError, match="đã ban hành"):
        submit(reviewed, issued)
    assert told(TO_REVIEW) == [reviewed.users["leadership"]]  # told once, by the one submission


@pytest.mark.parametrize("reason", ["", "   \n  "])
def test_returning_needs_a_reason(reviewed: World, reason: str) -> None:
    report = submit(reviewed, semester(reviewed))
    with pytest.raises(services.ReportError, match="Hãy ghi lý do trả lại"):
        give_back(reviewed, report, reason)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.return_reason == ""
    assert not Notification.objects.filter(kind=RETURNED).exists()


def test_returning_tells_the_one_who_submitted(reviewed: World) -> None:
    report = submit(reviewed, semester(reviewed))
    reason = "Phần tồn tại, hạn chế chưa nêu nguyên nhân; bổ sung số liệu tuyển sinh."
    report = give_back(reviewed, report, f"  {reason}  ")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert (report.returned_by, report.return_reason) == (reviewed.users["leadership"], reason)
    assert told(RETURNED) == [reviewed.users["vice"]]
    notice = Notification.objects.get(kind=RETURNED)
    assert notice.title.startswith("Báo cáo bị trả lại để chỉnh sửa: Sơ kết học kỳ I")
    assert notice.body == f"Phùng Quý Sơn trả lại. Lý do: {reason}"
    assert notice.url == f"/reports/{report.pk}/"
    assert report.history.first().history_change_reason == "Trả lại báo cáo để chỉnh sửa"  # type: ignore[attr-defined]


def test_what_cannot_be_returned(reviewed: World) -> None:
    draft = semester(reviewed)
    with pytest.raises(services.ReportError, match="Chỉ trả lại được báo cáo đang chờ ký"):
        give_back(reviewed, draft, "Chưa đạt")
    report = submit(reviewed, draft)
    with pytest.raises(services.ReportError, match="hãy sửa trực tiếp"):
        give_back(reviewed, report, "Tự trả lại", role="vice")
    with pytest.raises(services.StaleReport):
        services.return_report(
            report, by=reviewed.users["leadership"], reason="Chưa đạt", expected_version=1
        )
    with pytest.raises(services.ReportError, match="dài quá"):
        give_back(reviewed, report, "x" * 1001)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert not Notification.objects.filter(kind=RETURNED).exists()


def test_a_returned_report_is_revised_and_submitted_again(reviewed: World) -> None:
    report = give_back(reviewed, submit(reviewed, semester(reviewed)), "Bổ sung đề xuất.")
    report = services.update_narrative(
        report, by=reviewed.users["vice"], texts={"proposals": "Đề nghị cấp kinh phí."},
        expected_version=report.version,
    )  # fmt: skip
    assert report.status == ReportStatus.RETURNED  # revising is not submitting
    report = submit(reviewed, report, note="Đã bổ sung đề xuất.")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert (report.return_reason, report.returned_by, report.returned_at) == ("", None, None)
    # The history keeps the return, its reason and who made it.
    reasons = list(report.history.values_list("history_change_reason", "return_reason"))  # type: ignore[attr-defined]
    assert reasons[:4] == [
        ("Trình ký báo cáo", ""),
        ("Sửa nội dung báo cáo", "Bổ sung đề xuất."),
        ("Trả lại báo cáo để chỉnh sửa", "Bổ sung đề xuất."),
        ("Trình ký báo cáo", ""),
    ]
    assert told(TO_REVIEW) == [reviewed.users["leadership"]] * 2


def test_editing_after_submission_keeps_it_submitted_and_shows_what_changed(
    reviewed: World,
) -> None:
    report = submit(reviewed, semester(reviewed))
    assert services.changed_since_submission(report) == []
    report = services.update_narrative(
        report, by=reviewed.users["vice"],
        texts={"proposals": "Đề nghị mới.", "area_comments": {str(reviewed.area.pk): "Tốt."}},
        expected_version=report.version,
    )  # fmt: skip
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.history.first().history_change_reason == (  # type: ignore[attr-defined]
        "Sửa nội dung báo cáo sau khi trình ký"
    )
    assert services.changed_since_submission(report) == [
        "Nhận xét kết quả theo lĩnh vực",
        "Đề xuất, kiến nghị",
    ]
    # A second editor who opened the report before that edit is refused, not overwritten.
    with pytest.raises(services.StaleReport):
        services.update_narrative(
            report, by=reviewed.users["leadership"], texts={"proposals": "Khác."},
            expected_version=report.version - 1,
        )  # fmt: skip
    # Submitted again: what the signer is told now is the current text.
    report = give_back(reviewed, report, "Xem lại.")
    report = submit(reviewed, report)
    assert services.changed_since_submission(report) == []


def test_issuing_a_submitted_report_keeps_the_trail_and_tells_the_submitter(
    reviewed: World,
) -> None:
    """The faculty's head drafts and submits the report of Tổ Toán, below the faculty; the
    group's head signs it. Issuing tells leadership and the group's heads, who would not
    include the faculty's head, and the one who submitted."""
    _person, faculty_head = make_person(
        reviewed.school, reviewed.faculty, "Lê Văn Khoa", "faculty_head", "Trưởng khoa", Role.HEAD
    )
    group_person, group_head = make_person(
        reviewed.school, reviewed.group, "Vũ Thị Tổ", "group_head", "Tổ trưởng", Role.HEAD
    )
    reviewed.group.abbreviation = "TT"
    reviewed.group.save()
    report = services.create_report(
        reviewed.plan, kind="unit", unit=reviewed.group, cutoff=CUTOFF, by=faculty_head
    )
    report = services.submit_report(report, by=faculty_head, expected_version=report.version)
    assert told(TO_REVIEW) == [group_head]
    signer = group_person.positions.get()
    report = services.issue_report(
        report, by=group_head, on=CUTOFF, signer=signer, expected_version=report.version
    )
    assert report.status == ReportStatus.ISSUED
    assert report.submitted_by == faculty_head  # the trail stays on the issued report
    assert told(ISSUED) == [reviewed.users["leadership"], reviewed.users["vice"], faculty_head]


def test_the_submitter_is_told_of_the_issue_once(reviewed: World) -> None:
    report = submit(reviewed, semester(reviewed))
    services.issue_report(
        report, by=reviewed.users["leadership"], on=CUTOFF, signer=principal(reviewed),
        expected_version=report.version,
    )  # fmt: skip
    recipients = told(ISSUED)
    assert recipients.count(reviewed.users["vice"]) == 1
    assert reviewed.users["leadership"] not in recipients  # who issued it


def test_a_signer_still_issues_their_own_draft(reviewed: World) -> None:
    report = services.issue_report(
        semester(reviewed), by=reviewed.users["leadership"], on=dt.date(2024, 1, 8),
        signer=principal(reviewed),
    )  # fmt: skip
    assert report.status == ReportStatus.ISSUED and report.submitted_by is None
    assert not Notification.objects.filter(kind=TO_REVIEW).exists()
