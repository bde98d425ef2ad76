"""``python manage.py balance_workload INSTANCE.json --time-limit 60 --out RESULT.json``.

Reads a teaching-load instance, computes the fairest assignment with
:func:`workload.balancer.solve.balance` and writes the result JSON. Touches no database, so it runs
on a machine where the database is not configured (``requires_system_checks = []``: the
checks would import models and may need the database settings).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.scopes import unscoped
from workload.balancer.instance import Instance, InstanceError
from workload.balancer.result import Result
from workload.balancer.solve import balance


def run(
    instance_path: str | Path,
    time_limit: float = 60.0,
    out: str | Path | None = None,
    workers: int = 2,
    progress: Any = None,
    stream: Any = None,
) -> Result:
    """The command without Django: load, balance, write. Raises ``CommandError`` with a
    Vietnamese message on unreadable or malformed input."""
    path = Path(instance_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CommandError(f"Không tìm thấy tệp dữ liệu {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"Không đọc được tệp {path}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise CommandError(f"Tệp {path} không phải JSON hợp lệ: {exc}") from exc
    try:
        instance = Instance.from_dict(data)
    except InstanceError as exc:
        raise CommandError(f"Dữ liệu không hợp lệ: {exc}") from exc
    if time_limit <= 0:
        raise CommandError("--time-limit phải lớn hơn 0")
    if workers < 1:
        raise CommandError("--workers phải từ 1 trở lên")
    result = balance(instance, time_limit=time_limit, progress=progress, workers=workers)
    text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
    if out is None or str(out) == "-":
        (stream or sys.stdout).write(text + "\n")
    else:
        Path(out).write_text(text + "\n", encoding="utf-8")
    return result


class Command(BaseCommand):
    help = (
        "Phân công giảng dạy công bằng: đọc INSTANCE.json (giảng viên, học phần), ghi kết quả "
        "JSON (phân công, tải, độ lệch lớn nhất, cận dưới, giải thích)."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instance", help="Tệp JSON dữ liệu phân công")
        parser.add_argument(
            "--time-limit",
            type=float,
            default=60.0,
            help="Thời gian chạy tối đa, giây (mặc định 60)",
        )
        parser.add_argument(
            "--out", default=None, help="Tệp JSON kết quả (mặc định: in ra màn hình)"
        )
        parser.add_argument(
            "--workers", type=int, default=2, help="Số luồng của CP-SAT (mặc định 2)"
        )

    @unscoped
    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = int(options.get("verbosity", 1))
        out = options.get("out")

        def progress(event: dict[str, Any]) -> None:
            # Progress goes to stderr so that stdout stays pure JSON when --out is omitted.
            if verbosity >= 2:
                self.stderr.write(json.dumps(event, ensure_ascii=False))

        result = run(
            options["instance"],
            time_limit=options["time_limit"],
            out=out,
            workers=options["workers"],
            progress=progress,
            stream=self.stdout,
        )
        if out is not None and verbosity >= 1:
            mdev = "—" if result.max_deviation is None else f"{result.max_deviation:.4f}"
            self.stderr.write(
                f"{result.status}: độ lệch lớn nhất {mdev}, "
                f"cận dưới {result.lower_bound}, {result.seconds} giây → {out}"
            )
