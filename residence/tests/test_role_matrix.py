"""Every residence page for every role: anonymous → login; another school's leader and the Sở's
officer see nothing of this school; staff see figures without names; the class adviser sees and
prints only their class; the student affairs office and the leadership everything. Every view of
names is logged; no page answers 500 to bad input."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from conftest import close_response
from residence.models import Allocation
from residence.tests.conftest import ROLES, Dorm
from students.models import PersonalDataView

OK, LOGIN, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404


def url(name: str, *args: Any) -> str:
    return reverse(f"residence:{name}", args=args)


def t(d: Dorm) -> str:
    return f"?term={d.term.pk}"


# anonymous, outsider, officer, staff, adviser, faculty head, records office, leadership
ALL = (LOGIN, OK, OK, OK, OK, OK, OK, OK)
MANAGERS = (LOGIN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)
SCHOOL_OBJECT = (LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, OK, OK)
MANAGERS_OBJECT = (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)
WARD_NAMES = (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)
SOME_NAMES = (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, OK, OK)
K1_NAMES = (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK, OK, OK, OK)
K2_NAMES = (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)

PAGES: list[tuple[str, Callable[[Dorm], str], tuple[int, ...]]] = [
    ("home", lambda d: url("home"), ALL),
    ("home of the term", lambda d: url("home") + t(d), SCHOOL_OBJECT),
    ("dormitory", lambda d: url("dormitory"), ALL),
    ("dormitory xlsx", lambda d: url("dormitory") + "?format=xlsx", ALL),
    ("room", lambda d: url("room", d.room.pk) + t(d), SCHOOL_OBJECT),
    ("places", lambda d: url("allocations") + t(d), SOME_NAMES),
    ("places xlsx", lambda d: url("allocations") + t(d) + "&format=xlsx", SOME_NAMES),
    ("declarations", lambda d: url("declarations") + t(d), SOME_NAMES),
    ("not declared", lambda d: url("declarations") + t(d) + "&missing=1", SOME_NAMES),
    ("declarations xlsx", lambda d: url("declarations") + t(d) + "&format=xlsx", SOME_NAMES),
    ("wards", lambda d: url("wards") + t(d), SCHOOL_OBJECT),
    ("wards xlsx", lambda d: url("wards") + t(d) + "&format=xlsx", WARD_NAMES),
    ("links", lambda d: url("links") + t(d), SOME_NAMES),
    ("links of K1", lambda d: url("cohort_links", d.campus.k1.pk) + t(d), K1_NAMES),
    ("links of K2", lambda d: url("cohort_links", d.campus.k2.pk) + t(d), K2_NAMES),
    ("inspections", lambda d: url("inspections") + t(d), MANAGERS_OBJECT),
    ("term create", lambda d: url("term_create"), MANAGERS),
    ("term edit", lambda d: url("term_edit", d.term.pk), MANAGERS_OBJECT),
    ("building create", lambda d: url("building_create"), MANAGERS),
    ("room create", lambda d: url("room_create"), MANAGERS),
    ("room edit", lambda d: url("room_edit", d.room.pk), MANAGERS_OBJECT),
    ("import places", lambda d: url("import_allocations") + t(d), MANAGERS_OBJECT),
    ("import declarations", lambda d: url("import_declarations") + t(d), MANAGERS_OBJECT),
    ("import template", lambda d: url("import_template", "declarations"), MANAGERS),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "address", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_for_role(
    dorm: Dorm, role: str, name: str, address: Any, expected: tuple[int, ...]
) -> None:
    response = dorm.client(role).get(address(dorm))
    close_response(response)
    assert response.status_code == expected[ROLES.index(role)], f"{name} as {role}"
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["outsider", "officer", "staff"])
@pytest.mark.parametrize("page", ["home", "dormitory", "wards"])
def test_figures_never_carry_a_name(dorm: Dorm, role: str, page: str) -> None:
    body = dorm.client(role).get(url(page)).content.decode()
    assert "Nguyễn Văn Học" not in body and "Bà Triệu" not in body


def test_staff_see_the_room_without_names(dorm: Dorm) -> None:
    body = dorm.client("staff").get(url("room", dorm.room.pk) + t(dorm)).content.decode()
    assert "(có người ở)" in body and "Nguyễn Văn Học 2" not in body
    assert not PersonalDataView.objects.exists()
    body = dorm.client("adviser").get(url("room", dorm.room.pk) + t(dorm)).content.decode()
    assert "Nguyễn Văn Học 2" in body
    assert PersonalDataView.objects.get().user == dorm.users["adviser"]


def test_the_adviser_sees_only_their_class(dorm: Dorm) -> None:
    body = dorm.client("adviser").get(url("declarations") + t(dorm)).content.decode()
    assert "Nguyễn Văn Học 3" in body and "Nguyễn Văn Học 7" not in body
    missing = dorm.client("adviser").get(url("declarations") + t(dorm) + "&missing=1")
    text = missing.content.decode()
    # K1 studying off campus: 3 (declared), 4 and 5 (not yet); 2 boards.
    assert "Nguyễn Văn Học 4" in text and "Nguyễn Văn Học 3" not in text
    assert 'id="missing-count">2<' in text
    everyone = dorm.client("records").get(url("declarations") + t(dorm)).content.decode()
    assert "Nguyễn Văn Học 7" in everyone and "Nguyễn Văn Học 9" in everyone


def test_every_view_of_names_is_logged(dorm: Dorm) -> None:
    dorm.client("adviser").get(url("declarations") + t(dorm))
    close_response(dorm.client("records").get(url("wards") + t(dorm) + "&format=xlsx"))
    close_response(dorm.client("adviser").get(url("cohort_links", dorm.campus.k1.pk) + t(dorm)))
    whats = list(PersonalDataView.objects.order_by("pk").values_list("what", flat=True))
    assert whats == [
        "Xem danh sách ngoại trú",
        "Xuất danh sách ngoại trú theo phường/xã",
        "Xuất mã khai báo ngoại trú",
    ]
    dorm.client("staff").get(url("declarations") + t(dorm))  # refused: not logged
    assert PersonalDataView.objects.count() == 3


ACTIONS: list[tuple[str, Callable[[Dorm], str], dict[str, str], tuple[int, ...]]] = [
    (
        "place",
        lambda d: url("room", d.big.pk) + t(d),
        {"code": "SV005", "priority": "policy", "moved_in_on": "01/09/2025"},
        (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN, LOGIN),
    ),
    (
        "move",
        lambda d: url("allocation_move", d.place.pk),
        {"room": "BIG", "on": "01/10/2025"},
        (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN, LOGIN),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "address", "data", "expected"), ACTIONS, ids=[a[0] for a in ACTIONS]
)
def test_action_for_role(
    dorm: Dorm,
    role: str,
    name: str,
    address: Any,
    data: dict[str, str],
    expected: tuple[int, ...],
) -> None:
    data = {k: (str(dorm.big.pk) if v == "BIG" else v) for k, v in data.items()}
    response = dorm.client(role).post(address(dorm), data)
    assert response.status_code == expected[ROLES.index(role)], f"{name} as {role}"
    written = Allocation.objects.filter(room=dorm.big, left_on__isnull=True).exists()
    assert written == (expected[ROLES.index(role)] == LOGIN and role != "anonymous")


BAD = ["?term=abc", "?term=999999", "?page=zzz&term=", "?format=xlsx&term=-1", "?missing=2&q=%00"]


@pytest.mark.parametrize("query", BAD)
@pytest.mark.parametrize(
    "page", ["home", "dormitory", "allocations", "declarations", "wards", "links", "inspections"]
)
def test_bad_input_is_never_a_500(dorm: Dorm, page: str, query: str) -> None:
    response = dorm.client("records").get(url(page) + query)
    close_response(response)
    assert response.status_code < 500


def test_bad_posts_are_refused_without_a_500(dorm: Dorm) -> None:
    client = dorm.client("records")
    bad = client.post(
        url("room", dorm.big.pk) + t(dorm),
        {"code": "NOPE", "priority": "policy", "moved_in_on": "01/09/2025"},
    )
    assert bad.status_code == 400 and "Không có người học mang mã này" in bad.content.decode()
    twice = client.post(
        url("room", dorm.big.pk) + t(dorm),
        {"code": "SV002", "priority": "policy", "moved_in_on": "01/09/2025"},
    )
    assert twice.status_code == 400 and "đang ở phòng" in twice.content.decode()
    assert client.post(url("allocation_move", dorm.place.pk), {"room": "x"}).status_code == 302
    assert (
        client.post(url("allocation_leave", dorm.place.pk), {"on": "1/1/1990"}).status_code == 302
    )
    dorm.place.refresh_from_db()
    assert dorm.place.left_on is None
    assert client.post(url("inspections") + t(dorm), {"kind": "visit"}).status_code == 400
