"""Appeals in their window, the principal's decision and the tờ trình: numbered once, unchanged
afterwards, their lists the decision's; the bonus amounts from the dated base salary and scale;
final levels and titles written for the person and for the years after; certificates from a
school's template through the safe path."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from emulation.excel_decision import decision_workbook
from emulation.models import (
    Appeal,
    AppealStatus,
    BaseSalary,
    BonusScale,
    CampaignStatus,
    Decision,
    Evaluation,
    ReviewStep,
    Stage,
    TitleHistory,
    TitleSource,
)
from emulation.services import appeals as appeal_services
from emulation.services import decisions as services
from emulation.services import evaluations as evaluation_services
from emulation.services.common import EmulationError
from emulation.services.council import active_vote
from emulation.tests.council_helpers import APPEALS_CLOSE, COUNCIL_DAY, DECISION_DAY, Council
from notifications.models import Notification, NotificationKind
from papers import services as paper_services
from papers.docx_templates import starter_template
from papers.models import IssuedPaper
from papers.registry import get as paper_kind
from papers.tests.helpers import assert_decree_30_page, open_docx, text_of


def _decide(council: Council, on: dt.date = DECISION_DAY) -> Decision:
    council.cycle.clock.set(on)
    campaign = council.campaign
    signer = services.signer_choices(campaign, on)[0]
    return services.issue_decision(campaign, on=on, signer=signer, by=council.users["leadership"])


# Appeals ----------------------------------------------------------------------------------------


def test_no_appeal_before_the_results_are_published(council: Council) -> None:
    council.open()
    with pytest.raises(EmulationError, match="chưa được công khai"):
        appeal_services.file_appeal(council.campaign, text="Chưa đúng", by=council.users["staff"])


def test_appeals_within_the_window_on_ones_own_result(council: Council) -> None:
    council.run_to_published()
    campaign = council.campaign
    assert (campaign.appeals_open, campaign.appeals_close) == (COUNCIL_DAY, APPEALS_CLOSE)
    appeal = appeal_services.file_appeal(
        campaign, text="Tôi có minh chứng vượt nhiệm vụ.", by=council.users["lecturer4"]
    )
    assert appeal.evaluation == council.evaluation("lecturer4") and appeal.is_pending
    with pytest.raises(EmulationError, match="một kiến nghị"):
        appeal_services.file_appeal(campaign, text="Lần hai", by=council.users["lecturer4"])
    with pytest.raises(EmulationError, match="nội dung"):
        appeal_services.file_appeal(campaign, text="   ", by=council.users["lecturer3"])
    told = Notification.objects.filter(kind=NotificationKind.EMULATION_APPEAL)
    assert told.filter(user=council.users["leadership"]).exists()
    council.cycle.clock.set(APPEALS_CLOSE + dt.timedelta(days=1))
    with pytest.raises(EmulationError, match="Thời hạn kiến nghị là từ 28/05/2024 đến 04/06/2024"):
        appeal_services.file_appeal(campaign, text="Muộn", by=council.users["lecturer3"])
    with pytest.raises(EmulationError, match="hồ sơ cán bộ"):
        appeal_services.file_appeal(campaign, text="Người ngoài", by=council.users["outsider"])


def test_an_accepted_appeal_sets_the_level_again_and_the_decision_shows_the_change(
    council: Council,
) -> None:
    council.run_to_published()
    campaign = council.campaign
    appeal = appeal_services.file_appeal(
        campaign, text="Tôi hoàn thành tốt mọi nhiệm vụ.", by=council.users["lecturer4"]
    )
    with pytest.raises(EmulationError, match="Hãy ghi"):
        appeal_services.answer_appeal(appeal, accepted=True, answer=" ", by=council.users["leadership"])  # fmt: skip
    appeal_services.answer_appeal(
        appeal, accepted=True, answer="Đối chiếu minh chứng: đạt HTT.", level="HTT",
        by=council.users["leadership"],
    )  # fmt: skip
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ACCEPTED
    evaluation = council.evaluation("lecturer4")
    assert (evaluation.leadership_level, evaluation.proposed_level) == ("HTT", "HTT")
    assert "sau kiến nghị" in evaluation.history.first().history_change_reason
    assert Notification.objects.filter(
        kind=NotificationKind.EMULATION_APPEAL, user=council.users["lecturer4"]
    ).exists()
    council.cycle.clock.set(DECISION_DAY)
    state = services.draft(campaign, DECISION_DAY)
    assert state.blocking == []
    assert any("Giảng viên 4: công khai HT, nay HTT, LĐTT" in d for d in state.differences)


def test_nobody_answers_their_own_appeal(council: Council) -> None:
    council.run_to_published()
    appeal = appeal_services.file_appeal(
        council.campaign, text="Kiến nghị của Hiệu trưởng", by=council.users["leadership"]
    )
    with pytest.raises(EmulationError, match="chính mình") as refused:
        appeal_services.answer_appeal(appeal, accepted=False, answer="Không", by=council.users["leadership"])  # fmt: skip
    assert refused.value.status == 403


def test_no_decision_during_the_window_nor_while_an_appeal_waits(council: Council) -> None:
    council.run_to_published()
    appeal = appeal_services.file_appeal(
        council.campaign, text="Xin xem lại", by=council.users["colleague"]
    )
    council.cycle.clock.set(APPEALS_CLOSE)
    assert any("thời hạn nhận kiến nghị" in b for b in services.draft(council.campaign).blocking)
    with pytest.raises(EmulationError, match="thời hạn nhận kiến nghị"):
        _decide(council, APPEALS_CLOSE)
    with pytest.raises(EmulationError, match="chưa trả lời"):
        _decide(council)
    appeal_services.answer_appeal(appeal, accepted=False, answer="Giữ nguyên", by=council.users["leadership"])  # fmt: skip
    assert _decide(council).campaign_id == council.campaign.pk
    with pytest.raises(EmulationError, match="Đã có quyết định"):
        appeal_services.file_appeal(council.campaign, text="Sau", by=council.users["staff"])


# The decision -----------------------------------------------------------------------------------


def test_the_decision_writes_each_result_and_the_years_titles(council: Council) -> None:
    council.run_to_published()
    decision = _decide(council)
    campaign = council.campaign
    assert campaign.status == CampaignStatus.CLOSED
    staff = council.evaluation("staff")
    assert (staff.final_level, staff.final_titles, staff.stage) == ("HTXS", ["LĐTT", "CSTĐCS"], Stage.DECIDED)  # fmt: skip
    assert staff.decided_on == DECISION_DAY
    # CSTĐ cấp bộ is proposed above, not decided here.
    head = council.evaluation("faculty_head")
    assert head.final_titles == ["LĐTT", "CSTĐCS"]
    lecturer = council.evaluation("lecturer4")
    assert (lecturer.final_level, lecturer.final_titles) == ("HT", [])
    row = TitleHistory.objects.get(person=council.people["staff"], start_year=2023)
    assert (row.titles, row.level, row.source) == (["LĐTT", "CSTĐCS"], "HTXS", TitleSource.DECIDED)
    assert row.decision == "01/QĐ-CĐM"
    unit = TitleHistory.objects.get(unit=council.cycle.world.faculty, person=None, start_year=2023)
    assert unit.titles == ["TTLĐTT"]
    # Decided: nobody reviews again.
    with pytest.raises(EmulationError):
        evaluation_services.review(
            staff, ReviewStep.LEADERSHIP, level="HT", comment="Sửa", by=council.users["leadership"]
        )
    assert Notification.objects.filter(
        kind=NotificationKind.EMULATION_DECISION, user=council.users["staff"]
    ).exists()
    assert decision.snapshot["counts"] == {"LĐTT": 11, "CSTĐCS": 2, "TTLĐTT": 2}
    # The working units only: neither the school nor its board recognised by its own decision;
    # the school as a whole is proposed above (TTLĐXS, passed by the council).
    world = council.cycle.world
    assert set(
        TitleHistory.objects.filter(person=None, start_year=2023).values_list("unit", flat=True)
    ) == {world.office.pk, world.faculty.pk}
    school = decision.snapshot["school"]
    assert (school["unit"], school["title"], school["proposed"]) == (
        world.school.pk,
        None,
        "TTLĐXS",
    )
    assert [
        (p["kind"], p["unit"]) for p in decision.snapshot["proposals"] if p["kind"] == "ttldxs"
    ] == [
        ("ttldxs", world.faculty.name),
        ("ttldxs", world.school.name),
    ]


def test_the_decision_is_numbered_once_and_never_changes(council: Council) -> None:
    council.run_to_published()
    _decide(council)
    campaign = council.campaign
    issued = IssuedPaper.objects.get(kind=services.DECISION_KIND, object_id=campaign.pk)
    assert issued.document.symbol == "01/QĐ-CĐM"
    stored = issued.read()
    assert hashlib.sha256(stored).hexdigest() == issued.sha256
    with pytest.raises(EmulationError, match="đã có quyết định"):
        _decide(council)
    assert IssuedPaper.objects.filter(kind=services.DECISION_KIND).count() == 1
    # Later changes (a name, a level) do not touch what was issued.
    person = council.people["staff"]
    person.full_name = "Hoàng Văn An Đổi Tên"
    person.save()
    Evaluation.objects.filter(pk=council.evaluation("lecturer4").pk).update(final_level="HTXS")
    download = council.client("staff").get(
        reverse("papers:download", args=[services.DECISION_KIND, campaign.pk, "docx"])
    )
    assert download.status_code == 200 and download.content == stored
    assert "Hoàng Văn An Đổi Tên" not in text_of(open_docx(download.content))


def test_the_papers_lists_are_the_decisions(council: Council) -> None:
    council.run_to_published()
    decision = _decide(council)
    document = open_docx(IssuedPaper.objects.get(kind=services.DECISION_KIND).read())
    assert_decree_30_page(document)
    text = text_of(document)
    for expected in (
        "QUYẾT ĐỊNH",
        "Số: 01/QĐ-CĐM",
        "Lạng Sơn, ngày 10 tháng 6 năm 2024",
        "Về việc công nhận danh hiệu thi đua năm học 2023–2024",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Nghị định số 98/2023/NĐ-CP",
        "2 cá nhân đạt danh hiệu “Chiến sĩ thi đua cơ sở”",
        "1.800.000 đồng/tháng",
        "(Kèm theo Quyết định số 01/QĐ-CĐM ngày 10 tháng 6 năm 2024",
    ):
        assert expected in text, expected
    tables = [
        (
            tuple(cell.text for cell in table.rows[0].cells),
            [[cell.text for cell in row.cells] for row in table.rows[1:]],
        )
        for table in document.tables
        if table.rows[0].cells[0].text == "TT"
    ]
    cstdcs, ldtt = [rows for header, rows in tables if "Họ và tên" in header]
    expected_cstdcs = [r for r in decision.people if "CSTĐCS" in r["titles"]]
    assert [row[1] for row in cstdcs] == [r["name"] for r in expected_cstdcs]
    assert [row[4] for row in cstdcs] == ["1.800.000"] * len(expected_cstdcs)
    expected_ldtt = [r for r in decision.people if "LĐTT" in r["titles"]]
    assert [row[1] for row in ldtt] == [r["name"] for r in expected_ldtt]
    assert {row[4] for row in ldtt} == {"540.000", "(thưởng CSTĐCS)"}
    units = next(rows for header, rows in tables if header[1] == "Đơn vị")
    assert [row[1] for row in units] == [r["name"] for r in decision.units if r["title"]]
    # The Excel lists: the same people, titles and amounts.
    book = openpyxl.load_workbook(io.BytesIO(decision_workbook(decision.snapshot)))
    sheet = book["Cá nhân"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[1] for row in rows] == [r["name"] for r in decision.people]
    assert [row[8] or None for row in rows] == [r["amount"] for r in decision.people]
    assert (
        sum(row[8] or 0 for row in rows)
        + sum((row[5].value or 0) for row in book["Tập thể"].iter_rows(min_row=2))
        == decision.snapshot["total"]
        == 11 * 540_000 - 2 * 540_000 + 2 * 1_800_000 + 2 * 1_440_000
    )


@pytest.mark.django_db
def test_the_bonus_follows_the_base_salary_in_force_on_the_day_signed() -> None:
    june, july = BaseSalary.in_force(dt.date(2024, 6, 30)), BaseSalary.in_force(dt.date(2024, 7, 1))
    assert (june.amount, july.amount) == (1_800_000, 2_340_000)
    assert "73/2024" in july.source and "24/2023" in june.source
    scale = BonusScale.in_force(dt.date(2024, 7, 1))
    assert scale is not None and "98/2023" in scale.source
    assert scale.coefficient("CSTĐCS") == Decimal("1.0")
    # 0,3 × 2.340.000 = 702.000, rounded up to the ten thousand.
    assert scale.amount("LĐTT", 2_340_000) == 710_000
    assert scale.amount("TTLĐXS", 2_340_000) == 3_510_000
    assert scale.amount("Bằng khen", 2_340_000) is None
    later = BonusScale.in_force(dt.date(2025, 7, 1))
    assert later is not None and "152/2025" in later.source
    assert BaseSalary.in_force(dt.date(2019, 1, 1)) is None


def test_a_decision_signed_in_july_2024_pays_on_the_new_base_salary(council: Council) -> None:
    council.run_to_published()
    snapshot = services.build_snapshot(
        council.campaign, active_vote(council.campaign), dt.date(2024, 7, 5)
    )
    assert snapshot["base_salary"]["amount"] == 2_340_000
    amounts = {row["name"]: row["amount"] for row in snapshot["people"]}
    assert amounts["Giảng viên 2"] == 710_000 and amounts["Hoàng Văn An"] == 2_340_000


def test_the_proposal_goes_above_once_after_the_decision(council: Council) -> None:
    council.run_to_published()
    with pytest.raises(EmulationError, match="quyết định công nhận trước"):
        services.issue_proposal(council.campaign, on=DECISION_DAY, by=council.users["leadership"])
    _decide(council)
    services.issue_proposal(council.campaign, on=DECISION_DAY, by=council.users["leadership"])
    with pytest.raises(EmulationError, match="đã được ban hành"):
        services.issue_proposal(council.campaign, on=DECISION_DAY, by=council.users["leadership"])
    issued = IssuedPaper.objects.get(kind=services.PROPOSAL_KIND)
    assert issued.document.symbol == "01/TTr-CĐM"
    text = text_of(open_docx(issued.read()))
    for expected in (
        "TỜ TRÌNH",
        "Kính gửi: Bộ Giáo dục và Đào tạo",
        "Căn cứ Quyết định số 01/QĐ-CĐM ngày 10 tháng 6 năm 2024",
        "Chiến sĩ thi đua cấp bộ (CSTĐ cấp bộ)",
        "Bằng khen của Bộ trưởng",
        "Tập thể Khoa Tự nhiên",
        "3/3 phiếu đồng ý",
    ):
        assert expected in text, expected
    assert Notification.objects.filter(
        kind=NotificationKind.EMULATION_DECISION,
        user=council.users["faculty_head"],
        title__startswith="Nhà trường trình cấp trên",
    ).exists()


def test_a_certificate_from_the_schools_template_through_the_sandbox(council: Council) -> None:
    council.run_to_published()
    _decide(council)
    staff = council.evaluation("staff")
    url = reverse("papers:download", args=["emulation_certificate", staff.pk, "docx"])
    built_in = text_of(open_docx(council.client("staff").get(url).content))
    assert "GIẤY KHEN" in built_in and "Hoàng Văn An" in built_in
    assert "Chiến sĩ thi đua cơ sở" in built_in and "Quyết định số 01/QĐ-CĐM" in built_in
    kind = paper_kind("emulation_certificate")
    starter = starter_template(kind, staff)
    template = paper_services.upload_template(
        council.cycle.world.school, kind.code, data=starter, name="giay-khen.docx",
        by=council.users["clerk"],
    )  # fmt: skip
    assert {"ho_ten", "danh_hieu"} <= set(template.placeholders)
    filled = text_of(open_docx(council.client("staff").get(url).content))
    assert "Hoàng Văn An" in filled and "Chiến sĩ thi đua cơ sở" in filled
    # A template reaching for Python's internals is refused at upload.
    evil = _replaced(starter, "{{ ho_ten }}", "{{ ho_ten.__class__ }}")
    with pytest.raises(ValidationError):
        paper_services.upload_template(
            council.cycle.world.school, kind.code, data=evil, name="x.docx",
            by=council.users["clerk"],
        )  # fmt: skip


def _replaced(data: bytes, old: str, new: str) -> bytes:
    document = open_docx(data)
    paragraphs = [p for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    for paragraph in [*document.paragraphs, *paragraphs]:
        for run in paragraph.runs:
            if old in run.text:
                run.text = run.text.replace(old, new)
                buffer = io.BytesIO()
                document.save(buffer)
                return buffer.getvalue()
    raise AssertionError(f"{old} not in the template")


def test_no_certificate_without_a_decided_title(council: Council) -> None:
    council.run_to_published()
    _decide(council)
    lecturer = council.evaluation("lecturer4")  # HT, no title
    response = council.client("leadership").get(
        reverse("papers:download", args=["emulation_certificate", lecturer.pk, "docx"])
    )
    assert response.status_code == 404


def test_appeals_are_kept_with_history(council: Council) -> None:
    council.run_to_published()
    appeal = appeal_services.file_appeal(
        council.campaign, text="Xem lại", by=council.users["staff"]
    )
    appeal_services.answer_appeal(appeal, accepted=False, answer="Giữ nguyên", by=council.users["leadership"])  # fmt: skip
    assert Appeal.objects.get().history.count() == 2
