"""``python manage.py evaluate_emulation INPUT.json --out RESULT.json``.

Reads a year's facts in the exchange format of issue 14 (`emulation.exchange`), computes every
person's level and titles and every unit's title with `emulation.engine`, and writes the result
JSON (UTF-8, Vietnamese as is). The rule values come from the national rule set in force at the
end of the year (31/5 of its second calendar year); the input's ``rules`` replaces, for this run,
the values it names. When the database is not set up (no tables yet), the national rule sets
shipped with the code (``emulation/data/rule_sets.json``, the data migration 0002 loads) are used
and a note says so on stderr.

Bad input ends with a Vietnamese message on stderr and exit status 1 (`CommandError`), never a
traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db import DatabaseError

from core.scopes import unscoped
from emulation.engine import EngineInputError, Evaluation, SchoolYear, evaluate
from emulation.exchange import ExchangeError, parse
from emulation.models import RuleSet
from emulation.seed import RULE_SETS_PATH, load_rule_sets


def national_rule_set(year: SchoolYear, notices: list[str]) -> RuleSet:
    """The national rule set in force at the end of `year`: from the database, or the data file
    when the database has no tables (then a notice is added)."""
    day = year.end
    try:
        found = RuleSet.in_force(day)
    except DatabaseError as exc:
        notices.append(
            f"Không đọc được bộ quy tắc trong cơ sở dữ liệu ({exc.__class__.__name__}): dùng bộ "
            f"quy tắc chung toàn quốc kèm theo mã nguồn ({RULE_SETS_PATH.name})."
        )
        shipped = [entry for entry in load_rule_sets() if entry["valid_from"] <= day]
        found = RuleSet(**max(shipped, key=lambda e: e["valid_from"])) if shipped else None
    if found is None:
        raise CommandError(
            f"Chưa có bộ quy tắc thi đua chung toàn quốc nào có hiệu lực ngày {day:%d/%m/%Y} "
            f"(cuối năm học {year})."
        )
    return found


def run(
    input_path: str | Path,
    out: str | Path | None = None,
    stream: TextIO | OutputWrapper | None = None,
    notices: list[str] | None = None,
) -> Evaluation:
    """The command without Django's argument handling: read, evaluate, write."""
    path = Path(input_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CommandError(f"Không tìm thấy tệp dữ liệu {path}") from exc
    except IsADirectoryError as exc:
        raise CommandError(f"{path} là thư mục, không phải tệp dữ liệu") from exc
    except UnicodeDecodeError as exc:
        raise CommandError(f"Tệp {path} không phải văn bản UTF-8: {exc.reason}") from exc
    except OSError as exc:
        raise CommandError(f"Không đọc được tệp {path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"Tệp {path} không phải JSON hợp lệ: dòng {exc.lineno}, cột {exc.colno}: {exc.msg}"
        ) from exc
    except RecursionError as exc:
        raise CommandError(f"Tệp {path} lồng quá sâu, không đọc được") from exc
    except ValueError as exc:  # e.g. a number too long to read
        raise CommandError(f"Tệp {path} không đọc được: {exc}") from exc
    try:
        exchange = parse(data)
    except ExchangeError as exc:
        raise CommandError(f"Dữ liệu không hợp lệ: {exc}") from exc

    rule_set = national_rule_set(exchange.year, notices if notices is not None else [])
    rules = rule_set.as_rules(**exchange.rule_values, under_ministry=exchange.under_ministry)
    try:
        evaluation = evaluate(exchange.year, exchange.units, exchange.people, rules)
    except EngineInputError as exc:
        raise CommandError(f"Dữ liệu không hợp lệ: {exc}") from exc

    text = json.dumps(evaluation.to_dict(), ensure_ascii=False, indent=2)
    if out is None or str(out) == "-":
        (stream or sys.stdout).write(text + "\n")
    else:
        try:
            Path(out).write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp kết quả {out}: {exc.strerror or exc}") from exc
    return evaluation


class Command(BaseCommand):
    help = (
        "Xếp loại viên chức và xét danh hiệu thi đua: đọc INPUT.json (năm học, đơn vị, người), "
        "ghi kết quả JSON (mức xếp loại, danh hiệu cá nhân và tập thể, lý do)."
    )
    # Runs where the database is not configured: no system checks (they import the models and
    # may need the database settings); the rule sets then come from the shipped data file.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", help="Tệp JSON dữ liệu của năm học")
        parser.add_argument(
            "--out", default=None, help="Tệp JSON kết quả (mặc định: in ra màn hình)"
        )

    @unscoped
    def handle(self, *args: Any, **options: Any) -> None:
        notices: list[str] = []
        out = options.get("out")
        evaluation = run(options["input"], out=out, stream=self.stdout, notices=notices)
        verbosity = int(options.get("verbosity", 1))
        for notice in notices:
            self.stderr.write(notice)
        if out is not None and verbosity >= 1:
            classified = sum(1 for result in evaluation.people.values() if result.level)
            titled = sum(1 for result in evaluation.units.values() if result.title)
            self.stderr.write(
                f"{len(evaluation.people)} người ({classified} được xếp loại), "
                f"{len(evaluation.units)} đơn vị ({titled} đạt danh hiệu tập thể) → {out}"
            )
