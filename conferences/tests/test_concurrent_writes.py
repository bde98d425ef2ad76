"""Many people sending opinions at the same moment, on the set-up `make run` serves.

A real server process (the project's WSGI application in a threaded server, with the project's
settings and DEBUG=1, as `manage.py runserver` serves it) on a temporary SQLite file; 20 people
open the opinion form, then all send it at the same instant. Every opinion must be saved and
every sender redirected back to the list: none answered with a 500 ("database is locked") that
loses what they typed.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.urls import reverse

from conferences import services
from conferences.models import Conference, Opinion
from conftest import World

PEOPLE = 20
BASE = Path(settings.BASE_DIR)


def site_env(database: Path, media: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "ALLOWED_HOSTS", "TASKS_BACKEND", "SECRET_KEY"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="trongtam.settings",
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(media),
        PYTHONUNBUFFERED="1",
    )
    return env


def request(
    port: int, method: str, path: str, cookie: str, body: str = "", token: str = ""
) -> tuple[int, str, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=90)
    headers = {"Cookie": cookie}
    if method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["X-CSRFToken"] = token
    try:
        connection.request(method, path, body=body.encode(), headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        return response.status, response.getheader("Set-Cookie") or "", text
    finally:
        connection.close()


def test_twenty_opinions_sent_at_once_are_all_saved(
    tmp_path: Path, django_db_setup: Any, django_db_blocker: Any
) -> None:
    database = tmp_path / "db.sqlite3"
    if connection.vendor == "sqlite":
        # The test database is already migrated with the project's migrations: copying it saves
        # the server process a full `migrate` (which it still runs, and which then does nothing).
        with django_db_blocker.unblock():
            connection.ensure_connection()
            with sqlite3.connect(database) as copy:
                connection.connection.backup(copy)
    log_path = tmp_path / "server.log"
    log = log_path.open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "conferences.tests.concurrent_site", str(PEOPLE)],
        cwd=BASE,
        env=site_env(database, tmp_path / "media"),
        stdout=subprocess.PIPE,
        stderr=log,
    )
    answers: list[int] = []
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line, log_path.read_text("utf-8", "replace")[-3000:]
        site = json.loads(line)
        port = site["port"]
        path = f"/conferences/{site['conference']}/opinions/new/"

        def open_form(session: str) -> tuple[str, str]:
            # As a browser would: the form first, which sets the CSRF cookie.
            cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
            status, set_cookie, page = request(port, "GET", path, cookie)
            assert status == 200, page[-500:]
            csrf = re.search(r"csrftoken=([^;]+)", set_cookie)
            assert csrf is not None
            return f"{cookie}; csrftoken={csrf.group(1)}", csrf.group(1)

        with ThreadPoolExecutor(max_workers=5) as pool:
            forms = list(pool.map(open_form, site["sessions"]))

        start = threading.Barrier(PEOPLE)

        def send(index: int) -> int:
            cookie, token = forms[index]
            body = f"topic=V%E1%BA%A5n+%C4%91%E1%BB%81+{index}&content=N%E1%BB%99i+dung+{index}"
            start.wait()
            return request(port, "POST", path, cookie, body, token)[0]

        with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
            answers = list(pool.map(send, range(PEOPLE)))
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()
        log.close()

    with sqlite3.connect(database) as db:
        rows = list(db.execute("SELECT id, number FROM conferences_opinion"))
    server_log = log_path.read_text("utf-8", "replace")
    assert answers == [302] * PEOPLE, (answers, server_log[-3000:])
    # Every opinion saved, each under its own id; numbers come later, when the secretary
    # numbers them (docs/SECURITY.md §8).
    assert len({opinion_id for opinion_id, _number in rows}) == PEOPLE
    assert all(number is None for _id, number in rows)


@pytest.mark.django_db
def test_a_write_still_locked_out_after_the_wait_gets_a_page_to_send_again(
    world: World, conference: Conference, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What outlasts the busy timeout: a clear 503 that keeps what was typed, never a 500."""

    def locked(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "submit_opinion", locked)
    url = reverse("conferences:opinion_submit", args=[conference.pk])
    typed = "Đề nghị <b>tăng</b> giờ thực hành"
    response = world.client("staff").post(url, {"topic": "Đào tạo", "content": typed})

    assert response.status_code == 503
    assert response["Retry-After"]
    page = response.content.decode()
    assert "chưa lưu" in page.lower()
    # The same form again, posting to the same address with what the person typed (escaped).
    assert f'action="{url}"' in page
    assert 'value="Đề nghị &lt;b&gt;tăng&lt;/b&gt; giờ thực hành"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert not Opinion.objects.filter(conference=conference).exists()


@pytest.mark.django_db
def test_other_database_errors_are_not_disguised_as_busy(
    world: World, conference: Conference, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("no such table: conferences_opinion")

    monkeypatch.setattr(services, "submit_opinion", broken)
    url = reverse("conferences:opinion_submit", args=[conference.pk])
    with pytest.raises(OperationalError):
        world.client("staff").post(url, {"topic": "Đào tạo", "content": "Nội dung"})


@pytest.mark.django_db
def test_a_busy_api_call_answers_json_503(world: World) -> None:
    from django.test import RequestFactory

    from core.database_busy import busy_response

    request = RequestFactory().post("/api/tasks/1/checkins", {"a": "b"})
    response = busy_response(request)
    assert response.status_code == 503
    assert "detail" in json.loads(response.content)
