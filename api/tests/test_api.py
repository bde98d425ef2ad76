"""The JSON API: token authentication, the same rules as the pages, OpenAPI docs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from api.services import create_token, revoke_token
from conftest import ROLES, World
from documents.models import Document
from tracking.api import SAID
from tracking.tests.helpers import checkin

OK, UNAUTHORISED, FORBIDDEN, NOT_FOUND = 200, 401, 403, 404


@pytest.fixture
def tokens(world: World) -> dict[str, str]:
    secrets = {"anonymous": ""}
    for role in ROLES[1:]:
        _token, secrets[role] = create_token(world.users[role], name="máy chủ báo cáo")
    return secrets


def call(method: str, url: str, secret: str, **kwargs: Any) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    return getattr(Client(), method)(url, content_type="application/json", **headers, **kwargs)


ENDPOINTS: list[tuple[str, Callable[[World], str], tuple[int, int, int, int, int]]] = [
    ("plans", lambda w: "/api/plans", (UNAUTHORISED, OK, OK, OK, OK)),
    ("plan", lambda w: f"/api/plans/{w.plan.pk}", (UNAUTHORISED, NOT_FOUND, OK, OK, OK)),
    ("targets", lambda w: f"/api/plans/{w.plan.pk}/targets", (UNAUTHORISED, NOT_FOUND, OK, OK, OK)),
    ("target", lambda w: f"/api/targets/{w.target.pk}", (UNAUTHORISED, NOT_FOUND, OK, OK, OK)),
    ("tasks", lambda w: f"/api/plans/{w.plan.pk}/tasks?status=overdue", (UNAUTHORISED, NOT_FOUND, OK, OK, OK)),
    ("task", lambda w: f"/api/tasks/{w.task.pk}", (UNAUTHORISED, NOT_FOUND, OK, OK, OK)),
    ("check-ins", lambda w: f"/api/tasks/{w.task.pk}/checkins", (UNAUTHORISED, NOT_FOUND, OK, OK, OK)),
    ("documents", lambda w: "/api/documents", (UNAUTHORISED, OK, OK, OK, OK)),
    ("document", lambda w: f"/api/documents/{w.document.pk}", (UNAUTHORISED, NOT_FOUND, OK, OK, OK)),
    ("units", lambda w: "/api/units", (UNAUTHORISED, OK, OK, OK, OK)),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_endpoint_for_role(
    world: World, tokens: dict[str, str], role: str, name: str, url: Any, expected: tuple[int, ...]
) -> None:
    response = call("get", url(world), tokens[role])
    assert response.status_code == expected[ROLES.index(role)], f"{name} as {role}"


CHECKIN = {"progress": 45, "done": "Đã làm", "confidence": "medium"}


@pytest.mark.parametrize(
    ("role", "task", "unit", "expected"),
    [
        ("anonymous", "task", "faculty", UNAUTHORISED),
        ("outsider", "task", "faculty", NOT_FOUND),
        ("staff", "task", "faculty", 201),  # person in charge
        ("unit_head", "task", "office", 201),  # head of a coordinating unit
        ("unit_head", "task", "faculty", FORBIDDEN),  # not the lead unit's head
        ("staff", "unit_task", "office", FORBIDDEN),
        ("leadership", "unit_task", "office", 201),
    ],
)
def test_post_checkin_for_role(
    world: World, tokens: dict[str, str], role: str, task: str, unit: str, expected: int
) -> None:
    target = getattr(world, task)
    payload = {**CHECKIN, "unit_id": getattr(world, unit).pk}
    response = call("post", f"/api/tasks/{target.pk}/checkins", tokens[role], data=payload)
    assert response.status_code == expected, response.content
    if expected == 201:
        assert response.json()["progress"] == 45
        assert target.checkins.count() == 1


def test_stale_version_is_a_conflict(world: World, tokens: dict[str, str]) -> None:
    old = world.task.version
    checkin(world)
    payload = {**CHECKIN, "unit_id": world.faculty.pk, "version": old}
    response = call("post", f"/api/tasks/{world.task.pk}/checkins", tokens["staff"], data=payload)
    assert response.status_code == 409
    assert "người khác cập nhật" in response.json()["detail"]


def test_bad_input_is_refused_with_a_message(world: World, tokens: dict[str, str]) -> None:
    url = f"/api/tasks/{world.task.pk}/checkins"
    for payload in [
        {**CHECKIN, "unit_id": world.faculty.pk, "progress": "nhiều"},
        {**CHECKIN, "unit_id": world.faculty.pk, "progress": 150},
        {**CHECKIN, "unit_id": world.faculty.pk, "confidence": "<script>"},
    ]:
        assert call("post", url, tokens["staff"], data=payload).status_code == 422
    # A result of only spaces: the schema says so (pattern), so it is refused as input (422).
    response = call(
        "post", url, tokens["staff"], data={**CHECKIN, "unit_id": world.faculty.pk, "done": "  "}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "done", "message": "Không đúng định dạng (hoặc chỉ có khoảng trắng)."}
    ]
    assert world.task.checkins.count() == 0


# Blank to one reader or another of the pattern (see tracking/api.py, BLANK): Python's strip,
# Unicode White_Space (the server), JavaScript's \s (the API's testers).
BLANKS = ["\x85", "\ufeff", "\x1c", "\u3000", "\u2028", "\xa0", "\t"]


def test_a_result_blank_to_any_reader_is_refused_as_input(
    world: World, tokens: dict[str, str]
) -> None:
    url = f"/api/tasks/{world.task.pk}/checkins"
    for blank in BLANKS:
        data = {**CHECKIN, "unit_id": world.faculty.pk, "done": blank * 3}
        response = call("post", url, tokens["staff"], data=data)
        assert response.status_code == 422, repr(blank)
        assert re.fullmatch(SAID, blank * 3) is None, repr(blank)  # the schema says so too
    assert world.task.checkins.count() == 0
    # Python's own idea of blank is within the schema's.
    stripped = [chr(c) for c in range(0x3001) if not (chr(c) * 2).strip() and chr(c) != "\x00"]
    assert all(re.fullmatch(SAID, c) is None for c in stripped)
    assert re.fullmatch(SAID, "\x85Đã xong\ufeff")


def test_task_status_and_target_rag_in_json(world: World, tokens: dict[str, str]) -> None:
    checkin(world, actual_value=80, on=dt.date(2024, 1, 10))
    task = call("get", f"/api/tasks/{world.task.pk}", tokens["staff"]).json()
    assert task["status"] in {"in_progress", "overdue", "not_started"}
    assert task["progress"] == 40
    target = call("get", f"/api/targets/{world.target.pk}", tokens["staff"]).json()
    assert target["rag"] == "red"  # 80 < 90 with no red threshold
    page = call("get", f"/api/plans/{world.plan.pk}/tasks?limit=2", tokens["staff"]).json()
    assert page["count"] == 3 and len(page["items"]) == 2


def test_revoked_or_wrong_token_is_refused(world: World) -> None:
    token, secret = create_token(world.users["staff"], name="x")
    assert call("get", "/api/plans", secret).status_code == OK
    revoke_token(token, by=world.users["staff"])
    assert call("get", "/api/plans", secret).status_code == UNAUTHORISED
    assert call("get", "/api/plans", "tt_not-a-token").status_code == UNAUTHORISED
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None  # kept, not deleted


def test_token_page_creates_and_revokes(world: World) -> None:
    client = world.client("staff")
    response = client.post(reverse("api_tokens"), {"name": "Báo cáo tuần"})
    body = response.content.decode()
    token = ApiToken.objects.get(user=world.users["staff"])
    assert 'id="new-token"' in body and token.prefix in body
    assert token.key_hash not in body
    other = world.client("unit_head").post(reverse("api_token_revoke", args=[token.pk]))
    assert other.status_code == 404
    client.post(reverse("api_token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_openapi_schema_and_docs(world: World) -> None:
    schema = world.client("staff").get("/api/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/plans/{plan_id}/tasks" in paths and "/api/tasks/{task_id}/checkins" in paths
    assert world.client("staff").get("/api/docs").status_code == 200


def test_docs_are_for_signed_in_users_and_the_schema_also_for_token_holders(
    world: World, tokens: dict[str, str]
) -> None:
    docs = Client().get("/api/docs")
    assert docs.status_code == 302 and docs["Location"].startswith(reverse("login"))
    anonymous = Client().get("/api/openapi.json")
    assert anonymous.status_code == 401
    assert anonymous.json()["detail"].startswith("Cần khóa API hợp lệ")
    assert call("get", "/api/openapi.json", "tt_not-a-token").status_code == 401
    schema = call("get", "/api/openapi.json", tokens["staff"])
    assert schema.status_code == 200 and "/api/plans" in schema.json()["paths"]


def test_documents_are_listed_page_by_page_for_the_users_school(
    world: World, tokens: dict[str, str]
) -> None:
    page = call("get", "/api/documents?limit=1", tokens["staff"]).json()
    assert page["count"] == 1
    assert page["items"][0]["id"] == world.document.pk
    assert page["items"][0]["symbol"] == world.document.symbol
    assert page["items"][0]["withdrawn_at"] is None
    assert call("get", "/api/documents", tokens["outsider"]).json()["count"] == 0
    # A document its issuer withdrew says so (the pages mark it; a client must see it too).
    from django.utils import timezone

    Document.objects.filter(pk=world.document.pk).update(
        withdrawn_at=timezone.now(), withdrawal_reason="Ban hành nhầm"
    )
    detail = call("get", f"/api/documents/{world.document.pk}", tokens["staff"]).json()
    assert detail["withdrawn_at"] is not None and detail["withdrawal_reason"] == "Ban hành nhầm"
