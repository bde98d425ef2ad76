"""The support page for every role (figures for every member, names only for those who see them:
the adviser their class, the faculty's heads its programmes, the office and the leadership
everyone; another school and the Sở see nothing of this school), actions for the office and the
leadership, no server error on bad query strings; the yearly report as a Word paper (official
layout, the date "ngày 05 tháng 9 năm 2025", every row from the data) and as an Excel list (text
never a formula), both logged as views of personal data."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import close_response
from students import services, support
from students.models import PersonalDataView
from students.models_support import CaseStatus, RepaymentCase, SupportReport
from students.tests.conftest import ROLES, Campus
from students.tests.support_helpers import supported

__all__ = ["supported"]

OK, LOGIN, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404


@pytest.fixture
def listed(supported: Campus) -> tuple[Campus, RepaymentCase, SupportReport]:
    campus = supported
    by = campus.users["leadership"]
    campus.world.school.abbreviation = "CĐM"
    campus.world.school.place = "Lạng Sơn"
    campus.world.school.save()
    services.record_change(
        campus.students[7], kind="withdrawn", happened_on=dt.date(2025, 3, 10),
        reason="financial", by=by,
    )  # fmt: skip
    report = support.save_report(
        campus.world.school, school_year=2024, dated=dt.date(2025, 9, 5),
        recipient="Ủy ban nhân dân tỉnh Lạng Sơn", by=by,
    )  # fmt: skip
    return campus, RepaymentCase.objects.get(), report


def page(name: str, *args: Any) -> str:
    return reverse(f"students:{name}", args=args)


# anonymous, outsider, officer, staff, adviser, faculty head, records office, leadership
ALL = (LOGIN, OK, OK, OK, OK, OK, OK, OK)
MANAGERS = (LOGIN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)
ALL_NAMES = (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)

PAGES: list[tuple[str, Callable[[Any], str], tuple[int, ...]]] = [
    ("support", lambda r: page("support"), ALL),
    ("import", lambda r: page("support_import"), MANAGERS),
    ("import template", lambda r: page("support_import") + "?template=1", MANAGERS),
    ("report xlsx", lambda r: page("support_report_xlsx", r.pk), ALL_NAMES),
    (
        "report docx",
        lambda r: reverse("papers:download", args=["students_support_report", r.pk, "docx"]),
        ALL_NAMES,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "address", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_for_role(
    listed: tuple[Campus, RepaymentCase, SupportReport], role: str, name: str, address: Any,
    expected: tuple[int, ...],
) -> None:  # fmt: skip
    campus, _case, report = listed
    response = campus.client(role).get(address(report))
    close_response(response)
    assert response.status_code == expected[ROLES.index(role)], f"{name} as {role}"


NAMES = {2: "Nguyễn Văn Học 2", 7: "Nguyễn Văn Học 7"}


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("outsider", set()), ("officer", set()), ("staff", set()), ("adviser", {2}),
        ("faculty_head", {2}), ("records", {2, 7}), ("leadership", {2, 7}),
    ],
)  # fmt: skip
def test_names_only_for_those_who_see_them(
    listed: tuple[Campus, RepaymentCase, SupportReport], role: str, sees: set[int]
) -> None:
    campus, case, _report = listed
    body = campus.client(role).get(page("support")).content.decode()
    assert {i for i, name in NAMES.items() if name in body} == sees
    # Figures: this school's to its members, nothing of it to another organisation.
    of_this_school = role not in ("outsider", "officer")
    assert ("Giáo dục Mầm non" in body) == of_this_school
    assert (f'id="case{case.pk}"' in body) == (7 in sees)
    logged = PersonalDataView.objects.filter(user=campus.users[role]).exists()
    assert logged == bool(sees)


def test_the_adviser_sees_only_their_class(listed: tuple[Campus, RepaymentCase, Any]) -> None:
    campus, case, _report = listed
    body = campus.client("adviser").get(page("support")).content.decode()
    assert "CĐMN-K1" in body and "CĐTH-K2" not in body.split('id="cases"')[-1].split("</table>")[0]
    assert f'id="case{case.pk}"' not in body  # the case is of K2


@pytest.mark.parametrize(
    "query",
    ["?page=abc&cases=-1", "?page=99999&cases=1e5", "?page=%00", "?cases=²", "?page=1" + "0" * 40],
)
def test_bad_query_strings_never_fail(
    listed: tuple[Campus, RepaymentCase, SupportReport], query: str
) -> None:
    campus = listed[0]
    for role in ("records", "staff", "adviser"):
        assert campus.client(role).get(page("support") + query).status_code == 200


CASE_STATUS = (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN, LOGIN)


@pytest.mark.parametrize("role", ROLES)
def test_following_a_case_up_for_role(
    listed: tuple[Campus, RepaymentCase, SupportReport], role: str
) -> None:
    campus, case, _report = listed
    response = campus.client(role).post(
        page("support_case_status", case.pk), {"status": "repaying", "note": "Nộp lần 1"}
    )
    assert response.status_code == CASE_STATUS[ROLES.index(role)], role
    case.refresh_from_db()
    allowed = role in ("records", "leadership")
    assert (case.status == CaseStatus.REPAYING) == allowed


def test_bad_posts_are_refused_without_a_server_error(
    listed: tuple[Campus, RepaymentCase, SupportReport],
) -> None:
    campus, case, _report = listed
    client = campus.client("records")
    for data in ({"status": "gone"}, {"status": "exempt"}, {}):
        assert client.post(page("support_case_status", case.pk), data).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED
    for data in (
        {"school_year": "x", "dated": "1"},
        {"school_year": "2024", "dated": "01/01/2024"},
    ):
        assert client.post(page("support_report_save"), data).status_code == 302
    assert SupportReport.objects.count() == 1
    assert client.post(page("support_case_status", 10**12), {"status": "repaid"}).status_code == 404


def test_a_report_is_made_by_the_office(listed: tuple[Campus, RepaymentCase, Any]) -> None:
    campus = listed[0]
    data = {"school_year": "2023", "dated": "05/09/2024", "recipient": ""}
    assert campus.client("staff").post(page("support_report_save"), data).status_code == 403
    assert campus.client("records").post(page("support_report_save"), data).status_code == 302
    report = SupportReport.objects.get(school_year=2023)
    assert report.recipient == "Bộ Giáo dục và Đào tạo"  # the school's parent by default


def text_of(document: Any) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_paper_follows_the_official_layout_and_the_data(
    listed: tuple[Campus, RepaymentCase, SupportReport],
) -> None:
    campus, _case, report = listed
    response = campus.client("records").get(
        reverse("papers:download", args=["students_support_report", report.pk, "docx"])
    )
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    fonts = {
        run.font.name
        for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs
        for run in p.runs if run.text.strip()
    } | {run.font.name for p in document.paragraphs for run in p.runs if run.text.strip()}  # fmt: skip
    assert fonts == {"Times New Roman"}
    left, right = document.tables[0].rows[0].cells
    assert left.paragraphs[1].text == "TRƯỜNG CAO ĐẲNG MẪU"
    assert left.paragraphs[-1].text.endswith("/BC-CĐM")
    assert right.paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert right.paragraphs[2].text == "Lạng Sơn, ngày 05 tháng 9 năm 2025"
    text = text_of(document)
    assert "BÁO CÁO" in text and "năm học 2024–2025" in text
    assert "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn" in text
    assert "Căn cứ NĐ 116/2020/NĐ-CP, sửa đổi, bổ sung bởi NĐ 60/2025/NĐ-CP" in text
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    # Everyone supported during 2024–2025: the K1 three (from 2023) and the K2 two.
    listed_codes = {r[2] for r in rows if len(r) == 9 and r[2].startswith("SV")}
    assert listed_codes == {"SV002", "SV003", "SV004", "SV007", "SV008"}
    (case_row,) = [r for r in rows if "Tự thôi học" in r]
    assert case_row[1:4] == ["Nguyễn Văn Học 7", "SV007", "CĐTH-K2"]
    assert case_row[5:8] == ["10/03/2025", "7", "32.410.000"]  # 7 months × 4.630.000 đồng
    assert ["", "Cộng", "5", "1", "1"] in rows
    assert "HIỆU TRƯỞNG" in text and "Phùng Quý Sơn" in text
    assert PersonalDataView.objects.filter(user=campus.users["records"]).count() == 1


def test_the_excel_list_carries_the_cases_and_never_a_formula(
    listed: tuple[Campus, RepaymentCase, SupportReport],
) -> None:
    campus, case, report = listed
    student = campus.students[8]
    student.full_name = '=HYPERLINK("http://x","y")'
    student.save()
    response = campus.client("leadership").get(page("support_report_xlsx", report.pk))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Sinh viên được hưởng"]
    names = {row[2].value: row[2] for row in sheet.iter_rows(min_row=2)}
    cell = names['=HYPERLINK("http://x","y")']
    assert cell.data_type == "s"
    cases = list(book["Phải bồi hoàn"].iter_rows(min_row=2, values_only=True))
    assert cases == [
        (1, "SV007", "Nguyễn Văn Học 7", "CĐTH-K2", "Tự thôi học", dt.datetime(2025, 3, 10), 7,
         32410000, "Đã thông báo", case.rule.source if case.rule else "", None),
    ]  # fmt: skip
    assert PersonalDataView.objects.filter(user=campus.users["leadership"]).exists()


def test_the_student_page_shows_the_support_and_the_case(
    listed: tuple[Campus, RepaymentCase, SupportReport],
) -> None:
    campus = listed[0]
    body = campus.client("records").get(page("student", campus.students[7].pk)).content.decode()
    assert "Hưởng hỗ trợ từ 05/09/2024 đến 10/03/2025" in body
    assert "Tự thôi học, 10/03/2025 — Đã thông báo" in body
    assert campus.client("staff").get(page("student", campus.students[7].pk)).status_code == 403
