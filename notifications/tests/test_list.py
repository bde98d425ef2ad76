"""The navbar counts unread notifications; opening the list reads what it shows."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import World
from notifications.models import Notification


def notify(world: World, role: str, n: int, **fields: object) -> None:
    Notification.objects.bulk_create(
        Notification(user=world.users[role], title=f"Nhắc việc số {i}", url="/", **fields)
        for i in range(n)
    )


def badge(body: str) -> str | None:
    found = re.search(r'data-unread="([^"]+)"', body)
    return found.group(1) if found else None


def test_navbar_counts_only_my_unread_notifications(world: World) -> None:
    notify(world, "staff", 3)
    notify(world, "staff", 2, read_at=timezone.now())
    notify(world, "unit_head", 4)
    floor = reverse("tracking:floor")
    assert badge(world.client("staff").get(floor).content.decode()) == "3"
    assert badge(world.client("unit_head").get(floor).content.decode()) == "4"
    assert badge(world.client("leadership").get(floor).content.decode()) is None
    assert "Thông báo" in world.client("leadership").get(floor).content.decode()


def test_navbar_count_is_one_query_whatever_the_number(world: World) -> None:
    floor = reverse("tracking:floor")
    client = world.client("staff")
    client.get(floor)
    with CaptureQueriesContext(connection) as none:
        client.get(floor)
    notify(world, "staff", 150)
    with CaptureQueriesContext(connection) as many:
        body = client.get(floor).content.decode()
    assert badge(body) == "99+"
    assert len(many) == len(none)
    counting = [q["sql"] for q in many if "notifications_notification" in q["sql"]]
    assert len(counting) == 1


def test_opening_the_list_marks_what_it_shows_as_read(world: World) -> None:
    notify(world, "staff", 55)
    client = world.client("staff")
    body = client.get(reverse("notifications:list")).content.decode()
    # The 50 shown are highlighted as new this once, and read from now on.
    assert body.count("list-group-item-warning") == 50
    assert Notification.objects.filter(user=world.users["staff"], read_at__isnull=True).count() == 5
    assert badge(body) == "5"  # the navbar, rendered after, counts what is left
    again = client.get(reverse("notifications:list")).content.decode()
    assert "list-group-item-warning" not in again
    # Page 2 holds the 5 older ones, still unread until opened.
    assert badge(again) == "5"
    client.get(reverse("notifications:list") + "?page=2")
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert badge(client.get(reverse("tracking:floor")).content.decode()) is None


def test_opening_the_list_leaves_other_peoples_notifications_alone(world: World) -> None:
    notify(world, "unit_head", 2)
    world.client("staff").get(reverse("notifications:list"))
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
