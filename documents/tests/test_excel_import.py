"""Documents into the register from Excel: recognition, dates as text, round trip, rights."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from conftest import World
from core.tests.sheets_helpers import confirm, errors, rows_of, upload, workbook
from documents import excel
from documents.models import Document
from documents.services import register_list

URL = "/documents/import/excel/"
HEADER = ["Số, ký hiệu", "Loại văn bản", "Ngày ban hành", "Cơ quan ban hành", "Trích yếu"]


def sample() -> bytes:
    return workbook(
        {
            "Sổ văn bản": [
                HEADER,
                ["01/2024/TT-BGDĐT", "", "23/8/2023", "Bộ Giáo dục và Đào tạo", "Về việc ban hành quy chế"],
                ["5155/BGDĐT-GDĐH", "Công văn", dt.datetime(2023, 9, 30), "Bộ GDĐT", "V/v hướng dẫn"],
                ["63-NQ/TU", "", "05.9.2023", "Tỉnh ủy Lạng Sơn", "Nghị quyết về giáo dục"],
                # Already in the register (the world's document), same data: unchanged.
                ["2457/QĐ-BGDĐT", "Quyết định", dt.date(2023, 8, 23),
                 "Bộ trưởng Bộ Giáo dục và Đào tạo",
                 "Ban hành Kế hoạch nhiệm vụ, giải pháp trọng tâm năm học 2023-2024"],
            ],
        }
    )  # fmt: skip


def test_dry_run_then_all_rows_and_the_register_is_recognised(world: World) -> None:
    client = world.client("clerk")
    response = upload(client, URL, sample())
    assert response.status_code == 200, errors(response)
    assert "Sẽ tạo mới 3, cập nhật 0, không đổi 1; 0 dòng có lỗi." in response.content.decode()
    count = Document.objects.count()
    assert confirm(client, URL, response).status_code == 302
    assert Document.objects.count() == count + 3
    tt = Document.objects.get(symbol="01/2024/TT-BGDĐT")
    assert (tt.doc_type.code, tt.year, tt.issuer_code, tt.issued_on) == (
        "TT",
        2024,
        "BGDĐT",
        dt.date(2023, 8, 23),
    )
    assert tt.summary == "Ban hành quy chế"  # "Về việc" is printed by the papers, not stored
    cv = Document.objects.get(symbol="5155/BGDĐT-GDĐH")
    assert cv.doc_type.code == "CV" and cv.issued_on == dt.date(2023, 9, 30)
    nq = Document.objects.get(symbol="63-NQ/TU")
    assert nq.system == "party" and nq.issued_on == dt.date(2023, 9, 5)
    assert tt.history.first().history_user == world.users["clerk"]
    again = upload(client, URL, sample())
    assert "Sẽ tạo mới 0, cập nhật 0, không đổi 4; 0 dòng có lỗi." in again.content.decode()
    confirm(client, URL, again)
    assert Document.objects.count() == count + 3


def test_a_changed_summary_updates_the_registered_document(world: World) -> None:
    data = workbook(
        {
            "Sổ văn bản": [
                HEADER,
                ["2457/QĐ-BGDĐT", "", "23/08/2023", "", "Kế hoạch trọng tâm (sửa)"],
            ]
        }
    )
    read = excel.read_documents(world.school, data)
    assert read.counts["update"] == 1
    assert ("Trích yếu", world.document.summary, "Kế hoạch trọng tâm (sửa)") in read.rows[0].changes
    excel.import_documents(world.school, data, by=world.users["clerk"])
    world.document.refresh_from_db()
    assert world.document.summary == "Kế hoạch trọng tâm (sửa)"
    assert world.document.issuer_name == ""  # the column is in the file: a blank cell clears it
    assert Document.objects.filter(symbol="2457/QĐ-BGDĐT").count() == 1


def test_errors_name_row_and_column_and_nothing_is_written(world: World) -> None:
    data = workbook(
        {
            "Sổ văn bản": [
                HEADER,
                ["12/KH-CĐSP", "", "31/2/2024", "", "Kế hoạch"],
                ["Công văn không số", "", "", "", "Không số"],
                ["99/QĐ-UBND", "Thông tư", "", "", "Loại mâu thuẫn"],
                ["100/UBND-VX", "Quyết định", "", "", "Quyết định thiếu loại trong ký hiệu"],
                ["15/KH-CĐSP", "", "", "", ""],
                ["12/KH-CĐSP", "", "", "", "Trùng"],
            ],
        }
    )
    response = upload(world.client("leadership"), URL, data)
    assert response.status_code == 400
    found = {(row, column) for row, column, _m in errors(response)}
    assert found == {
        (2, "Ngày ban hành"),
        (3, "Số, ký hiệu"),
        (4, "Loại văn bản"),
        (5, "Số, ký hiệu"),
        (6, "Trích yếu"),
        (7, "Số, ký hiệu"),
    }
    body = response.content.decode()
    assert "Với loại “Quyết định”, số, ký hiệu phải viết là 100/QĐ-UBND-VX." in body
    assert "Trùng với dòng 2." in body
    assert not Document.objects.filter(symbol="12/KH-CĐSP").exists()


def test_export_import_round_trip_is_the_identity(world: World) -> None:
    excel.import_documents(world.school, sample(), by=world.users["clerk"])
    exported = excel.documents_workbook(register_list(world.school.pk, {}))
    lines = rows_of(exported, "Sổ văn bản")
    assert lines[0][:3] == ["Số, ký hiệu", "Loại văn bản", "Ngày ban hành"]
    assert ["63-NQ/TU", "Nghị quyết", dt.datetime(2023, 9, 5)] in [line[:3] for line in lines]
    fields = ("pk", "symbol", "doc_type_id", "issued_on", "issuer_name", "summary", "system")
    before = sorted(Document.objects.values_list(*fields))
    read = excel.read_documents(world.school, exported)
    assert read.ok and not read.changed and len(read.rows) == 4
    excel.import_documents(world.school, exported, by=world.users["clerk"])
    assert sorted(Document.objects.values_list(*fields)) == before


LOGIN, FORBIDDEN, OK = 302, 403, 200


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", LOGIN), ("outsider", OK), ("staff", FORBIDDEN), ("unit_head", FORBIDDEN),
     ("leadership", OK), ("clerk", OK)],
)  # fmt: skip
@pytest.mark.parametrize("url", [URL])
def test_role_matrix(world: World, role: str, expected: int, url: str) -> None:
    response = world.client(role).get(url)
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if expected == OK:
        assert response.context["template_url"] == reverse("documents:documents_export")


def test_rows_past_the_limit_are_turned_away_with_a_message(world: World) -> None:
    # 100 000 rows are tested on the shared reader (core/tests/test_sheets.py); one past the
    # limit is enough here.
    import io

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sổ văn bản")
    sheet.append(HEADER)
    for n in range(1, 10_002):
        sheet.append([f"{n}/QĐ-CĐSP", "", "23/8/2023", "", "Quyết định"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(world.client("clerk"), URL, buffer.getvalue())
    assert response.status_code == 400
    assert "mỗi lần nhập tối đa 10.000 dòng" in response.context["error"]
    assert not Document.objects.filter(symbol="1/QĐ-CĐSP").exists()
