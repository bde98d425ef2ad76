"""Every report page for every role, the forms, and the cost of the pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import ROLES, World
from organisations.models import Position
from planning.models import Target, Task, WorkArea
from reports.models import Report, ReportStatus
from reports.tests.helpers import CUTOFF, semester, track, unit_report
from tracking.models import CheckIn, TargetReading

OK, LOGIN, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404


@pytest.fixture
def reported(world: World) -> World:
    track(world)
    world.report = semester(world)  # type: ignore[attr-defined]
    world.unit_report = unit_report(world)  # type: ignore[attr-defined]
    return world


def download(kind: str, pk: int) -> str:
    return reverse("papers:download", args=[kind, pk, "docx"])


PAGES: list[tuple[str, Callable[[Any], str], tuple[int, int, int, int, int]]] = [
    ("list", lambda w: reverse("reports:report_list", args=[w.plan.pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("create", lambda w: reverse("reports:report_create", args=[w.plan.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, OK, OK)),
    ("school report", lambda w: reverse("reports:report_detail", args=[w.report.pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("unit report", lambda w: reverse("reports:report_detail", args=[w.unit_report.pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("edit school report", lambda w: reverse("reports:report_edit", args=[w.report.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("edit unit report", lambda w: reverse("reports:report_edit", args=[w.unit_report.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, OK, OK)),
    ("issue school report", lambda w: reverse("reports:report_issue", args=[w.report.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("issue unit report", lambda w: reverse("reports:report_issue", args=[w.unit_report.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, OK, OK)),
    ("download school report", lambda w: download("report_semester", w.report.pk), (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("download unit report", lambda w: download("report_unit", w.unit_report.pk), (LOGIN, NOT_FOUND, OK, OK, OK)),
    # A report is downloaded only under its own kind.
    ("download under another kind", lambda w: download("report_year", w.report.pk), (LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_for_role(
    reported: World, role: str, name: str, url: Any, expected: tuple[int, ...]
) -> None:
    response = reported.client(role).get(url(reported))
    status = expected[ROLES.index(role)]
    assert response.status_code == status, f"{name} as {role}"
    if status == LOGIN and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


POSTS: list[tuple[str, Callable[[Any], str], tuple[int, int, int, int, int]]] = [
    ("archive school report", lambda w: reverse("reports:report_archive", args=[w.report.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, LOGIN)),
    ("archive unit report", lambda w: reverse("reports:report_archive", args=[w.unit_report.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, LOGIN, LOGIN)),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), POSTS, ids=[p[0] for p in POSTS])
def test_post_for_role(
    reported: World, role: str, name: str, url: Any, expected: tuple[int, ...]
) -> None:
    response = reported.client(role).post(url(reported))
    assert response.status_code == expected[ROLES.index(role)], f"{name} as {role}"


def test_plan_page_links_to_its_reports(reported: World) -> None:
    body = reported.client("staff").get(reverse("planning:plan_detail", args=[reported.plan.pk]))
    assert reverse("reports:report_list", args=[reported.plan.pk]) in body.content.decode()


def test_report_page_shows_figures_and_narrative(reported: World) -> None:
    body = (
        reported.client("staff")
        .get(reverse("reports:report_detail", args=[reported.report.pk]))
        .content.decode()
    )
    assert "Sơ kết học kỳ I năm học 2023–2024" in body
    assert "Kinh phí tư vấn tuyển sinh cấp muộn." in body
    assert "Tổng kết thi học kỳ" in body  # overdue at the cut-off
    assert "Chưa đạt" in body  # the target as of the cut-off (70 of 90)
    assert "Sửa nội dung" not in body  # staff read only


def test_leadership_creates_a_school_report(world: World) -> None:
    response = world.client("leadership").post(
        reverse("reports:report_create", args=[world.plan.pk]),
        {"kind": "year", "cutoff": "31/05/2024"},
    )
    report = Report.objects.get()
    assert response["Location"] == reverse("reports:report_detail", args=[report.pk])
    assert (report.kind, report.cutoff, report.unit) == ("year", dt.date(2024, 5, 31), None)


def test_unit_head_creates_only_the_units_report(world: World) -> None:
    client = world.client("unit_head")
    url = reverse("reports:report_create", args=[world.plan.pk])
    page = client.get(url).content.decode()
    assert "Báo cáo sơ kết học kỳ I<" not in page and 'value="unit"' in page
    assert client.post(url, {"kind": "semester", "cutoff": "05/01/2024"}).status_code == 400
    assert client.post(url, {"kind": "unit", "unit": world.faculty.pk, "cutoff": "05/01/2024"}).status_code == 400  # fmt: skip
    response = client.post(
        url, {"kind": "unit", "unit": world.office.pk, "period": "semester", "cutoff": "05/01/2024"}
    )
    assert response.status_code == 302
    assert Report.objects.get().unit == world.office


def test_edit_with_htmx_and_a_second_editor(reported: World) -> None:
    report = reported.report
    url = reverse("reports:report_edit", args=[report.pk])
    form = {
        "version": report.version, "situation": "Thuận lợi: đội ngũ ổn định.",
        "shortcomings": "Một số đơn vị báo cáo chậm.", "direction": "Hoàn thành tuyển sinh.",
        "proposals": "", f"area_{reported.area.pk}": "Đào tạo: hoàn thành kế hoạch học kỳ I.",
    }  # fmt: skip
    first = reported.client("leadership").post(url, form, HTTP_HX_REQUEST="true")
    assert first.status_code == 204
    assert first["HX-Redirect"] == reverse("reports:report_detail", args=[report.pk])
    report.refresh_from_db()
    assert report.situation == "Thuận lợi: đội ngũ ổn định."
    assert report.area_comments == {str(reported.area.pk): "Đào tạo: hoàn thành kế hoạch học kỳ I."}
    # A second editor who opened the form before the first saved is told, and keeps the text.
    second = reported.client("leadership").post(
        url, {**form, "situation": "Bản khác."}, HTTP_HX_REQUEST="true"
    )
    assert second.status_code == 200  # htmx swaps only 2xx answers
    assert (
        reported.client("leadership").post(url, {**form, "situation": "Bản khác."}).status_code
        == 409
    )
    body = second.content.decode()
    assert "vừa được người khác sửa" in body
    assert "Bản khác." in body and "Thuận lợi: đội ngũ ổn định." in body
    assert f'value="{report.version}"' in body  # a deliberate resubmit now goes through
    assert "<html" not in body  # a fragment for HTMX


def test_issue_through_the_page(reported: World) -> None:
    report = reported.report
    signer = Position.objects.get(
        person=reported.people["leadership"], organisation=reported.school
    )
    response = reported.client("leadership").post(
        reverse("reports:report_issue", args=[report.pk]),
        {
            "version": report.version,
            "signer": signer.pk,
            "issued_on": "05/01/2024",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ISSUED and report.snapshot
    page = reported.client("staff").get(reverse("reports:report_detail", args=[report.pk]))
    assert "01/BC-CĐM" in page.content.decode()
    assert 'id="unchanged"' in page.content.decode()
    # Data changes after issuing: the page says so; ?live=1 shows the live figures.
    Task.objects.filter(pk=reported.late.pk).update(completed_on=dt.date(2024, 1, 2))
    page = reported.client("staff").get(reverse("reports:report_detail", args=[report.pk]))
    assert 'id="changed"' in page.content.decode()
    assert 'id="overdue"' in page.content.decode()  # the frozen overdue list
    live = reported.client("staff").get(
        reverse("reports:report_detail", args=[report.pk]) + "?live=1"
    )
    assert 'id="overdue"' not in live.content.decode()  # nothing overdue any more
    # Issued: no more editing.
    edit = reported.client("leadership").get(reverse("reports:report_edit", args=[report.pk]))
    assert edit.status_code == 302


def grow(world: World, n: int) -> None:
    """n more areas, tasks in every cell, check-ins, targets with readings, units."""
    for i in range(n):
        area = WorkArea.objects.create(plan=world.plan, name=f"Lĩnh vực {i}", order=10 + i)
        for due, done in [
            (CUTOFF - dt.timedelta(days=20), CUTOFF - dt.timedelta(days=25)),
            (CUTOFF - dt.timedelta(days=20), CUTOFF - dt.timedelta(days=5)),
            (CUTOFF - dt.timedelta(days=20), None),
            (CUTOFF + dt.timedelta(days=20), None),
        ]:
            task = Task.objects.create(
                plan=world.plan, title=f"Việc {i}", code=f"{100 + i}", area=area,
                lead_unit=world.office if i % 2 else world.faculty, due_date=due, completed_on=done,
            )  # fmt: skip
            CheckIn.objects.create(
                task=task, unit=task.lead_unit, role="lead", reported_on=CUTOFF - dt.timedelta(days=3),
                progress=50, done="Đã làm", difficulties=f"Khó khăn {i}", proposals=f"Đề xuất {i}",
                confidence="low",
            )  # fmt: skip
        target = Target.objects.create(
            plan=world.plan, area=area, name=f"Chỉ tiêu {i}", unit_of_measure="%", target_value=90,
            responsible_unit=world.office,
        )  # fmt: skip
        TargetReading.objects.create(target=target, value=80 + i, measured_on=CUTOFF)


def count(world: World, url: str) -> int:
    client = world.client("leadership")
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", ["detail", "unit detail", "list", "download", "edit"])
def test_pages_cost_the_same_for_a_small_and_a_large_plan(world: World, page: str) -> None:
    track(world)

    def url() -> str:
        report = Report.objects.filter(unit__isnull=(page != "unit detail")).latest("pk")
        return {
            "detail": reverse("reports:report_detail", args=[report.pk]),
            "unit detail": reverse("reports:report_detail", args=[report.pk]),
            "list": reverse("reports:report_list", args=[world.plan.pk]),
            "download": download(report.paper_kind, report.pk),
            "edit": reverse("reports:report_edit", args=[report.pk]),
        }[page]

    semester(world)
    unit_report(world)
    small = count(world, url())
    grow(world, 12)
    for _ in range(5):
        semester(world)
    unit_report(world)
    assert count(world, url()) == small


def test_issuing_shows_what_will_happen_and_the_problems_first(reported: World) -> None:
    report = reported.report
    report.proposals = ""
    report.save()
    page = (
        reported.client("leadership")
        .get(reverse("reports:report_issue", args=[report.pk]))
        .content.decode()
    )
    # The problems before the effects, the effects before the button.
    assert page.index('id="issue-warnings"') < page.index('id="issue-effects"')
    assert page.index('id="issue-effects"') < page.index('id="confirm-issue"')
    assert "Phần “Đề xuất, kiến nghị” còn trống." in page
    assert "còn chỗ để trống của bản soạn sẵn" in page  # "(Ban giám hiệu bổ sung …)" of the draft
    assert "dự kiến số 01/BC-CĐM" in page
    assert "không sửa được nữa" in page and "Không hủy được:" in page
    assert 'name="confirm"' in page


def test_nothing_is_issued_without_confirmation(reported: World) -> None:
    report = reported.report
    signer = Position.objects.get(
        person=reported.people["leadership"], organisation=reported.school
    )
    url = reverse("reports:report_issue", args=[report.pk])
    form = {"version": report.version, "signer": signer.pk, "issued_on": "05/01/2024"}
    response = reported.client("leadership").post(url, form)
    assert response.status_code == 400
    assert "Hãy đánh dấu xác nhận trước khi ban hành." in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.snapshot is None
    assert not Report.objects.filter(status=ReportStatus.ISSUED).exists()
    # Who may not issue cannot, confirmed or not.
    for role, status in [("staff", 403), ("unit_head", 403), ("outsider", 404)]:
        assert reported.client(role).post(url, {**form, "confirm": "on"}).status_code == status
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert reported.client("leadership").post(url, {**form, "confirm": "on"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ISSUED


def test_a_school_without_an_abbreviation_is_told_before_issuing(reported: World) -> None:
    reported.school.abbreviation = ""
    reported.school.save()
    page = (
        reported.client("leadership")
        .get(reverse("reports:report_issue", args=[reported.report.pk]))
        .content.decode()
    )
    assert 'id="issue-blocking"' in page and "chưa có chữ viết tắt" in page
    assert 'id="confirm-issue"' not in page
