"""Two app servers sharing nothing but the database, the cache and the file store, for real.

The test starts, by itself: a local S3 server (moto's server mode), and two gunicorn app servers
on free ports, with the production settings (DEBUG off, SECURE_* on, the files in the bucket;
core/tests/app_server_settings.py), on the test's own committed database: PostgreSQL when
DATABASE_URL is set (the servers use the test database itself), otherwise a copy of the SQLite
test database in a file. It then acts as the browser behind the reverse proxy (Host, X-Forwarded-
Proto/For, cookies and CSRF as nginx and a browser send them) and sends each step of a user's
work to one server or the other:

- signed in on A, the session works on B;
- an Excel import checked on A is confirmed on B (the stash crosses servers), saved once;
- evidence uploaded on A lands in the bucket, not on A's disk, and downloads from B, for those
  allowed only;
- a task changed on A shows on B at once (no per-process cache), and B's form opened before the
  change is refused with 409.

Every process is stopped after the test, whatever happens. Without gunicorn or moto the test is
skipped; under CI=true that is a failure.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse

from conftest import World
from core.sheets.stash import STASH_FOLDER
from core.tests.test_storage_s3 import KEY, Bucket, free_port, s3_endpoint  # noqa: F401
from planning.tests.test_excel_import import TASK_HEADER, build, import_url, task_row
from tracking.tests.helpers import PDF

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
HOST = "truong.example"  # the site's name, as the proxy passes it on
START_TIMEOUT = 60


def required(module: str, package: str) -> None:
    if importlib.util.find_spec(module) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{package} is required under CI (requirements).")
        pytest.skip(f"{package} is not installed")


# The database the servers use ------------------------------------------------------------------


@dataclass
class SharedDatabase:
    url: str  # DATABASE_URL of the app servers
    sqlite_file: Path | None  # the servers' SQLite file, None on PostgreSQL (the test's own DB)

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """What the servers wrote, read from their database (plain SQL: on SQLite the test's
        ORM reaches its own in-memory database, not the servers' file)."""
        if self.sqlite_file is None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return list(cursor.fetchall())
        with sqlite3.connect(self.sqlite_file) as db:
            found = list(db.execute(sql.replace("%s", "?"), params).fetchall())
        db.close()
        return found


def shared_database(tmp_path: Path) -> SharedDatabase:
    """The servers' database, with every row the test made so far (committed: the test is
    transactional)."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = db["USER"] or "postgres"
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        url = f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        return SharedDatabase(url + db["NAME"], None)
    assert connection.vendor == "sqlite", connection.vendor
    # The SQLite test database lives in this process's memory: the servers get a copy in a file.
    copy = tmp_path / "shared.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(copy)])
    return SharedDatabase(f"sqlite:///{copy}", copy)


# The app servers -------------------------------------------------------------------------------


@dataclass
class AppServer:
    name: str
    base: str
    process: subprocess.Popen[bytes]
    log: Path
    media: Path  # its own MEDIA_ROOT, which must stay empty: the files are in the bucket

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def start_app_server(
    name: str, environment: dict[str, str], tmp_path: Path, stack: list[AppServer]
) -> AppServer:
    port = free_port()
    media = tmp_path / f"media-{name}"
    scratch = tmp_path / f"tmp-{name}"
    media.mkdir()
    scratch.mkdir()
    log = tmp_path / f"gunicorn-{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "trongtam.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--graceful-timeout",
                "5",
                "--control-socket",
                str(tmp_path / f"gunicorn-{name}.ctl"),
                "--access-logfile",
                "-",
            ],
            cwd=ROOT,
            env={**environment, "MEDIA_ROOT": str(media), "TMPDIR": str(scratch)},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its workers are stopped with it, as a group
        )
    server = AppServer(name, f"http://127.0.0.1:{port}", process, log, media)
    stack.append(server)
    return server


def wait_until_serving(server: AppServer) -> None:
    import requests

    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if server.process.poll() is not None:
            pytest.fail(f"app server {server.name} stopped at once:\n{server.output()}")
        try:
            answer = requests.get(
                f"{server.base}/login/", headers=PROXY_HEADERS, timeout=10, allow_redirects=False
            )
        except (requests.ConnectionError, requests.Timeout):  # not listening, or still booting
            pass
        else:
            answer.close()
            if answer.status_code == 200:
                return
            pytest.fail(f"app server {server.name}: /login/ answered {answer.status_code}")
        if time.monotonic() > deadline:
            pytest.fail(
                f"app server {server.name} did not answer in {START_TIMEOUT} s:\n{server.output()}"
            )
        time.sleep(0.3)


def stop(server: AppServer) -> None:
    if server.process.poll() is None:
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()
    # Workers left behind by a master that died: the group is gone with them.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGKILL)


@dataclass
class Site:
    a: AppServer
    b: AppServer
    database: SharedDatabase
    bucket: Bucket


def set_password(user: Any, raw: str) -> None:
    """A password the production settings check (the test settings hash with MD5, which they do
    not accept); few iterations, as the servers upgrade it at the first sign-in anyway."""
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(raw, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])


@pytest.fixture
def site(world: World, s3_endpoint: str, tmp_path: Path) -> Iterator[Site]:  # noqa: F811
    required("gunicorn", "gunicorn")
    required("requests", "requests")
    for role in ("leadership", "staff", "outsider"):
        set_password(world.users[role], f"mat-khau-{role}")
    database = shared_database(tmp_path)
    bucket = Bucket(s3_endpoint, f"trongtam-{uuid.uuid4().hex[:12]}")
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "STORAGE_S3_", "AWS_", "PYTEST_"))
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "core.tests.app_server_settings",
            "DEBUG": "0",
            "SECRET_KEY": uuid.uuid4().hex * 2,
            "ALLOWED_HOSTS": HOST,
            "TRUSTED_PROXY_COUNT": "1",
            "SITE_URL": f"https://{HOST}",
            "DATABASE_URL": database.url,
            "STORAGE_S3_BUCKET": bucket.name,
            "STORAGE_S3_ENDPOINT_URL": s3_endpoint,
            "STORAGE_S3_REGION": "us-east-1",
            "STORAGE_S3_ACCESS_KEY_ID": KEY,
            "STORAGE_S3_SECRET_ACCESS_KEY": KEY,
            "LOG_LEVEL": "WARNING",
        }
    )
    started: list[AppServer] = []
    try:
        a = start_app_server("A", environment, tmp_path, started)
        b = start_app_server("B", environment, tmp_path, started)
        wait_until_serving(a)
        wait_until_serving(b)
        yield Site(a, b, database, bucket)
    finally:
        for server in started:  # all asked at once, then waited for
            if server.process.poll() is None:
                os.killpg(server.process.pid, signal.SIGTERM)
        for server in started:
            stop(server)
        bucket.close()


# The browser behind the proxy ------------------------------------------------------------------

# What nginx passes on (docs/DEPLOYMENT.md): the site's name, HTTPS, the client's address.
PROXY_HEADERS = {
    "Host": HOST,
    "X-Forwarded-Proto": "https",
    "X-Forwarded-For": "203.0.113.7",
}


class Browser:
    """One browser: one cookie jar for the site, whichever app server the proxy picks."""

    def __init__(self) -> None:
        import requests

        self.http = requests.Session()
        self.http.headers.update(PROXY_HEADERS)

    def cookies(self) -> dict[str, str]:
        # The cookies are Secure (the site is HTTPS to the browser), and requests sends such
        # cookies over HTTPS only; between the proxy and a server it is plain HTTP, so the
        # header is written here (the session's jar still keeps what the servers set).
        return {"Cookie": "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)}

    def get(self, server: AppServer, path: str) -> Any:
        return self.http.get(
            server.base + path, allow_redirects=False, timeout=30, headers=self.cookies()
        )

    def post(
        self, server: AppServer, path: str, data: Any, files: dict[str, Any] | None = None
    ) -> Any:
        return self.http.post(
            server.base + path,
            data=data,
            files=files,
            allow_redirects=False,
            timeout=30,
            headers={
                **self.cookies(),
                "Origin": f"https://{HOST}",
                "X-CSRFToken": self.http.cookies.get("csrftoken", ""),
            },
        )

    def sign_in(self, server: AppServer, username: str, password: str) -> None:
        assert self.get(server, "/login/").status_code == 200
        answer = self.post(server, "/login/", {"username": username, "password": password})
        assert answer.status_code == 302, answer.text[:2000]

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def browsers() -> Iterator[list[Browser]]:
    opened: list[Browser] = []
    yield opened
    for browser in opened:
        browser.close()


class FormReader(HTMLParser):
    """The fields of each form of a page, as the browser would post them back."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._select: str | None = None
        self._multiple = self._chosen = False
        self._first: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        attrs = {key: value or "" for key, value in attributes}
        if tag == "form":
            self.forms.append([])
        elif tag == "option" and self._select and self.forms:
            value = attrs.get("value", "")
            if self._first is None:
                self._first = value
            if "selected" in attrs:
                self.forms[-1].append((self._select, value))
                self._chosen = True
        elif not self.forms or "name" not in attrs or "disabled" in attrs:
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "reset", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.forms[-1].append((attrs["name"], attrs.get("value", default)))
        elif tag == "select":
            self._select, self._multiple = attrs["name"], "multiple" in attrs
            self._first, self._chosen = None, False
        elif tag == "textarea":
            self._textarea, self._text = attrs["name"], ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select:
            # A single choice with none marked: the browser sends the first option.
            if not self._chosen and not self._multiple and self._first is not None:
                self.forms[-1].append((self._select, self._first))
            self._select = None
        elif tag == "textarea" and self._textarea and self.forms:
            self.forms[-1].append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def form_fields(page: str, having: str, **changes: str) -> list[tuple[str, str]]:
    reader = FormReader()
    reader.feed(page)
    (form,) = [form for form in reader.forms if any(name == having for name, _ in form)]
    return [(name, changes.get(name, value)) for name, value in form]


# The test --------------------------------------------------------------------------------------


def test_a_user_works_across_two_app_servers_sharing_only_the_database_cache_and_bucket(
    world: World, site: Site, browsers: list[Browser]
) -> None:
    a, b, database, bucket = site.a, site.b, site.database, site.bucket

    # Signed in on A, signed in on B: the session is in the database.
    leader = Browser()
    browsers.append(leader)
    leader.sign_in(a, "leadership", "mat-khau-leadership")
    home = leader.get(b, "/")
    assert home.status_code == 200, home.text[:2000]
    assert "Phùng Quý Sơn" in home.text
    anonymous = Browser()
    browsers.append(anonymous)
    assert anonymous.get(b, "/").status_code == 302  # not signed in: to the login page

    # An import checked on A is confirmed on B, and saved once.
    data = build({"Nhiệm vụ": [TASK_HEADER, task_row(code="5", title="Việc từ Excel")]})
    url = import_url(world.plan)
    checked = leader.post(a, url, {}, files={"file": ("kh.xlsx", data)})
    assert checked.status_code == 200, checked.text[:2000]
    token = re.search(r'name="token" value="([0-9a-f]{32})"', checked.text)
    assert token, checked.text[:2000]
    (stashed,) = bucket.keys()
    assert stashed.startswith(f"{STASH_FOLDER}/") and token[1] in stashed
    assert bucket.read(stashed) == data
    saved = "SELECT count(*) FROM planning_task WHERE plan_id = %s AND code = %s AND title = %s"
    assert database.rows(saved, world.plan.pk, "5", "Việc từ Excel") == [(0,)]
    # Another user cannot confirm it, on either server.
    stranger = Browser()
    browsers.append(stranger)
    stranger.sign_in(b, "staff", "mat-khau-staff")
    assert stranger.post(b, url, {"token": token[1]}).status_code in (400, 403, 404)
    confirmed = leader.post(b, url, {"token": token[1]})
    assert confirmed.status_code == 302, confirmed.text[:2000]
    assert database.rows(saved, world.plan.pk, "5", "Việc từ Excel") == [(1,)]
    assert bucket.keys() == []  # used, then removed
    # Sent again (a double click, a retry through the other server): nothing more is saved.
    assert leader.post(a, url, {"token": token[1]}).status_code == 400
    assert database.rows(saved, world.plan.pk, "5", "Việc từ Excel") == [(1,)]

    # Evidence uploaded on A is in the bucket, and B serves it to those allowed only.
    staff = stranger
    checkin_url = reverse("tracking:checkin_create", args=[world.task.pk])
    (version,) = database.rows("SELECT version FROM planning_task WHERE id = %s", world.task.pk)[0]
    uploaded = staff.post(
        a,
        checkin_url,
        {
            "version": str(version),
            "unit": str(world.faculty.pk),
            "progress": "35",
            "done": "Đã tư vấn tuyển sinh",
            "confidence": "high",
        },
        files={"evidence": ("biên bản.pdf", PDF, "application/pdf")},
    )
    assert uploaded.status_code == 302, uploaded.text[:2000]
    ((evidence_pk, key),) = database.rows("SELECT id, file FROM tracking_evidence")
    assert bucket.keys() == [key]
    assert bucket.read(key) == PDF
    download = reverse("tracking:evidence", args=[evidence_pk])
    served = staff.get(b, download)
    assert served.status_code == 200
    assert hashlib.sha256(served.content).digest() == hashlib.sha256(PDF).digest()
    outsider = Browser()
    browsers.append(outsider)
    outsider.sign_in(b, "outsider", "mat-khau-outsider")
    assert outsider.get(b, download).status_code == 404  # another school's
    assert outsider.get(a, download).status_code == 404
    assert anonymous.get(b, download).status_code == 302
    # Nothing landed on either server's own disk.
    assert [path for s in (a, b) for path in s.media.rglob("*") if path.is_file()] == []

    # A change saved on A shows on B at once; B's form opened before it is refused (409).
    edit = reverse("planning:task_edit", args=[world.task.pk])
    opened_on_b = leader.get(b, edit)
    assert opened_on_b.status_code == 200
    opened_on_a = leader.get(a, edit)
    assert opened_on_a.status_code == 200
    saved_on_a = leader.post(
        a, edit, form_fields(opened_on_a.text, "version", title="Tuyển sinh năm học mới")
    )
    assert saved_on_a.status_code == 302, saved_on_a.text[:2000]
    detail = leader.get(b, reverse("planning:task_detail", args=[world.task.pk]))
    assert detail.status_code == 200
    assert "Tuyển sinh năm học mới" in detail.text
    stale = leader.post(b, edit, form_fields(opened_on_b.text, "version", title="Bản cũ của B"))
    assert stale.status_code == 409, stale.text[:2000]
    assert "Tuyển sinh năm học mới" in stale.text  # B shows what A saved
    titles = database.rows("SELECT title FROM planning_task WHERE id = %s", world.task.pk)
    assert titles == [("Tuyển sinh năm học mới",)]

    # Both servers answered throughout, and never with a server error.
    for server in (a, b):
        assert server.process.poll() is None, server.output()
        log = server.log.read_text(errors="replace")
        assert "Internal Server Error" not in log, server.output()
        assert not re.search(r'HTTP/1\.1" 5\d\d ', log), server.output()
