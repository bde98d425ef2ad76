"""The arithmetic of TT 36/2020/TT-BGDĐT on the school's own numbers (pure: no database).

Converting an activity to giờ chuẩn, a lecturer's teaching share after reductions, and the
semester target and maximum that the balancer receives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


def class_coefficient(class_size: int, bands: Iterable[tuple[int, int | None, Decimal]]) -> Decimal:
    """The coefficient of the band that contains the class size (1 when no band does)."""
    for low, high, coefficient in bands:
        if class_size >= low and (high is None or class_size <= high):
            return coefficient
    return Decimal(1)


def section_hours(
    units: Decimal,
    hours_per_unit: Decimal,
    class_size: int,
    bands: Iterable[tuple[int, int | None, Decimal]],
    *,
    applies_class_size: bool,
) -> Decimal:
    """Giờ chuẩn of one section: units × the conversion rate × the class-size coefficient."""
    coefficient = class_coefficient(class_size, bands) if applies_class_size else Decimal(1)
    return (units * hours_per_unit * coefficient).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def teaching_share(position_titles: Iterable[str], reductions: dict[str, Decimal]) -> Decimal:
    """The share of the norm a lecturer teaches, in percent.

    A rule names a position ("Trưởng khoa") and applies to titles that are that position or
    begin with it ("Trưởng khoa Tự nhiên"; not "Phó Trưởng khoa"). A manager teaches at least
    the share set for the position; with several positions the largest reduction (the smallest
    share) applies. No managing position: 100 %.
    """
    shares = [
        share
        for title in position_titles
        for position, share in reductions.items()
        if title == position or title.startswith(position + " ")
    ]
    return min(shares, default=HUNDRED)


@dataclass(frozen=True)
class Target:
    """What the balancer is told about one lecturer for one semester."""

    annual_norm: Decimal
    share: Decimal  # percent of the norm after reductions
    availability: Decimal  # share of a normal semester (leave, training)
    target: Decimal  # giờ chuẩn to teach this semester
    max_load: Decimal  # target plus the overtime still allowed this year


def semester_target(
    annual_norm: Decimal,
    share: Decimal,
    availability: Sequence[Decimal],
    semester: int,
    overtime_cap_year: Decimal,
    first_semester_load: Decimal | None = None,
) -> Target:
    """The semester's target and maximum.

    The first semester gets half of the year's target (scaled by availability). The second gets
    what is left of the year's target after the first semester's load, so that it can
    compensate; its overtime allowance is what the first semester did not use.
    """
    yearly = annual_norm * share / HUNDRED
    first, second = availability[0], availability[1]
    if semester == 1:
        target = yearly * first / 2
        allowance = overtime_cap_year / 2 * first
    else:
        year_target = yearly * (first + second) / 2
        done = first_semester_load if first_semester_load is not None else yearly * first / 2
        target = max(Decimal(0), year_target - done) if second > 0 else Decimal(0)
        overtime_used = max(Decimal(0), done - yearly * first / 2)
        allowance = max(Decimal(0), overtime_cap_year - overtime_used) * second
    return Target(
        annual_norm=annual_norm,
        share=share,
        availability=first if semester == 1 else second,
        target=target.quantize(TWO_PLACES, rounding=ROUND_HALF_UP),
        max_load=(target + allowance).quantize(TWO_PLACES, rounding=ROUND_HALF_UP),
    )


def gini(values: Sequence[float]) -> float:
    """Gini coefficient of non-negative values: 0 when all are equal, towards 1 when one has all."""
    ordered = sorted(v for v in values if v >= 0)
    n = len(ordered)
    total = sum(ordered)
    if n == 0 or total == 0:
        return 0.0
    weighted = sum((index + 1) * value for index, value in enumerate(ordered))
    return (2 * weighted) / (n * total) - (n + 1) / n
