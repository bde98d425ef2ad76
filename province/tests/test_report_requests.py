"""A report asked of the schools: who is asked and told, what a school submits (an issued report's
paper and headline figures, or its targets' figures with a sheet), frozen; a correction is a new
submission; on time or late by the first submission; a return asks for another."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal

import openpyxl
import pytest

from notifications.models import Notification, NotificationKind
from planning import services as plan_services
from province import reporting
from province.models import RequestedSchool, Submission, SubmissionState
from province.services import ProvinceError
from province.tests.conftest import Province
from province.tests.requests import (
    DEADLINE,
    ask_semester,
    ask_targets,
    college_principal,
    issued_semester,
    moment,
)
from reports.models import Report
from reports.tests.helpers import semester, track


def _told(user: object) -> list[str]:
    return list(
        Notification.objects.filter(user=user, kind=NotificationKind.REPORT_REQUESTED)
        .order_by("pk")
        .values_list("title", flat=True)
    )


def test_a_request_reaches_the_schools_addressed_and_their_clerks_and_leaders(
    province: Province,
) -> None:
    world = province.world
    principal = college_principal(province)
    asked = ask_semester(province)
    assert set(
        RequestedSchool.objects.filter(request=asked).values_list("school_id", flat=True)
    ) == {
        world.school.pk,
        province.college.pk,
    }
    for user in (world.users["clerk"], world.users["leadership"], principal):
        assert _told(user) == [
            "Sở GD&ĐT Mẫu yêu cầu báo cáo: Báo cáo sơ kết học kỳ I năm học 2023–2024"
        ]
    for user in (world.users["staff"], world.users["unit_head"], world.users["outsider"]):
        assert _told(user) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"deadline": dt.date(2023, 12, 19)}, "Hạn nộp không được trước hôm nay."),
        ({"title": " "}, "Hãy ghi tên báo cáo"),
        ({"kind": "bogus"}, "Hãy chọn loại báo cáo."),
        ({"kind": "targets"}, "Hãy ghi các chỉ tiêu cần báo cáo"),
        ({"kind": "targets", "targets": ["=" + "A" * 400]}, "Mỗi chỉ tiêu ghi tối đa 300 ký tự"),
    ],
)
def test_a_request_is_refused_when_incomplete(
    province: Province, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ProvinceError, match=message):
        ask_semester(province, **changes)
    assert not RequestedSchool.objects.exists()


def test_a_school_asks_no_other_school_for_reports(province: Province) -> None:
    world = province.world
    with pytest.raises(ProvinceError):
        reporting.create_request(
            world.school, kind="report_semester", title="Thử", start_year=2023,
            deadline=DEADLINE, audience="all", by=world.users["leadership"], at=moment(dt.date(2023, 12, 20)),
        )  # fmt: skip


def test_the_issued_report_is_submitted_with_its_paper_and_headline_frozen(
    province: Province,
) -> None:
    world = province.world
    report = issued_semester(province)
    asked = ask_semester(province)
    submission = reporting.submit(
        asked, world.school, by=world.users["clerk"], paper=report, at=moment(dt.date(2024, 1, 10))
    )
    assert submission.number == 1 and submission.on_time
    assert submission.source == "Số 01/BC-CĐM ngày 05/01/2024"
    content = submission.read()
    assert content.startswith(b"PK") and hashlib.sha256(content).hexdigest() == submission.sha256
    figures = dict(submission.figures)
    assert figures["Số liệu tính đến ngày"] == "05/01/2024"
    assert figures["Tỷ lệ hoàn thành đúng hạn"] == report.snapshot["on_time_rate"] + "%"
    assert figures["Nhiệm vụ theo dõi"] == str(report.snapshot["totals"]["total"])
    # The officer who asked is told.
    assert _told(province.users["officer"]) == [
        "CĐ Mẫu đã nộp báo cáo: Báo cáo sơ kết học kỳ I năm học 2023–2024 (lần 1)"
    ]


def test_a_draft_report_is_not_submitted(province: Province) -> None:
    world = province.world
    track(world)
    draft = semester(world)
    asked = ask_semester(province)
    with pytest.raises(ProvinceError, match="chưa ban hành"):
        reporting.submit(asked, world.school, by=world.users["leadership"], paper=draft)
    assert not Submission.objects.exists()


def test_a_school_submits_neither_another_schools_report_nor_to_a_request_not_addressed_to_it(
    province: Province,
) -> None:
    world = province.world
    report = issued_semester(province)
    asked = ask_semester(province)
    with pytest.raises(ProvinceError, match="của trường mình"):
        reporting.submit(asked, province.college, by=world.users["leadership"], paper=report)
    with pytest.raises(ProvinceError, match="không thuộc diện"):
        reporting.submit(asked, world.other_school, by=world.users["outsider"], paper=report)
    assert not Submission.objects.exists()


def test_a_correction_is_a_new_numbered_submission_and_the_first_never_changes(
    province: Province,
) -> None:
    world = province.world
    report = issued_semester(province)
    asked = ask_semester(province)
    by = world.users["clerk"]
    first = reporting.submit(
        asked, world.school, by=by, paper=report, at=moment(dt.date(2024, 1, 10))
    )
    figures, digest = list(first.figures), first.sha256
    second = reporting.submit(
        asked, world.school, by=by, paper=report, note="Bổ sung", at=moment(dt.date(2024, 1, 20))
    )
    first.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert first.figures == figures and first.sha256 == digest
    row = reporting.standing_of(asked, world.school)
    # The first submission was on time: a correction after the deadline does not make it late.
    assert row.current == second and row.first == first and row.state == SubmissionState.ON_TIME


@pytest.mark.parametrize(
    ("when", "state", "late"),
    [
        (moment(DEADLINE, 23, 30), SubmissionState.ON_TIME, 0),
        (moment(DEADLINE + dt.timedelta(days=1), 0, 30), SubmissionState.LATE, 1),
        (moment(DEADLINE + dt.timedelta(days=5)), SubmissionState.LATE, 5),
    ],
)
def test_on_time_or_late_by_the_local_day_of_the_first_submission(
    province: Province, when: dt.datetime, state: str, late: int
) -> None:
    world = province.world
    report = issued_semester(province)
    asked = ask_semester(province)
    reporting.submit(asked, world.school, by=world.users["clerk"], paper=report, at=when)
    row = reporting.standing_of(asked, world.school)
    assert (row.state, row.days_late) == (state, late)


def test_a_returned_submission_asks_for_another(province: Province) -> None:
    world = province.world
    report = issued_semester(province)
    asked = ask_semester(province)
    officer = province.users["officer"]
    first = reporting.submit(
        asked, world.school, by=world.users["clerk"], paper=report, at=moment(dt.date(2024, 1, 10))
    )
    with pytest.raises(ProvinceError, match="lý do"):
        reporting.return_submission(first, by=officer, reason="  ")
    reporting.return_submission(first, by=officer, reason="Thiếu số liệu chỉ tiêu tuyển sinh")
    assert reporting.standing_of(asked, world.school).state == SubmissionState.RETURNED
    told = Notification.objects.filter(user=world.users["clerk"], title__contains="trả lại")
    assert told.get().body == "Lý do: Thiếu số liệu chỉ tiêu tuyển sinh. Hãy nộp lại."
    with pytest.raises(ProvinceError, match="đã được trả lại"):
        reporting.return_submission(first, by=officer, reason="Lần nữa")
    second = reporting.submit(
        asked, world.school, by=world.users["clerk"], paper=report, at=moment(dt.date(2024, 1, 12))
    )
    with pytest.raises(ProvinceError, match="mới nhất"):
        reporting.return_submission(first, by=officer, reason="Cũ")
    row = reporting.standing_of(asked, world.school)
    assert row.state == SubmissionState.ON_TIME and row.current == second
    first.refresh_from_db()
    assert first.return_reason == "Thiếu số liệu chỉ tiêu tuyển sinh"


def test_target_figures_are_read_from_the_plan_matched_by_code_or_name_and_frozen(
    province: Province,
) -> None:
    world = province.world
    world.target.code = "CT01"
    world.target.save()
    issued_semester(province)
    asked = ask_targets(province, ["ty le tuyen sinh", "CT01", "Số sinh viên nhập học"])
    submission = reporting.submit(
        asked, world.school, by=world.users["leadership"], at=moment(dt.date(2024, 1, 10))
    )
    # The plan's latest reading (95, after the cut-off of the report) against a target of 90.
    assert submission.figures == [
        ["ty le tuyen sinh", "95% (đạt)"],
        ["CT01", "95% (đạt)"],
        ["Số sinh viên nhập học", "Không có chỉ tiêu này"],
    ]
    assert submission.source == world.plan.title
    sheet = openpyxl.load_workbook(io.BytesIO(submission.read()))["Số liệu chỉ tiêu"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0][:7] == [1, "ty le tuyen sinh", "CT01", "Tỷ lệ tuyển sinh", "%", "90", "95"]
    assert rows[2][1] == "Số sinh viên nhập học" and rows[2][-1] == "Không có chỉ tiêu này"
    # A later reading changes the plan, not what was submitted.
    world.target.actual_value = Decimal("80")
    world.target.save()
    submission.refresh_from_db()
    assert submission.figures[0] == ["ty le tuyen sinh", "95% (đạt)"]
    labels = reporting.figure_labels(reporting.standings(asked), asked)
    assert labels == ["ty le tuyen sinh", "CT01", "Số sinh viên nhập học"]


def test_target_figures_need_an_issued_plan(province: Province) -> None:
    asked = ask_targets(province, ["Tỷ lệ tuyển sinh"])
    world = province.world  # its plan is a draft: the school's own business
    with pytest.raises(ProvinceError, match="chưa có kế hoạch"):
        reporting.submit(asked, world.school, by=world.users["leadership"])
    plan_services.issue_plan(world.plan, by=world.users["leadership"], on=dt.date(2023, 9, 26))
    assert reporting.submit(asked, world.school, by=world.users["leadership"]).number == 1


def test_standings_give_every_school_asked_its_state(province: Province) -> None:
    world = province.world
    report = issued_semester(province)
    asked = ask_semester(province)
    reporting.submit(
        asked, world.school, by=world.users["clerk"], paper=report, at=moment(dt.date(2024, 1, 17))
    )
    rows = {row.school.pk: row for row in reporting.standings(asked, dt.date(2024, 1, 20))}
    assert set(rows) == {world.school.pk, province.college.pk}
    assert (rows[world.school.pk].state, rows[world.school.pk].days_late) == ("late", 2)
    assert (rows[province.college.pk].state, rows[province.college.pk].days_late) == ("missing", 5)
    assert rows[province.college.pk].level_label == "Cao đẳng"
    # Punctuality over the Sở's requests: one due for each college, none kept on time.
    counts = reporting.punctuality(
        province.sgd.pk, [world.school.pk, province.college.pk], dt.date(2024, 1, 20)
    )
    assert counts == {world.school.pk: (1, 0), province.college.pk: (1, 0)}


def test_a_request_not_due_and_not_answered_counts_for_nobody(province: Province) -> None:
    ask_semester(province)
    ids = [province.world.school.pk, province.college.pk]
    assert reporting.punctuality(province.sgd.pk, ids, dt.date(2024, 1, 10)) == {}


def test_unissued_report_kind_lists_no_papers(province: Province) -> None:
    world = province.world
    report = issued_semester(province)
    asked = ask_semester(province)
    papers = reporting.issued_papers(asked, world.school.pk)
    assert [(p.kind, p.object_id) for p in papers] == [("report_semester", report.pk)]
    assert reporting.issued_papers(asked, province.college.pk) == []
    assert Report.objects.filter(plan=world.plan).count() == 1
