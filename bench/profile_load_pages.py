"""Where the web process's CPU goes on the province load benchmark's pages (not a timed test).

    .venv/bin/python bench/profile_load_pages.py                  # the database of the last load run
    .venv/bin/python bench/profile_load_pages.py --rounds 20 --top 40 --page dashboard

It starts the province cluster that bench/province_load_bench.py keeps (--cluster; build it
first with that benchmark), then, in a child process with the production settings (DEBUG off,
the same middleware, templates and cache), asks each page of the load mix in-process through
Django's test client, as the mix's users ask them: signed in as the unit heads of the load run
(their own session), their plan, unit and tasks, the check-in posted back through its form. The
floor page is asked the same way by the floor's members. Prints the mean CPU time of each page
(process time, warm: the first round is left out) and, with --top, cProfile's heaviest functions
over every round (--page: one page only).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def pages(mix: dict[str, Any]) -> list[tuple[str, str]]:
    plan, unit = mix["plan"], mix["unit"]
    task = random.choice(mix["tasks"])
    return [
        ("dashboard", f"/tracking/plans/{plan}/"),
        ("plan page", f"/plans/{plan}/"),
        ("unit plan page", f"/plans/{plan}/units/{unit}/"),
        ("task list", f"/tracking/plans/{plan}/tasks/"),
        (
            "task list, overdue of the unit",
            f"/tracking/plans/{plan}/tasks/?cell=open_overdue&unit={unit}",
        ),
        ("task detail", f"/plans/tasks/{task}/"),
        ("my work (home)", "/"),
        ("check-in form", f"/tracking/tasks/{task}/checkin/"),
    ]


def child(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trongtam.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bench.load_forms import checkin_submission

    # As scripts/serve-prod.sh does (the manifest once: it takes minutes).
    call_command("migrate", verbosity=0)
    if not (ROOT / "staticfiles/staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    facts = json.loads((Path(args.cluster) / "facts.json").read_text())
    accounts = facts["accounts"]
    users = get_user_model().objects
    mix_clients = []
    for account in accounts["mix"][: args.users]:
        client = Client()
        client.force_login(users.get(username=account["username"]))
        mix_clients.append((client, account))
    floor_clients = []
    for account in accounts["floor"][: args.users]:
        client = Client()
        client.force_login(users.get(username=account["username"]))
        floor_clients.append(client)

    cpu: dict[str, list[float]] = {}
    queries: dict[str, list[int]] = {}
    sqls: dict[str, list[str]] = {}
    sent: list[str] = []
    sizes: dict[str, int] = {}

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        sent.append(sql)
        if args.trace and args.trace in sql and len(sent) < 200:
            traceback.print_stack(limit=12)
            args.trace = None  # once
        return execute(sql, params, many, context)

    profile = cProfile.Profile(time.process_time)  # CPU, not the waits on PostgreSQL

    def ask(name: str, call: Any, warm: bool) -> Any:
        wanted = bool(args.top or args.dump) and args.page in (None, name)
        if warm and wanted:
            profile.enable()
        sent.clear()
        began = time.process_time()
        with connection.execute_wrapper(count):
            response = call()
        spent = time.process_time() - began
        if warm and wanted:
            profile.disable()
        if warm:
            cpu.setdefault(name, []).append(spent * 1000)
            queries.setdefault(name, []).append(len(sent))
            sizes[name] = len(response.content)
            sqls[name] = list(sent)
        if response.status_code not in (200, 302):
            raise SystemExit(f"{name}: HTTP {response.status_code}")
        return response

    for round_ in range(args.rounds + 1):
        warm = round_ > 0
        for client, account in mix_clients:
            for name, path in pages(account):
                response = ask(name, lambda c=client, p=path: c.get(p), warm)
                if name == "check-in form" and round_ % args.checkin_every == 0:
                    data = checkin_submission(
                        response.content.decode(), progress=random.randint(10, 90),
                        done=f"Đã thực hiện theo kế hoạch [profile#{round_}].",
                    )  # fmt: skip
                    # Multipart, as the browser sends it (the test client encodes it).
                    ask("check-in POST", lambda c=client, p=path, d=data: c.post(p, d), warm)
        for client in floor_clients:
            ask("floor", lambda c=client: c.get("/tracking/floor/"), warm)

    print("| page | requests | CPU ms (mean) | CPU ms (p50) | queries (mean) | KB |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, times in cpu.items():
        times.sort()
        print(f"| {name} | {len(times)} | {sum(times) / len(times):.1f} | "
              f"{times[len(times) // 2]:.1f} | {sum(queries[name]) / len(times):.1f} | {sizes[name] // 1024} |")  # fmt: skip
    if args.sql:
        for name, statements in sqls.items():
            print(f"\n## {name}: the last request's {len(statements)} queries")
            for statement in statements:
                print("  ", statement[:300])
    if args.top:
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())
    if args.dump:
        profile.dump_stats(args.dump)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cluster", default=str(Path(tempfile.gettempdir()) / "trongtam-load-pg"))
    parser.add_argument("--users", type=int, default=5, help="mix and floor accounts each")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--checkin-every", type=int, default=3,
        help="post the check-in every N rounds (the mix: 5 check-ins to 15 dashboards)",
    )  # fmt: skip
    parser.add_argument("--sql", action="store_true", help="each page's queries")
    parser.add_argument("--trace", help="print where the first query holding this text is sent")
    parser.add_argument("--page")
    parser.add_argument("--top", type=int, default=0)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--dump")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    sys.path.insert(0, str(ROOT / "bench"))
    from province_load_bench import start_cluster, stop_cluster

    directory = Path(args.cluster)
    if not (directory / "facts.json").exists():
        raise SystemExit("no dataset: run bench/province_load_bench.py first")
    url, _pidfile = start_cluster(directory, fresh=False)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "trongtam.settings",
           "ALLOWED_HOSTS": "testserver", "SECURE_SSL_REDIRECT": "0",
           "SECURE_HSTS_SECONDS": "0"}  # fmt: skip
    env.setdefault("SECRET_KEY", "province-load-benchmark-" + "x" * 40)
    env.pop("DEBUG", None)
    try:
        subprocess.run(
            [str(ROOT / ".venv/bin/python"), __file__, "--child", *sys.argv[1:]],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
    finally:
        stop_cluster(directory)


if __name__ == "__main__":
    main()
