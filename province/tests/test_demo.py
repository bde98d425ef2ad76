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
from province import services
from province.models import DirectedSchool


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
