"""The scope of a request sees a directive where it belongs: the Sở's own register, and the
register of each school it was sent to; another school sees neither the directive nor who else
received it. Outside any scope, a query of either model refuses. The province's pages cost the
same with 3 schools or 30."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import ScopeError, scope

from conftest import make_person
from documents.models import Document, DocumentReceipt
from organisations.models import Organisation, Role
from province import services
from province.models import Audience, DirectedSchool
from province.tests.conftest import Province


@pytest.fixture
def sent(province: Province) -> Province:
    services.send_directive(
        province.directive,
        Audience.LIST,
        schools=[province.world.school],
        by=province.users["officer"],
    )
    return province


def _visible(school_id: int) -> tuple[set[str], set[int]]:
    with scope(school=school_id):
        documents = set(Document.objects.values_list("symbol", flat=True))
        receipts = set(DocumentReceipt.objects.values_list("school_id", flat=True))
    return documents, receipts


def test_each_organisation_sees_the_directive_where_it_belongs(sent: Province) -> None:
    world = sent.world
    assert _visible(sent.sgd.pk) == ({"1850/HD-SGDĐT"}, {world.school.pk})
    assert _visible(world.school.pk) == ({"2457/QĐ-BGDĐT", "1850/HD-SGDĐT"}, {world.school.pk})
    assert _visible(world.other_school.pk) == (set(), set())
    assert _visible(sent.college.pk) == (set(), set())


def test_a_directive_sent_twice_is_listed_once(sent: Province) -> None:
    services.send_directive(sent.directive, Audience.ALL, by=sent.users["officer"])
    with scope(school=sent.world.school.pk):
        assert Document.objects.filter(number="1850").count() == 1


def test_outside_any_scope_the_register_and_its_receipts_refuse(sent: Province) -> None:
    with pytest.raises(ScopeError), scope():
        list(Document.objects.all())
    with pytest.raises(ScopeError), scope():
        list(DocumentReceipt.objects.all())
    with pytest.raises(ScopeError), scope():
        list(DirectedSchool.objects.all())


def test_the_directives_pages_cost_the_same_for_more_schools(sent: Province) -> None:
    client = sent.client("officer")
    detail = reverse("province:directive_detail", args=[sent.directive.pk])
    listing = reverse("province:directive_list")
    schools = reverse("province:school_list")
    client.get(detail)  # warm the session and the membership

    def cost() -> tuple[int, ...]:
        counts = []
        for url in (detail, listing, schools):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return tuple(counts)

    before = cost()
    for number in range(30):
        school = Organisation.objects.create(name=f"Trường Cao đẳng Số {number}", kind="school")
        make_person(school, school, f"Người {number}", f"p{number}", "Hiệu trưởng", Role.LEADERSHIP)
        DirectedSchool.objects.create(body=sent.sgd, school=school, level="college")
    services.send_directive(sent.directive, Audience.ALL, by=sent.users["officer"])
    assert cost() == before
