"""Errors a client can rely on: declared statuses, one JSON shape, Vietnamese messages, and no
server error on out-of-range input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import OperationalError
from django.db.models import QuerySet
from django.test import Client

from api.services import create_token
from api.tests.test_api import CHECKIN, call
from conftest import World
from core.errors import DomainError
from planning.services import PlanningError
from tracking import services as tracking_services


@pytest.fixture
def tokens(world: World) -> dict[str, str]:
    return {"staff": create_token(world.users["staff"], name="máy chủ báo cáo")[1]}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=1000000000000000000000000000000", "limit"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("offset=-1", "offset"),
        ("offset=1000000000000000000000000000000", "offset"),
        ("unit=1000000000000000000000000000000", "unit"),
        ("unit=-6273878228369967939584", "unit"),
    ],
)
def test_out_of_range_paging_and_filters_are_refused_in_vietnamese(
    world: World, tokens: dict[str, str], query: str, field: str
) -> None:
    response = call("get", f"/api/plans/{world.plan.pk}/tasks?{query}", tokens["staff"])
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("Dữ liệu gửi lên không hợp lệ")
    assert [error["field"] for error in body["errors"]] == [field]


def test_an_id_beyond_the_database_range_is_refused_not_a_server_error(
    world: World, tokens: dict[str, str]
) -> None:
    response = call("get", f"/api/tasks/{10**30}", tokens["staff"])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "task_id"


def test_missing_or_bad_token_is_a_vietnamese_401(world: World) -> None:
    for secret in ["", "tt_not-a-token"]:
        response = call("get", "/api/plans", secret)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Bearer"
        assert response.json() == {"detail": "Cần khóa API hợp lệ: Authorization: Bearer tt_…"}


def test_unknown_object_is_a_vietnamese_404(world: World, tokens: dict[str, str]) -> None:
    response = call("get", f"/api/tasks/{world.task.pk + 1000}", tokens["staff"])
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


def test_unreadable_json_is_a_vietnamese_400(world: World, tokens: dict[str, str]) -> None:
    url = f"/api/tasks/{world.task.pk}/checkins"
    response = call("post", url, tokens["staff"], data="{not json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Yêu cầu không hợp lệ")


@pytest.mark.parametrize(
    ("sent", "stored"),
    [(123.456, Decimal("123.46")), (1e11, Decimal("100000000000.00")), (80, Decimal("80.00"))],
)
def test_any_actual_value_the_schema_allows_is_accepted(
    world: World, tokens: dict[str, str], sent: float, stored: Decimal
) -> None:
    payload = {**CHECKIN, "unit_id": world.faculty.pk, "actual_value": sent}
    response = call("post", f"/api/tasks/{world.task.pk}/checkins", tokens["staff"], data=payload)
    assert response.status_code == 201, response.content
    assert world.task.checkins.get().actual_value == stored


@pytest.mark.parametrize("sent", [1e13, "NaN", "nhiều"])
def test_an_actual_value_outside_the_schema_is_refused(
    world: World, tokens: dict[str, str], sent: object
) -> None:
    payload = {**CHECKIN, "unit_id": world.faculty.pk, "actual_value": sent}
    response = call("post", f"/api/tasks/{world.task.pk}/checkins", tokens["staff"], data=payload)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "actual_value"
    assert world.task.checkins.count() == 0


def test_every_operation_declares_its_errors(world: World, tokens: dict[str, str]) -> None:
    paths = call("get", "/api/openapi.json", tokens["staff"]).json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            assert {"401", "429"} <= declared, (method, path)
            if "{" in path or operation.get("parameters") or "requestBody" in operation:
                assert "422" in declared, (method, path)
            if "{" in path:
                assert "404" in declared, (method, path)
            for status, response in operation["responses"].items():
                if status >= "400":
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path)


def locked(*args: object, **kwargs: object) -> None:
    raise OperationalError("database is locked")


def test_a_busy_database_does_not_refuse_a_read(
    world: World, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The token's "last used" stamp is the only write of a read; it is best effort.
    monkeypatch.setattr(QuerySet, "update", locked)
    response = call("get", "/api/plans", tokens["staff"])
    assert response.status_code == 200


def test_a_checkin_locked_out_of_the_database_is_a_declared_503(
    world: World, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tracking_services, "submit_checkin", locked)
    payload = {**CHECKIN, "unit_id": world.faculty.pk}
    response = call("post", f"/api/tasks/{world.task.pk}/checkins", tokens["staff"], data=payload)
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    assert set(response.json()) == {"detail"}
    assert response.json()["detail"].startswith("Máy chủ đang bận")
    paths = call("get", "/api/openapi.json", tokens["staff"]).json()["paths"]
    for path in ["/api/tasks/{task_id}/checkins", "/api/tasks/{task_id}/checkins/upload"]:
        declared = paths[path]["post"]["responses"]["503"]["content"]["application/json"]
        assert declared["schema"] == {"$ref": "#/components/schemas/ErrorOut"}


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (PlanningError("Kế hoạch đã được lưu trữ, không thể sửa."), 400),
        (DomainError("Nhiệm vụ vừa được người khác cập nhật.", status=409), 409),
    ],
)
def test_a_domain_error_in_an_endpoint_is_its_status_and_its_vietnamese_message(
    world: World,
    tokens: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    error: DomainError,
    status: int,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(tracking_services, "submit_checkin", refuse)
    payload = {**CHECKIN, "unit_id": world.faculty.pk}
    response = call("post", f"/api/tasks/{world.task.pk}/checkins", tokens["staff"], data=payload)
    assert response.status_code == status
    assert response.json() == {"detail": error.message}


def test_an_unexpected_error_in_an_endpoint_is_a_bare_500(
    world: World, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(tracking_services, "submit_checkin", crash)
    payload = {**CHECKIN, "unit_id": world.faculty.pk}
    response = Client(raise_request_exception=False).post(
        f"/api/tasks/{world.task.pk}/checkins",
        data=payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {tokens['staff']}",
    )
    assert response.status_code == 500
    assert b"secret internal detail" not in response.content
