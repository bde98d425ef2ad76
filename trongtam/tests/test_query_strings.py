"""No page answers 500 to a malformed query string, whoever asks.

Every page without required arguments, and every page whose arguments the `world` school (and
a conference of it) can fill, is requested with the query parameters the views read, set to
wrong values: words where numbers go, numbers too large for the database, impossible dates,
NUL bytes, digits that str.isdigit() accepts and int() refuses.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conferences.tests.conftest import conference  # noqa: F401  (a fixture)
from conftest import ROLES, World

# The names the views and their filter forms read from request.GET.
PARAMS = [
    "unit", "parent", "plan", "task", "area", "lead", "status", "cell", "q", "on", "page",
    "type", "live", "kind", "term",
]  # fmt: skip
NASTY = [
    "abc", "1e5", "-1", "0", "1.5", "2023-02-31", "2023-13-01", "0000-00-00", "99999-01-01",
    "99999999999999999999999", "-99999999999999999999999", str(2**63), "\x00", "1\x00",
    "²", "١٢", "", " ", "%", "' OR 1=1 --", "NaN", "inf", "[]",
]  # fmt: skip
# One value per way of failing, for the sweep of every page (hypothesis draws from all of NASTY).
SWEEP = ["abc", "1e5", "2023-02-31", "99999999999999999999999", "1\x00", "²", "-1"]
SKIPPED_NAMES = {"logout", "login"}  # POST-only, and the login form is axes' own business


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("admin/"):
                continue
            inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found += _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            found.append((prefix + str(pattern.pattern), name))
    return found


def _kwargs(route: str, world: World, meeting: Any) -> dict[str, Any] | None:
    """Arguments for a route from the world's objects, or None when it has none to offer."""
    objects = [
        ("plans/tasks/", world.task), ("plans/targets/", world.target),
        ("plans/areas/", world.area), ("plans/<int:pk>", world.plan),
        ("documents/<int:pk>", world.document), ("organisations/people/<int:pk>", world.people["staff"]),
        ("organisations/<int:pk>", world.faculty), ("conferences/<int:pk>", meeting),
        ("tracking/plans/<int:pk>", world.plan), ("tracking/tasks/<int:pk>", world.task),
    ]  # fmt: skip
    kwargs: dict[str, Any] = {}
    for argument in ("plan_pk", "unit_pk", "school_pk", "pk", "kind"):
        if f":{argument}>" not in route:
            continue
        if argument == "plan_pk":
            kwargs[argument] = world.plan.pk
        elif argument == "unit_pk":
            kwargs[argument] = world.office.pk
        elif argument == "school_pk":
            kwargs[argument] = world.school.pk
        elif argument == "kind" and route.startswith("plans/"):
            kwargs[argument] = "task"
        elif argument == "pk":
            match = next((obj for start, obj in objects if route.startswith(start)), None)
            if match is None:
                return None
            kwargs[argument] = match.pk
        else:
            return None
    if route.count("<") != len(kwargs):
        return None
    return kwargs


def page_urls(world: World, meeting: Any) -> list[str]:
    urls = []
    for route, name in _walk(get_resolver().url_patterns):
        if name in SKIPPED_NAMES or name.startswith("api:"):
            continue
        kwargs = _kwargs(route, world, meeting)
        if kwargs is not None:
            urls.append(reverse(name, kwargs=kwargs))
    return sorted(set(urls))


@pytest.fixture
def urls(world: World, conference: Any) -> list[str]:  # noqa: F811
    found = page_urls(world, conference)
    # The sweep must reach the pages that read query strings, or it proves nothing.
    for name, args in [
        ("tracking:task_list", [world.plan.pk]),
        ("planning:task_create", [world.plan.pk]),
        ("organisations:organisation_create", []),
        ("documents:document_create", []),
        ("planning:plan_import", [world.plan.pk]),
        ("tracking:reporting_index", []),
        ("tracking:dashboard", [world.plan.pk]),
    ]:
        assert reverse(name, args=args) in found
    return found


def client_for(world: World, role: str) -> Client:
    """A client that answers 500 as a browser sees it instead of raising the view's error."""
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def test_every_page_survives_each_malformed_value_in_every_parameter(
    world: World, urls: list[str]
) -> None:
    client = client_for(world, "leadership")
    failures = []
    for url in urls:
        for value in SWEEP:
            response = client.get(url, dict.fromkeys(PARAMS, value))
            if response.status_code >= 500:
                failures.append((url, value, response.status_code))
    assert failures == [], "\n".join(map(repr, failures))


values = st.one_of(
    st.sampled_from(NASTY),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(lambda d: f"{d:%Y-%m}-{d.day + 3}"),
    st.text(max_size=12),
)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_query_strings_never_give_a_server_error(
    world: World, urls: list[str], data: st.DataObject
) -> None:
    url = data.draw(st.sampled_from(urls), label="url")
    role = data.draw(st.sampled_from(ROLES), label="role")
    query = data.draw(st.dictionaries(st.sampled_from(PARAMS), values, max_size=5), label="query")
    response = client_for(world, role).get(url, query)
    assert response.status_code < 500, (url, role, query)
