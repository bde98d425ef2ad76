"""The evidence pages: who sees whose, what they show (with links to the tasks, targets and
files behind each figure), bad input, and a cost independent of the number of people."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World, make_person
from emulation.tests.evidence_helpers import ON, Year, build_year, more_people
from organisations.models import Organisation, Role
from planning.models import Plan

OK, LOGIN, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
ROLES = ["anonymous", "outsider", "officer", "staff", "clerk", "unit_head", "leadership"]
DAY = "?on=14/06/2024"


@pytest.fixture
def year(world: World) -> Year:
    """The hand-made year, and an officer of the Sở GD&ĐT above the schools (leadership there,
    a stranger here)."""
    sgd = Organisation.objects.create(name="Sở Giáo dục và Đào tạo Mẫu", kind="department")
    _person, world.users["officer"] = make_person(
        sgd, sgd, "Trần Văn Sở", "officer", "Giám đốc Sở", Role.LEADERSHIP
    )
    return build_year(world)


def person_url(w: World, role: str) -> str:
    return reverse("emulation_evidence:person", args=[w.plan.pk, w.people[role].pk])


def unit_url(w: World, unit: Organisation) -> str:
    return reverse("emulation_evidence:unit", args=[w.plan.pk, unit.pk])


def client(world: World, role: str) -> Client:
    c = Client(raise_request_exception=False)
    if role != "anonymous":
        c.force_login(world.users[role])
    return c


# anonymous, outsider, officer, staff, clerk, unit head, leadership
PAGES: list[tuple[str, Callable[[World], str], tuple[int, ...]]] = [
    ("index", lambda w: reverse("emulation_evidence:index"), (LOGIN, OK, OK, OK, OK, OK, OK)),
    # The staff member's own; not their colleagues', nor the head of another unit's.
    ("staff's evidence", lambda w: person_url(w, "staff"),
     (LOGIN, NOT_FOUND, NOT_FOUND, OK, FORBIDDEN, FORBIDDEN, OK)),
    # The clerk works in the office: its head sees the clerk's evidence.
    ("clerk's evidence", lambda w: person_url(w, "clerk"),
     (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK, OK, OK)),
    ("head's evidence", lambda w: person_url(w, "unit_head"),
     (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK, OK)),
    ("office", lambda w: unit_url(w, w.office),
     (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK, OK)),
    ("faculty", lambda w: unit_url(w, w.faculty),
     (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_for_role(
    year: Year, role: str, name: str, url: Any, expected: tuple[int, ...]
) -> None:
    response = client(year.world, role).get(url(year.world) + DAY)
    assert response.status_code == expected[ROLES.index(role)], f"{name} as {role}"
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_a_head_sees_the_people_of_the_units_below_theirs(year: Year) -> None:
    world = year.world
    _person, user = make_person(
        world.school, world.faculty, "Trần Thị Khoa", "dean", "Trưởng khoa", Role.HEAD
    )
    c = Client()
    c.force_login(user)
    assert c.get(person_url(world, "staff")).status_code == OK  # in the faculty's subject group
    assert c.get(unit_url(world, world.group)).status_code == OK
    assert c.get(unit_url(world, world.office)).status_code == FORBIDDEN
    assert c.get(person_url(world, "clerk")).status_code == FORBIDDEN


def test_unknown_or_foreign_ids_are_not_found(year: Year) -> None:
    world = year.world
    leader = client(world, "leadership")
    other_plan = Plan.objects.create(school=world.other_school, start_year=2023, title="Khác")
    outsider = world.people["outsider"]
    other_unit = Organisation.objects.get(name="Phòng Khác")
    urls = [
        reverse("emulation_evidence:person", args=[world.plan.pk, 999_999]),
        reverse("emulation_evidence:person", args=[999_999, world.people["staff"].pk]),
        reverse("emulation_evidence:person", args=[world.plan.pk, outsider.pk]),
        reverse("emulation_evidence:person", args=[other_plan.pk, world.people["staff"].pk]),
        reverse("emulation_evidence:unit", args=[world.plan.pk, 999_999]),
        reverse("emulation_evidence:unit", args=[world.plan.pk, other_unit.pk]),
        reverse("emulation_evidence:unit", args=[other_plan.pk, world.office.pk]),
        # The school is not a unit of itself: its figures are the dashboard's.
        reverse("emulation_evidence:unit", args=[world.plan.pk, world.school.pk]),
    ]
    for url in urls:
        assert leader.get(url).status_code == NOT_FOUND, url


@pytest.mark.parametrize(
    "query",
    ["on=abc", "on=31/02/2024", "on=01/01/1999", "on=01/01/2099", "on=1%00", "on=²",
     "plan=abc", "plan=99999999999999999999999", "plan=-1", "plan=²", "on=&plan="],
)  # fmt: skip
def test_bad_query_strings_are_ignored(year: Year, query: str) -> None:
    world = year.world
    for url in (
        reverse("emulation_evidence:index"),
        person_url(world, "staff"),
        unit_url(world, world.office),
    ):
        response = client(world, "leadership").get(f"{url}?{query}")
        assert response.status_code == OK, (url, query)


def test_a_day_outside_the_year_falls_back_to_today_with_a_warning(year: Year) -> None:
    world = year.world
    with mock.patch("emulation.views_evidence.today", return_value=ON):
        page = client(world, "staff").get(person_url(world, "staff") + "?on=01/01/2099")
    text = page.content.decode()
    assert "Ngày xem phải có dạng dd/mm/yyyy, trong năm học và không sau hôm nay." in text
    assert '<strong id="as-of">14/06/2024</strong>' in text


def test_the_person_page_shows_the_figures_with_their_links(year: Year) -> None:
    world = year.world
    text = client(world, "staff").get(person_url(world, "staff") + DAY).content.decode()
    assert "Minh chứng thi đua: Hoàn thành" not in text
    assert '<strong id="as-of">14/06/2024</strong>' in text
    assert 'data-figure="tasks">8<' in text
    assert 'data-figure="on-time">40%<' in text and "2/5 nhiệm vụ đến hạn" in text
    assert 'data-figure="ahead">1<' in text
    assert 'data-figure="checkins">22,7%<' in text and "5/22 kỳ" in text
    assert 'data-figure="targets">1/2<' in text
    assert 'data-figure="teaching">250,5/270<' in text and "92,8% định mức" in text
    for task in (world.task, year.tasks["A"], year.tasks["G"]):
        assert reverse("planning:task_detail", args=[task.pk]) in text
    assert reverse("planning:task_detail", args=[year.tasks["H"].pk]) not in text  # the clerk's
    assert reverse("tracking:evidence", args=[year.evidence["minutes"].pk]) in text
    assert reverse("tracking:evidence", args=[year.evidence["later"].pk]) not in text
    assert reverse("planning:target_detail", args=[year.targets["CT03"].pk]) in text
    assert "Hoàn thành sau hạn ban đầu 24 ngày" in text
    assert "Khoa Tự nhiên" not in text.split('id="person-units"')[1].split("</div>")[0]
    assert "Tổ Toán" in text
    # The staff member may not open their unit's page: no link to it.
    assert unit_url(world, world.group) not in text


def test_the_unit_page_lists_its_people_and_sub_units(year: Year) -> None:
    world = year.world
    text = client(world, "leadership").get(unit_url(world, world.faculty) + DAY).content.decode()
    assert 'data-figure="tasks">10<' in text and 'data-figure="on-time">40%<' in text
    assert 'data-figure="checkins">13,9%<' in text and 'data-figure="targets">2/3<' in text
    assert f'data-person="{world.people["staff"].pk}"' in text
    assert person_url(world, "staff") + DAY in text
    assert f'data-person="{world.people["clerk"].pk}"' not in text  # the office's
    assert f'data-unit="{world.group.pk}"' in text and unit_url(world, world.group) in text
    office = client(world, "unit_head").get(unit_url(world, world.office) + DAY).content.decode()
    assert 'data-figure="coordinated">1<' in office
    assert reverse("tracking:evidence", args=[year.evidence["office"].pk]) in office
    for role in ("unit_head", "clerk"):
        assert f'data-person="{world.people[role].pk}"' in office


def test_the_index_lists_the_units_one_answers_for(year: Year) -> None:
    world = year.world
    url = reverse("emulation_evidence:index") + DAY
    leader = client(world, "leadership").get(url).content.decode()
    for unit in (world.office, world.faculty, world.group):
        assert f'data-unit="{unit.pk}"' in leader
    head = client(world, "unit_head").get(url).content.decode()
    assert f'data-unit="{world.office.pk}"' in head
    assert f'data-unit="{world.faculty.pk}"' not in head
    staff = client(world, "staff").get(url).content.decode()
    assert 'id="units"' not in staff
    assert person_url(world, "staff") in staff
    # Another school's member sees their own school, which has no plan.
    assert (
        "Trường chưa có kế hoạch năm học nào."
        in client(world, "outsider").get(url).content.decode()
    )


def count(c: Client, url: str) -> int:
    c.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = c.get(url)
    assert response.status_code == OK, url
    return len(queries)


@pytest.mark.parametrize(
    ("page", "role"),
    [
        ("unit", "leadership"),
        ("person", "leadership"),
        ("index", "leadership"),
        # The clerk's own page, and their head's view of it (which reads the unit's people).
        ("clerk", "clerk"),
        ("clerk", "unit_head"),
    ],
)
def test_query_count_does_not_grow_with_people(year: Year, page: str, role: str) -> None:
    world = year.world
    url = {
        "unit": unit_url(world, world.faculty) + DAY,
        "person": person_url(world, "staff") + DAY,
        "clerk": person_url(world, "clerk") + DAY,
        "index": reverse("emulation_evidence:index") + DAY,
    }[page]
    grown = world.office if page == "clerk" else world.group
    c = client(world, role)
    more_people(world, 2, grown)
    few = count(c, url)
    more_people(world, 20, grown)
    many = count(c, url)
    assert few == many, (page, role, few, many)
    assert few <= 30, (page, role, few)


def test_a_head_does_not_see_someone_who_left_their_unit_before_the_year(year: Year) -> None:
    """A head sees the people of their units in the plan's year, not whoever was there once."""
    import datetime as dt

    from organisations.models import Position, Role

    world = year.world
    former, _user = make_person(
        world.school, world.faculty, "Lê Văn Cũ", "former", "Giảng viên", Role.MEMBER
    )
    Position.objects.create(
        person=former, organisation=world.office, title="Chuyên viên", role=Role.MEMBER,
        valid_from=dt.date(2019, 9, 1), valid_to=dt.date(2021, 8, 31),
    )  # fmt: skip
    url = reverse("emulation_evidence:person", args=[world.plan.pk, former.pk])
    assert client(world, "unit_head").get(url + DAY).status_code == FORBIDDEN
    assert client(world, "leadership").get(url + DAY).status_code == OK
    # In the office during the year: the head sees them.
    Position.objects.filter(person=former, organisation=world.office).update(valid_to=None)
    assert client(world, "unit_head").get(url + DAY).status_code == OK
