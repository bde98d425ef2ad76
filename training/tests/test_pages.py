"""Every training page for every role: anonymous → login; another school's leader and the Sở's
officer see nothing of this school (404 on its objects); staff read the lists and figures but
change nothing and see no participant's name; the training office and the leadership keep
everything. No page answers 500 to a bad query string; the lists export to Excel; a step's status
changes in place (HTMX) and a form opened before someone else's save is refused (409)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import close_response
from training.models import Dossier, DossierStep, Partner, StepStatus, StepTemplate, TrainingOffice
from training.tests.conftest import ROLES, Training

OK, LOGIN, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404

# anonymous, outsider, officer, staff, unit_head (office head), clerk (office member), leadership
ALL = (LOGIN, OK, OK, OK, OK, OK, OK)
MANAGERS = (LOGIN, OK, FORBIDDEN, FORBIDDEN, OK, OK, OK)
SCHOOL_OBJECT = (LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, OK)
MANAGERS_OBJECT = (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK, OK, OK)
NAMES_OBJECT = (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK, OK, OK)


def url(name: str, *args: Any) -> str:
    return reverse(f"training:{name}", args=args)


def _step(t: Training) -> DossierStep:
    return DossierStep.objects.filter(dossier=t.dossier).order_by("order").first()  # type: ignore[return-value]


PAGES: list[tuple[str, Callable[[Training], str], tuple[int, ...]]] = [
    ("home", lambda t: url("home"), ALL),
    ("home xlsx", lambda t: url("home") + "?format=xlsx", ALL),
    ("procedure", lambda t: url("procedure"), ALL),
    ("dossiers", lambda t: url("dossiers"), ALL),
    ("dossiers xlsx", lambda t: url("dossiers") + "?format=xlsx", ALL),
    ("dossier", lambda t: url("dossier", t.dossier.pk), SCHOOL_OBJECT),
    ("dossier xlsx", lambda t: url("dossier", t.dossier.pk) + "?format=xlsx", SCHOOL_OBJECT),
    ("dossier create", lambda t: url("dossier_create"), MANAGERS),
    ("dossier edit", lambda t: url("dossier_edit", t.dossier.pk), MANAGERS_OBJECT),
    ("step create", lambda t: url("step_create", t.dossier.pk), MANAGERS_OBJECT),
    ("step edit", lambda t: url("step_edit", _step(t).pk), MANAGERS_OBJECT),
    ("partners", lambda t: url("partners"), ALL),
    ("partners xlsx", lambda t: url("partners") + "?format=xlsx", ALL),
    ("partner create", lambda t: url("partner_create"), MANAGERS),
    ("partner edit", lambda t: url("partner_edit", t.partner.pk), MANAGERS_OBJECT),
    ("courses", lambda t: url("courses"), ALL),
    ("courses xlsx", lambda t: url("courses") + "?format=xlsx", ALL),
    ("course", lambda t: url("course", t.course.pk), SCHOOL_OBJECT),
    ("course create", lambda t: url("course_create"), MANAGERS),
    ("course edit", lambda t: url("course_edit", t.course.pk), MANAGERS_OBJECT),
    ("participants xlsx", lambda t: url("participants_xlsx", t.course.pk), NAMES_OBJECT),
    ("participants import", lambda t: url("participants_import", t.course.pk), MANAGERS_OBJECT),
    ("participants template", lambda t: url("participants_template"), MANAGERS),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "address", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_for_role(
    training: Training, role: str, name: str, address: Any, expected: tuple[int, ...]
) -> None:
    response = training.client(role).get(address(training))
    close_response(response)
    assert response.status_code == expected[ROLES.index(role)], f"{name} as {role}"
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["outsider", "officer"])
def test_lists_show_nothing_of_the_school_to_outsiders(training: Training, role: str) -> None:
    client = training.client(role)
    for page in (url("dossiers"), url("courses"), url("partners"), url("home")):
        body = client.get(page).content.decode()
        assert "Giáo dục Thể chất" not in body
        assert "Bồi dưỡng giáo viên mầm non" not in body
        assert "Sở Giáo dục và Đào tạo Đối tác" not in body


def test_names_only_for_those_who_keep_the_courses(training: Training) -> None:
    page = url("course", training.course.pk)
    assert "Hoàng Thị Mai" not in training.client("staff").get(page).content.decode()
    assert "Hoàng Thị Mai" in training.client("clerk").get(page).content.decode()


@pytest.mark.parametrize("role", ["outsider", "officer", "staff"])
def test_changes_are_refused_to_others(training: Training, role: str) -> None:
    client = training.client(role)
    step = _step(training)
    posts = [
        (url("dossier_edit", training.dossier.pk), {"name": "Bị sửa"}),
        (url("step_status", step.pk), {f"s{step.pk}-status": "done"}),
        (url("dossier_archive", training.dossier.pk), {}),
        (url("dossier_open", training.dossier.pk), {}),
        (url("course_archive", training.course.pk), {}),
        (url("partner_archive", training.partner.pk), {}),
    ]
    if role != "outsider":  # an outsider's own school is theirs to set
        posts += [
            (url("procedure_adopt"), {}),
            (url("office_set"), {"office": training.world.faculty.pk}),
        ]
    for address, data in posts:
        response = client.post(address, data)
        assert response.status_code in (403, 404), address
    training.dossier.refresh_from_db()
    assert training.dossier.name == "Giáo dục Thể chất" and not training.dossier.is_archived
    assert DossierStep.objects.get(pk=step.pk).status == StepStatus.TODO
    client.post(url("procedure_adopt"))
    assert not StepTemplate.objects.filter(school=training.world.school).exists()
    assert TrainingOffice.objects.get(school=training.world.school).office == training.world.office


BAD = ["?format=pdf", "?status=%00", "?year=abc", "?year=99999999999999999999", "?kind=x&page=-1",
       "?page=abc", "?status=opened&year=²"]  # fmt: skip


@pytest.mark.parametrize("role", ["staff", "leadership"])
def test_no_500_on_bad_query_strings(training: Training, role: str) -> None:
    client = training.client(role)
    for page in (url("home"), url("dossiers"), url("courses"), url("partners"), url("procedure"),
                 url("course", training.course.pk), url("dossier", training.dossier.pk)):  # fmt: skip
        for query in BAD:
            response = client.get(page + query)
            close_response(response)
            assert response.status_code == 200, page + query
    assert training.client(role).get("/training/dossiers/999999999999999999999/").status_code == 404


def test_the_office_edits_a_dossier_and_a_stale_form_is_refused(training: Training) -> None:
    client = training.client("clerk")
    dossier = training.dossier
    data = {
        "code": "51140206", "name": "Giáo dục Thể chất", "level": "college", "mode": "full_time",
        "faculty": training.world.faculty.pk, "started_on": "10/01/2025", "first_intake": "2026",
        "status": "in_progress", "decision": "", "note": "Đã họp khoa", "version": dossier.version,
    }  # fmt: skip
    response = client.post(url("dossier_edit", dossier.pk), data)
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.note == "Đã họp khoa"
    stale = client.post(url("dossier_edit", dossier.pk), {**data, "note": "Cũ"})
    assert stale.status_code == 409
    assert "vừa được" in stale.content.decode()
    dossier.refresh_from_db()
    assert dossier.note == "Đã họp khoa"


def test_a_steps_status_changes_in_place(training: Training) -> None:
    client = training.client("unit_head")
    step = _step(training)
    prefix = f"s{step.pk}"
    response = client.post(
        url("step_status", step.pk),
        {
            f"{prefix}-status": "done",
            f"{prefix}-done_on": "15/09/2025",
            f"{prefix}-version": step.version,
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'id="step-{step.pk}"' in response.content.decode()
    step.refresh_from_db()
    assert step.status == StepStatus.DONE and step.done_on == dt.date(2025, 9, 15)
    # The same row posted again with the old version: refused, shown on the row.
    again = client.post(
        url("step_status", step.pk),
        {f"{prefix}-status": "doing", f"{prefix}-version": step.version - 1},
        HTTP_HX_REQUEST="true",
    )
    assert "vừa được" in again.content.decode()
    step.refresh_from_db()
    assert step.status == StepStatus.DONE


def test_the_leadership_opens_the_programme_from_the_page(training: Training) -> None:
    client = training.client("leadership")
    for step in DossierStep.objects.filter(dossier=training.dossier):
        step.status, step.done_on = StepStatus.DONE, dt.date(2025, 9, 1)
        step.save()
    dossier = Dossier.objects.get(pk=training.dossier.pk)
    dossier.decision = training.world.document
    dossier.save()
    page = client.get(url("dossier", dossier.pk)).content.decode()
    assert "Mở ngành trong danh mục" in page
    response = client.post(url("dossier_open", dossier.pk), follow=True)
    assert "Đã mở ngành" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.programme is not None and dossier.programme.code == "51140206"


def test_a_new_course_from_the_form(training: Training) -> None:
    client = training.client("clerk")
    response = client.post(url("course_create"), {
        "kind": "partnership", "title": "Liên kết đại học", "partner": training.partner.pk,
        "agreement": training.world.document.pk, "starts_on": "05/10/2025", "ends_on": "30/06/2028",
        "participants": "35", "status": "running",
    })  # fmt: skip
    assert response.status_code == 302
    refused = client.post(url("course_create"), {
        "kind": "partnership", "title": "Sai ngày", "partner": training.partner.pk,
        "starts_on": "05/10/2025", "ends_on": "01/10/2025", "participants": "1", "status": "planned",
    })  # fmt: skip
    assert refused.status_code == 400
    assert "Ngày kết thúc trước ngày khai giảng" in refused.content.decode()


def test_exports_hold_the_rows(training: Training) -> None:
    client = training.client("leadership")
    for page, expected in (
        (url("dossiers") + "?format=xlsx", "Giáo dục Thể chất"),
        (url("courses") + "?format=xlsx", "Bồi dưỡng giáo viên mầm non"),
        (url("partners") + "?format=xlsx", "Sở Giáo dục và Đào tạo Đối tác"),
        (url("participants_xlsx", training.course.pk), "Hoàng Thị Mai"),
        (
            url("dossier", training.dossier.pk) + "?format=xlsx",
            "Hội đồng trường thông qua việc mở ngành",
        ),
    ):
        response = client.get(page)
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        values = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row]
        book.close()
        assert expected in values, page
    figures = client.get(url("home") + "?format=xlsx")
    book = load_workbook(io.BytesIO(figures.content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert rows[1][0] == "2024–2025"
    assert rows[1][1:4] == (0, 1, 1)  # courses: partnership, in-service, all
    assert rows[1][5] == 2  # its two listed participants


def test_the_students_navigation_links_here(training: Training) -> None:
    page = training.client("staff").get(reverse("students:home")).content.decode()
    assert url("home") in page
    assert Partner.objects.count() == 1


def test_the_courses_list_counts_each_certificate_once(training: Training) -> None:
    """A course with a list of participants and a batch of certificates: the batch is summed
    once, not once per participant listed (the two come from different joins)."""
    from training import services
    from training.models import CertificateIssue

    by = training.world.users["leadership"]
    services.record_certificates(
        CertificateIssue(course=training.course, issued_on=training.course.starts_on, count=2),
        by=by,
    )
    response = training.client("leadership").get(url("courses") + "?format=xlsx")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    row = next(r for r in rows if "Bồi dưỡng giáo viên mầm non" in r)
    assert row[7:9] == (2, 2), "two participants listed, two certificates issued"
