"""scripts/backup.sh, what a school's IT person puts in cron: a dated archive from `manage.py
backup` with the site's environment file, the old archives removed only after a good backup.
`manage.py backup` itself stands in as a small script here (its own tests are
tracking/tests/test_backup_restore.py and core/tests/test_storage_s3.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "backup.sh"
DAY = 24 * 3600

FAKE_PYTHON = """#!{python}
# Stands in for `.venv/bin/python manage.py backup OUT`: writes what it was given.
import os, pathlib, sys
assert sys.argv[1:2] == ["manage.py"] and sys.argv[2] == "backup", sys.argv
if os.environ.get("FAIL"):
    sys.exit("không kết nối được cơ sở dữ liệu")
pathlib.Path(sys.argv[3]).write_text(os.environ.get("DATABASE_URL", "-"))
"""


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    fake = tmp_path / "python"
    fake.write_text(FAKE_PYTHON.format(python=sys.executable))
    fake.chmod(0o755)
    environment = {
        "PATH": os.environ["PATH"],
        "PYTHON_BIN": str(fake),
        "ENV_FILE": str(tmp_path / "trongtam.env"),
        **env,
    }
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def aged(path: Path, days: int) -> Path:
    path.write_text("cũ")
    when = time.time() - days * DAY
    os.utime(path, (when, when))
    return path


def test_a_dated_archive_with_the_sites_environment_and_old_ones_removed(tmp_path: Path) -> None:
    folder = tmp_path / "sao-luu"
    folder.mkdir()
    old = aged(folder / "trongtam-2024-01-01-010000.tar.gz", 40)
    recent = aged(folder / "trongtam-2024-02-01-010000.tar.gz", 3)
    other = aged(folder / "ghi-chu.tar.gz", 40)  # not the script's own: left alone
    (tmp_path / "trongtam.env").write_text("DATABASE_URL=postgres://trongtam@db/trongtam\n")

    done = run(tmp_path, str(folder))

    assert done.returncode == 0, done.stderr
    made = sorted(set(folder.glob("trongtam-*.tar.gz")) - {recent})
    assert len(made) == 1
    assert made[0].read_text() == "postgres://trongtam@db/trongtam"
    assert not old.exists() and recent.exists() and other.exists()
    assert (folder.stat().st_mode & 0o777) == 0o700
    assert str(old) in done.stdout


def test_a_failed_backup_removes_nothing_and_fails(tmp_path: Path) -> None:
    folder = tmp_path / "sao-luu"
    folder.mkdir()
    old = aged(folder / "trongtam-2024-01-01-010000.tar.gz", 40)

    done = run(tmp_path, str(folder), FAIL="1")

    assert done.returncode != 0
    assert "không kết nối" in done.stderr
    assert old.exists()
    assert list(folder.iterdir()) == [old]


def test_keep_days_must_be_a_number(tmp_path: Path) -> None:
    done = run(tmp_path, str(tmp_path / "sao-luu"), KEEP_DAYS="1; rm -rf /")
    assert done.returncode == 2
    assert "KEEP_DAYS" in done.stderr
