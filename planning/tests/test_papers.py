"""The Kế hoạch paper: layout facts of NĐ 30/2020 checked in the .docx itself, and numbering."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import World
from documents.models import Document, DocumentType
from papers.layout import Paper, Para, render_docx
from papers.models import IssuedPaper
from papers.numbering import NumberingError, issue_number
from planning import services


def text_of(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture
def issued(world: World) -> World:
    world.school.abbreviation = "CĐM"
    world.school.place = "Lạng Sơn"
    world.school.save()
    services.issue_plan(world.plan, by=world.users["leadership"], on=dt.date(2023, 9, 5))
    return world


def download(world: World, role: str = "staff") -> docx.document.Document:
    response = world.client(role).get(reverse("planning:plan_docx", args=[world.plan.pk]))
    assert response.status_code == 200
    return docx.Document(io.BytesIO(response.content))


def test_layout_follows_decree_30(issued: World) -> None:
    document = download(issued)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) in range(20, 26) and round(
        section.bottom_margin.mm
    ) in range(20, 26)
    assert round(section.left_margin.mm) in range(30, 36) and round(
        section.right_margin.mm
    ) in range(15, 21)
    fonts = {run.font.name for p in document.paragraphs for run in p.runs if run.text.strip()}
    fonts |= {
        run.font.name
        for t in document.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for run in p.runs
        if run.text.strip()
    }
    assert fonts == {"Times New Roman"}
    left, right = document.tables[0].rows[0].cells
    assert left.paragraphs[0].text == "BỘ GIÁO DỤC VÀ ĐÀO TẠO"
    assert left.paragraphs[1].text == "TRƯỜNG CAO ĐẲNG MẪU" and left.paragraphs[1].runs[0].bold
    assert left.paragraphs[-1].text.startswith("Số:") and left.paragraphs[-1].text.endswith(
        "/KH-CĐM"
    )
    title, motto, date_line = right.paragraphs[0], right.paragraphs[1], right.paragraphs[2]
    assert (
        title.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        and title.runs[0].bold
        and title.runs[0].font.size.pt in (12, 13)
    )
    assert (
        motto.text == "Độc lập - Tự do - Hạnh phúc"
        and motto.runs[0].bold
        and motto.runs[0].underline
    )
    assert date_line.text == "Lạng Sơn, ngày 05 tháng 9 năm 2023" and date_line.runs[0].italic


def test_content_comes_from_the_plan(issued: World) -> None:
    text = text_of(download(issued))
    assert "KẾ HOẠCH" in text and "Năm học 2023–2024" in text
    assert (
        "Căn cứ Quyết định số 2457/QĐ-BGDĐT, ngày 23/8/2023 của Bộ trưởng Bộ Giáo dục và Đào tạo về ban hành Kế hoạch"
        in text
    )
    assert "Tỷ lệ tuyển sinh" in text and "Phòng Đào tạo" in text
    assert "Tuyển sinh và duy trì sĩ số" in text and "Tư vấn tuyển sinh" in text
    assert "01/09/2023 – 31/05/2024" in text
    assert "HIỆU TRƯỞNG" in text and "Phùng Quý Sơn" in text and "Nơi nhận:" in text
    assert "Cập nhật cổng tuyển sinh" not in text  # a unit's own task is not in the school's paper


def test_number_is_taken_once_and_registered(issued: World) -> None:
    client = issued.client("leadership")
    assert (
        issued.client("staff")
        .post(reverse("planning:plan_number", args=[issued.plan.pk]))
        .status_code
        == 403
    )
    client.post(reverse("planning:plan_number", args=[issued.plan.pk]))
    client.post(reverse("planning:plan_number", args=[issued.plan.pk]))
    paper = IssuedPaper.objects.get()
    assert paper.document.symbol == "01/KH-CĐM"
    assert Document.objects.filter(symbol="01/KH-CĐM", issued_on=dt.date(2023, 9, 5)).count() == 1
    left = download(issued).tables[0].rows[0].cells[0]
    assert left.paragraphs[-1].text == "Số: 01/KH-CĐM"


def test_series_per_type_and_year(world: World) -> None:
    world.school.abbreviation = "CĐM"
    world.school.save()
    kh, bc = DocumentType.objects.get(code="KH"), DocumentType.objects.get(code="BC")

    def number(doc_type: DocumentType, on: dt.date, object_id: int) -> str:
        paper = issue_number(
            issuer=world.school, doc_type=doc_type, system="state", on=on, kind="test", object_id=object_id,
            summary="Thử", signer_title="Hiệu trưởng", by=world.users["leadership"],
        )  # fmt: skip
        return paper.document.symbol

    assert number(kh, dt.date(2023, 12, 30), 1) == "01/KH-CĐM"
    assert number(kh, dt.date(2023, 12, 31), 2) == "02/KH-CĐM"
    assert number(bc, dt.date(2023, 12, 31), 3) == "01/BC-CĐM"
    assert number(kh, dt.date(2024, 1, 2), 4) == "01/KH-CĐM"  # a new year restarts at 01


def test_party_series_need_the_term(world: World) -> None:
    committee = world.faculty  # stands in for a party committee
    committee.abbreviation = "ĐU"
    committee.save()
    nq = DocumentType.objects.get(code="NQ")
    with pytest.raises(NumberingError, match="nhiệm kỳ"):
        issue_number(
            issuer=committee,
            doc_type=nq,
            system="party",
            on=dt.date(2023, 9, 1),
            kind="t",
            object_id=1,
            summary="x",
            signer_title="",
            by=world.users["leadership"],
        )
    committee.valid_from = dt.date(2020, 8, 1)
    committee.save()
    paper = issue_number(
        issuer=committee,
        doc_type=nq,
        system="party",
        on=dt.date(2023, 9, 1),
        kind="t",
        object_id=1,
        summary="x",
        signer_title="",
        by=world.users["leadership"],
    )
    assert paper.document.symbol == "01-NQ/ĐU"


def test_party_paper_carries_the_party_title() -> None:
    data = render_docx(Paper(parent_body="ĐẢNG BỘ TỈNH LẠNG SƠN", issuing_body="Đảng ủy Trường", number_line="Số 12-NQ/ĐU", place="Lạng Sơn",
                             date=dt.date(2024, 1, 15), type_name="Nghị quyết", summary="Về nhiệm vụ năm 2024", blocks=[Para("Nội dung")], party=True))  # fmt: skip
    right = docx.Document(io.BytesIO(data)).tables[0].rows[0].cells[1]
    assert right.paragraphs[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert right.paragraphs[1].text == "Lạng Sơn, ngày 15 tháng 01 năm 2024"
    assert "CỘNG HÒA" not in "".join(p.text for p in right.paragraphs)


def test_outsider_cannot_download(issued: World) -> None:
    assert (
        issued.client("outsider")
        .get(reverse("planning:plan_docx", args=[issued.plan.pk]))
        .status_code
        == 404
    )
    assert (
        issued.client("anonymous")
        .get(reverse("planning:plan_docx", args=[issued.plan.pk]))
        .status_code
        == 302
    )


@pytest.mark.parametrize(
    "role, status",
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("staff", 200),
        ("unit_head", 200),
        ("leadership", 200),
    ],
)
def test_registered_plan_downloads_by_kind(issued: World, role: str, status: int) -> None:
    url = reverse("papers:download", args=["plan", issued.plan.pk, "docx"])
    response = issued.client(role).get(url)
    assert response.status_code == status
    if status == 200:
        assert "KẾ HOẠCH" in text_of(docx.Document(io.BytesIO(response.content)))


def test_unknown_kind_is_not_found(issued: World) -> None:
    url = reverse("papers:download", args=["nothing", issued.plan.pk, "docx"])
    assert issued.client("leadership").get(url).status_code == 404


def test_a_numbered_plan_stays_as_issued_and_an_amendment_takes_its_own_number(
    issued: World,
) -> None:
    leader = issued.users["leadership"]
    client = issued.client("leadership")
    number_url = reverse("planning:plan_number", args=[issued.plan.pk])
    docx_url = reverse("planning:plan_docx", args=[issued.plan.pk])
    client.post(number_url)
    original = issued.client("staff").get(docx_url).content
    paper = IssuedPaper.objects.get()
    assert hashlib.sha256(original).hexdigest() == paper.sha256
    assert paper.read() == original

    amendment = services.open_amendment(issued.plan, reason="Theo chỉ đạo của Sở", by=leader)
    issued.task.refresh_from_db()
    issued.task.title = "Nhiệm vụ đã sửa đổi"
    services.save_plan_object(issued.task, by=leader)
    services.close_amendment(amendment, by=leader)

    assert issued.client("staff").get(docx_url).content == original  # frozen
    assert "Nhiệm vụ đã sửa đổi" not in text_of(docx.Document(io.BytesIO(original)))

    client.post(number_url)
    client.post(number_url)  # a second click takes no third number
    assert IssuedPaper.objects.count() == 2
    amended = IssuedPaper.objects.exclude(amends=None).get()
    # Numbered the day it is issued, in that calendar year's series (NĐ 30/2020).
    assert amended.amends == paper and amended.document.issued_on == timezone.localdate()
    assert amended.document.pk != paper.document.pk
    text = text_of(docx.Document(io.BytesIO(amended.read())))
    assert f"Số: {amended.document.symbol}" in text and "Nhiệm vụ đã sửa đổi" in text
    assert "sửa đổi, bổ sung Kế hoạch số 01/KH-CĐM" in text and "Theo chỉ đạo của Sở" in text
    assert issued.client("staff").get(docx_url).content == original
    page = issued.client("staff").get(reverse("planning:plan_detail", args=[issued.plan.pk]))
    assert reverse("papers:issued_file", args=[amended.pk, "docx"]) in page.content.decode()
