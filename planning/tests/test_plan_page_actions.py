"""The plan page's action bar: what it offers whom, and "Sao sang năm học mới" only where a copy
makes sense (not on next year's draft copy, not once next year's plan exists)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from conftest import World
from planning import services
from planning.models import Plan


def page(world: World, role: str, plan: Plan) -> str:
    response = world.client(role).get(reverse("planning:plan_detail", args=[plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


def copy_link(plan: Plan) -> str:
    return f'href="{reverse("planning:plan_copy", args=[plan.pk])}"'


def test_a_plan_without_next_years_plan_offers_the_copy_in_the_secondary_actions(
    world: World,
) -> None:
    html = page(world, "leadership", world.plan)
    more = html[html.index('id="plan-more"') : html.index('id="plan-downloads"')]
    assert copy_link(world.plan) in more
    # The primary actions come before the menu; the rest are in it.
    primary = html[html.index('id="plan-actions"') : html.index('id="plan-more"')]
    assert reverse("planning:plan_edit", args=[world.plan.pk]) in primary
    assert reverse("planning:task_create", args=[world.plan.pk]) in primary
    assert 'id="plan-issue"' in primary
    for secondary in ("plan_bases", "plan_bases_import", "area_create", "target_create"):
        url = reverse(f"planning:{secondary}", args=[world.plan.pk])
        assert url in more and url not in primary, secondary
    assert 'id="plan-import"' in more


def test_next_years_draft_copy_offers_no_copy_and_its_source_links_it(world: World) -> None:
    copied = services.copy_plan(world.plan, start_year=2024, by=world.users["leadership"])
    html = page(world, "leadership", copied)
    assert "Sao sang năm học mới" not in html and copy_link(copied) not in html
    assert 'id="plan-issue"' in html  # still a draft to finish and issue
    source = page(world, "leadership", world.plan)
    assert copy_link(world.plan) not in source, "the copy exists: linked, not offered again"
    next_year = re.search(r'id="plan-next-year">(.*?)</span>', source, re.S)
    assert next_year is not None
    assert reverse("planning:plan_detail", args=[copied.pk]) in next_year[1]
    assert "2024–2025" in next_year[1] and "dự thảo" in next_year[1]


def test_an_issued_copy_may_be_copied_forward(world: World) -> None:
    copied = services.copy_plan(world.plan, start_year=2024, by=world.users["leadership"])
    Plan.objects.filter(pk=copied.pk).update(status="issued")
    copied.refresh_from_db()
    assert copy_link(copied) in page(world, "leadership", copied)


@pytest.mark.parametrize("role", ["staff", "unit_head", "clerk"])
def test_who_may_not_change_the_plan_sees_only_the_downloads(world: World, role: str) -> None:
    html = page(world, role, world.plan)
    assert 'id="plan-actions"' not in html and 'id="plan-more"' not in html
    assert copy_link(world.plan) not in html
    downloads = html[html.index('id="plan-downloads"') :]
    assert reverse("planning:plan_docx", args=[world.plan.pk]) in downloads
    assert 'id="plan-excel"' in downloads


def test_another_schools_leadership_does_not_see_the_plan(world: World) -> None:
    response = world.client("outsider").get(reverse("planning:plan_detail", args=[world.plan.pk]))
    assert response.status_code == 404
