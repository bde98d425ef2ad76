"""The pages do what they say, through the forms: launching a campaign (dates typed dd/mm/yyyy),
registering, consolidating, self-assessing, reviewing in place with htmx, the preview's warnings,
and what waits for each person on "Việc của tôi"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import World
from emulation.models import (
    Campaign,
    CampaignStatus,
    CampaignUnit,
    Evaluation,
    Registration,
    RegistrationStatus,
    Stage,
)
from emulation.services import evaluations as evaluation_services
from emulation.services import registrations as registration_services
from emulation.tests.conftest import ASSESSMENT_DAY, Clock, Cycle


def url(name: str, *args: object) -> str:
    return reverse(f"emulation:{name}", args=args)


def test_leadership_launches_a_campaign_from_the_form(world: World, clock: Clock) -> None:
    client = world.client("leadership")
    page = client.get(url("campaign_create"))
    assert page.status_code == 200
    assert "15/09/2023" in page.content.decode()  # the usual timetable, in dd/mm/yyyy
    data = {
        "name": "Phong trào thi đua năm học 2023–2024",
        "start_year": "2023",
        "slogan": "Dạy tốt – Học tốt",
        "titles": ["LĐTT", "CSTĐCS", "TTLĐTT"],
        "criteria": "Hoàn thành 100% nhiệm vụ đúng hạn.",
        "period_start": "01/09/2023",
        "period_end": "31/05/2024",
        "launched_on": "",
        "registration_opens": "26/09/2023",
        "registration_closes": "20/10/2023",
        "self_assessment_opens": "02/05/2024",
        "self_assessment_closes": "15/05/2024",
        "group_review_by": "18/05/2024",
        "unit_review_by": "22/05/2024",
        "council_meets_on": "28/05/2024",
        "council_decision": "",
    }
    response = client.post(url("campaign_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    campaign = Campaign.objects.get()
    assert campaign.status == CampaignStatus.DRAFT and campaign.plan == world.plan
    assert campaign.registration_closes.isoformat() == "2023-10-20"
    page = client.get(url("campaign", campaign.pk)).content.decode()
    assert "Dạy tốt – Học tốt" in page and "26/09/2023 – 20/10/2023" in page
    assert client.post(url("campaign_launch", campaign.pk)).status_code == 302
    assert Campaign.objects.get().status == CampaignStatus.OPEN
    # A refused save keeps what was typed and says why.
    data["registration_closes"] = "01/09/2023"
    response = client.post(
        url("campaign_edit", campaign.pk), {**data, "version": campaign.version + 1}
    )
    assert response.status_code == 400
    assert "phải có ngày bắt đầu trước ngày kết thúc" in response.content.decode()
    assert 'value="01/09/2023"' in response.content.decode()


def test_registration_consolidation_and_the_sheet(cycle: Cycle) -> None:
    campaign = cycle.campaign
    staff = cycle.client("staff")
    response = staff.post(
        url("register", campaign.pk), {"titles": ["CSTĐCS"], "commitments": "Có sáng kiến."}
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.titles == ["LĐTT", "CSTĐCS"]
    head = cycle.client("faculty_head")
    page = head.get(url("unit_registrations", campaign.pk, cycle.world.faculty.pk)).content.decode()
    assert "Hoàng Văn An" in page and "LĐTT, CSTĐCS" in page
    response = head.post(url("registration_return", registration.pk), {"note": "Ghi rõ sáng kiến."})
    assert response.status_code == 302
    assert Registration.objects.get().status == RegistrationStatus.RETURNED
    assert "Ghi rõ sáng kiến." in staff.get(url("campaign", campaign.pk)).content.decode()
    staff.post(
        url("register", campaign.pk),
        {
            "titles": ["CSTĐCS"],
            "commitments": "Sáng kiến số hóa.",
            "version": registration.version + 1,
        },
    )
    assert Registration.objects.get().status == RegistrationStatus.REGISTERED
    head.post(url("unit_submit", campaign.pk, cycle.world.faculty.pk), {"note": "Đủ."})
    assert CampaignUnit.objects.get(unit=cycle.world.faculty).registrations_submitted
    sheet = head.get(url("unit_registrations_xlsx", campaign.pk, cycle.world.faculty.pk))
    assert sheet.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(sheet.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("STT", "Họ và tên", "Đơn vị", "Danh hiệu đăng ký")
    assert rows[1][1:6] == (
        "Hoàng Văn An",
        "Khoa Tự nhiên",
        "LĐTT, CSTĐCS",
        "Sáng kiến số hóa.",
        "Đơn vị đã tổng hợp",
    )


def test_the_registration_paper_lists_collective_and_individual_registrations(cycle: Cycle) -> None:
    registration_services.register(
        cycle.campaign, titles=["LĐTT"], commitments="", by=cycle.users["staff"]
    )
    registration_services.register_unit(
        cycle.campaign,
        cycle.world.office,
        titles=["TTLĐTT"],
        commitments="Đúng hạn",
        by=cycle.users["unit_head"],
    )
    response = cycle.client("clerk").get(
        reverse("papers:download", args=["emulation_registrations", cycle.campaign.pk, "docx"])
    )
    assert response.status_code == 200
    from io import BytesIO

    from docx import Document

    document = Document(BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "DANH SÁCH" in text and "Đăng ký danh hiệu thi đua năm học 2023–2024" in text
    assert "Phùng Quý Sơn" in cells  # the principal signs (the signing block is a table)
    assert "Hoàng Văn An" in cells and "Phòng Đào tạo" in cells
    assert "Tập thể lao động tiên tiến (TTLĐTT)" in cells


@pytest.fixture
def assessing(cycle: Cycle) -> Cycle:
    cycle.clock.set(ASSESSMENT_DAY)
    evaluation_services.prepare_evaluations(cycle.campaign, by=cycle.users["leadership"])
    return cycle


def test_self_assessment_then_the_reviews_in_place(assessing: Cycle) -> None:
    campaign = assessing.campaign
    staff = assessing.client("staff")
    form = staff.get(url("my_evaluation", campaign.pk)).content.decode()
    assert "Thời hạn tự đánh giá: 01/05/2024 – 15/05/2024." in form
    opened = Evaluation.objects.get(person=assessing.people["staff"]).version
    assert f'name="version" value="{opened}"' in form
    response = staff.post(
        url("my_evaluation", campaign.pk),
        {"level": "HTXS", "comment": "Vượt giờ chuẩn 20%.", "version": opened},
    )
    evaluation = Evaluation.objects.get(person=assessing.people["staff"])
    assert response.status_code == 302 and response["Location"] == url("evaluation", evaluation.pk)
    assert evaluation.stage == Stage.SELF_ASSESSED
    # The group head reviews from the evaluation's page.
    group = assessing.client("group_head")
    page = group.get(url("evaluation", evaluation.pk)).content.decode()
    assert "Nhận xét của tổ, bộ môn" in page and "Vượt giờ chuẩn 20%." in page
    group.post(
        url("evaluation_review", evaluation.pk, "group"),
        {
            "group-level": "HTXS",
            "group-comment": "Tổ nhất trí.",
            "group-version": evaluation.version,
        },
    )
    evaluation.refresh_from_db()
    assert evaluation.stage == Stage.GROUP_REVIEWED
    # The faculty's head reviews on the unit page, in place (htmx): the row comes back.
    head = assessing.client("faculty_head")
    page = head.get(url("unit_review", campaign.pk, assessing.world.faculty.pk)).content.decode()
    assert f'id="row-{evaluation.pk}"' in page and "Đơn vị xét" in page
    response = head.post(
        url("evaluation_review", evaluation.pk, "unit"),
        {
            "unit-level": "HTT",
            "unit-comment": "Còn việc trễ hạn.",
            "unit-version": evaluation.version,
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    row = response.content.decode()
    assert row.strip().startswith("<li") and "<strong>HTT</strong>" in row
    evaluation.refresh_from_db()
    assert (evaluation.stage, evaluation.proposed_level) == (Stage.UNIT_REVIEWED, "HTT")
    # A stale form is refused with 400 and the row shows why.
    response = head.post(
        url("evaluation_review", evaluation.pk, "unit"),
        {"unit-level": "HTXS", "unit-comment": "Đổi ý.", "unit-version": 1},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400 and "vừa được" in response.content.decode()
    # The person sees every step of their own evaluation, with who decided.
    own = staff.get(url("evaluation", evaluation.pk)).content.decode()
    assert "Còn việc trễ hạn." in own and "Vũ Thị Dung" in own and "Lịch sử thay đổi" in own


def test_the_self_assessment_form_opens_with_no_level_chosen(assessing: Cycle) -> None:
    """A form opened on the first level would propose HTXS for whoever sends it unread."""
    campaign = assessing.campaign
    staff = assessing.client("staff")
    form = staff.get(url("my_evaluation", campaign.pk)).content.decode()
    assert '<option value="" selected>— Chọn mức xếp loại —</option>' in form
    evaluation = Evaluation.objects.get(person=assessing.people["staff"])
    response = staff.post(
        url("my_evaluation", campaign.pk),
        {"level": "", "comment": "Đủ giờ.", "version": evaluation.version},
    )
    assert response.status_code == 400
    assert Evaluation.objects.get(pk=evaluation.pk).stage == Stage.PENDING


def test_the_preview_warns_before_the_council(assessing: Cycle) -> None:
    office = Evaluation.objects.get(person=assessing.people["clerk"])
    Evaluation.objects.filter(pk=office.pk).update(proposed_level="HTXS", stage="unit_reviewed")
    response = assessing.client("leadership").get(url("classification", assessing.campaign.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Vượt chỉ tiêu HTXS" in page and "hạ xuống HTT" in page  # 1 at HTXS, quota 0
    assert "chưa có mức đề nghị" in page
    response = assessing.client("leadership").post(
        url("classification", assessing.campaign.pk), {f"rank-{office.pk}": "1"}
    )
    assert response.status_code == 302
    assert Evaluation.objects.get(pk=office.pk).council_rank == 1


def test_what_waits_on_my_home_page(assessing: Cycle) -> None:
    staff_home = assessing.client("staff").get(reverse("home")).content.decode()
    assert 'data-emulation="self-assess"' in staff_home
    evaluation = Evaluation.objects.get(person=assessing.people["staff"])
    evaluation_services.self_assess(
        evaluation, level="HTT", comment="Đúng hạn", by=assessing.users["staff"]
    )
    staff_home = assessing.client("staff").get(reverse("home")).content.decode()
    assert 'data-emulation="self-assess"' not in staff_home
    group_home = assessing.client("group_head").get(reverse("home")).content.decode()
    assert "1 phiếu đánh giá chờ tôi nhận xét" in group_home
    assessing.clock.set(assessing.campaign.registration_opens)
    staff_home = assessing.client("staff").get(reverse("home")).content.decode()
    assert 'data-emulation="register"' in staff_home
