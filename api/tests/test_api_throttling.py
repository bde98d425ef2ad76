"""Rate limits of the API: wrong or missing tokens per address, requests per user; a 429 in
Vietnamese with Retry-After."""

from __future__ import annotations

import time
from typing import Any

import pytest

from api.services import create_token
from api.tests.test_api import call
from conftest import World


@pytest.fixture
def rates(settings: Any) -> None:
    settings.API_THROTTLE_RATES = {"anon": "3/min", "user": "5/min"}


def assert_throttled(response: Any) -> None:
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Quá nhiều yêu cầu; hãy thử lại sau")


def test_wrong_tokens_from_one_address_are_slowed_down(world: World, rates: None) -> None:
    for _ in range(3):
        assert call("get", "/api/plans", "tt_guess").status_code == 401
    assert_throttled(call("get", "/api/plans", "tt_guess"))
    # A valid token from the same address waits too, so guessing gains nothing from it…
    _token, secret = create_token(world.users["staff"], name="x")
    assert_throttled(call("get", "/api/plans", secret))
    # …while another address is served.
    assert call("get", "/api/plans", secret, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_missing_tokens_count_as_failures(world: World, rates: None) -> None:
    for _ in range(3):
        assert call("get", "/api/units", "").status_code == 401
    assert_throttled(call("get", "/api/units", ""))


def test_a_forged_forwarded_for_header_does_not_reset_the_count(world: World, rates: None) -> None:
    for n in range(3):
        forged = {"HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"}
        assert call("get", "/api/plans", "tt_guess", **forged).status_code == 401
    forged = {"HTTP_X_FORWARDED_FOR": "203.0.113.99"}
    assert_throttled(call("get", "/api/plans", "tt_guess", **forged))


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(
    world: World, rates: None, settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(3):
        behind = {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
        assert call("get", "/api/plans", "tt_guess", **behind).status_code == 401
    assert_throttled(call("get", "/api/plans", "tt_guess", HTTP_X_FORWARDED_FOR="198.51.100.7"))
    # A forged first entry does not change the address the proxy appended.
    forged = {"HTTP_X_FORWARDED_FOR": "10.9.9.9, 198.51.100.7"}
    assert_throttled(call("get", "/api/plans", "tt_guess", **forged))
    other = {"HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    assert call("get", "/api/plans", "tt_guess", **other).status_code == 401


def test_the_address_is_served_again_after_the_window(
    world: World, rates: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(4):
        call("get", "/api/plans", "tt_guess")
    assert_throttled(call("get", "/api/plans", "tt_guess"))
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    assert call("get", "/api/plans", "tt_guess").status_code == 401


def test_each_user_has_a_budget_of_requests(world: World, rates: None) -> None:
    _token, staff = create_token(world.users["staff"], name="x")
    _token, head = create_token(world.users["unit_head"], name="y")
    for _ in range(5):
        assert call("get", "/api/plans", staff).status_code == 200
    assert_throttled(call("get", "/api/plans", staff))
    # From another address the same user still waits: the budget is the user's.
    assert_throttled(call("get", "/api/plans", staff, REMOTE_ADDR="10.0.0.9"))
    assert call("get", "/api/plans", head).status_code == 200
