"""The secretary's roll: search without diacritics, the Vietnamese order, filters, marking all
shown present at once; the same number of queries for 30 people or 300."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conferences import services
from conferences.models import Attendance, Conference, Invitation
from conferences.roll import RollQuery, read_roll
from conftest import World
from organisations.models import Person


def names(conference: Conference, **params: str) -> list[str]:
    roll = read_roll(conference, RollQuery.from_params(params))
    return [row.display_name for section in roll.sections for row in section.rows]


def test_search_ignores_diacritics_and_case(world: World, conference: Conference) -> None:
    assert names(conference, q="nguyen thi") == ["Nguyễn Thị Phương Loan"]
    assert names(conference, q="HOÀNG an") == ["Hoàng Văn An"]
    assert names(conference, q="xyz") == []


def test_sorted_by_given_name_the_vietnamese_way(world: World, conference: Conference) -> None:
    services.summon_group(
        conference,
        name="Khách mời",
        people=[],
        guests=["Đặng Văn Đức", "Trần Văn Dũng", "Lê Thị Ánh", "Vũ Thị Ân"],
        counts_for_quorum=False,
        by=None,
    )
    assert names(conference, sort="name") == [
        "Hoàng Văn An",  # An < Ánh (tones break ties only) < Ân (â after a)
        "Lê Thị Ánh",
        "Vũ Thị Ân",
        "Trần Văn Dũng",  # d before đ
        "Đặng Văn Đức",
        "Lý Thị Hoa",
        "Nguyễn Thị Phương Loan",
        "Phùng Quý Sơn",
    ]


def test_filters_by_group_and_state(world: World, conference: Conference) -> None:
    guests = services.summon_group(
        conference, name="Khách mời", people=[], guests=["Lê Khách"], by=None
    )
    assert names(conference, group=str(guests.pk)) == ["Lê Khách"]
    assert names(conference, state="present") == ["Hoàng Văn An"]
    assert "Hoàng Văn An" not in names(conference, state="unmarked")
    services.check_in_self(
        conference,
        token=services.checkin_token(conference),
        person=world.people["clerk"],
        by=world.users["clerk"],
    )
    assert names(conference, state="self") == ["Lý Thị Hoa"]


@pytest.mark.parametrize(
    "params",
    [
        {"group": "abc"},
        {"group": "9" * 40},
        {"sort": "<script>"},
        {"state": "nope"},
        {"q": "x" * 5000},
    ],
)
def test_unknown_parameters_are_ignored(
    world: World, conference: Conference, params: dict[str, str]
) -> None:
    url = reverse("conferences:attendance", args=[conference.pk])
    assert world.client("clerk").get(url, params).status_code == 200


def test_roll_page_searches_and_answers_htmx_with_the_roll_only(
    world: World, conference: Conference
) -> None:
    url = reverse("conferences:attendance", args=[conference.pk])
    response = world.client("clerk").get(
        url, {"q": "phuong"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="roll"
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="roll">')
    assert "Nguyễn Thị Phương Loan" in body and "Phùng Quý Sơn" not in body


def test_mark_all_shown_marks_only_those_still_unmarked(
    world: World, conference: Conference
) -> None:
    by = world.users["clerk"]
    rows = {
        role: conference.invitations.get(person=world.people[role])
        for role in world.people
        if role != "outsider"
    }
    services.mark_attendance(rows["unit_head"], attendance=Attendance.ABSENT, reason="Ốm", by=by)
    ids = [row.pk for row in rows.values()]
    marked = services.mark_unmarked_present(conference, ids, by=by)
    assert marked == 2  # leadership and clerk; staff was present, the unit head stays absent
    state = {r.person_id: r.attendance for r in conference.invitations.all()}
    assert state[world.people["unit_head"].pk] == Attendance.ABSENT
    assert state[world.people["leadership"].pk] == Attendance.PRESENT
    record = rows["clerk"].history.first()
    assert record.history_change_reason == "Điểm danh có mặt cùng lúc"


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 302), ("outsider", 404), ("staff", 403), ("unit_head", 403)]
)
def test_mark_all_is_for_the_secretary_only(
    world: World, conference: Conference, role: str, status: int
) -> None:
    ids = ",".join(str(pk) for pk in conference.invitations.values_list("pk", flat=True))
    url = reverse("conferences:mark_all", args=[conference.pk])
    assert world.client(role).post(url, {"ids": ids}).status_code == status
    assert conference.invitations.filter(attendance=Attendance.PRESENT).count() == 1


def test_mark_all_page_keeps_the_filters(world: World, conference: Conference) -> None:
    ids = ",".join(str(pk) for pk in conference.invitations.values_list("pk", flat=True))
    response = world.client("clerk").post(
        reverse("conferences:mark_all", args=[conference.pk]),
        {"ids": ids + ",abc,,99999999999999", "q": "thi", "state": "unmarked", "sort": "name"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?q=thi&state=unmarked&sort=name")
    assert conference.invitations.filter(attendance=Attendance.PRESENT).count() == 4


def test_mark_all_ignores_another_conferences_rows(world: World, conference: Conference) -> None:
    other = services.create_conference(
        Conference(
            school=world.school, kind=conference.kind, title="Khác", held_on=conference.held_on
        ),
        by=None,
    )
    group = services.summon_group(other, name="Toàn thể", people=[world.people["clerk"]], by=None)
    foreign = group.members.get()
    assert services.mark_unmarked_present(conference, [foreign.pk], by=None) == 0
    foreign.refresh_from_db()
    assert foreign.attendance == Attendance.UNKNOWN


def grow(world: World, conference: Conference, n: int) -> None:
    people = Person.objects.bulk_create(
        [
            Person(full_name=f"Nguyễn Văn Thứ {i}", sort_key=f"{i:05d}", school=world.school)
            for i in range(n)
        ]
    )
    group = services.summon_group(conference, name=f"Nhóm {n}", people=[], by=None)
    Invitation.objects.bulk_create(
        [Invitation(conference=conference, group=group, person=p) for p in people]
        + [
            Invitation(conference=conference, group=group, name=f"Khách {i}")
            for i in range(n // 10)
        ]
    )


def count(world: World, url: str) -> tuple[int, str]:
    client = world.client("clerk")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_roll_query_count_is_the_same_for_30_or_300(world: World, conference: Conference) -> None:
    url = reverse("conferences:attendance", args=[conference.pk])
    grow(world, conference, 26)
    few, _body = count(world, url)
    grow(world, conference, 270)
    many, body = count(world, url)
    assert (
        len(re.findall(r'class="list-group-item py-2 tt-attendee"', body)) == 4 + 26 + 2 + 270 + 27
    )
    assert many == few
    assert few <= 15


def test_the_roll_leaves_the_site_search_box_alone(world: World, conference: Conference) -> None:
    url = reverse("conferences:attendance", args=[conference.pk])
    body = world.client("clerk").get(url, {"q": "loan"}).content.decode()
    assert "RollQuery" not in body
    assert 'name="q" value="loan"' in body
