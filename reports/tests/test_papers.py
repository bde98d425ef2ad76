"""The BÁO CÁO paper: layout facts of NĐ 30/2020 read from the .docx, and its figures checked
against those computed from the data."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx
import pytest
from django.urls import reverse

from conftest import World
from organisations.models import Position
from papers import registry
from reports import figures, services
from reports.papers import count_rows, target_rows
from reports.tests.helpers import CUTOFF, report_on, semester, track, unit_report


@pytest.fixture
def tracked(world: World) -> World:
    return track(world)


def fetch(world: World, kind: str, pk: int, role: str = "staff") -> Any:
    response = world.client(role).get(reverse("papers:download", args=[kind, pk, "docx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    return docx.Document(io.BytesIO(response.content))


def rows_of(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def table_with(document: Any, first_header: str, second_header: str) -> list[list[str]]:
    for table in document.tables:
        header = [cell.text for cell in table.rows[0].cells]
        if header[:2] == [first_header, second_header]:
            return rows_of(table)
    raise AssertionError(f"no table {second_header}")


def issue(world: World) -> Any:
    report = semester(world)
    signer = Position.objects.get(person=world.people["leadership"], organisation=world.school)
    return services.issue_report(report, by=world.users["leadership"], on=CUTOFF, signer=signer)


def test_layout_follows_decree_30(tracked: World) -> None:
    report = issue(tracked)
    document = fetch(tracked, "report_semester", report.pk)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) in range(20, 26)
    assert round(section.bottom_margin.mm) in range(20, 26)
    assert round(section.left_margin.mm) in range(30, 36)
    assert round(section.right_margin.mm) in range(15, 21)
    runs = [run for p in document.paragraphs for run in p.runs if run.text.strip()]
    runs += [
        run
        for t in document.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for run in p.runs
        if run.text.strip()
    ]
    assert {run.font.name for run in runs} == {"Times New Roman"}
    left, right = document.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs][:2] == [
        "BỘ GIÁO DỤC VÀ ĐÀO TẠO",
        "TRƯỜNG CAO ĐẲNG MẪU",
    ]
    assert left.paragraphs[1].runs[0].bold
    assert left.paragraphs[-1].text == "Số: 01/BC-CĐM"
    assert [p.text for p in right.paragraphs][:3] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lạng Sơn, ngày 05 tháng 01 năm 2024",
    ]
    assert right.paragraphs[1].runs[0].underline and right.paragraphs[2].runs[0].italic
    texts = [p.text for p in document.paragraphs]
    title = texts.index("BÁO CÁO")
    assert texts[title + 1] == "Sơ kết học kỳ I năm học 2023–2024"
    assert document.paragraphs[title].runs[0].bold
    for heading in [
        "I. TÌNH HÌNH CHUNG",
        "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ",
        "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ HỌC KỲ II",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
    ]:
        assert heading in texts
    assert any("Kinh phí tư vấn tuyển sinh cấp muộn." in t for t in texts)
    signer = [p.text for p in document.tables[-1].rows[0].cells[1].paragraphs if p.text]
    assert signer == ["HIỆU TRƯỞNG", "Phùng Quý Sơn"]
    recipients = [p.text for p in document.tables[-1].rows[0].cells[0].paragraphs]
    assert recipients[0] == "Nơi nhận:" and recipients[-1] == "- Lưu: VT, CĐM."


def test_figures_in_the_paper_equal_those_of_the_data(tracked: World) -> None:
    report = issue(tracked)
    data = figures.compute(report)
    document = fetch(tracked, "report_semester", report.pk)
    targets = table_with(document, "TT", "Chỉ tiêu")
    assert targets[1:] == target_rows(data)
    assert targets[1] == ["1", "Tỷ lệ tuyển sinh", "%", "90", "70", "Chưa đạt"]
    assert targets[0][4] == "Thực hiện đến 05/01/2024"
    by_area = table_with(document, "TT", "Lĩnh vực")
    assert by_area[1:] == count_rows(data["by_area"], data["totals"])
    assert by_area[-1] == ["", "Cộng", "4", "1", "0", "2", "1"]
    by_unit = table_with(document, "TT", "Đơn vị chủ trì")
    assert by_unit[1:] == count_rows(data["by_unit"], data["totals"])
    overdue = table_with(document, "TT", "Nhiệm vụ")
    assert overdue[1] == ["3", "Tổng kết thi học kỳ", "Khoa Tự nhiên", "20/12/2023", "50%"]


def test_an_issued_paper_keeps_its_figures(tracked: World) -> None:
    report = issue(tracked)
    report_on(tracked, tracked.late, dt.date(2023, 12, 30), 100)  # entered later, dated before
    document = fetch(tracked, "report_semester", report.pk)
    assert table_with(document, "TT", "Lĩnh vực")[-1] == ["", "Cộng", "4", "1", "0", "2", "1"]
    draft = semester(tracked)
    live = fetch(tracked, "report_semester", draft.pk)
    assert table_with(live, "TT", "Lĩnh vực")[-1] == ["", "Cộng", "4", "1", "1", "2", "0"]


def test_a_draft_has_no_number_or_date_yet(tracked: World) -> None:
    document = fetch(tracked, "report_semester", semester(tracked).pk)
    left, right = document.tables[0].rows[0].cells
    assert left.paragraphs[-1].text.replace(" ", "") == "Số:/BC-CĐM"
    assert right.paragraphs[2].text.startswith("Lạng Sơn, ngày ")
    assert "05" not in right.paragraphs[2].text


def test_unit_paper_is_issued_by_the_unit_to_the_school(tracked: World) -> None:
    report = unit_report(tracked)
    document = fetch(tracked, "report_unit", report.pk)
    left = document.tables[0].rows[0].cells[0]
    assert [p.text for p in left.paragraphs][:2] == ["TRƯỜNG CAO ĐẲNG MẪU", "PHÒNG ĐÀO TẠO"]
    texts = [p.text for p in document.paragraphs]
    assert "Kính gửi: Ban Giám hiệu Trường Cao đẳng Mẫu" in texts
    assert "Kết quả thực hiện nhiệm vụ học kỳ I năm học 2023–2024 của Phòng Đào tạo" in texts
    tasks = table_with(document, "TT", "Nhiệm vụ")
    assert tasks[1] == ["PDT.1", "Cập nhật cổng tuyển sinh", "", "30%", "Đang thực hiện trong hạn"]


@pytest.mark.parametrize("kind", ["report_semester", "report_year", "report_unit"])
def test_school_template_context_is_plain_strings(tracked: World, kind: str) -> None:
    report = (
        unit_report(tracked)
        if kind == "report_unit"
        else services.create_report(
            tracked.plan, kind=kind.removeprefix("report_"), cutoff=CUTOFF, by=None
        )
    )
    paper_kind = registry.get(kind)
    context = paper_kind.context(report)
    for key, value in context.items():
        if isinstance(value, str):
            continue
        assert isinstance(value, list), key
        for item in value:
            assert isinstance(item, str) or (
                isinstance(item, dict) and all(isinstance(v, str) for v in item.values())
            ), key
    assert context["trich_yeu"] == report.summary
    assert context["ngay_so_lieu"] == "05/01/2024"
    assert context["chi_tieu"][0]["thuc_hien"] == "70"
    assert paper_kind.latest is not None and paper_kind.latest(tracked.school) == report
    assert paper_kind.filename(report).startswith("bao-cao-")
