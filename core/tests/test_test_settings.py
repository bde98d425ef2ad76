"""The test settings leave nothing behind and the suite fails on a file left open."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "trongtam.settings_test"}
    return subprocess.run(
        [sys.executable, *args, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_temporary_media_and_static_folders_are_removed_at_exit() -> None:
    result = run_python(
        """
        from django.conf import settings
        (settings.MEDIA_ROOT / "left.txt").write_text("x")
        print(settings.MEDIA_ROOT)
        print(settings.STATIC_ROOT)
        """
    )
    assert result.returncode == 0, result.stderr
    folders = [Path(line) for line in result.stdout.split()]
    assert len(folders) == 2
    assert all(folder.name.startswith("trongtam-") for folder in folders)
    assert [folder for folder in folders if folder.exists()] == []


def test_a_file_left_open_fails_the_suite(tmp_path: Path) -> None:
    # A throwaway test module run by pytest with the project's configuration.
    module = tmp_path / "test_leak.py"
    module.write_text(
        textwrap.dedent(
            """
            import gc

            def test_leaks_a_file(tmp_path):
                (tmp_path / "a.txt").write_text("x")
                handle = open(tmp_path / "a.txt")
                del handle
                gc.collect()
            """
        )
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(ROOT),
            str(module),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "ResourceWarning" in result.stdout
