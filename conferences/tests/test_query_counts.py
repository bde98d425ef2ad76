"""The conference list and the opinions list cost the same with 10 rows or 50."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conferences import services
from conferences.models import AnswerKind, Conference, ConferenceKind
from conftest import World


def grow_conferences(world: World, n: int) -> None:
    kind = ConferenceKind.objects.get(code="hoi-nghi-vien-chuc")
    people = services.select_people(world.school.pk, whole_school=True)
    for i in range(n):
        conference = services.create_conference(
            Conference(
                school=world.school,
                kind=kind,
                title=f"Hội nghị số {i}",
                held_on=dt.date(2023, 9, 1) + dt.timedelta(days=i),
                plan=world.plan,
            ),
            by=None,
        )
        services.summon_group(conference, name="Toàn thể", people=people, by=None)
        services.submit_opinion(
            conference, author=None, anonymous=True, topic="Chủ đề", content="Nội dung"
        )


def grow_opinions(world: World, conference: Conference, n: int) -> None:
    leader = world.users["leadership"]
    for i in range(n):
        first = services.submit_opinion(
            conference,
            author=world.people["staff"],
            anonymous=i % 2 == 0,
            topic=f"Chủ đề {i}",
            content="Nội dung",
            task=world.task,
            target=world.target,
        )
        duplicate = services.submit_opinion(
            conference,
            author=world.people["unit_head"],
            anonymous=False,
            topic="Trùng",
            content="…",
        )
        services.merge_opinion(duplicate, into=first, by=leader)
        if i % 3 == 0:
            services.answer_opinion(
                first,
                kind=AnswerKind.ACCEPTED,
                answer="Tiếp thu",
                existing_task=world.task,
                by=leader,
            )
        elif i % 3 == 1:
            services.answer_opinion(
                first,
                kind=AnswerKind.FORWARDED,
                answer="Chuyển",
                forwarded_to=world.office,
                by=leader,
            )


def count(world: World, url: str) -> int:
    client = world.client("leadership")
    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_conference_list_query_count_is_constant(world: World) -> None:
    url = reverse("conferences:list")
    grow_conferences(world, 10)
    few = count(world, url)
    grow_conferences(world, 40)
    assert count(world, url) == few
    assert few <= 15


def test_opinion_list_query_count_is_constant(world: World, conference: Conference) -> None:
    url = reverse("conferences:opinions", args=[conference.pk])
    grow_opinions(world, conference, 10)
    few = count(world, url)
    grow_opinions(world, conference, 40)
    assert count(world, url) == few
    assert few <= 20
