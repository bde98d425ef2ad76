"""Province-scale benchmark of the tracking pages on PostgreSQL (not a timed test).

    bash scripts/with-postgres.sh .venv/bin/python bench/tracking_bench.py
    bash scripts/with-postgres.sh .venv/bin/python bench/tracking_bench.py --schools 10   # quick

Generates 100 schools × (500 tasks, 5 000 check-ins, 100 users): 50 000 tasks, 500 000
check-ins, 10 000 users, with COPY; then serves the app with `manage.py runserver --noreload`
and DEBUG off, and measures p50/p95 latency of the leadership dashboard, the plan page, a unit's
pages and the task list, next to the floor (the smallest real page: session, user, base layout).
Prints a Markdown table for docs/PERFORMANCE.md; `--json FILE` keeps the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trongtam.settings")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models  # noqa: E402

from organisations.models import Organisation, Person, Position  # noqa: E402
from planning.models import Plan, Target, Task, TaskCoordination, WorkArea  # noqa: E402
from tracking import services  # noqa: E402
from tracking.models import CheckIn  # noqa: E402

UNITS = ["Phòng Đào tạo", "Phòng Tổ chức – Hành chính", "Phòng Kế hoạch – Tài chính",
         "Phòng Công tác HSSV", "Phòng KHCN & ĐBCL", "Khoa Tự nhiên", "Khoa Xã hội",
         "Khoa Tiểu học – Mầm non", "Khoa Ngoại ngữ – Tin học", "Trung tâm Ngoại ngữ – Tin học",
         "Công đoàn", "Đoàn Thanh niên"]  # fmt: skip
START = 2023


def copy_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """COPY rows into a model's table, every concrete field filled (defaults where missing)."""
    if not rows:
        return  # a small dataset may have none of a kind (the students' quick look: no declaration)
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and "id" not in rows[0])]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    defaults = {f.attname: f.get_default() for f in fields}
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3
        with raw.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row.get(f.attname, defaults[f.attname]) for f in fields])


def reset_sequences(*models_: type[models.Model]) -> None:
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(
            __import__("django.core.management.color", fromlist=["no_style"]).no_style(), models_
        ):
            cursor.execute(statement)


def generate(
    schools: int,
    tasks_per_school: int,
    checkins_per_task: int,
    users_per_school: int,
    *,
    unit_names: list[str] = UNITS,
    label: str = "bench",
    seed: int = 2023,
) -> dict[str, Any]:
    """`unit_names`: each school's units (leadership, one head per unit, the rest members in
    turn); `label` keeps the codes and usernames of two calls apart."""
    rng = random.Random(seed)
    started = time.perf_counter()
    password = make_password("bench-password")
    user_model = get_user_model()
    first: dict[str, Any] = {"school": None, "unit": None, "plan": None, "leader": None}
    next_user = (user_model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
    next_person = (Person.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
    next_task = (Task.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
    next_checkin = (CheckIn.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
    plan_start = dt.date(START, 9, 1)
    now = "2024-01-01 00:00:00+00"
    users, persons, positions, tasks, coords, checkins = [], [], [], [], [], []
    for s in range(schools):
        school = Organisation(
            name=f"Trường Cao đẳng số {s + 1}", kind="school", code=f"{label}-{s}"
        )
        school.save()
        units = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=n,
                    kind="office" if n.startswith("Phòng") else "faculty",
                    parent=school,
                    school=school,
                    code=f"u{i}",
                    order=i,
                )
                for i, n in enumerate(unit_names)
            ]
        )
        plan = Plan.objects.create(
            school=school,
            start_year=START,
            title=f"Kế hoạch năm học {START}–{START + 1}",
            status="issued",
            issued_on=dt.date(START, 9, 26),
        )
        areas = WorkArea.objects.bulk_create(
            [WorkArea(plan=plan, name=f"Lĩnh vực {i + 1}", order=i) for i in range(10)]
        )
        targets = Target.objects.bulk_create([
            Target(plan=plan, area=areas[i % 10], code=f"CT{i + 1:02d}", name=f"Chỉ tiêu {i + 1}", unit_of_measure="%",
                   target_value=90, amber_threshold=88, red_threshold=80, actual_value=rng.choice([95, 85, 70, None]),
                   actual_on=dt.date(START + 1, 5, 1), responsible_unit=units[i % len(units)])
            for i in range(20)
        ])  # fmt: skip
        school_people = []
        for u in range(users_per_school):
            uid, pid = next_user, next_person
            next_user += 1
            next_person += 1
            users.append(
                {
                    "id": uid,
                    "password": password,
                    "username": f"{label}{s}-{u}",
                    "is_active": True,
                    "date_joined": now,
                    "first_name": "",
                    "last_name": "",
                    "email": "",
                }
            )
            name = f"Nguyễn Văn {s}-{u}"
            persons.append(
                {
                    "id": pid,
                    "full_name": name,
                    "sort_key": f"{u:06d}",
                    "school_id": school.pk,
                    "user_id": uid,
                    "search_text": f"nguyen van {s}-{u}",
                }
            )
            unit = units[u % len(units)]
            role = "leadership" if u == 0 else ("head" if u < 1 + len(units) else "member")
            positions.append(
                {
                    "person_id": pid,
                    "organisation_id": (school.pk if u == 0 else units[(u - 1) % len(units)].pk)
                    if role != "member"
                    else unit.pk,
                    "title": "Cán bộ",
                    "role": role,
                    "order": 0,
                }
            )
            school_people.append(pid)
            if s == 0 and u == 0:
                first["leader"] = uid
            if s == 0 and u == 1:
                first["head"] = uid
        # The task tree: roots → solutions → activities, then the units' own tasks.
        roots = max(1, tasks_per_school // 60)
        made = 0
        level: list[tuple[int, int | None]] = []
        while made < tasks_per_school:
            depth_parent = None
            if made >= roots:
                depth_parent = rng.choice(level[: max(roots, len(level) // 4)])[0]
            tid = next_task
            next_task += 1
            due = plan_start + dt.timedelta(days=rng.randint(30, 360))
            fate = rng.random()
            completed = None
            if fate < 0.55:
                completed = due - dt.timedelta(days=rng.randint(0, 20))
            elif fate < 0.7:
                completed = due + dt.timedelta(days=rng.randint(1, 40))
            lead = units[rng.randrange(len(units))]
            tasks.append({
                "id": tid, "plan_id": plan.pk, "parent_id": depth_parent, "kind": "task" if depth_parent is None else "activity",
                "code": f"{made + 1}", "title": f"Nhiệm vụ {made + 1} của trường {s + 1}", "description": "",
                "area_id": areas[made % 10].pk, "lead_unit_id": lead.pk, "person_in_charge_id": rng.choice(school_people),
                "start_date": plan_start, "due_date": due, "completed_on": completed, "weight": 1,
                "target_id": targets[made % 20].pk if made % 7 == 0 else None, "order": made,
                "run_state": "paused" if fate > 0.98 else "active", "progress": 100 if completed else rng.choice([0, 20, 50, 80]),
                "search_text": f"nhiem vu {made + 1}",
            })  # fmt: skip
            coords.append(
                {
                    "task_id": tid,
                    "unit_id": units[(units.index(lead) + 1) % len(units)].pk,
                    "duty": "Phối hợp",
                    "order": 0,
                    "search_text": "",
                }
            )
            for c in range(checkins_per_task):
                day = plan_start + dt.timedelta(days=25 + 30 * c)
                checkins.append({
                    "id": next_checkin, "task_id": tid, "unit_id": lead.pk, "role": "lead", "reported_on": day,
                    "progress": min(100, 10 * (c + 1)), "done": "Đã thực hiện theo kế hoạch.", "difficulties": "",
                    "proposals": "", "confidence": rng.choice(["high", "medium", "low"]), "on_time": rng.random() < 0.8,
                    "submitted_at": now, "is_sample": True,
                })  # fmt: skip
                next_checkin += 1
            level.append((tid, depth_parent))
            made += 1
        if s == 0:
            first.update(school=school.pk, unit=units[0].pk, plan=plan.pk)
    generated = time.perf_counter()
    copy_rows(user_model, users)
    copy_rows(Person, persons)
    copy_rows(Position, positions)
    copy_rows(Task, tasks)
    copy_rows(TaskCoordination, coords)
    copy_rows(CheckIn, checkins)
    reset_sequences(user_model, Person, Position, Task, TaskCoordination, CheckIn)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        **first,
        "schools": schools, "tasks": len(tasks), "checkins": len(checkins), "users": len(users),
        "seconds_build": round(generated - started, 1), "seconds_copy": round(time.perf_counter() - generated, 1),
    }  # fmt: skip


def session_cookie(user_id: int) -> str:
    user = get_user_model().objects.get(pk=user_id)
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "core.permissions.AdminSiteModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return f"sessionid={store.session_key}"


def fetch(port: int, path: str, cookie: str) -> tuple[float, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    began = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - began) * 1000
    conn.close()
    if response.status != 200:
        raise SystemExit(f"{path}: HTTP {response.status}\n{body[:500]!r}")
    return elapsed, len(body)


def percentiles(timings: list[float]) -> tuple[float, float]:
    timings = sorted(timings)
    return (
        round(statistics.median(timings), 1),
        round(timings[min(len(timings) - 1, int(0.95 * len(timings)))], 1),
    )


FLOOR = "/tracking/floor/"


def measure(
    port: int, path: str, cookie: str, runs: int, prepare: Callable[[int], None] | None = None
) -> dict[str, Any]:
    """Time `runs` requests after 3 warm-ups; `prepare(index)` runs before each, untimed.

    A floor request is timed just before each page request, so that the ratio compares the
    page with the floor under the same load (the machine may be shared).
    """
    timings, floors = [], []
    size = 0
    for index in range(runs + 3):
        floor_ms, _size = fetch(port, FLOOR, cookie)
        if prepare is not None:
            prepare(index)
        day = (dt.date(2023, 10, 1) + dt.timedelta(days=index)).strftime("%d/%m/%Y")
        elapsed, size = fetch(port, path.format(day=day), cookie)
        if index >= 3:  # warm-up
            timings.append(elapsed)
            floors.append(floor_ms)
    p50, p95 = percentiles(timings)
    floor_p50, floor_p95 = percentiles(floors)
    return {
        "path": path, "p50": p50, "p95": p95, "kb": round(size / 1024),
        "floor_p50": floor_p50, "floor_p95": floor_p95, "ratio": round(p95 / floor_p95, 2),
        "ratio_p50": round(p50 / floor_p50, 2),
    }  # fmt: skip


class Changes:
    """A change of the plan before each request: a lead unit's check-in, through the service, so
    that its commit bumps the plan's figures version as in the app. Its own time is kept: what a
    write costs now that nothing is recomputed after it."""

    def __init__(self, plan_id: int, leader_id: int) -> None:
        self.tasks = list(
            Task.objects.filter(plan_id=plan_id, completed_on__isnull=True, run_state="active")
            .select_related("plan", "lead_unit")
            .order_by("pk")[:50]
        )
        self.by = get_user_model().objects.get(pk=leader_id)
        self.write_ms: list[float] = []

    def change(self, index: int) -> None:
        task = self.tasks[index % len(self.tasks)]
        began = time.perf_counter()
        services.submit_checkin(
            task, by=self.by, unit=task.lead_unit,
            data=services.CheckInData(
                progress=10 + index % 80, done="Đã thực hiện (benchmark).", confidence="medium"
            ),
            on=dt.date(2024, 3, 15),
        )  # fmt: skip
        self.write_ms.append((time.perf_counter() - began) * 1000)

    def summary(self) -> dict[str, float]:
        timings = sorted(self.write_ms)
        if not timings:
            return {}
        return {
            "runs": len(timings), "p50": round(statistics.median(timings), 1),
            "p95": round(timings[min(len(timings) - 1, int(0.95 * len(timings)))], 1),
        }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--checkins", type=int, default=10)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--port", type=int, default=8011)
    parser.add_argument("--json")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Run under scripts/with-postgres.sh (PostgreSQL).")
    call_command("migrate", verbosity=0)
    facts = generate(args.schools, args.tasks, args.checkins, args.users)
    print(json.dumps(facts, ensure_ascii=False))
    env = {
        **os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "trongtam.settings", "LOG_LEVEL": "WARNING",
    }  # fmt: skip
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{args.port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request(
                    "GET", "/tracking/health/"
                )
                break
            except OSError:
                time.sleep(0.2)
        leader = session_cookie(facts["leader"])
        head = session_cookie(facts["head"])
        plan, unit = facts["plan"], facts["unit"]
        pages = [
            ("floor (minimal page)", "/tracking/floor/", leader),
            ("leadership dashboard", f"/tracking/plans/{plan}/?on=15/03/2024", leader),
            # Another day each time: the figures are computed afresh (no cache hit).
            ("leadership dashboard, cold", f"/tracking/plans/{plan}/?on={{day}}", leader),
            ("plan page (500-task tree)", f"/plans/{plan}/", leader),
            ("unit plan page", f"/plans/{plan}/units/{unit}/", head),
            ("unit dashboard", f"/tracking/plans/{plan}/units/{unit}/?on=15/03/2024", head),
            ("task list", f"/tracking/plans/{plan}/tasks/?on=15/03/2024", leader),
            ("task list, overdue of a unit", f"/tracking/plans/{plan}/tasks/?cell=open_overdue&unit={unit}&on=15/03/2024", leader),
        ]  # fmt: skip
        results = [
            {"page": name, **measure(args.port, path, cookie, args.runs)}
            for name, path, cookie in pages
        ]
        # The first request after a change: the plan's figures version was bumped by the
        # change's commit, so the request recomputes what it shows (and only that). Today's
        # figures: no ?on= (a finished year is read on its last day).
        changes = Changes(plan, facts["leader"])
        after = [
            ("leadership dashboard, after a change", f"/tracking/plans/{plan}/", leader),
            ("plan page, after a change", f"/plans/{plan}/", leader),
        ]
        for name, path, cookie in after:
            results.append(
                {"page": name, **measure(args.port, path, cookie, args.runs, changes.change)}
            )
        writes = changes.summary()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        "\n| page | p50 ms | p95 ms | floor p50 / p95 ms (same window) | p50 / floor | "
        "p95 / floor | size KB |\n|---|---:|---:|---:|---:|---:|---:|"
    )
    for row in results:
        print(
            f"| {row['page']} | {row['p50']} | {row['p95']} | {row['floor_p50']} / "
            f"{row['floor_p95']} | {row['ratio_p50']} | {row['ratio']} | {row['kb']} |"
        )
    print(f"\ncheck-in through the service, with its commit (ms): {json.dumps(writes)}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {"facts": facts, "results": results, "write_ms": writes},
                ensure_ascii=False,
                indent=2,
            )
        )


if __name__ == "__main__":
    from django_scopes import scopes_disabled

    with scopes_disabled():  # a benchmark, like a command, reads every school on purpose
        main()
