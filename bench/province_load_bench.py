"""The province under load: the production set-up of `make serve-prod` on the province dataset,
driven by locust (not a timed test; figures for docs/PERFORMANCE.md).

    .venv/bin/python bench/province_load_bench.py                 # builds the dataset (≈ 2 min), then the runs
    .venv/bin/python bench/province_load_bench.py --reuse         # the dataset built by an earlier run
    .venv/bin/python bench/province_load_bench.py --reuse --runs 50 --seconds 60

The dataset: tracking_bench's province (100 schools × 500 tasks, 10 check-ins a task, 100 users:
50 000 tasks, 500 000 check-ins, 10 000 users, with COPY) and a Sở GD&ĐT directing the 100
schools, with its own office and 20 officers. It lives in a PostgreSQL cluster kept under
--cluster (default /tmp/trongtam-load-pg) between runs; `--reuse` starts it again instead of
building it (its check-ins grow by the runs' writes).

Each run starts scripts/serve-prod.sh on that database (DEMO=0: the same two gunicorn app servers
of WEB_WORKERS processes, the django-tasks worker, the reminder scan and the digest), then
`locust --headless --csv` with bench/locustfile.py: `MixUser`s (a unit head's reads and ~5%
check-ins through the form) and `FloorUser`s (the floor page only) side by side, each signed in
with its own account. Once every user has signed in (the login's password hashing is not part
of the measure), it waits --warmup seconds, then measures --seconds: throughput and p50/p95 by
class from every request started in the window, the errors, the CPU time taken by the web
processes, PostgreSQL, the worker and locust (/proc/<pid>/stat of each process tree), the jobs
the worker ran (django_tasks_db: enqueued → started), `uptime` before and after; and over the
whole run, the check-ins in the database before and after against the check-ins the users saw
saved (a lost write is one saved and not there).

--runs is a list of MIX:FLOOR user counts, each run in turn on a fresh start of the servers
(default "50:50,200:0"). Prints Markdown; --json keeps the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv/bin/python")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# The cluster -------------------------------------------------------------------------------


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not candidates:
        raise SystemExit("PostgreSQL (initdb) is missing: run scripts/with-postgres.sh once.")
    return str(candidates[-1])


def _as_pg(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.getuid() == 0 else command


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_cluster(directory: Path, *, fresh: bool) -> tuple[str, Path]:
    """The cluster under `directory` started on a free port (made anew when `fresh`), as
    scripts/with-postgres.sh makes its throwaway one; its URL and its postmaster.pid."""
    data = directory / "data"
    if fresh and directory.exists():
        stop_cluster(directory)
        shutil.rmtree(directory)
    if not data.exists():
        directory.mkdir(parents=True, exist_ok=True)
        if os.getuid() == 0:
            subprocess.run(["chown", "postgres", str(directory)], check=True)
        subprocess.run(
            _as_pg([_pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                    "--encoding=UTF8", "--locale=C.UTF-8"]),
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    port = _free_port()
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {directory} -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off"
    )
    subprocess.run(
        _as_pg([_pg_bin("pg_ctl"), "-D", str(data), "-l", str(directory / "log"), "-w", "-o",
                options, "start"]),
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return f"postgres://postgres@127.0.0.1:{port}/postgres", data / "postmaster.pid"


def stop_cluster(directory: Path) -> None:
    subprocess.run(
        _as_pg([_pg_bin("pg_ctl"), "-D", str(directory / "data"), "-m", "fast", "stop"]),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
    )  # fmt: skip


# The dataset (in a child process: Django reads DATABASE_URL once) --------------------------

SO_OFFICERS = 20
PASSWORD = "bench-password"


def build(env: dict[str, str], schools: int) -> dict[str, Any]:
    out = subprocess.run(
        [PY, str(Path(__file__)), "--build-only", "--schools", str(schools)],
        cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def build_here(schools: int) -> dict[str, Any]:
    """Migrations, the province (tracking_bench.generate) and the Sở above it."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import tracking_bench  # django.setup()
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    with scopes_disabled():
        call_command("migrate", verbosity=0)
        facts = tracking_bench.generate(schools, 500, 10, 100)
        facts["so_users"] = add_department()
        facts["accounts"] = accounts()
    return facts


def add_department() -> int:
    """The Sở above the schools: its office, its officers (the first its director, the others
    clerks), the list of the schools it directs (every school). How many officers."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from organisations import services as org_services
    from organisations.models import Organisation, Person, Position, Role
    from province.models import DirectedSchool, SchoolLevel

    so = Organisation(name="Sở Giáo dục và Đào tạo (tải thử)", kind="department", code="sgd")
    org_services.save_organisation(so, by=None)
    office = Organisation(
        name="Phòng Giáo dục chuyên nghiệp", kind="office", parent=so, code="gdcn"
    )
    org_services.save_organisation(office, by=None)
    password = make_password(PASSWORD)
    for i in range(SO_OFFICERS):
        user = get_user_model().objects.create(username=f"sgd-{i}", password=password)
        person = Person.objects.create(
            full_name=f"Chuyên viên Sở {i + 1}", sort_key=f"{i:06d}", school=so, user=user
        )
        Position.objects.create(
            person=person,
            organisation=so if i == 0 else office,
            title="Giám đốc Sở" if i == 0 else "Chuyên viên",
            role=Role.LEADERSHIP if i == 0 else Role.CLERK,
        )
    DirectedSchool.objects.bulk_create(
        DirectedSchool(body=so, school=school, level=SchoolLevel.COLLEGE)
        for school in Organisation.objects.filter(kind="school").order_by("pk")
    )
    return SO_OFFICERS


def accounts() -> dict[str, Any]:
    """Sign-in accounts: for the mix, the heads of the units of every school in turn (school 0's
    first unit head, school 1's, …, then each school's second unit head …), with their plan,
    their unit and up to 20 of the open tasks their unit leads; for the floor, members."""
    from organisations.models import Position
    from planning.models import Task

    heads = list(
        Position.objects.filter(role="head", person__user__username__startswith="bench")
        .select_related("person__user", "organisation")
        .order_by("person__user__username")
    )
    by_school: dict[int, list[Any]] = {}
    for position in heads:
        by_school.setdefault(position.organisation.school_id, []).append(position)
    for positions in by_school.values():
        positions.sort(key=lambda p: int(p.person.user.username.rsplit("-", 1)[1]))
    mix = []
    for turn in range(3):
        for school_id in sorted(by_school):
            position = by_school[school_id][turn]
            unit = position.organisation
            tasks = list(
                Task.objects.filter(
                    lead_unit=unit, completed_on__isnull=True, run_state="active"
                ).values_list("pk", flat=True)[:20]
            )
            if not tasks:
                continue
            plan = Task.objects.filter(pk=tasks[0]).values_list("plan_id", flat=True).get()
            mix.append({"username": position.person.user.username, "plan": plan,
                        "unit": unit.pk, "tasks": tasks})  # fmt: skip
    floor = [
        {"username": username}
        for username in Position.objects.filter(
            role="member", person__user__username__startswith="bench"
        )
        .order_by("person__school_id", "person__sort_key")
        .values_list("person__user__username", flat=True)[::25][:300]
    ]
    return {"password": PASSWORD, "mix": mix, "floor": floor}


# Measures ----------------------------------------------------------------------------------


def _tree() -> dict[int, tuple[int, str, int]]:
    """pid → (parent pid, command line, CPU ticks of the process and its reaped children)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        ticks = sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
        found[int(entry.name)] = (int(fields[1]), cmdline, ticks)
    return found


def cpu(roots: dict[str, int]) -> dict[str, float]:
    """CPU seconds so far of each named process tree; the serve-prod tree is split into the web
    servers (gunicorn), the worker (db_worker) and the rest (reminder scan, digest, shells)."""
    tree = _tree()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _cmd, _ticks) in tree.items():
        children.setdefault(ppid, []).append(pid)

    def below(pid: int) -> list[int]:
        out, todo = [], [pid]
        while todo:
            p = todo.pop()
            if p in tree:
                out.append(p)
                todo.extend(children.get(p, []))
        return out

    totals: dict[str, float] = {}
    for name, root in roots.items():
        for pid in below(root):
            _ppid, cmd, ticks = tree[pid]
            part = name
            if name == "serve":  # each process by its own command line
                part = "web" if "gunicorn" in cmd else "worker" if "db_worker" in cmd else "other"
            totals[part] = totals.get(part, 0.0) + ticks / CLOCK_TICKS
    return totals


def uptime() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split(" ")[:3])


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 1)


def db_query(env: dict[str, str], sql: str) -> list[Any]:
    """One query through Django's connection (a child process, the benchmark's database)."""
    code = (
        "import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        "'trongtam.settings'); django.setup(); from django.db import connection; "
        "c = connection.cursor(); c.execute(os.environ['Q']); "
        "print(json.dumps(c.fetchall(), default=str))"
    )
    out = subprocess.run(
        [PY, "-c", code], cwd=ROOT, env={**env, "Q": sql}, check=True, stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    return list(json.loads(out.stdout))


def wait_http(port: int, seconds: float = 900) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/tracking/health/", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the app server on {port} did not answer")


def one_run(
    env: dict[str, str], facts: dict[str, Any], postmaster: int, *, mix: int, floor: int,
    seconds: int, warmup: int, port: int, out: Path,
) -> dict[str, Any]:  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    (out / "accounts.json").write_text(json.dumps(facts["accounts"]))
    serve_env = {**env, "DEMO": "0", "PORT": str(port), "WEB_WORKERS": "2", "LOG_LEVEL": "WARNING"}
    log = (out / "serve.log").open("w")
    serve = subprocess.Popen(
        ["bash", "scripts/serve-prod.sh"], cwd=ROOT, env=serve_env, stdout=log,
        stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        wait_http(port)
        wait_http(port + 1)
        time.sleep(5)  # the reminder scan's and the digest's first pass
        checkins_before = db_query(env, "SELECT count(*) FROM tracking_checkin")[0][0]
        locust_env = {
            **os.environ, "PYTHONPATH": str(ROOT), "LOAD_ACCOUNTS": str(out / "accounts.json"),
            "LOAD_OUT": str(out), "LOAD_PORTS": f"{port},{port + 1}",
            "LOAD_MIX_USERS": str(mix), "LOAD_FLOOR_USERS": str(floor),
        }  # fmt: skip
        (out / "ready").unlink(missing_ok=True)
        (out / "stop").unlink(missing_ok=True)
        load = subprocess.Popen(
            [str(ROOT / ".venv/bin/locust"), "-f", "bench/locustfile.py", "--headless",
             "--users", str(mix + floor), "--spawn-rate", "10", "--run-time", "30m",
             "--csv", str(out / "locust"), "--only-summary", "--loglevel", "WARNING",
             "--stop-timeout", "120"],
            cwd=ROOT, env=locust_env, stdout=(out / "locust.log").open("w"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 600
        while not (out / "ready").exists():
            if load.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"locust stopped or never ready: see {out / 'locust.log'}")
            time.sleep(1)
        time.sleep(warmup)
        roots = {"serve": serve.pid, "postgres": postmaster, "locust": load.pid}
        load_before, cpu_before, t0 = uptime(), cpu(roots), time.time()
        time.sleep(seconds)
        load_after, cpu_after, t1 = uptime(), cpu(roots), time.time()
        (out / "stop").write_text(str(t1))  # the users finish their request (--stop-timeout)
        try:
            load.wait(timeout=180)
        except subprocess.TimeoutExpired:
            load.send_signal(signal.SIGTERM)
            load.wait(timeout=60)
        time.sleep(2)
        checkins_after = db_query(env, "SELECT count(*) FROM tracking_checkin")[0][0]
        jobs = db_query(
            env,
            "SELECT task_path, extract(epoch from started_at - enqueued_at), "
            "extract(epoch from finished_at - started_at) FROM django_tasks_database_dbtaskresult "
            f"WHERE enqueued_at >= to_timestamp({t0}) AND enqueued_at < to_timestamp({t1})",
        )
    finally:
        os.killpg(serve.pid, signal.SIGINT)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
    confirmed = set(json.loads((out / "checkins_confirmed.json").read_text()))
    in_db = {
        row[0]
        for row in db_query(
            env,
            "SELECT substring(done from '\\[[^]]*\\]') FROM tracking_checkin "
            f"WHERE done LIKE '%[{out.name}#%'",
        )
    }
    requests = json.loads((out / "requests.json").read_text())
    saved = json.loads((out / "checkins_saved.json").read_text())
    window = [r for r in requests if t0 <= r[0] < t1]
    floor_names = {"floor"}
    result: dict[str, Any] = {"mix_users": mix, "floor_users": floor, "seconds": round(t1 - t0, 1),
                              "load_before": load_before, "load_after": load_after}  # fmt: skip
    for label, keep in (("mix", lambda n: n not in floor_names and not n.startswith("login")),
                        ("floor", lambda n: n in floor_names)):  # fmt: skip
        times = [r[2] for r in window if keep(r[1])]
        errors = sum(1 for r in requests if keep(r[1]) and not r[3])
        result[label] = {
            "requests": len(times), "rps": round(len(times) / (t1 - t0), 1),
            "p50": percentile(times, 0.5), "p95": percentile(times, 0.95),
            "errors_window": sum(1 for r in window if keep(r[1]) and not r[3]),
            "errors_run": errors,
        }  # fmt: skip
    by_name: dict[str, list[float]] = {}
    for r in window:
        by_name.setdefault(r[1], []).append(r[2])
    result["pages"] = {
        name: {"requests": len(t), "p50": percentile(t, 0.5), "p95": percentile(t, 0.95)}
        for name, t in sorted(by_name.items())
    }
    exceptions = out / "locust_exceptions.csv"
    result["exceptions"] = sum(
        int(line.split(",", 1)[0]) for line in exceptions.read_text().splitlines()[1:]
        if line.split(",", 1)[0].isdigit()
    ) if exceptions.exists() else 0  # fmt: skip
    result["login_errors"] = sum(1 for r in requests if r[1].startswith("login") and not r[3])
    result["checkins"] = {"db_before": checkins_before, "db_after": checkins_after,
                          "saved_seen_by_users": saved,
                          "confirmed_missing_from_db": len(confirmed - in_db),
                          "in_db_not_confirmed": len(in_db - confirmed)}  # fmt: skip
    delays = [float(j[1]) for j in jobs if j[1] is not None]
    result["jobs"] = {
        "enqueued": len(jobs), "started": len(delays),
        "queue_delay_p95_s": percentile(delays, 0.95) if delays else None,
        "run_p50_s": percentile([float(j[2]) for j in jobs if j[2] is not None], 0.5) if jobs else None,
        "kinds": sorted({j[0] for j in jobs}),
    }  # fmt: skip
    result["cpu_s"] = {k: round(cpu_after.get(k, 0) - cpu_before.get(k, 0), 1)
                       for k in sorted(set(cpu_after) | set(cpu_before))}  # fmt: skip
    served = result["mix"]["requests"] + result["floor"]["requests"]
    if served:
        result["cpu_ms_per_request"] = {
            k: round(v * 1000 / served, 1) for k, v in result["cpu_s"].items()
        }
    return result


def report(runs: list[dict[str, Any]]) -> None:
    print("\n| users (mix + floor) | class | req/s | p50 ms | p95 ms | errors (window / run) |")
    print("|---|---|---:|---:|---:|---:|")
    for r in runs:
        for label in ("mix", "floor"):
            c = r[label]
            if c["requests"]:
                print(f"| {r['mix_users']} + {r['floor_users']} | {label} | {c['rps']} | "
                      f"{c['p50']} | {c['p95']} | {c['errors_window']} / {c['errors_run']} |")  # fmt: skip
    for r in runs:
        print(f"\n{r['mix_users']} + {r['floor_users']} users, {r['seconds']} s, load "
              f"{r['load_before']} → {r['load_after']}")  # fmt: skip
        print("  pages:", json.dumps(r["pages"], ensure_ascii=False))
        print("  check-ins:", json.dumps(r["checkins"]), " jobs:", json.dumps(r["jobs"]))
        print("  CPU s:", json.dumps(r["cpu_s"]), " per request ms:",
              json.dumps(r.get("cpu_ms_per_request")))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=100)
    parser.add_argument("--cluster", default=str(Path(tempfile.gettempdir()) / "trongtam-load-pg"))
    parser.add_argument("--reuse", action="store_true", help="the dataset of an earlier run")
    parser.add_argument("--runs", default="50:50,200:0", help="MIX:FLOOR users, comma-separated")
    parser.add_argument("--seconds", type=int, default=90)
    parser.add_argument("--warmup", type=int, default=15)
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--json")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        print(json.dumps(build_here(args.schools)))
        return
    directory = Path(args.cluster)
    facts_file = directory / "facts.json"
    reuse = args.reuse and facts_file.exists()
    url, pidfile = start_cluster(directory, fresh=not reuse)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "trongtam.settings"}
    env.setdefault("SECRET_KEY", "province-load-benchmark-" + "x" * 40)
    env.pop("DEBUG", None)
    results = []
    try:
        if reuse:
            facts = json.loads(facts_file.read_text())
        else:
            began = time.monotonic()
            facts = build(env, args.schools)
            facts["seconds_total"] = round(time.monotonic() - began, 1)
            facts_file.write_text(json.dumps(facts))
        print(json.dumps({k: v for k, v in facts.items() if k != "accounts"}))
        postmaster = int(pidfile.read_text().splitlines()[0])
        for spec in args.runs.split(","):
            mix, floor = (int(x) for x in spec.split(":"))
            out = Path(tempfile.mkdtemp(prefix=f"trongtam-load-{mix}-{floor}-"))
            print(f"==> {mix} mix + {floor} floor users (files in {out})", flush=True)
            results.append(one_run(env, facts, postmaster, mix=mix, floor=floor,
                                   seconds=args.seconds, warmup=args.warmup, port=args.port,
                                   out=out))  # fmt: skip
            print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    finally:
        stop_cluster(directory)
    report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
