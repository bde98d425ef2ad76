"""Cohorts' headcounts at each count date from Excel through the shared flow: a dry run first,
bad files refused with row and column and nothing written, a second import of the same file
changes nothing, a corrected count keeps its history; the page shows the figures to every
member of the school (no name) beside the headcount the student list gives, the import only to
the office and the leadership; the page's cost does not grow with its rows."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.services import create_token
from core.sheets.reading import BadWorkbook
from students import excel_counts
from students.models_counts import CohortCount
from students.tests.conftest import ROLES, TODAY, Campus
from students.tests.test_imports import workbook

HEADER = [c.header for c in excel_counts.HEADCOUNT_COLUMNS]
GOOD = [
    ["CĐMN-K1", "30/09/2023", 6, ""],
    ["CĐMN-K1", dt.date(2024, 2, 1), 5, "Sau học kỳ 1"],
    ["cđmn-k1", "01/05/2024", 3, ""],  # code compared without case: differs from the list (4)
    ["CĐTH-K2", "30/09/2024", 4, ""],
]


def sheet(rows: list[list[Any]], title: str = excel_counts.HEADCOUNTS_SHEET) -> bytes:
    return workbook(title, HEADER, rows)


@pytest.fixture
def counted(campus: Campus, monkeypatch: pytest.MonkeyPatch) -> Campus:
    monkeypatch.setattr("students.views_counts.today", lambda: TODAY)
    excel_counts.import_headcounts(
        campus.world.school, sheet(GOOD), today=TODAY, by=campus.users["records"]
    )
    return campus


def test_the_import_writes_every_row_and_a_second_import_changes_nothing(counted: Campus) -> None:
    school = counted.world.school
    assert CohortCount.objects.count() == 4
    again = excel_counts.read_headcounts(school, sheet(GOOD), today=TODAY)
    assert [r.action for r in again.rows] == ["unchanged"] * 4
    corrected = excel_counts.read_headcounts(
        school, sheet([["CĐMN-K1", "01/05/2024", 4, "Đối chiếu lại"]]), today=TODAY
    )
    assert corrected.rows[0].action == "update"
    excel_counts.import_headcounts(
        school, sheet([["CĐMN-K1", "01/05/2024", 4, "Đối chiếu lại"]]), today=TODAY,
        by=counted.users["leadership"],
    )  # fmt: skip
    count = CohortCount.objects.get(cohort=counted.k1, counted_on=dt.date(2024, 5, 1))
    assert count.headcount == 4
    assert [h.headcount for h in count.history.order_by("history_date")] == [3, 4]


@pytest.mark.parametrize(
    ("rows", "column", "says"),
    [
        ([["KHÔNG-CÓ", "30/09/2024", 4, ""]], "Lớp", "KHÔNG-CÓ"),
        ([["CĐMN-K1", "31/02/2024", 4, ""]], "Ngày thống kê", "không phải là ngày hợp lệ"),
        ([["CĐMN-K1", "hôm qua", 4, ""]], "Ngày thống kê", "không phải là ngày hợp lệ"),
        ([["CĐMN-K1", "01/01/2023", 4, ""]], "Ngày thống kê", "trước ngày khai giảng"),
        ([["CĐMN-K1", "01/01/2030", 4, ""]], "Ngày thống kê", "sau hôm nay"),
        ([["CĐMN-K1", "30/09/2024", -1, ""]], "Sĩ số", ""),
        ([["CĐMN-K1", "30/09/2024", 4.5, ""]], "Sĩ số", "số nguyên"),
        ([["CĐMN-K1", "30/09/2024", "nhiều", ""]], "Sĩ số", ""),
        ([["CĐMN-K1", "30/09/2024", 10**7, ""]], "Sĩ số", "không quá"),
        ([["CĐMN-K1", "30/09/2024", "", ""]], "Sĩ số", ""),
        (
            [["CĐMN-K1", "30/09/2024", 4, ""], ["CĐMN-K1", dt.date(2024, 9, 30), 5, ""]],
            "Ngày thống kê",
            "Trùng lớp và ngày thống kê với dòng 2",
        ),
    ],
)
def test_a_bad_row_is_refused_by_row_and_column_and_nothing_is_written(
    campus: Campus, rows: list[list[Any]], column: str, says: str
) -> None:
    result = excel_counts.read_headcounts(campus.world.school, sheet(rows), today=TODAY)
    errors = [(r.row, header, message) for r in result.rows for header, message in r.errors]
    assert errors, rows
    row, header, message = errors[-1]
    assert row == len(rows) + 1  # the sheet's row number, after the header
    assert header == column and says in message, errors
    with pytest.raises(BadWorkbook):
        excel_counts.import_headcounts(
            campus.world.school, sheet(rows), today=TODAY, by=campus.users["records"]
        )
    assert not CohortCount.objects.exists()


def test_a_wrong_sheet_or_a_merged_header_is_refused(campus: Campus) -> None:
    with pytest.raises(BadWorkbook):
        excel_counts.read_headcounts(
            campus.world.school, sheet(GOOD, title="Trang khác"), today=TODAY
        )
    with pytest.raises(BadWorkbook):
        excel_counts.read_headcounts(
            campus.world.school,
            workbook(excel_counts.HEADCOUNTS_SHEET, HEADER, GOOD, merge="A1:B1"),
            today=TODAY,
        )
    assert not CohortCount.objects.exists()


def test_the_import_page_runs_dry_then_writes_on_confirmation(counted: Campus) -> None:
    client = counted.client("records")
    address = reverse("students:import_headcounts")
    assert client.get(address).status_code == 200
    template = client.get(address + "?template=1")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/")
    upload = io.BytesIO(sheet([["CĐTH-K2", "01/02/2025", 3, ""]]))
    upload.name = "si-so.xlsx"
    response = client.post(address, {"file": upload})
    assert response.status_code == 200 and CohortCount.objects.count() == 4
    response = client.post(address, {"token": response.context["token"]})
    assert response.status_code == 302 and CohortCount.objects.count() == 5
    bad = io.BytesIO(sheet([["CĐTH-K2", "hôm qua", 3, ""]]))
    bad.name = "x.xlsx"
    response = client.post(address, {"file": bad})
    assert response.status_code == 400 and "Ngày thống kê" in response.content.decode()
    assert client.post(address, {"file": io.BytesIO(b"not excel")}).status_code == 400
    assert CohortCount.objects.count() == 5


# anonymous, outsider, officer, staff, adviser, faculty head, records office, leadership
PAGE = (302, 200, 200, 200, 200, 200, 200, 200)
IMPORT = (302, 200, 403, 403, 403, 403, 200, 200)


@pytest.mark.parametrize("index", range(len(ROLES)), ids=ROLES)
def test_the_figures_for_every_member_the_import_for_the_office(
    counted: Campus, index: int
) -> None:
    role = ROLES[index]
    client = counted.client(role)
    response = client.get(reverse("students:headcounts"))
    assert response.status_code == PAGE[index]
    if response.status_code == 200:
        page = response.content.decode()
        assert "Nguyễn Văn Học" not in page
        # Another school and the Sở see none of this school's counts.
        assert ("CĐMN-K1" in page) == (role not in ("outsider", "officer"))
        assert ("Nhập sĩ số từ Excel" in page) == (role in ("records", "leadership", "outsider"))
    assert client.get(reverse("students:import_headcounts")).status_code == IMPORT[index]


def test_the_page_shows_the_list_headcount_and_the_difference(counted: Campus) -> None:
    client = counted.client("staff")
    response = client.get(reverse("students:headcounts") + f"?cohort={counted.k1.pk}")
    lines = {(c.counted_on, n, d) for c, n, d in response.context["lines"]}
    # K1: six entered 05/09/2023; one withdrew 10/01/2024, one suspended 01/04/2024.
    assert lines == {
        (dt.date(2023, 9, 30), 6, 0),
        (dt.date(2024, 2, 1), 5, 0),
        (dt.date(2024, 5, 1), 4, -1),
    }
    for query in ("?cohort=abc", "?cohort=-1", "?cohort=99999999999999999999", "?page=x"):
        assert client.get(reverse("students:headcounts") + query).status_code == 200
    xlsx = client.get(reverse("students:headcounts") + "?format=xlsx")
    assert xlsx.status_code == 200


def test_the_page_costs_the_same_with_more_rows(counted: Campus) -> None:
    client = counted.client("records")
    url = reverse("students:headcounts")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    CohortCount.objects.bulk_create(
        CohortCount(
            school=counted.world.school, cohort=cohort, counted_on=dt.date(2024, 9, 6 + n),
            headcount=n,
        )
        for cohort in (counted.k1, counted.k2)
        for n in range(20)
    )  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200 and len(response.context["lines"]) == 44
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def api(campus: Campus, role: str, query: str = "") -> Any:
    if role == "anonymous":
        return Client().get(f"/api/students/headcounts{query}")
    secret = create_token(campus.users[role], name="sĩ số")[1]
    return Client().get(f"/api/students/headcounts{query}", HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.mark.parametrize(
    ("role", "rows"),
    [("anonymous", None), ("outsider", 0), ("officer", 0), ("staff", 4), ("records", 4)],
)
def test_the_api_gives_the_counts_to_every_member_without_a_name(
    counted: Campus, role: str, rows: int | None
) -> None:
    response = api(counted, role)
    if rows is None:
        assert response.status_code == 401
        return
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == rows and "Nguyễn Văn Học" not in response.content.decode()
    if rows:
        k1 = [r for r in data["items"] if r["cohort_code"] == "CĐMN-K1"]
        assert [(r["counted_on"], r["headcount"], r["listed"]) for r in k1] == [
            ("2024-05-01", 3, 4), ("2024-02-01", 5, 5), ("2023-09-30", 6, 6),
        ]  # fmt: skip
        only = api(counted, role, f"?cohort={counted.k2.pk}").json()
        assert [r["cohort_code"] for r in only["items"]] == ["CĐTH-K2"]


@pytest.mark.parametrize(
    "query", ["?cohort=abc", "?cohort=-1", "?cohort=0", "?cohort=1e400", "?limit=0", "?offset=-5"]
)
def test_the_api_refuses_bad_parameters_not_a_500(counted: Campus, query: str) -> None:
    response = api(counted, "staff", query)
    assert response.status_code == 422 and response.json()["detail"]


def test_the_api_costs_the_same_with_more_rows(counted: Campus) -> None:
    secret = create_token(counted.users["staff"], name="sĩ số")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    client.get("/api/students/headcounts")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/students/headcounts").status_code == 200
    CohortCount.objects.bulk_create(
        CohortCount(
            school=counted.world.school, cohort=cohort, counted_on=dt.date(2024, 9, 6 + n),
            headcount=n,
        )
        for cohort in (counted.k1, counted.k2)
        for n in range(20)
    )  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/students/headcounts")
    assert response.status_code == 200 and response.json()["count"] == 44
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def _batches(model: Any, rows: int, fields: list[Any] | None = None) -> int:
    """How many statements the database splits `rows` inserted (or updated) rows into: SQLite
    takes at most 999 parameters a statement, PostgreSQL 65,535."""
    fields = fields or [f for f in model._meta.concrete_fields if not f.primary_key]
    size = connection.ops.bulk_batch_size(fields, [None] * rows) or rows
    return -(-rows // size)


def _extra_batches(rows: int) -> int:
    history = CohortCount.history.model
    inserts = _batches(CohortCount, rows) + _batches(history, rows)
    updates = _batches(CohortCount, rows, ["pk", "pk", "headcount", "note"]) + _batches(
        history, rows
    )
    return inserts + updates - 4


def test_the_import_costs_the_same_with_10_or_200_rows(campus: Campus) -> None:
    by = campus.users["records"]
    school = campus.world.school

    def run(cohort: Any, rows: int, shift: int) -> list[int]:
        lines = [
            [cohort.code, cohort.starts_on + dt.timedelta(days=n), n + shift, ""]
            for n in range(rows)
        ]
        with CaptureQueriesContext(connection) as captured:
            excel_counts.import_headcounts(school, sheet(lines), today=TODAY, by=by)
        return [len(captured)]

    few = run(campus.k1, 10, 0) + run(campus.k1, 10, 1) + run(campus.k1, 10, 1)
    many = run(campus.k2, 200, 0) + run(campus.k2, 200, 1) + run(campus.k2, 200, 1)
    # Created, corrected, unchanged: the same statements, but for the database's own batches.
    assert sum(many) - sum(few) == _extra_batches(200) - _extra_batches(10), (few, many)
    assert few[2] == many[2] and few[2] < few[1]
    assert CohortCount.objects.filter(cohort=campus.k2).count() == 200
    count = CohortCount.objects.get(cohort=campus.k2, counted_on=campus.k2.starts_on)
    assert count.headcount == 1
    history = list(count.history.order_by("history_date", "history_id"))
    assert [(h.headcount, h.history_type) for h in history] == [(0, "+"), (1, "~")]
    assert {h.history_user for h in history} == {by}
    assert {h.history_change_reason for h in history} == {"Nhập từ Excel"}


def test_an_import_that_collides_writes_nothing(campus: Campus) -> None:
    """All or nothing: a row already written under the import (a concurrent import of the same
    class and day) leaves none of the file's rows, and a message instead of a 500."""
    by = campus.users["records"]
    school = campus.world.school
    lines = [["CĐMN-K1", "30/09/2023", 6, ""], ["CĐTH-K2", "30/09/2024", 4, ""]]
    real = excel_counts.bulk_create_with_history

    def racing(*args: Any, **kwargs: Any) -> Any:
        CohortCount.objects.create(
            school=school, cohort=campus.k2, counted_on=dt.date(2024, 9, 30), headcount=9
        )
        return real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(excel_counts, "bulk_create_with_history", racing)
        with pytest.raises(BadWorkbook, match="cùng lúc"):
            excel_counts.import_headcounts(school, sheet(lines), today=TODAY, by=by)
    assert not CohortCount.objects.filter(cohort=campus.k1).exists()
