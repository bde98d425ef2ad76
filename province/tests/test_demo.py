"""The demo province: the Sở GD&ĐT Lạng Sơn directs the demo college and two sample schools; its
guidance 1850/HD-SGDĐT is the Sở's own document, sent down, and the demo school's plan and tasks
are built on it; the Sở's account `sogddt` sees which schools acted on it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from demo.loader import DEMO_PASSWORD
from documents.models import Document, DocumentReceipt
from notifications.models import Notification, NotificationKind
from organisations.membership import compute_membership
from planning.models import Plan, TaskBasis
from province import reporting, services
from province.models import DirectedSchool, ReportRequest, Submission


@pytest.fixture
def demo(demo_plan: Plan, db: None) -> Plan:
    return demo_plan


def _directive() -> Document:
    return Document.objects.select_related("school", "doc_type").get(symbol="1850/HD-SGDĐT")


def test_1850_is_the_sgds_document_with_every_fact_kept(demo: Plan) -> None:
    directive = _directive()  # one document: the school typed no copy of it
    assert directive.school.name == "Sở Giáo dục và Đào tạo Lạng Sơn"
    assert directive.issuer == directive.school
    assert directive.doc_type.code == "HD"
    assert directive.issued_on == dt.date(2023, 9, 12)
    assert directive.issuer_name == "Sở Giáo dục và Đào tạo Lạng Sơn"
    assert directive.signer_title == "Giám đốc"
    assert directive.summary == "Hướng dẫn thực hiện nhiệm vụ năm học 2023-2024"
    receipt = DocumentReceipt.objects.get(document=directive, school=demo.school)
    assert receipt.sent_at.date() == dt.date(2023, 9, 12)


def test_the_demo_plan_and_tasks_are_built_on_the_sgds_directive(demo: Plan) -> None:
    directive = _directive()
    assert demo.basis_links.filter(document=directive).exists()
    linked = TaskBasis.objects.filter(document=directive, task__plan=demo, archived_at=None)
    assert linked.count() >= 2


def test_the_sgd_directs_the_demo_college_and_two_sample_schools(demo: Plan) -> None:
    directed = DirectedSchool.objects.filter(body=_directive().school).select_related("school")
    assert demo.school in {d.school for d in directed}
    assert len(directed) >= 3
    for entry in directed:
        if entry.school != demo.school:
            people = entry.school.people.all()
            assert people and all(p.is_sample for p in people)
    # Sent to every school it directs; only the demo school has built tasks on it.
    rows = services.uptake(_directive())
    assert {row.school for row in rows} == {d.school for d in directed}
    assert [row.school for row in rows if row.acted] == [demo.school]


def test_the_sgd_account_signs_in_and_sees_the_acted_on_column(demo: Plan) -> None:
    officer = authenticate(HttpRequest(), username="sogddt", password=DEMO_PASSWORD)
    assert officer is not None
    membership = compute_membership(officer)
    assert membership.person is not None and membership.person.school.kind == "department"
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("province:directive_detail", args=[_directive().pk]))
    assert page.status_code == 200
    html = page.content.decode()
    row = html.split(f'data-school="{demo.school.pk}"')[1].split("</tr>")[0]
    assert "nhiệm vụ" in row
    # Figures only: none of the school's task titles.
    for task in demo.tasks.filter(basis_links__document=_directive())[:3]:
        assert task.title not in html


def test_the_sgd_account_finds_its_way(demo: Plan) -> None:
    client = Client()
    client.force_login(authenticate(HttpRequest(), username="sogddt", password=DEMO_PASSWORD))
    home = client.get(reverse("home")).content.decode()
    assert reverse("province:directive_list") in home  # "Văn bản chỉ đạo" in the navigation
    listing = client.get(reverse("province:directive_list")).content.decode()
    assert "1850/HD-SGDĐT" in listing
    register = client.get(reverse("documents:document_list")).content.decode()
    assert "1850/HD-SGDĐT" in register and "2457/QĐ-BGDĐT" not in register


def test_the_principal_was_told_and_reads_it_in_the_schools_register(demo: Plan) -> None:
    principal = authenticate(HttpRequest(), username="phungquyson", password=DEMO_PASSWORD)
    assert Notification.objects.filter(
        user=principal, kind=NotificationKind.DIRECTIVE_RECEIVED, title__contains="1850"
    ).exists()
    client = Client()
    client.force_login(principal)
    page = client.get(reverse("documents:document_detail", args=[_directive().pk]))
    assert page.status_code == 200 and 'id="received-from"' in page.content.decode()


# The reports the Sở asked for ----------------------------------------------------------------


def _signed_in(username: str) -> Client:
    client = Client()
    client.force_login(authenticate(HttpRequest(), username=username, password=DEMO_PASSWORD))
    return client


def _states(title: str) -> dict[str, str]:
    asked = ReportRequest.objects.get(title=title)
    return {row.school.short_name: row.state for row in reporting.standings(asked)}


def test_the_sgd_asked_for_the_so_ket_and_the_demo_college_submitted_it_on_time(
    demo: Plan,
) -> None:
    assert _states("Báo cáo sơ kết học kỳ I năm học 2023–2024") == {
        demo.school.short_name: "on_time",
        "CĐKT Kỳ Lừa": "missing",
    }
    submission = Submission.objects.get(
        request__title__startswith="Báo cáo sơ kết", school=demo.school
    )
    assert submission.read().startswith(b"PK") and submission.source.startswith("Số ")
    assert submission.source.endswith("ngày 05/01/2024")
    assert dict(submission.figures)["Số liệu tính đến ngày"] == "05/01/2024"


def test_the_enrolment_figures_came_in_on_time_late_and_not_at_all(demo: Plan) -> None:
    assert _states("Số liệu tuyển sinh, duy trì sĩ số năm học 2023–2024") == {
        demo.school.short_name: "on_time",
        "CĐKT Kỳ Lừa": "late",
        "THPT Mẫu Sơn": "missing",
    }
    late = Submission.objects.get(school__code="cdkt-ky-lua")
    assert dict(late.figures)["Tỷ lệ tuyển sinh so với chỉ tiêu được giao"].startswith("78%")
    ours = Submission.objects.get(request__kind="targets", school=demo.school)
    assert "Không có chỉ tiêu này" not in [value for _label, value in ours.figures]


def test_the_officer_sees_the_figures_side_by_side_and_the_province_dashboard(demo: Plan) -> None:
    client = _signed_in("sogddt")
    home = client.get(reverse("home")).content.decode()
    assert reverse("province:dashboard") in home and reverse("province:request_list") in home
    asked = ReportRequest.objects.get(kind="targets")
    html = client.get(reverse("province:request_detail", args=[asked.pk])).content.decode()
    assert "Nộp muộn" in html and "5 ngày sau hạn" in html
    board = client.get(reverse("province:dashboard")).content.decode()
    table = board.split('id="province-schools"')[1].split("</table>")[0]
    ours = table.split(f'data-school="{demo.school.pk}"')[1].split("</tr>")[0]
    theirs = table.split('data-school="', 3)
    assert len(theirs) == 4  # three schools
    # The demo college's enrolment, retention and emulation results, from their own apps.
    for key in ("enrolment_fill", "retention", "emulation"):
        cell = ours.split(f'data-summary="{key}"')[1].split("</td>")[0]
        assert "%" in cell or "LĐTT" in cell, key
    # Figures only: no task of the school by name, no person.
    assert demo.tasks.filter(code="1").first().title not in board


def test_the_sample_principal_sees_its_own_requests_and_nothing_of_the_demo_college(
    demo: Plan,
) -> None:
    client = _signed_in("cdktkl")
    inbox = client.get(reverse("province:inbox")).content.decode()
    assert "Báo cáo sơ kết học kỳ I năm học 2023–2024" in inbox and "Nộp muộn" in inbox
    theirs = Submission.objects.get(request__kind="targets", school=demo.school)
    assert client.get(reverse("province:submission_file", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("province:dashboard")).status_code == 403
