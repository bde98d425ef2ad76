"""Teaching-load pages for each role, the Excel import and the exports."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from conftest import ROLES
from workload.models import Section
from workload.tests.conftest import Teaching

OK, LOGIN, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404

PAGES: list[tuple[str, Callable[[Teaching], str], tuple[int, ...]]] = [
    ("home", lambda t: reverse("workload:home"), (LOGIN, OK, OK, OK, OK)),
    ("term", lambda t: reverse("workload:term_detail", args=[t.term.pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("year", lambda t: reverse("workload:year_view", args=[t.term.pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("sections", lambda t: reverse("workload:term_sections", args=[t.term.pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("section create", lambda t: reverse("workload:section_create", args=[t.term.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("section edit", lambda t: reverse("workload:section_edit", args=[t.sections[0].pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("import", lambda t: reverse("workload:term_import", args=[t.term.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("template", lambda t: reverse("workload:import_template", args=[t.term.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("assignment", lambda t: reverse("workload:export_assignment", args=[t.term.pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("statements", lambda t: reverse("workload:export_statements", args=[t.term.pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("my statement", lambda t: reverse("workload:my_statement", args=[t.term.pk]), (LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND)),
    ("staff load", lambda t: reverse("workload:staff_load", args=[t.world.plan.pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_for_role(
    teaching: Teaching, role: str, name: str, url: Any, expected: tuple[int, ...]
) -> None:
    response = teaching.world.client(role).get(url(teaching))
    assert response.status_code == expected[ROLES.index(role)], f"{name} as {role}"


def test_term_page_shows_loads_targets_and_spread(teaching: Teaching) -> None:
    body = (
        teaching.world.client("leadership")
        .get(reverse("workload:term_detail", args=[teaching.term.pk]))
        .content.decode()
    )
    assert "Hoàng Văn An" in body and "GV001" in body
    assert 'id="spread-before"' in body and "Phân công tự động" in body
    assert "Tổ Toán" in body


def test_run_page_polls_until_finished_and_can_be_applied(
    teaching: Teaching, django_capture_on_commit_callbacks: Any
) -> None:
    client = teaching.world.client("leadership")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workload:run_start", args=[teaching.term.pk]), {"time_limit": "5"}
        )
    run_url = response["Location"]
    page = client.get(run_url).content.decode()
    assert 'id="run-result"' in page and "hx-trigger" not in page
    fragment = client.get(run_url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="run-status"')
    assert teaching.world.client("unit_head").post(run_url + "apply/").status_code == 403
    assert client.get(run_url + "apply/").status_code == 200  # the preview comes first
    assert client.post(run_url + "apply/", {"confirm": "1"}).status_code == 302
    loads: dict[int, int] = {}
    for section in Section.objects.filter(term=teaching.term):
        loads[section.assigned_to_id] = loads.get(section.assigned_to_id, 0) + 1
    assert len(loads) >= 3  # no longer one lecturer for everything


def test_unit_head_locks_only_sections_of_their_units(teaching: Teaching) -> None:
    section = teaching.sections[0]
    url = reverse("workload:section_lock", args=[section.pk])
    lecturer = teaching.lecturers[1].pk
    assert teaching.world.client("unit_head").post(url, {"lecturer": lecturer}).status_code == 403
    assert teaching.world.client("leadership").post(url, {"lecturer": lecturer}).status_code == 302
    section.refresh_from_db()
    assert section.locked_to_id == lecturer == section.assigned_to_id


def workbook(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(
        header
        or [
            "Mã lớp học phần",
            "Học phần",
            "Tổ bộ môn",
            "Loại hoạt động",
            "Số tiết",
            "Sĩ số",
            "Phân công thủ công",
        ]
    )
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(teaching: Teaching, data: bytes, name: str = "hoc-phan.xlsx", client: Any = None) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return (client or teaching.world.client("leadership")).post(
        reverse("workload:term_import", args=[teaching.term.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )


def test_import_checks_first_then_writes_all_and_reimport_changes_nothing(
    teaching: Teaching,
) -> None:
    data = workbook(
        [
            ["TT-01", "Học phần 1", "to-toan", "LT", 45, 35, "GV001"],
            ["MỚI-01", "Xác suất", "Tổ Toán", "Lý thuyết", "1.234,5", 55, ""],
        ]
    )
    client = teaching.world.client("leadership")
    response = upload(teaching, data, client=client)
    body = response.content.decode()
    assert response.status_code == 200 and "Sẽ tạo 1 lớp, cập nhật 0 lớp, 1 lớp không đổi." in body
    assert "<td>MỚI-01</td>" in body  # each preview row shows its section code
    assert not Section.objects.filter(code="MỚI-01").exists()
    token = body.split('name="token" value="')[1].split('"')[0]
    other_session = teaching.world.client("leadership").post(
        reverse("workload:term_import", args=[teaching.term.pk]), {"token": token}
    )
    assert other_session.status_code == 302 and not Section.objects.filter(code="MỚI-01").exists()
    client.post(reverse("workload:term_import", args=[teaching.term.pk]), {"token": token})
    new = Section.objects.get(code="MỚI-01")
    assert str(new.hours) == "1851.75"  # 1 234,5 periods × 1.5 for 55 students
    again = upload(teaching, data).content.decode()
    assert "Sẽ tạo 0 lớp, cập nhật 0 lớp, 2 lớp không đổi." in again


def test_import_reports_every_error_with_row_and_column_and_writes_nothing(
    teaching: Teaching,
) -> None:
    data = workbook([
        ["X-1", "A", "Tổ Không Có", "LT", 45, 35, ""],
        ["X-2", "B", "to-toan", "??", "bốn mươi", -3, "GV999"],
        ["X-1", "", "to-toan", "LT", "=A1*2", 35, ""],
    ])  # fmt: skip
    response = upload(teaching, data)
    body = response.content.decode()
    assert response.status_code == 400
    for fragment in [
        "Không có tổ bộ môn",
        "Không có loại hoạt động",
        "không phải là số",
        "Sĩ số phải là số nguyên dương",
        "Không có giảng viên mã",
        "Trùng mã với dòng 2",
        "Ô chứa công thức",
        "Ô bắt buộc đang trống",
    ]:
        assert fragment in body, fragment
    assert "<td>3</td><td>Loại hoạt động</td>" in body
    assert not Section.objects.filter(code__startswith="X-").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not excel at all", "không phải Excel"),
        (b"PK\x03\x04broken", "Không đọc được tệp Excel"),
    ],
)
def test_bad_files_are_refused(teaching: Teaching, data: bytes, message: str) -> None:
    response = upload(teaching, data)
    assert response.status_code == 400 and message in response.content.decode()


def test_wrong_sheet_and_merged_cells_are_refused(teaching: Teaching) -> None:
    wrong = upload(teaching, workbook([["a", "b"]], header=["Họ tên", "Ngày sinh"]))
    assert "thiếu cột" in wrong.content.decode()
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã lớp học phần", "Học phần", "Tổ bộ môn", "Loại hoạt động", "Số tiết", "Sĩ số"])
    sheet.append(["M-1", "A", "to-toan", "LT", 45, 35])
    sheet.merge_cells("A2:B2")
    buffer = io.BytesIO()
    book.save(buffer)
    assert "ô gộp" in upload(teaching, buffer.getvalue()).content.decode()


def test_exports_round_trip_through_the_import(teaching: Teaching) -> None:
    exported = (
        teaching.world.client("leadership")
        .get(reverse("workload:export_assignment", args=[teaching.term.pk]))
        .content
    )
    sheet = load_workbook(io.BytesIO(exported)).active
    header = [cell.value for cell in sheet[1]]
    assert header[:6] == [
        "Mã lớp học phần",
        "Học phần",
        "Tổ bộ môn",
        "Loại hoạt động",
        "Số tiết",
        "Sĩ số",
    ]
    assert sheet.max_row == 11
    # Re-importing the exported assignment changes nothing.
    assert "cập nhật 0 lớp, 10 lớp không đổi" in upload(teaching, exported).content.decode()


def test_statements_have_a_summary_and_a_sheet_per_lecturer(teaching: Teaching) -> None:
    data = (
        teaching.world.client("leadership")
        .get(reverse("workload:export_statements", args=[teaching.term.pk]))
        .content
    )
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames[0] == "Tổng hợp"
    assert len(book.sheetnames) == 1 + len(teaching.lecturers)
    first = book[book.sheetnames[1]]
    assert first.cell(row=first.max_row, column=2).value == "Cộng"
    mine = (
        teaching.world.client("staff")
        .get(reverse("workload:my_statement", args=[teaching.term.pk]))
        .content
    )
    assert len(load_workbook(io.BytesIO(mine)).sheetnames) == 2


def test_staff_load_index(teaching: Teaching) -> None:
    body = (
        teaching.world.client("leadership")
        .get(reverse("workload:staff_load", args=[teaching.world.plan.pk]))
        .content.decode()
    )
    assert 'id="school-gini"' in body and "Khoa Tự nhiên" in body and "Hoàng Văn An" in body


def test_leadership_enters_a_section_by_hand(teaching: Teaching) -> None:
    data = {
        "code": "TAY-1",
        "course": "Tiếng Tày",
        "group": teaching.world.group.pk,
        "kind": teaching.lecture.pk,
        "units": "30",
        "class_size": "45",
    }
    response = teaching.world.client("leadership").post(
        reverse("workload:section_create", args=[teaching.term.pk]), data
    )
    assert response.status_code == 302
    assert (
        str(Section.objects.get(code="TAY-1").hours) == "45.00"
    )  # 30 periods × 1.5 for 45 students
    bad = teaching.world.client("leadership").post(
        reverse("workload:section_create", args=[teaching.term.pk]), {**data, "units": "ba mươi"}
    )
    assert bad.status_code == 400


def test_lecturer_marks_a_wish_and_the_balancer_sees_it(teaching: Teaching) -> None:
    from workload import services

    section = teaching.sections[3]
    url = reverse("workload:section_wish", args=[section.pk])
    response = teaching.world.client("staff").post(url, HTTP_HX_REQUEST="true")
    assert "Đã đăng ký" in response.content.decode()
    instance = services.build_instance(teaching.term)
    wished = next(s for s in instance.sections if s.id == f"S{section.pk}")
    assert wished.preferred == (f"L{teaching.lecturers[0].pk}",)
    teaching.world.client("staff").post(url)
    assert not section.preferred_by.exists()
    assert teaching.world.client("unit_head").post(url).status_code == 404  # not a lecturer
    assert teaching.world.client("outsider").post(url).status_code == 404


def test_year_view_adds_both_semesters(teaching: Teaching) -> None:
    body = (
        teaching.world.client("staff")
        .get(reverse("workload:year_view", args=[teaching.term.pk]))
        .content.decode()
    )
    assert 'id="year-rows"' in body and "405" in body and "300" in body
