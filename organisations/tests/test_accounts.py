"""Accounts: leadership unlocks a colleague locked out by wrong passwords, or gives them a
temporary password; everyone changes their own password."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import World


def _login(username: str, password: str, ip: str = "10.0.0.1") -> tuple[Client, int]:
    client = Client()
    response = client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )
    return client, response.status_code


def _lock(username: str) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(username, "wrong")
    assert _login(username, "x-" + username)[1] == 429


def test_leadership_unlocks_a_locked_colleague(world: World) -> None:
    _lock("staff")
    person = world.people["staff"]
    page = world.client("leadership").get(reverse("organisations:person_detail", args=[person.pk]))
    assert reverse("organisations:person_unlock", args=[person.pk]) in page.content.decode()
    response = world.client("leadership").post(
        reverse("organisations:person_unlock", args=[person.pk]), follow=True
    )
    assert "Đã mở khoá đăng nhập" in response.content.decode()
    assert _login("staff", "x-staff")[1] == 302


@pytest.mark.parametrize("role,status", [("staff", 403), ("unit_head", 403), ("outsider", 404)])
def test_only_the_schools_leadership_unlocks_or_resets(
    world: World, role: str, status: int
) -> None:
    _lock("clerk")
    person = world.people["clerk"]
    for name in ("organisations:person_unlock", "organisations:person_password_reset"):
        assert world.client(role).post(reverse(name, args=[person.pk])).status_code == status
    assert _login("clerk", "x-clerk")[1] == 429
    assert _login("clerk", "x-clerk", ip="10.9.9.9")[1] == 429


def test_anonymous_is_sent_to_login(world: World) -> None:
    url = reverse("organisations:person_password_reset", args=[world.people["staff"].pk])
    response = Client().post(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_leadership_gives_a_temporary_password_shown_once(world: World) -> None:
    _lock("staff")
    url = reverse("organisations:person_password_reset", args=[world.people["staff"].pk])
    response = world.client("leadership").post(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    match = re.search(r'data-temporary-password="([^"]+)"', response.content.decode())
    assert match is not None
    temporary = match.group(1)
    assert len(temporary) >= 10
    assert _login("staff", "x-staff")[1] == 200  # the old password no longer works
    _client, status = _login("staff", temporary)
    assert status == 302  # and the lock was lifted with the reset
    # A GET does not reset anything.
    assert world.client("leadership").get(url).status_code == 405


def test_staff_changes_their_own_password_from_the_menu(world: World) -> None:
    client = world.client("staff")
    home = client.get(reverse("planning:plan_list")).content.decode()
    assert reverse("password_change") in home
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and "Đổi mật khẩu" in page.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "x-staff",
            "new_password1": "Hoa-sen-2024!",
            "new_password2": "Hoa-sen-2024!",
        },
    )
    assert response.status_code == 302
    assert _login("staff", "Hoa-sen-2024!")[1] == 302


def test_a_wrong_old_password_is_refused_in_vietnamese(world: World) -> None:
    response = world.client("staff").post(
        reverse("password_change"),
        {
            "old_password": "nope",
            "new_password1": "Hoa-sen-2024!",
            "new_password2": "Hoa-sen-2024!",
        },
    )
    assert response.status_code == 200
    assert "Mật khẩu cũ không chính xác" in response.content.decode()


def test_leadership_cannot_take_over_the_site_administrators_account(world: World) -> None:
    """A superuser may hold a position in a school; its leadership still gets no password for it."""
    admin = world.users["clerk"]
    admin.is_superuser = True
    admin.save()
    old = admin.password
    for name in ("organisations:person_unlock", "organisations:person_password_reset"):
        url = reverse(name, args=[world.people["clerk"].pk])
        assert world.client("leadership").post(url).status_code == 403
    admin.refresh_from_db()
    assert admin.password == old
