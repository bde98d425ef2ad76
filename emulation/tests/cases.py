"""Hand-made facts for the engine's tests: one person or unit in one line."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from emulation.engine import (
    Discipline,
    Evaluation,
    Level,
    Person,
    Rules,
    SchoolYear,
    Scope,
    Title,
    Unit,
    evaluate,
)

YEAR = SchoolYear(2023)

# The example of issue 14's exchange format.
ISSUE_EXAMPLE = {
    "year": "2023-2024",
    "rules": {"htxs_quota": 0.2, "min_months_classified": 6, "ldtt_min_months": 10},
    "units": [{"id": "K1"}],
    "people": [
        {
            "id": "P01",
            "unit": "K1",
            "group": "GV",
            "months_worked": 12,
            "discipline": None,
            "proposed": "HTXS",
            "council_rank": 1,
            "initiative": "school",
            "history": [{"year": "2022-2023", "titles": ["LĐTT", "CSTĐCS"]}],
        }
    ],
}


def person(
    pid: str,
    proposed: str = "HTT",
    *,
    unit: str = "K1",
    group: str = "GV",
    months: float | int = 12,
    discipline: str | None = None,
    rank: int | None = None,
    initiative: str | None = None,
    history: dict[int, Iterable[str]] | None = None,
    leave: float | int = 0,
    maternity: bool = False,
) -> Person:
    """`history` by the calendar year a school year starts in: {2022: ["CSTĐCS"]}."""
    return Person(
        id=pid,
        unit=unit,
        group=group,
        months_worked=Decimal(str(months)),
        proposed=Level(proposed),
        discipline=None if discipline is None else Discipline(discipline),
        council_rank=rank,
        initiative=None if initiative is None else Scope(initiative),
        history={
            SchoolYear(start): frozenset(Title(title) for title in titles)
            for start, titles in (history or {}).items()
        },
        leave_months=Decimal(str(leave)),
        maternity=maternity,
    )


def run(
    people: Sequence[Person],
    rules: Rules | None = None,
    units: Sequence[str] | None = None,
    year: SchoolYear = YEAR,
) -> Evaluation:
    unit_ids = units if units is not None else sorted({p.unit for p in people})
    return evaluate(year, [Unit(uid) for uid in unit_ids], people, rules or Rules())


def team(count: int, proposed: str = "HTT", prefix: str = "T", **kwargs: object) -> list[Person]:
    """`count` people alike: T01, T02…"""
    return [person(f"{prefix}{n:02d}", proposed, **kwargs) for n in range(1, count + 1)]
