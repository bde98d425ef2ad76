"""The ``balance_workload`` management command: JSON in, JSON out, no database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parents[2]

INSTANCE: dict[str, Any] = {
    "lecturers": [
        {"id": "GV001", "target": 100.0, "max_load": 150.0, "name": "Nguyễn Văn An"},
        {"id": "GV002", "target": 50.0, "max_load": 100.0},
    ],
    "sections": [
        {"id": "S0001", "hours": 60.0, "eligible": ["GV001", "GV002"], "locked_to": None},
        {"id": "S0002", "hours": 50.0, "eligible": ["GV001", "GV002"], "locked_to": None},
        {"id": "S0003", "hours": 30.0, "eligible": ["GV001", "GV002"], "locked_to": None},
    ],
}

RESULT_KEYS = {
    "status",
    "assignment",
    "loads",
    "max_deviation",
    "lower_bound",
    "imbalance",
    "seconds",
    "explanation",
}


def write(tmp_path: Path, data: Any, name: str = "instance.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_command_writes_result_file(tmp_path: Path) -> None:
    src = write(tmp_path, INSTANCE)
    out = tmp_path / "result.json"
    err = StringIO()
    call_command("balance_workload", str(src), "--time-limit", "5", "--out", str(out), stderr=err)
    result = json.loads(out.read_text(encoding="utf-8"))
    assert set(result) == RESULT_KEYS
    assert result["status"] == "OPTIMAL"
    assert result["assignment"] == {"S0001": "GV001", "S0002": "GV002", "S0003": "GV001"}
    assert result["loads"] == {"GV001": 90.0, "GV002": 50.0}
    assert result["max_deviation"] == pytest.approx(1 / 15, abs=1e-6)
    assert result["lower_bound"] <= result["max_deviation"]
    assert result["imbalance"] == pytest.approx(1 / 3, abs=1e-4)
    assert isinstance(result["explanation"]["message"], str)
    assert "OPTIMAL" in err.getvalue()


def test_command_prints_json_to_stdout_without_out(tmp_path: Path) -> None:
    src = write(tmp_path, INSTANCE)
    stdout = StringIO()
    call_command("balance_workload", str(src), "--time-limit", "5", "--workers", "1", stdout=stdout)
    result = json.loads(stdout.getvalue())
    assert set(result) == RESULT_KEYS


def test_command_reports_infeasibility_in_vietnamese(tmp_path: Path) -> None:
    data = json.loads(json.dumps(INSTANCE))
    data["sections"].append({"id": "S0007", "hours": 30.0, "eligible": [], "locked_to": None})
    src = write(tmp_path, data)
    out = tmp_path / "result.json"
    call_command("balance_workload", str(src), "--time-limit", "2", "--out", str(out))
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["status"] == "INFEASIBLE"
    assert (
        "Học phần S0007 không có giảng viên nào đủ điều kiện dạy"
        in (result["explanation"]["message"])
    )
    # The file is UTF-8 with real diacritics, not \\u escapes.
    assert "giảng viên" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "không phải JSON hợp lệ"),
        ('{"lecturers": []}', "Dữ liệu không hợp lệ"),
    ],
)
def test_command_rejects_bad_input(tmp_path: Path, content: str, message: str) -> None:
    src = tmp_path / "bad.json"
    src.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("balance_workload", str(src), "--out", str(tmp_path / "r.json"))


def test_command_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Không tìm thấy"):
        call_command("balance_workload", str(tmp_path / "none.json"))


def test_manage_py_runs_without_database(tmp_path: Path) -> None:
    """The real CLI, in a subprocess whose database URL points nowhere usable."""
    src = write(tmp_path, INSTANCE)
    out = tmp_path / "result.json"
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", "test-only-secret-key-for-the-balance-command-0123456789")
    env["DATABASE_URL"] = "postgres://nobody:nothing@127.0.0.1:1/none"
    completed = subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "balance_workload",
            str(src),
            "--time-limit",
            "5",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["status"] == "OPTIMAL"
