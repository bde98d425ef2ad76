"""Every tracking page for every role: anonymous → login, outsider → 404, members by their rights."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from conftest import ROLES, World, close_response
from tracking import services
from tracking.tests.helpers import PDF, checkin

OK, LOGIN, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404


@pytest.fixture
def tracked(world: World) -> World:
    result = checkin(world, files=[services.Upload("minh-chung.pdf", PDF)])
    world.evidence = result.evidence.get()  # type: ignore[attr-defined]
    world.extension = services.request_extension(  # type: ignore[attr-defined]
        world.task, new_due=dt.date(2024, 6, 30), reason="Chờ số liệu",
        by=world.users["staff"], on=dt.date(2024, 5, 1),
    )  # fmt: skip
    return world


PAGES: list[tuple[str, Callable[[Any], str], tuple[int, int, int, int, int]]] = [
    ("home", lambda w: reverse("tracking:home"), (LOGIN, 302, 302, 302, 302)),
    ("dashboard", lambda w: reverse("tracking:dashboard", args=[w.plan.pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("unit dashboard", lambda w: reverse("tracking:unit_dashboard", args=[w.plan.pk, w.office.pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("task list", lambda w: reverse("tracking:task_list", args=[w.plan.pk]) + "?cell=open_in_time", (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("check-in as lead", lambda w: reverse("tracking:checkin_create", args=[w.task.pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("check-in on office task", lambda w: reverse("tracking:checkin_create", args=[w.unit_task.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, OK, OK)),
    ("tracking settings", lambda w: reverse("tracking:tracking_edit", args=[w.task.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("office task settings", lambda w: reverse("tracking:tracking_edit", args=[w.unit_task.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, OK, OK)),
    ("extension request", lambda w: reverse("tracking:extension_request", args=[w.task.pk]), (LOGIN, NOT_FOUND, OK, FORBIDDEN, OK)),
    ("extension decide", lambda w: reverse("tracking:extension_decide", args=[w.extension.pk]), (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK)),
    ("evidence", lambda w: reverse("tracking:evidence", args=[w.evidence.pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("notifications", lambda w: reverse("notifications:list"), (LOGIN, OK, OK, OK, OK)),
    # The outsider leads another school: they edit their own school's rules, not this one's.
    ("reminder rules", lambda w: reverse("tracking:policy"), (LOGIN, OK, FORBIDDEN, FORBIDDEN, OK)),
    ("api tokens", lambda w: reverse("api_tokens"), (LOGIN, OK, OK, OK, OK)),
    ("task page with panel", lambda w: reverse("planning:task_detail", args=[w.task.pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
    ("target page with panel", lambda w: reverse("planning:target_detail", args=[w.target.pk]), (LOGIN, NOT_FOUND, OK, OK, OK)),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_for_role(
    tracked: World, role: str, name: str, url: Any, expected: tuple[int, ...]
) -> None:
    response = tracked.client(role).get(url(tracked))
    close_response(response)  # a served file (FileResponse) stays open until its response is closed
    status = expected[ROLES.index(role)]
    assert response.status_code == status, f"{name} as {role}"
    if status == LOGIN and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_evidence_is_served_as_an_attachment_with_its_name(tracked: World) -> None:
    response = tracked.client("staff").get(reverse("tracking:evidence", args=[tracked.evidence.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "minh-chung.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    # No public URL: the media path is not served.
    assert tracked.client("staff").get("/media/" + tracked.evidence.file.name).status_code == 404


def test_outsider_sees_nothing_of_the_dashboard(tracked: World) -> None:
    body = tracked.client("outsider").get(reverse("notifications:list")).content.decode()
    assert tracked.task.title not in body


def test_staff_posts_a_checkin_with_a_file(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = world.client("staff").post(
        reverse("tracking:checkin_create", args=[world.task.pk]),
        {
            "version": world.task.version,
            "unit": world.faculty.pk,
            "progress": "35",
            "done": "Đã tư vấn tuyển sinh",
            "confidence": "high",
            "evidence": [SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302
    world.task.refresh_from_db()
    assert world.task.progress == 35
    assert world.task.checkins.get().evidence.count() == 1


def test_bad_input_gets_a_vietnamese_message_and_changes_nothing(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("tracking:checkin_create", args=[world.task.pk])
    response = world.client("staff").post(
        url,
        {
            "version": world.task.version, "unit": world.faculty.pk, "progress": "abc",
            "done": "x", "confidence": "high",
        },
    )  # fmt: skip
    assert response.status_code == 400
    assert "Nhập một số nguyên" in response.content.decode() or "số" in response.content.decode()
    response = world.client("staff").post(
        url,
        {
            "version": world.task.version, "unit": world.faculty.pk, "progress": "10",
            "done": "x", "confidence": "high",
            "evidence": [SimpleUploadedFile("../../etc/passwd.pdf", b"root:x:0:0", content_type="application/pdf")],
        },
    )  # fmt: skip
    assert response.status_code == 400
    assert "không phải PDF, Word, Excel hay ảnh" in response.content.decode()
    assert world.task.checkins.count() == 0


def test_second_submission_with_old_version_is_shown_the_change(world: World) -> None:
    url = reverse("tracking:checkin_create", args=[world.task.pk])
    old = world.task.version
    form = {"version": old, "unit": world.faculty.pk, "done": "x", "confidence": "high"}
    assert world.client("staff").post(url, {**form, "progress": "30"}).status_code == 302
    response = world.client("leadership").post(url, {**form, "progress": "60"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "người khác cập nhật" in body
    assert 'id="stale"' in body and "30%" in body
    world.task.refresh_from_db()
    assert world.task.progress == 30
    # The form now carries the new version: sending again works.
    assert f'value="{world.task.version}"' in body
