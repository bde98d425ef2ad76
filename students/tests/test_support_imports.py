"""The support's marks from Excel through the shared flow (dry run, errors by row and column, all
or nothing, a second import changes nothing), and a change of programme imported with where the
student moved."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from core.sheets.reading import BadWorkbook
from students import excel, excel_support
from students.models_support import RepaymentCase, SupportGrant
from students.tests.conftest import Campus
from students.tests.support_helpers import supported
from students.tests.test_imports import CHANGE_HEADER, workbook

__all__ = ["supported"]

HEADER = [c.header for c in excel_support.GRANT_COLUMNS]


def grants_file(rows: list[list[Any]]) -> bytes:
    return workbook(excel_support.GRANTS_SHEET, HEADER, rows)


def test_marks_import_then_a_second_import_changes_nothing(supported: Campus) -> None:
    school, by = supported.world.school, supported.users["records"]
    data = grants_file(
        [
            [
                "SV005", "", "", "05/09/2023", "", "05/09/2023", "Cam kết 05", "Giao nhiệm vụ",
                "UBND tỉnh Lạng Sơn", "1.000.000", 3630000, "",
            ],
            ["SV002", "", "", "05/09/2023", "", "", "", "", "", "", "", "Đổi"],
        ]
    )  # fmt: skip
    result = excel_support.read_grants(school, data)
    assert result.ok, result.errors
    assert [r.action for r in result.rows] == ["create", "update"]
    assert SupportGrant.objects.count() == 5  # the dry run wrote nothing
    excel_support.import_grants(school, data, by=by)
    grant = SupportGrant.objects.active().get(student__code="SV005")
    assert (grant.funding, grant.sponsor, grant.tuition_per_month, grant.living_per_month) == (
        "assigned", "UBND tỉnh Lạng Sơn", Decimal("1000000"), Decimal("3630000"),
    )  # fmt: skip
    assert SupportGrant.objects.active().get(student__code="SV002").note == "Đổi"
    again = excel_support.read_grants(school, data)
    assert [r.action for r in again.rows] == ["unchanged", "unchanged"]
    history = SupportGrant.history.count()
    excel_support.import_grants(school, data, by=by)
    assert SupportGrant.history.count() == history


def test_a_bad_file_is_refused_by_row_and_column_with_nothing_written(supported: Campus) -> None:
    campus = supported
    campus.primary.teacher_training = False
    campus.primary.save()
    data = grants_file(
        [
            ["SV005", "", "", "05/09/2023", "", "", "", "", "", "", "", ""],  # fine alone
            ["SV009", "", "", "05/09/2024", "", "", "", "", "", "", "", ""],  # not pedagogy
            ["SV999", "", "", "05/09/2024", "", "", "", "", "", "", "", ""],  # no such student
            ["SV003", "", "", "05/09/2024", "01/09/2024", "", "", "", "", "", "", ""],
            ["SV004", "", "", "hôm qua", "", "", "", "Học bổng", "", "-5", "", ""],
        ]
    )  # fmt: skip
    result = excel_support.read_grants(campus.world.school, data)
    errors = {(r, c) for r, c, _m in result.errors}
    assert {
        (3, "Mã người học"), (4, "Mã người học"), (5, "Đến ngày"), (6, "Hưởng từ ngày"),
        (6, "Hình thức"), (6, "Học phí (đồng/tháng)"),
    } <= errors  # fmt: skip
    assert (2, "Mã người học") not in errors
    before = list(SupportGrant.history.values_list("pk", flat=True))
    with pytest.raises(BadWorkbook):
        excel_support.import_grants(campus.world.school, data, by=campus.users["records"])
    assert list(SupportGrant.history.values_list("pk", flat=True)) == before
    assert not SupportGrant.objects.filter(student__code="SV005").exists()


def test_the_import_page_runs_dry_then_writes(supported: Campus) -> None:
    client = supported.client("records")
    address = reverse("students:support_import")
    upload = io.BytesIO(grants_file([["SV005", "", "", "05/09/2023"] + [""] * 8]))
    upload.name = "ds.xlsx"
    response = client.post(address, {"file": upload})
    assert response.status_code == 200 and SupportGrant.objects.count() == 5
    response = client.post(address, {"token": response.context["token"]})
    assert response.status_code == 302 and SupportGrant.objects.count() == 6
    bad = io.BytesIO(grants_file([["SV005", "", "", "31/02/2023"] + [""] * 8]))
    bad.name = "x.xlsx"
    response = client.post(address, {"file": bad})
    assert response.status_code == 400 and "Hưởng từ ngày" in response.content.decode()
    template = client.get(address + "?template=1")
    assert template.status_code == 200 and template["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_an_imported_change_of_programme_lists_only_a_move_out_of_teacher_training(
    supported: Campus,
) -> None:
    school, by = supported.world.school, supported.users["records"]
    header = [*CHANGE_HEADER, "Ngành chuyển đến"]
    data = workbook(
        "Thay đổi tình trạng",
        header,
        [
            ["SV003", "", "", "Chuyển ngành", "01/02/2024", "Lý do khác", "", "51140202"],
            ["SV004", "", "", "Chuyển ngành", "01/02/2024", "Lý do khác", "", "Công tác xã hội"],
        ],
    )
    result = excel.read_changes(school, data)
    assert result.ok, result.errors
    excel.import_changes(school, data, by=by)
    case = RepaymentCase.objects.get()
    assert case.student.code == "SV004" and case.ground == "changed_programme"
    excel.import_changes(school, data, by=by)
    assert RepaymentCase.objects.count() == 1
    wrong = workbook(
        "Thay đổi tình trạng", header,
        [["SV005", "", "", "Thôi học", "01/02/2024", "Lý do khác", "", "51140202"]],
    )  # fmt: skip
    assert (2, "Ngành chuyển đến") in {
        (r, c) for r, c, _m in excel.read_changes(school, wrong).errors
    }


def test_importing_the_marks_again_keeps_the_end_a_repayment_case_set(supported: Campus) -> None:
    """A student who withdrew is on the repayment list and their support ended that day; the
    same marks imported again (their "Đến ngày" empty, as the school's list has it) neither
    reopen the support nor count as a change."""
    import datetime as dt

    from students import services

    campus = supported
    school, by = campus.world.school, campus.users["records"]
    student = campus.students[2]
    grant = SupportGrant.objects.active().get(student=student)
    row = [
        student.code,
        "",
        "",
        grant.starts_on.strftime("%d/%m/%Y"),
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    data = grants_file([row])
    excel_support.import_grants(school, data, by=by)
    services.record_change(
        student, kind="withdrawn", happened_on=dt.date(2024, 3, 1), reason="other", by=by
    )
    assert SupportGrant.objects.get(pk=grant.pk).ends_on == dt.date(2024, 3, 1)
    again = excel_support.read_grants(school, data)
    assert [r.action for r in again.rows] == ["unchanged"], again.rows[0].changes
    excel_support.import_grants(school, data, by=by)
    assert SupportGrant.objects.get(pk=grant.pk).ends_on == dt.date(2024, 3, 1)
