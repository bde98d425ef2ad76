"""Guessing passwords through the login form is throttled per account and per address."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import World


def _try(client: Client, username: str, password: str, ip: str = "10.0.0.1") -> Any:
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_account_is_locked_after_the_failure_limit_even_with_the_right_password(
    world: World,
) -> None:
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    assert 5 <= limit <= 10
    for _ in range(limit - 1):
        assert _try(client, "staff", "wrong").status_code == 200
    assert _try(client, "staff", "wrong").status_code == 429
    response = _try(client, "staff", "x-staff")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Tạm khoá đăng nhập" in response.content.decode()


def test_lock_follows_the_account_from_another_address(world: World) -> None:
    for n in range(settings.AXES_FAILURE_LIMIT):
        _try(Client(), "staff", "wrong", ip=f"10.0.1.{n}")
    assert _try(Client(), "staff", "x-staff", ip="10.0.2.1").status_code == 429


def test_other_accounts_from_the_same_school_network_still_log_in(world: World) -> None:
    """A school's staff share one address behind its router: one person's lock is not theirs."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(Client(), "staff", "wrong")
    client = Client()
    response = _try(client, "unit_head", "x-unit_head")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.users["unit_head"].pk)


def test_an_address_spraying_many_accounts_is_locked(world: World) -> None:
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    for n in range(limit):
        _try(Client(), f"guess{n}", "123456", ip="203.0.113.9")
    assert _try(Client(), "leadership", "x-leadership", ip="203.0.113.9").status_code == 429
    assert _try(Client(), "leadership", "x-leadership", ip="203.0.113.10").status_code == 302


def test_failures_before_the_cool_off_are_forgotten(world: World) -> None:
    from axes.models import AccessAttempt
    from django.utils import timezone

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(Client(), "staff", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME)
    assert _try(Client(), "staff", "x-staff").status_code == 302


@pytest.mark.parametrize("role", ["staff", "leadership"])
def test_force_login_is_not_throttled(world: World, role: str) -> None:
    assert world.client(role).get(reverse("planning:plan_list")).status_code == 200
