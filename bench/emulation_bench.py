"""Benchmark of the emulation engine: a university of 2,000 staff in 60 units, five years of history.

Run: .venv/bin/python bench/emulation_bench.py [--people 2000] [--units 60] [--repeat 5] [--seed 1]

Times, for the whole school, (a) the pure engine (levels, HTXS quotas per unit and group,
individual and collective titles, every reason) and (b) the exchange format around it (reading
the input document and writing the result JSON), as `evaluate_emulation` does without the
database. Prints the best and the median of `--repeat` runs; exits 1 if the engine's best run
takes 5 s or more (issue 14's target for the whole school's evaluation).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from emulation.engine import Rules, SchoolYear, evaluate  # noqa: E402
from emulation.exchange import parse  # noqa: E402

TARGET_SECONDS = 5.0
YEAR = SchoolYear(2023)
GROUPS = ["GV", "NV", "QL"]  # lecturers, support staff, managers: groups of similar tasks
LEVELS = ["HTXS"] * 25 + ["HTT"] * 55 + ["HT"] * 15 + ["KHT"] * 5
DISCIPLINES = ["khiển trách"] * 6 + ["cảnh cáo"] * 3 + ["cách chức", "buộc thôi việc"]


def school(people: int, units: int, seed: int) -> dict[str, Any]:
    """An input document in the exchange format: realistic shares, five earlier years each."""
    rng = random.Random(seed)
    unit_ids = [f"K{n:02d}" for n in range(1, units + 1)]
    rows = []
    for n in range(1, people + 1):
        history = []
        for back in range(1, 6):
            titles = []
            if rng.random() < 0.7:
                titles.append("LĐTT")
                if rng.random() < 0.35:
                    titles.append("CSTĐCS")
            history.append({"year": str(YEAR.before(back)), "titles": titles})
        rows.append(
            {
                "id": f"GV{n:04d}",
                "unit": rng.choice(unit_ids),
                "group": rng.choices(GROUPS, weights=[70, 22, 8])[0],
                "months_worked": rng.choice([12] * 40 + [11, 10, 9, 7, 5, 3]),
                "discipline": rng.choice(DISCIPLINES) if rng.random() < 0.02 else None,
                "proposed": rng.choice(LEVELS),
                "council_rank": rng.randint(1, 40) if rng.random() < 0.8 else None,
                "initiative": rng.choices(
                    [None, "school", "province", "national"], weights=[60, 30, 8, 2]
                )[0],
                "history": history,
            }
        )
    return {"year": str(YEAR), "units": [{"id": uid} for uid in unit_ids], "people": rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    document = school(args.people, args.units, args.seed)
    text = json.dumps(document, ensure_ascii=False)
    exchange = parse(json.loads(text))
    rules = Rules()

    engine_runs, exchange_runs = [], []
    result = None
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = evaluate(exchange.year, exchange.units, exchange.people, rules)
        engine_runs.append(time.perf_counter() - started)

        started = time.perf_counter()
        parsed = parse(json.loads(text))
        written = json.dumps(
            evaluate(parsed.year, parsed.units, parsed.people, rules).to_dict(),
            ensure_ascii=False,
            indent=2,
        )
        exchange_runs.append(time.perf_counter() - started)
    assert result is not None

    levels = Counter(str(p.level) if p.level else "không xếp loại" for p in result.people.values())
    titles = Counter(t.value for p in result.people.values() for t in p.titles)
    units = Counter(str(u.title.value) if u.title else "—" for u in result.units.values())
    reasons = sum(len(p.reasons) for p in result.people.values())
    print(f"Python {platform.python_version()}, {platform.machine()}")
    print(
        f"{args.people} người, {args.units} đơn vị, 5 năm lịch sử; input {len(text) / 1e6:.1f} MB, "
        f"kết quả {len(written.encode()) / 1e6:.1f} MB, {reasons} lý do"
    )
    print(f"mức: {dict(sorted(levels.items()))}")
    print(
        f"danh hiệu cá nhân: {dict(sorted(titles.items()))}; tập thể: {dict(sorted(units.items()))}"
    )
    print(
        f"engine (thuần): tốt nhất {min(engine_runs):.3f} s, trung vị "
        f"{statistics.median(engine_runs):.3f} s"
    )
    print(
        f"đọc JSON + kiểm tra + engine + ghi JSON: tốt nhất {min(exchange_runs):.3f} s, "
        f"trung vị {statistics.median(exchange_runs):.3f} s"
    )
    ok = min(engine_runs) < TARGET_SECONDS
    print(f"mục tiêu < {TARGET_SECONDS:.0f} s: {'đạt' if ok else 'KHÔNG đạt'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
