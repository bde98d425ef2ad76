"""An anonymous opinion leaves no link to its author anywhere in the database."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.urls import reverse

from conferences.models import Conference, Opinion
from conftest import World
from organisations.models import Person


def all_rows() -> dict[str, set[tuple[Any, ...]]]:
    rows: dict[str, set[tuple[Any, ...]]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            rows[table] = {tuple(row) for row in cursor.fetchall()}
    return rows


def columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def person_and_user_columns() -> dict[str, dict[str, type[models.Model]]]:
    """For each table, the columns that point to a user or a person."""
    found: dict[str, dict[str, type[models.Model]]] = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            related = getattr(field, "related_model", None)
            if related in (get_user_model(), Person):
                found.setdefault(model._meta.db_table, {})[field.column] = related
    return found


def test_anonymous_opinion_is_linked_to_nobody(world: World, conference: Conference) -> None:
    author = world.people["staff"]
    user = world.users["staff"]
    client = world.client("staff")
    client.get(reverse("conferences:opinions", args=[conference.pk]))  # the session exists
    before = all_rows()
    response = client.post(
        reverse("conferences:opinion_submit", args=[conference.pk]),
        {
            "topic": "Chuyển đổi số",
            "content": "Ý kiến không muốn nêu tên về phần mềm quản lý.",
            "anonymous": "on",
        },
    )
    assert response.status_code == 302
    after = all_rows()
    opinion = Opinion.objects.get()
    assert opinion.author is None and opinion.is_anonymous

    links = person_and_user_columns()
    changed = {table: after[table] - before.get(table, set()) for table in after}
    changed = {table: rows for table, rows in changed.items() if rows}
    assert "conferences_opinion" in changed and "conferences_historicalopinion" in changed
    for table, rows in changed.items():
        names = columns(table)
        for row in rows:
            record = dict(zip(names, row, strict=True))
            for column, related in links.get(table, {}).items():
                forbidden = user.pk if related is get_user_model() else author.pk
                assert record[column] != forbidden, f"{table}.{column} names the author"
            for value in record.values():
                if isinstance(value, str) and table != "django_session":
                    assert author.full_name not in value and user.username not in value, table
    # The session (if it changed at all) learnt nothing about the opinion.
    for session in Session.objects.all():
        data = session.get_decoded()
        assert "opinion" not in str(data).lower() and str(opinion.pk) not in data.values()
    history = opinion.history.get()
    assert history.history_user_id is None
    assert history.history_date.astimezone().time().isoformat() == "00:00:00"


def test_answer_history_does_not_name_anyone_on_an_anonymous_opinion(
    world: World, conference: Conference
) -> None:
    client = world.client("staff")
    client.post(
        reverse("conferences:opinion_submit", args=[conference.pk]),
        {"topic": "Cơ cấu", "content": "Ẩn danh", "anonymous": "on"},
    )
    opinion = Opinion.objects.get()
    world.client("leadership").post(
        reverse("conferences:opinion_answer", args=[opinion.pk]),
        {"kind": "explained", "answer": "Đã có trong quy chế."},
    )
    opinion.refresh_from_db()
    assert opinion.answer_kind == "explained"
    assert all(record.history_user_id is None for record in opinion.history.all())


def test_named_opinion_keeps_its_author(world: World, conference: Conference) -> None:
    world.client("staff").post(
        reverse("conferences:opinion_submit", args=[conference.pk]),
        {"topic": "Cơ cấu", "content": "Có tên"},
    )
    opinion = Opinion.objects.get()
    assert opinion.author == world.people["staff"]
    assert opinion.history.get().history_user == world.users["staff"]


def test_nobody_sees_who_wrote_an_anonymous_opinion(world: World, conference: Conference) -> None:
    world.client("staff").post(
        reverse("conferences:opinion_submit", args=[conference.pk]),
        {"topic": "Cơ cấu", "content": "Ý kiến ẩn danh số một", "anonymous": "on"},
    )
    for role in ("unit_head", "leadership", "clerk"):
        body = world.client(role).get(reverse("conferences:opinions", args=[conference.pk]))
        text = body.content.decode()
        assert "Ý kiến ẩn danh số một" in text and "Ẩn danh" in text
        assert world.people["staff"].full_name not in text, role
        minutes = world.client(role).get(
            reverse("conferences:paper", args=[conference.pk, "minutes"])
        )
        assert world.people["staff"].full_name not in minutes.content.decode().split("THƯ KÝ")[0]
