"""Units and people from Excel: dry run, all or nothing, re-import, round trip, rights."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from conftest import World
from core.sheets.reading import BadWorkbook
from core.tests.sheets_helpers import confirm, errors, rows_of, upload, workbook
from organisations import excel
from organisations.models import Organisation, Person, Position, Role

URL = "/organisations/people/import/"
UNIT_HEADER = ["Mã đơn vị", "Tên đơn vị", "Tên viết tắt", "Loại đơn vị", "Đơn vị cấp trên"]
PEOPLE_HEADER = ["Họ và tên", "Thư điện tử", "Đơn vị", "Chức vụ", "Quyền trong hệ thống", "Từ ngày"]


def sample() -> bytes:
    return workbook(
        {
            "Đơn vị": [
                UNIT_HEADER,
                ["to-ly", "Tổ Vật lý", "", "Tổ bộ môn", "Khoa Tu nhien"],
                ["tt-tt", "Trung tâm Thông tin", "TTTT", "Trung tâm", ""],
                ["to-tin", "Tổ Tin học", "", "Tổ bộ môn", "TTTT"],  # parent created above
            ],
            "Cán bộ, viên chức": [
                PEOPLE_HEADER,
                [
                    "Trần Văn Bình",
                    "binh@example.vn",
                    "to-ly",
                    "Tổ trưởng",
                    "Trưởng đơn vị",
                    "23/8/2023",
                ],
                ["Trần Văn Bình", "", "tt-tt", "Cộng tác viên", "", None],
                [
                    "Nguyễn Thị Phương Loan",
                    "",
                    "Phòng Đào tạo",
                    "Trưởng phòng",
                    "",
                    dt.date(2023, 9, 1),
                ],
            ],
        }
    )


def test_dry_run_then_confirm_writes_everything_with_history_and_reimport_changes_nothing(
    world: World,
) -> None:
    client = world.client("leadership")
    response = upload(client, URL, sample())
    assert response.status_code == 200, errors(response)
    body = response.content.decode()
    assert "Sẽ tạo mới 5, cập nhật 1, không đổi 0; 0 dòng có lỗi." in body
    assert not Organisation.objects.filter(code="to-ly").exists()  # a dry run writes nothing
    done = confirm(client, URL, response)
    assert done.status_code == 302
    ly = Organisation.objects.get(code="to-ly")
    tin = Organisation.objects.get(code="to-tin")
    assert ly.parent == world.faculty and ly.school == world.school and ly.kind == "subject_group"
    assert tin.parent.code == "tt-tt"
    binh = Person.objects.get(full_name="Trần Văn Bình")
    assert binh.email == "binh@example.vn" and binh.school == world.school
    positions = {(p.organisation.code, p.title, p.role, p.valid_from) for p in binh.positions.all()}
    assert positions == {
        ("to-ly", "Tổ trưởng", Role.HEAD, dt.date(2023, 8, 23)),
        ("tt-tt", "Cộng tác viên", Role.MEMBER, None),
    }
    loan = world.people["unit_head"]
    assert loan.positions.get(organisation=world.office).valid_from == dt.date(2023, 9, 1)
    assert ly.history.first().history_change_reason == "Nhập từ Excel"
    assert ly.history.first().history_user == world.users["leadership"]
    # The same file again: every row unchanged, nothing new written.
    before = (Organisation.objects.count(), Person.objects.count(), Position.objects.count())
    again = upload(client, URL, sample())
    assert "Sẽ tạo mới 0, cập nhật 0, không đổi 6; 0 dòng có lỗi." in again.content.decode()
    confirm(client, URL, again)
    assert (
        Organisation.objects.count(),
        Person.objects.count(),
        Position.objects.count(),
    ) == before


def test_every_error_is_shown_with_row_and_column_and_nothing_is_written(world: World) -> None:
    data = workbook(
        {
            "Đơn vị": [
                UNIT_HEADER,
                ["to-ly", "Tổ Vật lý", "", "Tổ bộ môn", "Khoa Tu nhien"],
                ["to hoa", "Tổ Hóa", "", "Lớp học", "Khoa Không Có"],
            ],
            "Cán bộ, viên chức": [
                PEOPLE_HEADER,
                ["Trần Văn Bình", "binh@", "to-ly", "Tổ trưởng", "Giám đốc", "31/2/2024"],
            ],
        }
    )
    response = upload(world.client("leadership"), URL, data)
    assert response.status_code == 400
    found = {(row, column) for row, column, _m in errors(response)}
    assert found == {
        (3, "Đơn vị › Mã đơn vị"),
        (3, "Đơn vị › Loại đơn vị"),
        (3, "Đơn vị › Đơn vị cấp trên"),
        (2, "Cán bộ, viên chức › Thư điện tử"),
        (2, "Cán bộ, viên chức › Quyền trong hệ thống"),
        (2, "Cán bộ, viên chức › Từ ngày"),
    }
    body = response.content.decode()
    assert "Không có đơn vị “Khoa Không Có” trong trường." in body
    assert "“31/2/2024” không phải là ngày hợp lệ" in body
    assert "token" not in response.context or not response.context["token"]
    assert not Organisation.objects.filter(code="to-ly").exists()
    assert not Person.objects.filter(full_name="Trần Văn Bình").exists()


def test_one_bad_row_writes_nothing_even_through_the_service(world: World) -> None:
    data = workbook(
        {
            "Đơn vị": [UNIT_HEADER, ["to-ly", "Tổ Vật lý", "", "Tổ bộ môn", ""], ["", "", "", "", ""],
                       ["x", "Tổ X", "", "Không rõ", ""]],
        }
    )  # fmt: skip
    with pytest.raises(BadWorkbook):
        excel.import_people(world.school, data, by=world.users["leadership"])
    assert not Organisation.objects.filter(code="to-ly").exists()


def test_export_then_import_is_the_identity_and_an_edit_is_an_update(world: World) -> None:
    exported = excel.export_people(world.school)
    units = rows_of(exported, "Đơn vị")
    assert units[0] == [c.header for c in excel.UNIT_COLUMNS]
    assert ["to-toan", "Tổ Toán", None, None, "Tổ bộ môn", "ktn", 0] in units
    staff = rows_of(exported, "Cán bộ, viên chức")
    assert ["Hoàng Văn An", None, None, None, "to-toan", "Giảng viên", "Thành viên", None] in staff
    read = excel.read_people(world.school, exported)
    assert read.ok and not read.changed, read.errors
    snapshot = _snapshot(world)
    excel.import_people(world.school, exported, by=world.users["leadership"])
    assert _snapshot(world) == snapshot
    # Renaming a unit (found by its code) keeps the former name.
    units[1:] = [
        [*r[:1], "Phòng Đào tạo và Khảo thí", *r[2:]] if r[0] == "pdt" else r for r in units[1:]
    ]
    edited = workbook({"Đơn vị": units})
    read = excel.read_people(world.school, edited)
    assert read.units.counts["update"] == 1 and read.ok
    excel.import_people(world.school, edited, by=world.users["leadership"])
    world.office.refresh_from_db()
    assert world.office.name == "Phòng Đào tạo và Khảo thí"
    assert world.office.former_names.get().name == "Phòng Đào tạo"


def _snapshot(world: World) -> Any:
    units = sorted(
        Organisation.objects.filter(school=world.school).values_list(
            "pk", "name", "short_name", "abbreviation", "code", "kind", "parent_id", "order"
        )
    )
    persons = sorted(
        Person.objects.filter(school=world.school).values_list("pk", "full_name", "email")
    )
    positions = sorted(
        Position.objects.filter(person__school=world.school).values_list(
            "pk", "person_id", "organisation_id", "title", "role", "valid_from", "valid_to"
        )
    )
    return units, persons, positions


def test_a_cycle_between_units_is_an_error(world: World) -> None:
    data = workbook(
        {
            "Đơn vị": [
                UNIT_HEADER,
                ["a", "Tổ A", "", "Tổ bộ môn", "b"],
                ["b", "Tổ B", "", "Tổ bộ môn", "a"],
            ]
        }
    )
    read = excel.read_people(world.school, data)
    assert {(r, c) for r, c, _m in read.errors} == {(2, "Đơn vị cấp trên"), (3, "Đơn vị cấp trên")}


LOGIN, NOT_FOUND, FORBIDDEN, OK = 302, 404, 403, 200


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", LOGIN), ("outsider", OK), ("staff", FORBIDDEN), ("unit_head", FORBIDDEN),
     ("leadership", OK), ("clerk", FORBIDDEN)],
)  # fmt: skip
@pytest.mark.parametrize("url", [URL, "/organisations/people/sheet/"])
def test_role_matrix(world: World, role: str, expected: int, url: str) -> None:
    response = world.client(role).get(url)
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if role == "outsider" and url.endswith("sheet/"):
        # Another school's leadership gets its own school, never this one.
        assert b"Tr\xe1\xba\xa7n" not in response.content
        names = [r[1] for r in rows_of(response.content, "Đơn vị")[1:]]
        assert names == ["Phòng Khác"]


def _formula() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Đơn vị"
    sheet.append(UNIT_HEADER)
    sheet.append(["to-ly", '=CONCAT("Tổ ", "Lý")', "", "Tổ bộ môn", ""])
    sheet.append(["to-hoa", "Tổ Hóa", "", "Tổ bộ môn", ""])
    sheet.merge_cells("C3:D3")
    import io

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _docx() -> bytes:
    import io

    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_formula, "Trang tính có ô gộp: C3:D3 (dòng 3, cột Tên viết tắt)"),
        (_docx, "Đây là tệp Word, không phải Excel (.xlsx)."),
        (lambda: workbook({"Sheet1": [UNIT_HEADER]}), "Không thấy trang tính “Đơn vị” hay"),
    ],
    ids=["merged", "word", "no-sheet"],
)
def test_bad_files_get_a_clear_message(world: World, data: Any, message: str) -> None:
    response = upload(world.client("leadership"), URL, data())
    assert response.status_code == 400
    assert message in response.context["error"]
    assert not Organisation.objects.filter(code__in=["to-ly", "to-hoa"]).exists()


def test_a_formula_cell_is_an_error_of_its_row(world: World) -> None:
    data = workbook(
        {"Đơn vị": [UNIT_HEADER, ["to-ly", '=CONCAT("Tổ ", "Lý")', "", "Tổ bộ môn", ""]]}
    )
    read = excel.read_people(world.school, data)
    assert [(r, c) for r, c, _m in read.errors] == [(2, "Tên đơn vị")]
    assert "Ô chứa công thức" in read.errors[0][2]


def test_a_service_refusing_one_row_rolls_back_the_rows_before_it(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from organisations import services

    real = services.add_position
    calls: list[Any] = []

    def third_fails(position: Any, **kwargs: Any) -> Any:
        calls.append(position)
        if len(calls) == 3:
            raise services.OrganisationError("Chức vụ phải thuộc một đơn vị của trường.")
        return real(position, **kwargs)

    monkeypatch.setattr(services, "add_position", third_fails)
    with pytest.raises(BadWorkbook, match="Dòng 4: Chức vụ phải thuộc"):
        excel.import_people(world.school, sample(), by=world.users["leadership"])
    assert len(calls) == 3
    assert not Organisation.objects.filter(code__in=["to-ly", "tt-tt", "to-tin"]).exists()
    assert not Person.objects.filter(full_name="Trần Văn Bình").exists()
