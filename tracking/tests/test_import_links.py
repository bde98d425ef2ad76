"""The import pages are reachable from the pages where the data lives, for those who may use them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import World


@pytest.mark.parametrize(
    ("role", "shown"),
    [("staff", False), ("clerk", False), ("unit_head", True), ("leadership", True)],
)
def test_unit_dashboard_and_unit_page_offer_the_reporting_sheet(
    world: World, role: str, shown: bool
) -> None:
    client = world.client(role)
    sheet = reverse("tracking:reporting_sheet", args=[world.plan.pk, world.office.pk])
    dashboard = client.get(
        reverse("tracking:unit_dashboard", args=[world.plan.pk, world.office.pk])
    )
    unit_page = client.get(reverse("organisations:organisation_detail", args=[world.office.pk]))
    for response in (dashboard, unit_page):
        assert response.status_code == 200
        assert (sheet in response.content.decode()) is shown


@pytest.mark.parametrize(("role", "shown"), [("staff", False), ("unit_head", True)])
def test_checkin_page_links_to_the_reporting_sheets(world: World, role: str, shown: bool) -> None:
    # The staff member is in charge of world.task, the unit head's office coordinates it.
    response = world.client(role).get(reverse("tracking:checkin_create", args=[world.task.pk]))
    assert response.status_code == 200
    assert ('id="reporting-sheets-link"' in response.content.decode()) is shown


@pytest.mark.parametrize(
    ("role", "people", "documents"),
    [("staff", False, False), ("clerk", False, True), ("leadership", True, True)],
)
def test_lists_offer_their_imports(world: World, role: str, people: bool, documents: bool) -> None:
    client = world.client(role)
    for url in (reverse("organisations:tree"), reverse("organisations:person_list")):
        body = client.get(url).content.decode()
        assert (reverse("organisations:people_import") in body) is people
    body = client.get(reverse("documents:document_list")).content.decode()
    assert (reverse("documents:documents_import") in body) is documents
