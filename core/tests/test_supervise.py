"""`make run` keeps the worker up: scripts/supervise.sh restarts a command that exits (a database
error kills db_worker), with a short back-off, and stops it with itself on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
SCRIPT = BASE / "scripts" / "supervise.sh"


def wait_until(check: object, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_a_command_that_fails_is_started_again_and_sigterm_stops_both(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    pids = tmp_path / "pids"
    # Fails twice (as db_worker does on "database is locked"), then stays up.
    worker = tmp_path / "worker.py"
    worker.write_text(
        "import os, sys, time, pathlib\n"
        f"runs = pathlib.Path({str(runs)!r})\n"
        "with runs.open('a') as out: out.write('x')\n"
        f"pathlib.Path({str(pids)!r}).write_text(str(os.getpid()))\n"
        "if len(runs.read_text()) < 3: sys.exit(1)\n"
        "time.sleep(60)\n"
    )
    supervisor = subprocess.Popen(
        ["bash", str(SCRIPT), sys.executable, str(worker)],
        env={**os.environ, "SUPERVISE_DELAYS": "0.1 0.2"},
        stderr=subprocess.PIPE,
    )
    try:
        assert wait_until(lambda: runs.exists() and len(runs.read_text()) == 3)
        assert wait_until(lambda: pids.exists() and pids.read_text().strip() != "")
        child = int(pids.read_text())
        supervisor.send_signal(signal.SIGTERM)
        supervisor.wait(timeout=10)
        assert wait_until(lambda: not Path(f"/proc/{child}").exists(), 10), "worker left running"
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
    assert supervisor.stderr is not None
    with supervisor.stderr:
        log = supervisor.stderr.read().decode()
    assert log.count("khởi động lại") == 2
    assert len(runs.read_text()) == 3


def test_make_run_supervises_the_worker_and_the_reminder_scan() -> None:
    makefile = (BASE / "Makefile").read_text()
    run = makefile[makefile.index("\nrun:") : makefile.index("\ncheck:")]
    assert "scripts/supervise.sh" in run
    assert "db_worker" in run and "send_reminders" in run
