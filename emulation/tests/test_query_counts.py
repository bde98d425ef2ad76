"""The emulation's list pages cost the same number of queries with a few people or many."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_person
from emulation.models import (
    Evaluation,
    Initiative,
    InitiativeAuthor,
    Registration,
    TitleHistory,
)
from emulation.services import evaluations as evaluation_services
from emulation.tests.conftest import ASSESSMENT_DAY, Cycle
from organisations.models import Role

GROWN = 0


def grow(cycle: Cycle, n: int) -> None:
    """n more people in the office and in Tổ Toán, each registered, evaluated and reviewed, with
    an initiative and a title of a past year."""
    global GROWN
    world = cycle.world
    for _ in range(n):
        GROWN += 1
        for unit, title in ((world.office, "Chuyên viên"), (world.group, "Giảng viên")):
            person, _user = make_person(
                world.school,
                unit,
                f"Người Thứ {GROWN} {title}",
                f"u{GROWN}-{unit.pk}",
                title,
                Role.MEMBER,
            )
            top = world.office if unit == world.office else world.faculty
            Registration.objects.create(
                campaign=cycle.campaign, person=person, unit=top, titles=["LĐTT", "CSTĐCS"],
                commitments="Cam kết", registered_by=cycle.users["leadership"],
            )  # fmt: skip
            Evaluation.objects.create(
                campaign=cycle.campaign, person=person, unit=top,
                subunit=unit if unit != top else None, task_group=title,
                self_level="HTXS", unit_level="HTXS", proposed_level="HTXS", stage="unit_reviewed",
                unit_reviewed_by=cycle.people["unit_head"], council_rank=GROWN,
            )  # fmt: skip
            initiative = Initiative.objects.create(
                school=world.school, title=f"Sáng kiến {GROWN}", start_year=2023,
                recognised_on=dt.date(2024, 5, 1), recognised_by="Hội đồng",
            )  # fmt: skip
            InitiativeAuthor.objects.create(initiative=initiative, person=person)
            TitleHistory.objects.create(
                school=world.school, person=person, start_year=2022, titles=["LĐTT"], unit=top
            )


def count(cycle: Cycle, url: str, role: str) -> int:
    client = cycle.client(role)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


PAGES: dict[str, tuple[str, Callable[[Cycle], str]]] = {
    "campaign": ("leadership", lambda c: reverse("emulation:campaign", args=[c.campaign.pk])),
    "office registrations": ("unit_head", lambda c: reverse("emulation:unit_registrations", args=[c.campaign.pk, c.world.office.pk])),
    "office review": ("unit_head", lambda c: reverse("emulation:unit_review", args=[c.campaign.pk, c.world.office.pk])),
    "faculty review": ("faculty_head", lambda c: reverse("emulation:unit_review", args=[c.campaign.pk, c.world.faculty.pk])),
    "classification": ("leadership", lambda c: reverse("emulation:classification", args=[c.campaign.pk])),
    "facts": ("clerk", lambda c: reverse("emulation:facts", args=[c.campaign.pk])),
    "initiatives": ("staff", lambda c: reverse("emulation:initiatives")),
    "titles": ("staff", lambda c: reverse("emulation:titles")),
    "registrations sheet": ("leadership", lambda c: reverse("emulation:registrations_xlsx", args=[c.campaign.pk])),
    "registration paper": ("leadership", lambda c: reverse("papers:download", args=["emulation_registrations", c.campaign.pk, "docx"])),
    "home of a unit head": ("unit_head", lambda c: reverse("home")),
}  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_people(cycle: Cycle, page: str) -> None:
    cycle.clock.set(ASSESSMENT_DAY)
    evaluation_services.prepare_evaluations(cycle.campaign, by=cycle.users["leadership"])
    role, address = PAGES[page]
    grow(cycle, 2)
    few = count(cycle, address(cycle), role)
    grow(cycle, 12)
    many = count(cycle, address(cycle), role)
    assert many == few, f"{page}: {few} queries with few people, {many} with many"
    assert few <= 40, f"{page}: {few} queries"
