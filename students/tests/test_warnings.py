"""Early warning: term results from Excel through the shared flow (bad files refused by row and
column, nothing written), warnings by the conditions in force (TT 08/2021/TT-BGDĐT Art. 11, or
the school's own, which replace the national ones of a key), the page per role (the adviser sees
their class, the faculty its programmes, the office and the leadership all; nobody outside),
follow-up as a plan task for the adviser's unit, the outcome, query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.sheets.reading import BadWorkbook
from planning import services as plan_services
from planning.models import Task
from students import alerts, excel_results, services
from students.models import (
    AcademicWarning,
    PersonalDataView,
    Student,
    TermResult,
    WarningRule,
    WarningStatus,
)
from students.tests.conftest import ROLES, Campus
from students.tests.test_imports import workbook

HEADER = [c.header for c in excel_results.RESULT_COLUMNS]


def results_file(rows: list[list[Any]], title: str = "Kết quả học kỳ") -> bytes:
    # code, name, birth, year, semester, term avg, cumulative, registered, failed, outstanding,
    # absences, fees, conduct
    return workbook(title, HEADER, rows)


GOOD = [
    ["SV002", "", "", "2024–2025", 1, 0.9, 1.5, 18, 2, 2, 0, 0, 70],  # K1, term 3: avg < 1.0
    ["SV003", "", "", "2024-2025", 1, 1.3, 1.5, 18, 0, 0, 0, 0, 80],  # K1: fine
    ["SV004", "", "", 2024, 1, 2.0, 2.0, 18, 10, 10, 0, 0, 75],  # K1: 10/18 failed > 50%
    ["SV007", "", "", "2024-2025", 1, "0,9", "1,1", 15, 0, 0, 0, 0, 70],  # K2 term 1: cum < 1.2
    ["SV008", "", "", "2024-2025", 1, 0.85, 1.3, 15, 0, 0, 0, 0, 70],  # K2 term 1: fine (≥ 0.8)
]


@pytest.fixture
def warned(campus: Campus) -> Campus:
    excel_results.import_results(
        campus.world.school, results_file(GOOD), by=campus.users["records"]
    )
    return campus


def _codes() -> set[str]:
    return set(AcademicWarning.objects.values_list("student__code", flat=True))


def test_the_import_warns_by_the_conditions_of_tt_08(warned: Campus) -> None:
    assert TermResult.objects.count() == 5
    assert _codes() == {"SV002", "SV004", "SV007"}
    reasons = {w.student.code: w.reasons for w in AcademicWarning.objects.all()}
    assert reasons["SV002"] == [
        "Điểm trung bình học kỳ dưới 1: 0,9 (TT 08/2021/TT-BGDĐT, Điều 11 khoản 2)"
    ]
    assert "Tín chỉ không đạt trong kỳ vượt quá (% số đăng ký) 50: 55,56" in reasons["SV004"][0]
    assert reasons["SV007"][0].startswith("Điểm trung bình tích lũy dưới 1,2: 1,1")
    # A second import of the same file changes nothing
    again = excel_results.read_results(warned.world.school, results_file(GOOD))
    assert [r.action for r in again.rows] == ["unchanged"] * 5


def test_the_schools_own_condition_replaces_the_national_one(warned: Campus) -> None:
    WarningRule.objects.create(
        school=warned.world.school, key="term_average", threshold=Decimal("1.5"),
        valid_from=dt.date(2024, 1, 1), source="Quy chế đào tạo của trường (2024)",
    )  # fmt: skip
    excel_results.import_results(
        warned.world.school, results_file(GOOD), by=warned.users["records"]
    )
    # SV003 (1.3) and SV008 (0.85) now under 1.5 whatever the term
    assert _codes() == {"SV002", "SV003", "SV004", "SV007", "SV008"}
    other = WarningRule.in_force(dt.date(2025, 1, 31), warned.world.other_school.pk)
    assert {r.threshold for r in other if r.key == "term_average"} == {
        Decimal("0.8"),
        Decimal("1.0"),
    }


def test_a_better_result_lifts_the_warning_and_keeps_it(warned: Campus) -> None:
    rows = [list(GOOD[0])]
    rows[0][5] = 2.5
    excel_results.import_results(
        warned.world.school, results_file(rows), by=warned.users["records"]
    )
    warning = AcademicWarning.objects.get(student__code="SV002")
    assert warning.lifted


@pytest.mark.parametrize(
    ("row", "column", "says"),
    [
        (["SV002", "", "", "2024-2026", 1, 1, 1, 1, 1, 1, 1, 1, 1], "Năm học", "2024–2025"),
        (["SV002", "", "", "2024", 4, 1, 1, 1, 1, 1, 1, 1, 1], "Học kỳ", "1, 2 hoặc 3"),
        (["SV002", "", "", "2024", 1, 5, 1, 1, 1, 1, 1, 1, 1], "Điểm TB học kỳ", "không quá 4"),
        (
            ["SV002", "", "", "2024", 1, "abc", 1, 1, 1, 1, 1, 1, 1],
            "Điểm TB học kỳ",
            "không phải là số",
        ),
        (["SV002", "", "", "2024", 1, 1, 1, 5, 6, 1, 1, 1, 1], "Số TC không đạt", "nhiều hơn"),
        (["SV002", "", "", "2024", 1, 1, 1, 1, 1, 1, 1, 1, 101], "Điểm rèn luyện", "0 đến 100"),
        (
            ["SV999", "", "", "2024", 1, 1, 1, 1, 1, 1, 1, 1, 1],
            "Mã người học",
            "Không có người học",
        ),
        (["SV002", "", "", "2022", 1, 1, 1, 1, 1, 1, 1, 1, 1], "Năm học", "trước khóa"),
        (["SV002", "", "", "2024", 1, 1, 1, 1, 1, 1, -1, 1, 1], "Số buổi nghỉ", "trở lên"),
    ],
)
def test_a_bad_row_is_refused_by_row_and_column_and_nothing_is_written(
    campus: Campus, row: list[Any], column: str, says: str
) -> None:
    good = ["SV003", "", "", "2024", 1, 1, 1, 1, 1, 1, 1, 1, 1]
    data = results_file([good, row])
    result = excel_results.read_results(campus.world.school, data)
    assert not result.ok
    errors = result.errors
    assert any(r == 3 and c == column and says in m for r, c, m in errors), errors
    with pytest.raises(BadWorkbook):
        excel_results.import_results(campus.world.school, data, by=campus.users["records"])
    assert not TermResult.objects.exists() and not AcademicWarning.objects.exists()


def test_a_duplicate_row_and_a_wrong_sheet_are_refused(campus: Campus) -> None:
    row = ["SV003", "", "", "2024", 1, 1, 1, 1, 1, 1, 1, 1, 1]
    result = excel_results.read_results(campus.world.school, results_file([row, row]))
    assert [e[0] for e in result.errors] == [3]
    with pytest.raises(BadWorkbook):
        excel_results.import_results(
            campus.world.school, results_file([row], title="Trang khác"), by=campus.users["records"]
        )
    assert not TermResult.objects.exists()


# The page, per role ---------------------------------------------------------------------------

SEES = {
    "anonymous": None, "outsider": None, "officer": None, "staff": None,
    "adviser": {"SV002", "SV004"}, "faculty_head": {"SV002", "SV004"},
    "records": {"SV002", "SV004", "SV007"}, "leadership": {"SV002", "SV004", "SV007"},
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_the_warnings_page_shows_each_role_its_own_students(warned: Campus, role: str) -> None:
    response = warned.client(role).get(reverse("students:warnings"))
    expected = SEES[role]
    if role == "anonymous":
        assert response.status_code == 302
        return
    if expected is None:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    html = response.content.decode()
    shown = {s.code for s in Student.objects.all() if f"{s.code} {s.full_name}" in html}
    assert shown == expected
    assert PersonalDataView.objects.filter(user=warned.users[role]).exists()


def _warning(code: str) -> AcademicWarning:
    return AcademicWarning.objects.select_related("student").get(student__code=code)


def _school_task(warned: Campus) -> Task:
    """A task of the school's plan that a follow-up serves."""
    return warned.world.plan.tasks.active().school_level().order_by("pk")[0]


FOLLOW = {
    "anonymous": 302, "outsider": 404, "officer": 404, "staff": 403, "adviser": 403,
    "faculty_head": 302, "records": 302, "leadership": 302,
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_follow_up_is_a_task_of_the_plan_for_the_advisers_unit(warned: Campus, role: str) -> None:
    warning = _warning("SV002")
    response = warned.client(role).post(
        reverse("students:warning_follow_up", args=[warning.pk]),
        {"due": "15/05/2024", "serves": _school_task(warned).pk},
    )
    assert response.status_code == FOLLOW[role]
    warning.refresh_from_db()
    if FOLLOW[role] != 302 or role == "anonymous":
        assert warning.task is None
        return
    task = warning.task
    assert task is not None and warning.status == WarningStatus.FOLLOWING
    assert task.plan == warned.world.plan and task.due_date == dt.date(2024, 5, 15)
    assert task.serves == _school_task(warned)  # a unit's own task serves the school's
    assert task.owner_unit == warned.world.group == task.lead_unit  # the adviser's unit
    assert task.person_in_charge == warned.world.people["adviser"]
    assert warning.student.full_name not in task.title and "CĐMN-K1" in task.title


def test_follow_up_inside_an_issued_plan_opens_and_closes_an_amendment(warned: Campus) -> None:
    plan, by = warned.world.plan, warned.users["leadership"]
    plan_services.issue_plan(plan, by=by, on=dt.date(2023, 9, 1))
    alerts.follow_up(
        _warning("SV007"), plan=plan, due=dt.date(2024, 5, 1), serves=_school_task(warned), by=by
    )
    assert plan.amendments.count() == 1 and plan_services.open_amendment_of(plan) is None
    # K2 has no adviser: its programme has no faculty: the student affairs office follows up
    assert _warning("SV007").task.lead_unit.code == "hssv"  # type: ignore[union-attr]


def test_the_outcome_completes_the_follow_up_task_naming_no_student(warned: Campus) -> None:
    by = warned.users["leadership"]
    warning = _warning("SV002")
    alerts.follow_up(
        warning,
        plan=warned.world.plan,
        due=dt.date(2024, 5, 15),
        serves=_school_task(warned),
        by=by,
    )
    warning.refresh_from_db()
    alerts.record_outcome(warning, outcome="Đã gặp gia đình em", on=dt.date(2024, 4, 2), by=by)
    task = warning.task
    assert task is not None
    task.refresh_from_db()
    assert (task.completed_on, task.progress) == (dt.date(2024, 4, 2), 100)
    report = task.checkins.get()
    assert warning.student.full_name not in report.done and "gia đình" not in report.done
    # Recorded again (a correction), the task is not reported twice.
    alerts.record_outcome(warning, outcome="Đã gặp gia đình", on=dt.date(2024, 4, 3), by=by)
    assert task.checkins.count() == 1


def test_a_follow_up_must_serve_a_task_of_the_schools_plan(warned: Campus) -> None:
    client, warning = warned.client("records"), _warning("SV002")
    url = reverse("students:warning_follow_up", args=[warning.pk])
    own = Task.objects.filter(plan=warned.world.plan, owner_unit__isnull=False).first()
    for serves in ["", "abc", "²", "999999", str(own.pk) if own else "0"]:
        response = client.post(url, {"due": "15/05/2024", "serves": serves}, follow=True)
        assert response.status_code == 200
        assert "Hãy chọn nhiệm vụ của trường" in response.content.decode()
        warning.refresh_from_db()
        assert warning.task is None
    # The page offers the school's tasks, the one chosen last first.
    page = client.get(reverse("students:warnings")).content.decode()
    assert 'id="serves-pick"' in page and f'value="{_school_task(warned).pk}"' in page


@pytest.mark.parametrize("due", ["", "abc", "31/12/2030", "01/01/2020"])
def test_a_bad_deadline_is_refused_without_a_500(warned: Campus, due: str) -> None:
    warning = _warning("SV002")
    response = warned.client("records").post(
        reverse("students:warning_follow_up", args=[warning.pk]),
        {"due": due, "serves": _school_task(warned).pk},
        follow=True,
    )
    assert response.status_code == 200
    warning.refresh_from_db()
    assert warning.task is None


OUTCOME = {
    "anonymous": 302, "outsider": 404, "officer": 404, "staff": 403, "adviser": 302,
    "faculty_head": 302, "records": 302, "leadership": 302,
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_the_outcome_is_recorded_on_the_warning(warned: Campus, role: str) -> None:
    mine, other = _warning("SV002"), _warning("SV007")
    client = warned.client(role)
    response = client.post(
        reverse("students:warning_outcome", args=[mine.pk]), {"outcome": "Đã gặp gia đình"}
    )
    assert response.status_code == OUTCOME[role]
    mine.refresh_from_db()
    assert (mine.status == WarningStatus.CLOSED) == (
        role not in ("anonymous",) and OUTCOME[role] == 302
    )
    if role in ("adviser", "faculty_head"):  # not their class
        response = client.post(
            reverse("students:warning_outcome", args=[other.pk]), {"outcome": "x"}
        )
        assert response.status_code == 403
    if role == "records":
        response = client.post(
            reverse("students:warning_outcome", args=[other.pk]), {"outcome": ""}
        )
        assert response.status_code == 302
        other.refresh_from_db()
        assert other.status == WarningStatus.OPEN


def test_the_page_costs_the_same_with_more_warnings(warned: Campus) -> None:
    client = warned.client("leadership")
    url = reverse("students:warnings")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    by = warned.users["leadership"]
    results = []
    for index in range(30):
        student = services.save_student(
            Student(school=warned.world.school, cohort=warned.k1, code=f"SVX{index:02d}",
                    full_name=f"Hoàng Thị Thêm {index}", birth_date=dt.date(2005, 2, 1),
                    entered_on=warned.k1.starts_on),
            by=by,
        )  # fmt: skip
        results.append(
            TermResult.objects.create(
                school=warned.world.school, student=student, school_year=2024, semester=1,
                term_average=Decimal("0.5"),
            )
        )  # fmt: skip
    alerts.refresh_warnings(warned.world.school, results, by=by)
    assert AcademicWarning.objects.count() == 33
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200 and "SVX29" in response.content.decode()
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_import_results_page_for_roles_and_bad_upload(campus: Campus) -> None:
    url = reverse("students:import_results")
    assert campus.client("staff").get(url).status_code == 403
    assert campus.client("adviser").get(url).status_code == 403
    assert campus.client("records").get(url).status_code == 200
    template = campus.client("records").get(url + "?template=1")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/")
    response = campus.client("records").post(url, {"file": b"not a workbook"})
    assert response.status_code in (200, 400)


# Another school's leader adds to their own school (never to this one).
RULES = {
    "anonymous": 302, "outsider": 302, "officer": 403, "staff": 403, "adviser": 403,
    "faculty_head": 403, "records": 302, "leadership": 302,
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_the_school_adds_and_ends_its_own_conditions(warned: Campus, role: str) -> None:
    client = warned.client(role)
    data = {
        "key": "absences", "threshold": "20", "from_term": "1", "valid_from": "01/09/2024",
        "source": "Quy định công tác HSSV số 12/QĐ-CĐSP",
    }  # fmt: skip
    response = client.post(reverse("students:warning_rule_add"), data)
    assert response.status_code == RULES[role]
    own = WarningRule.objects.filter(school=warned.world.school)
    if role in ("records", "leadership"):
        rule = own.get()
        assert rule.key == "absences" and rule.threshold == 20
        client.post(reverse("students:warning_rule_end", args=[rule.pk]))
        rule.refresh_from_db()
        assert rule.valid_to is not None
        national = WarningRule.objects.filter(school=None).first()
        assert national is not None
        response = client.post(reverse("students:warning_rule_end", args=[national.pk]))
        assert response.status_code == 404  # the national conditions are not the school's
    else:
        assert not own.exists()
        others = WarningRule.objects.exclude(school=None)
        assert set(others.values_list("school", flat=True)) == (
            {warned.world.other_school.pk} if role == "outsider" else set()
        )


@pytest.mark.parametrize(
    "data",
    [
        {"key": "nothing", "threshold": "1"},
        {
            "key": "term_average",
            "threshold": "7",
            "from_term": "1",
            "valid_from": "01/09/2024",
            "source": "x",
        },
        {
            "key": "absences",
            "threshold": "-1",
            "from_term": "1",
            "valid_from": "01/09/2024",
            "source": "x",
        },
        {
            "key": "absences",
            "threshold": "3",
            "from_term": "5",
            "to_term": "2",
            "valid_from": "01/09/2024",
            "source": "x",
        },
        {
            "key": "absences",
            "threshold": "3",
            "from_term": "1",
            "valid_from": "hôm qua",
            "source": "x",
        },
    ],
)
def test_a_bad_condition_is_refused_without_a_500(warned: Campus, data: dict[str, str]) -> None:
    response = warned.client("records").post(
        reverse("students:warning_rule_add"), data, follow=True
    )
    assert response.status_code == 200
    assert not WarningRule.objects.filter(school=warned.world.school).exists()


@pytest.mark.parametrize(
    "query", ["?term=abc", "?term=1999-9", "?page=abc", "?page=-1&term=2024-1"]
)
def test_bad_queries_on_the_page_are_no_500(warned: Campus, query: str) -> None:
    response = warned.client("adviser").get(reverse("students:warnings") + query)
    assert response.status_code == 200 and "SV002" in response.content.decode()


def test_the_rows_written_in_python_escape_names_and_their_forms_post(warned: Campus) -> None:
    """The rows are written in Python: a name is escaped, the adviser records an outcome but
    does not follow up, and the follow-up form's token is accepted by the CSRF check."""
    from django.test import Client

    student = _warning("SV002").student
    Student.objects.filter(pk=student.pk).update(full_name="<b>Học</b> & Cộng")
    adviser = warned.client("adviser").get(reverse("students:warnings")).content.decode()
    row = adviser.split(f'id="w{_warning("SV002").pk}"')[1].split("</tr>")[0]
    assert "&lt;b&gt;Học&lt;/b&gt; &amp; Cộng" in row and "<b>Học" not in row
    assert 'name="outcome"' in row and 'name="due"' not in row
    client = Client(enforce_csrf_checks=True)
    client.force_login(warned.users["records"])
    page = client.get(reverse("students:warnings")).content.decode()
    row = page.split(f'id="w{_warning("SV002").pk}"')[1].split("</tr>")[0]
    token = row.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(
        reverse("students:warning_follow_up", args=[_warning("SV002").pk]),
        {"csrfmiddlewaretoken": token, "due": "15/05/2024", "serves": _school_task(warned).pk},
    )
    assert response.status_code == 302
    assert _warning("SV002").task is not None
    page = client.get(reverse("students:warnings")).content.decode()
    row = page.split(f'id="w{_warning("SV002").pk}"')[1].split("</tr>")[0]
    assert f">{_warning('SV002').task.code}</a>" in row and 'name="due"' not in row
