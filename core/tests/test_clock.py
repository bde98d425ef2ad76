"""The school year a day falls in: the plan's year from 1/9, and August counted towards the
coming year where something is prepared before it opens."""

from __future__ import annotations

import datetime as dt

import pytest

from core.clock import school_year_of


@pytest.mark.parametrize(
    ("day", "plan_year", "prepared_year"),
    [
        (dt.date(2023, 9, 1), 2023, 2023),
        (dt.date(2024, 8, 31), 2023, 2024),
        (dt.date(2024, 8, 1), 2023, 2024),
        (dt.date(2024, 7, 31), 2023, 2023),
        (dt.date(2024, 1, 1), 2023, 2023),
        (dt.date(2023, 12, 31), 2023, 2023),
    ],
)
def test_the_year_a_day_falls_in(day: dt.date, plan_year: int, prepared_year: int) -> None:
    assert school_year_of(day) == plan_year
    assert school_year_of(day, opens_in=8) == prepared_year


def test_a_plans_days_fall_in_its_year() -> None:
    from planning.models import Plan

    plan = Plan(start_year=2023)
    assert school_year_of(plan.starts_on) == school_year_of(plan.ends_on) == 2023
    assert school_year_of(plan.ends_on + dt.timedelta(days=1)) == 2024
