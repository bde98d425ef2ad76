"""The province load benchmark's virtual users (run by bench/province_load_bench.py).

Each virtual user signs in with its own account through the login form (its own session) and
then, without pausing, either

* `MixUser`: a unit head's day: the plan's dashboard, the plan page, the unit's part of it, the
  task lists, a task's page, the home page (their own work) and, in about 5% of the requests,
  a check-in through the real form (the form is opened, then posted back as a browser does:
  CSRF token, the task's version, the unit the page chose, the progress and the text typed in);
* `FloorUser`: only the floor page (/tracking/floor/: session, user, membership, base layout),
  the reference of every benchmark, in the same run.

Configured by the environment (the benchmark writes it): LOAD_ACCOUNTS (a JSON file of the
accounts, their plan, unit and tasks), LOAD_OUT (a folder for the request log, the "ready"
mark written once every user has signed in and the "stop" mark it watches for), LOAD_PORTS (the app servers: users are spread over
them as a proxy would), LOAD_MIX_USERS, LOAD_FLOOR_USERS.

Cookies are kept by hand: the site's cookies are `Secure` (DEBUG off) and Python's cookie jars
do not send those over plain HTTP, which browsers do on 127.0.0.1.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from pathlib import Path
from typing import Any

import gevent
from locust import HttpUser, constant, events, task

from bench.load_forms import checkin_submission, form_fields, multipart

ACCOUNTS: dict[str, Any] = json.loads(Path(os.environ["LOAD_ACCOUNTS"]).read_text())
OUT = Path(os.environ["LOAD_OUT"])
PORTS = [int(p) for p in os.environ.get("LOAD_PORTS", "8100,8101").split(",")]
MIX_USERS = int(os.environ.get("LOAD_MIX_USERS", "50"))
FLOOR_USERS = int(os.environ.get("LOAD_FLOOR_USERS", "50"))

_ports = itertools.cycle(PORTS)
_mix_accounts = iter(ACCOUNTS["mix"])
_floor_accounts = iter(ACCOUNTS["floor"])
_signed_in = 0
# (start time, name, response time ms, ok) of every request, for the measured window.
LOG: list[tuple[float, str, float, bool]] = []
CHECKINS_SAVED = 0
# Each check-in's text carries a mark of its own; the marks of those the site confirmed (a
# redirect to the task) are compared with the database afterwards: a lost write is one of them
# missing.
RUN = OUT.name
CONFIRMED: list[str] = []
_marks = itertools.count(1)


@events.request.add_listener
def _record(
    request_type: str,
    name: str,
    response_time: float,
    exception: BaseException | None,
    start_time: float | None = None,
    **_kwargs: Any,
) -> None:
    LOG.append((start_time or time.time(), name, response_time, exception is None))


@events.test_start.add_listener
def _watch_for_stop(environment: Any, **_kwargs: Any) -> None:
    """The benchmark asks for the end by writing OUT/stop: the users finish the request they
    are in (--stop-timeout), so that every check-in posted has its answer."""

    def watch() -> None:
        while not (OUT / "stop").exists():
            gevent.sleep(0.5)
        environment.runner.quit()

    gevent.spawn(watch)


@events.quitting.add_listener
def _write(**_kwargs: Any) -> None:
    (OUT / "requests.json").write_text(json.dumps(LOG))
    (OUT / "checkins_saved.json").write_text(json.dumps(CHECKINS_SAVED))
    (OUT / "checkins_confirmed.json").write_text(json.dumps(CONFIRMED))


class SignedIn(HttpUser):
    abstract = True
    wait_time = constant(0)
    account: dict[str, Any]

    def __init__(self, environment: Any) -> None:
        self.host = f"http://127.0.0.1:{next(_ports)}"
        super().__init__(environment)
        self.cookies: dict[str, str] = {}

    def _headers(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def _keep(self, response: Any) -> None:
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value
        self.client.cookies.clear()

    def get(self, path: str, name: str) -> str:
        with self.client.get(
            path, name=name, headers=self._headers(), allow_redirects=False, catch_response=True
        ) as response:
            self._keep(response)
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return ""
            return str(response.text)

    def on_start(self) -> None:
        global _signed_in
        page = self.get("/login/", "login form")
        fields = form_fields(page, having="username")
        fields.update(username=self.account["username"], password=ACCOUNTS["password"])
        with self.client.post(
            "/login/", data=fields, name="login", headers=self._headers(),
            allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            self._keep(response)
            if response.status_code != 302 or "sessionid" not in self.cookies:
                response.failure(f"login refused: HTTP {response.status_code}")
        _signed_in += 1
        if _signed_in == MIX_USERS + FLOOR_USERS:
            (OUT / "ready").write_text(str(time.time()))


class MixUser(SignedIn):
    fixed_count = MIX_USERS

    def __init__(self, environment: Any) -> None:
        self.account = next(_mix_accounts)
        super().__init__(environment)
        self.plan = self.account["plan"]
        self.unit = self.account["unit"]

    @task(15)
    def dashboard(self) -> None:
        self.get(f"/tracking/plans/{self.plan}/", "dashboard")

    @task(10)
    def plan_page(self) -> None:
        self.get(f"/plans/{self.plan}/", "plan page")

    @task(5)
    def unit_plan_page(self) -> None:
        self.get(f"/plans/{self.plan}/units/{self.unit}/", "unit plan page")

    @task(15)
    def task_list(self) -> None:
        self.get(f"/tracking/plans/{self.plan}/tasks/", "task list")

    @task(5)
    def overdue_of_unit(self) -> None:
        self.get(
            f"/tracking/plans/{self.plan}/tasks/?cell=open_overdue&unit={self.unit}",
            "task list, overdue of the unit",
        )

    @task(20)
    def task_detail(self) -> None:
        self.get(f"/plans/tasks/{random.choice(self.account['tasks'])}/", "task detail")

    @task(15)
    def my_work(self) -> None:
        self.get("/", "my work (home)")

    @task(5)
    def checkin(self) -> None:
        global CHECKINS_SAVED
        path = f"/tracking/tasks/{random.choice(self.account['tasks'])}/checkin/"
        page = self.get(path, "check-in form")
        if not page:
            return
        mark = f"[{RUN}#{next(_marks)}]"
        data = checkin_submission(
            page, progress=random.randint(10, 90), done=f"Đã thực hiện theo kế hoạch {mark}."
        )
        # The form is multipart (evidence files): sent as a browser sends it, no file chosen.
        with self.client.post(
            path, files=multipart(data, files=("evidence",)), name="check-in POST",
            headers=self._headers(),
            allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            self._keep(response)
            if response.status_code == 302 and "/plans/tasks/" in response.headers.get(
                "Location", ""
            ):
                CHECKINS_SAVED += 1
                CONFIRMED.append(mark)
            else:
                response.failure(f"check-in not saved: HTTP {response.status_code}")


class FloorUser(SignedIn):
    fixed_count = FLOOR_USERS

    def __init__(self, environment: Any) -> None:
        self.account = next(_floor_accounts)
        super().__init__(environment)

    @task
    def floor(self) -> None:
        self.get("/tracking/floor/", "floor")
