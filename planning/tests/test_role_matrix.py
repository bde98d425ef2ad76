"""Every page, for every role: anonymous → login, outsider → 404, members by their rights."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from conftest import ROLES, World, close_response

OK, LOGIN, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404

# (name, url builder, expected status for anonymous, outsider, staff, unit_head, leadership)
PAGES: list[tuple[str, Callable[[World], str], tuple[int, int, int, int, int]]] = [
    ("home", lambda w: reverse("home"), (LOGIN, OK, OK, OK, OK)),
    ("search", lambda w: reverse("search") + "?q=tuyen sinh", (LOGIN, OK, OK, OK, OK)),
    ("plan list", lambda w: reverse("planning:plan_list"), (LOGIN, OK, OK, OK, OK)),
    ("plan create", lambda w: reverse("planning:plan_create"), (LOGIN, OK, FORBIDDEN, FORBIDDEN, OK)),
    ("plan detail", lambda w: reverse("planning:plan_detail", args=[w.plan.pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("plan edit", lambda w: reverse("planning:plan_edit", args=[w.plan.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("plan bases", lambda w: reverse("planning:plan_bases", args=[w.plan.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("plan copy", lambda w: reverse("planning:plan_copy", args=[w.plan.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("amendment", lambda w: reverse("planning:amendment_open", args=[w.plan.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("area create", lambda w: reverse("planning:area_create", args=[w.plan.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("area edit", lambda w: reverse("planning:area_edit", args=[w.area.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("target create", lambda w: reverse("planning:target_create", args=[w.plan.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("target detail", lambda w: reverse("planning:target_detail", args=[w.target.pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("target edit", lambda w: reverse("planning:target_edit", args=[w.target.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("task create", lambda w: reverse("planning:task_create", args=[w.plan.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("unit task create", lambda w: reverse("planning:task_create", args=[w.plan.pk]) + f"?unit={w.office.pk}", (LOGIN, NOT_FOUND, FORBIDDEN, OK, OK)),
    ("task detail", lambda w: reverse("planning:task_detail", args=[w.task.pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("task edit", lambda w: reverse("planning:task_edit", args=[w.task.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("unit task edit", lambda w: reverse("planning:task_edit", args=[w.unit_task.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, OK, OK)),
    ("unit plan", lambda w: reverse("planning:unit_plan", args=[w.plan.pk, w.office.pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("archived", lambda w: reverse("planning:archived", args=[w.plan.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, OK, OK)),
    ("restore task", lambda w: reverse("planning:restore", args=["task", w.subtask.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("restore unit task", lambda w: reverse("planning:restore", args=["task", w.unit_task.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, OK, OK)),
    ("my units", lambda w: reverse("planning:my_units"), (LOGIN, OK, OK, OK, OK)),
    ("allocation propose", lambda w: reverse("planning:allocation_propose", args=[w.target.allocations.get().pk]), (LOGIN, NOT_FOUND, FORBIDDEN, OK, OK)),
    ("allocation decide", lambda w: reverse("planning:allocation_decide", args=[w.target.allocations.get().pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("goal list", lambda w: reverse("planning:goal_list"), (LOGIN, OK, OK, OK, OK)),
    ("goal create", lambda w: reverse("planning:goal_create"), (LOGIN, OK, FORBIDDEN, FORBIDDEN, OK)),
    ("document list", lambda w: reverse("documents:document_list"), (LOGIN, OK, OK, OK, OK)),
    ("document create", lambda w: reverse("documents:document_create"), (LOGIN, OK, FORBIDDEN, FORBIDDEN, OK)),
    ("document detail", lambda w: reverse("documents:document_detail", args=[w.document.pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("document edit", lambda w: reverse("documents:document_edit", args=[w.document.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("document file", lambda w: reverse("documents:document_file", args=[w.document.pk]), (LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)),
    ("organisation tree", lambda w: reverse("organisations:tree"), (LOGIN, OK, OK, OK, OK)),
    ("organisation create", lambda w: reverse("organisations:organisation_create"), (LOGIN, OK, FORBIDDEN, FORBIDDEN, OK)),
    ("organisation detail", lambda w: reverse("organisations:organisation_detail", args=[w.office.pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("organisation edit", lambda w: reverse("organisations:organisation_edit", args=[w.office.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("organisation rename", lambda w: reverse("organisations:organisation_rename", args=[w.office.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("person list", lambda w: reverse("organisations:person_list"), (LOGIN, OK, OK, OK, OK)),
    ("person create", lambda w: reverse("organisations:person_create"), (LOGIN, OK, FORBIDDEN, FORBIDDEN, OK)),
    ("person detail", lambda w: reverse("organisations:person_detail", args=[w.people["staff"].pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("person edit", lambda w: reverse("organisations:person_edit", args=[w.people["staff"].pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("position add", lambda w: reverse("organisations:position_add", args=[w.people["staff"].pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_for_role(
    world: World, role: str, name: str, url: Any, expected: tuple[int, ...]
) -> None:
    response = world.client(role).get(url(world))
    close_response(response)  # a served file (FileResponse) stays open until its response is closed
    status = expected[ROLES.index(role)]
    assert response.status_code == status, f"{name} as {role}"
    if status == LOGIN and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_outsider_sees_nothing_of_another_school(world: World) -> None:
    client = world.client("outsider")
    for url in [
        reverse("planning:plan_list"),
        reverse("documents:document_list"),
        reverse("organisations:person_list"),
        reverse("organisations:tree"),
        reverse("search") + "?q=tuyen",
    ]:
        body = client.get(url).content.decode()
        assert world.plan.title not in body
        assert "2457/QĐ-BGDĐT" not in body
        assert "Phùng Quý Sơn" not in body
        assert "Phòng Đào tạo" not in body


def test_clerk_registers_documents(world: World) -> None:
    response = world.client("clerk").get(reverse("documents:document_create"))
    assert response.status_code == OK
    response = world.client("clerk").get(reverse("planning:plan_edit", args=[world.plan.pk]))
    assert response.status_code == FORBIDDEN
