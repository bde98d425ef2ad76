"""Biên bản and Nghị quyết of a conference: the NĐ 30/2020 layout, and every fact of the data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from conferences import services
from conferences.models import Conference, ConferenceChair
from conftest import World
from papers import pdf
from papers.models import IssuedPaper
from papers.tests.helpers import assert_decree_30_page, open_docx, text_of


def download(world: World, kind: str, conference: Conference, role: str = "staff") -> bytes:
    response = world.client(role).get(
        reverse("papers:download", args=[kind, conference.pk, "docx"])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    return response.content


def test_minutes_layout(world: World, meeting: Conference) -> None:
    document = open_docx(download(world, "conference_minutes", meeting))
    assert_decree_30_page(document)
    left, right = document.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs][:2] == [
        "BỘ GIÁO DỤC VÀ ĐÀO TẠO",
        "TRƯỜNG CAO ĐẲNG MẪU",
    ]
    assert left.paragraphs[1].runs[0].bold
    assert left.paragraphs[-1].text.replace(" ", "") == "Số:/BB-CĐM"
    assert right.paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert (
        right.paragraphs[1].text == "Độc lập - Tự do - Hạnh phúc"
        and right.paragraphs[1].runs[0].underline
    )
    assert right.paragraphs[2].text == "Lạng Sơn, ngày 26 tháng 9 năm 2023"
    assert right.paragraphs[2].runs[0].italic
    body = [p.text for p in document.paragraphs]
    title = body.index("BIÊN BẢN")
    assert body[title + 1] == "Hội nghị viên chức và người lao động năm học 2023-2024"
    assert document.paragraphs[title].runs[0].bold
    # Secretary and chair sign side by side, in one row of two columns.
    signing = document.tables[-1].rows[0].cells
    assert len(signing) == 2
    assert [p.text for p in signing[0].paragraphs if p.text] == ["THƯ KÝ", "Lý Thị Hoa"]
    assert [p.text for p in signing[1].paragraphs if p.text] == ["CHỦ TỌA", "Phùng Quý Sơn"]


def test_minutes_carry_every_fact(world: World, meeting: Conference) -> None:
    document = open_docx(download(world, "conference_minutes", meeting))
    text = text_of(document)
    for fact in [
        "tại Hội trường A, Trường Cao đẳng Mẫu tổ chức hội nghị viên chức",
        "Chủ tọa: đồng chí Phùng Quý Sơn – Hiệu trưởng.",
        "Thư ký: đồng chí Lý Thị Hoa.",
        "Thành phần được triệu tập: toàn thể cán bộ, viên chức và người lao động.",
        "Tổng số người được triệu tập: 4; có mặt: 3; vắng: 1.",
        "+ Vắng: Nguyễn Thị Phương Loan (lý do: Đi công tác tại Sở).",
        "(2/3 số người được triệu tập, tức ít nhất 3 người): có mặt 3/4 (75%), đạt",
        "Luật Thực hiện dân chủ ở cơ sở",
        "Báo cáo kết quả năm học và phương hướng năm học mới. Nêu 03 kết quả nổi bật",
        "Hội nghị nhận được 01 ý kiến về chuyển đổi số.",
        "Ý kiến số 1 (đồng chí Hoàng Văn An): Chuyển đổi số: Đề nghị số hóa hồ sơ sinh viên.",
        "Trả lời (giải trình): Đã có trong kế hoạch chuyển đổi số.",
        "Rà soát định mức giờ giảng của các khoa. Giao Phòng Đào tạo chủ trì, hạn 31/07/2024.",
        "Biên bản được thông qua trước Hội nghị.",
    ]:
        assert fact in text, fact
    votes = next(t for t in document.tables if t.rows[0].cells[0].text == "TT")
    rows = [[cell.text for cell in row.cells] for row in votes.rows]
    assert rows[0][3] == "Tán thành"
    assert rows[1] == [
        "1", "Thông qua quy chế chi tiêu nội bộ", "Giơ tay", "2 (66,67%)", "1", "0", "3", "Thông qua",
    ]  # fmt: skip
    assert rows[2][1] == "Thông qua nghị quyết hội nghị" and rows[2][3] == "3 (100%)"


def test_resolution_layout_and_articles(world: World, meeting: Conference) -> None:
    document = open_docx(download(world, "conference_resolution", meeting))
    assert_decree_30_page(document)
    left = document.tables[0].rows[0].cells[0]
    assert left.paragraphs[0].text == "TRƯỜNG CAO ĐẲNG MẪU"
    assert left.paragraphs[1].text == "HỘI NGHỊ CÁN BỘ, VIÊN CHỨC VÀ NGƯỜI LAO ĐỘNG"
    assert left.paragraphs[1].runs[0].bold
    assert left.paragraphs[-1].text.replace(" ", "") == "Số:/NQ-CĐM"
    paragraphs = document.paragraphs
    texts = [p.text for p in paragraphs]
    assert "NGHỊ QUYẾT" in texts
    decides = paragraphs[texts.index("QUYẾT NGHỊ:")]
    assert decides.runs[0].bold and decides.alignment == 1  # centred
    articles = [p for p in paragraphs if p.text.startswith("Điều ")]
    assert [p.text.split(".")[0] for p in articles] == ["Điều 1", "Điều 2", "Điều 3"]
    assert all(p.runs[0].bold and not p.runs[1].bold for p in articles)
    text = text_of(document)
    assert (
        "Điều 1. Thông qua Kế hoạch năm học 2023–2024 với 01 nhiệm vụ, giải pháp chủ yếu:" in text
    )
    assert "Tuyển sinh và duy trì sĩ số." in text
    assert (
        "- Rà soát định mức giờ giảng của các khoa; giao Phòng Đào tạo chủ trì, hoàn thành trước ngày 31/07/2024."
        in text
    )
    assert (
        "Căn cứ kết quả Hội nghị viên chức và người lao động năm học 2023-2024 ngày 26 tháng 9 năm 2023,"
        in text
    )
    assert "thông qua với 3/3 người có mặt tán thành (100%)" in text
    signer = document.tables[-1].rows[0].cells[1]
    assert [p.text for p in signer.paragraphs if p.text] == [
        "TM. HỘI NGHỊ",
        "CHỦ TỌA",
        "Phùng Quý Sơn",
    ]
    assert "Nơi nhận:" in document.tables[-1].rows[0].cells[0].text


def test_presidium_signs_for_the_conference(world: World, meeting: Conference) -> None:
    ConferenceChair.objects.create(
        conference=meeting, person=world.people["unit_head"], capacity="Trưởng phòng", order=2
    )
    resolution = open_docx(download(world, "conference_resolution", meeting))
    signer = resolution.tables[-1].rows[0].cells[1]
    assert [p.text for p in signer.paragraphs if p.text] == ["TM. ĐOÀN CHỦ TỊCH", "Phùng Quý Sơn"]
    minutes = open_docx(download(world, "conference_minutes", meeting))
    chair = minutes.tables[-1].rows[0].cells[1]
    assert [p.text for p in chair.paragraphs if p.text] == ["TM. ĐOÀN CHỦ TỊCH", "Phùng Quý Sơn"]


def test_date_line_has_leading_zeros(world: World, meeting: Conference) -> None:
    Conference.objects.filter(pk=meeting.pk).update(held_on=dt.date(2024, 1, 5))
    for kind in ("conference_minutes", "conference_resolution"):
        right = open_docx(download(world, kind, meeting)).tables[0].rows[0].cells[1]
        assert right.paragraphs[2].text == "Lạng Sơn, ngày 05 tháng 01 năm 2024"


def test_resolution_not_yet_voted_says_so(world: World, conference: Conference) -> None:
    text = text_of(open_docx(download(world, "conference_resolution", conference)))
    assert "(Nghị quyết chưa được biểu quyết.)" in text
    assert "(Chưa ghi nội dung giao việc.)" in text


@pytest.mark.parametrize("kind", ["conference_minutes", "conference_resolution"])
@pytest.mark.parametrize(
    "role, status",
    [("anonymous", 302), ("outsider", 404), ("staff", 200), ("unit_head", 200), ("leadership", 200), ("clerk", 200)],
)  # fmt: skip
def test_conference_papers_follow_the_conference_rules(
    world: World, conference: Conference, kind: str, role: str, status: int
) -> None:
    url = reverse("papers:download", args=[kind, conference.pk, "docx"])
    assert world.client(role).get(url).status_code == status


def test_archived_conference_is_not_found(world: World, conference: Conference) -> None:
    Conference.objects.filter(pk=conference.pk).update(
        archived_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    )
    url = reverse("papers:download", args=["conference_minutes", conference.pk, "docx"])
    assert world.client("leadership").get(url).status_code == 404


@pytest.mark.parametrize("has_office", [True, False])
def test_conference_page_offers_the_downloads(
    world: World, conference: Conference, monkeypatch: pytest.MonkeyPatch, has_office: bool
) -> None:
    monkeypatch.setattr(pdf, "office_binary", lambda: "/usr/bin/soffice" if has_office else None)
    html = (
        world.client("staff")
        .get(reverse("conferences:detail", args=[conference.pk]))
        .content.decode()
    )
    for kind in ("conference_minutes", "conference_resolution"):
        assert reverse("papers:download", args=[kind, conference.pk, "docx"]) in html
        assert (reverse("papers:download", args=[kind, conference.pk, "pdf"]) in html) is has_office
    html = (
        world.client("staff")
        .get(reverse("conferences:paper", args=[conference.pk, "minutes"]))
        .content.decode()
    )
    assert reverse("papers:download", args=["conference_minutes", conference.pk, "docx"]) in html


def test_finished_conference_papers_take_a_number_once(world: World, meeting: Conference) -> None:
    url = reverse("conferences:paper_number", args=[meeting.pk, "resolution"])
    page = reverse("conferences:paper", args=[meeting.pk, "resolution"])
    assert "Lấy số văn bản" not in world.client("clerk").get(page).content.decode()
    world.client("clerk").post(url)  # still in session: refused
    assert not IssuedPaper.objects.exists()
    services.set_status(meeting, "closed", by=world.users["clerk"])
    assert "Lấy số văn bản" in world.client("clerk").get(page).content.decode()
    assert "Lấy số văn bản" not in world.client("staff").get(page).content.decode()
    assert world.client("staff").post(url).status_code == 403
    assert world.client("outsider").post(url).status_code == 404
    assert world.client("clerk").post(url).status_code == 302
    world.client("leadership").post(url)
    issued = IssuedPaper.objects.get()
    assert issued.document.symbol == "01/NQ-CĐM" and issued.document.issued_on == dt.date(
        2023, 9, 26
    )
    left = open_docx(download(world, "conference_resolution", meeting)).tables[0].rows[0].cells[0]
    assert left.paragraphs[-1].text == "Số: 01/NQ-CĐM"
    minutes = reverse("conferences:paper_number", args=[meeting.pk, "minutes"])
    world.client("clerk").post(minutes)
    assert IssuedPaper.objects.get(kind="conference_minutes").document.symbol == "01/BB-CĐM"
    plan = reverse("conferences:paper_number", args=[meeting.pk, "plan"])
    assert world.client("leadership").post(plan).status_code == 404
