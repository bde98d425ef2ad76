"""A plan target measured by residence's figures (residence/measures.py, registered with the
students' figures): a declaration or a place changes its reading, an import changes it once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from residence import services
from residence.tests.conftest import TODAY, Dorm
from students import feeds, measures
from tracking.models import TargetReading


def readings(dorm: Dorm) -> list[tuple[Decimal, dt.date]]:
    return list(
        TargetReading.objects.filter(target=dorm.campus.world.target)
        .order_by("pk")
        .values_list("value", "measured_on")
    )


def test_both_figures_are_offered_for_the_plans_targets() -> None:
    keys = {m.key for m in measures.all_measures()}
    assert {"residence_occupancy", "residence_declaration_rate"} <= keys


def test_a_declaration_changes_the_targets_reading(dorm: Dorm) -> None:
    target, by = dorm.campus.world.target, dorm.users["leadership"]
    feeds.set_feed(target, measure="residence_declaration_rate", by=by)
    assert readings(dorm) == [(Decimal("33.30"), TODAY)]  # 2 of the 6 off campus declared
    services.declare(
        dorm.term, dorm.campus.students[4],
        {"housing": "family", "address": "Thôn Bản", "ward": "Xã Mai Pha", "province": "Lạng Sơn"},
        source="staff", by=by, today=TODAY,
    )  # fmt: skip
    assert readings(dorm)[-1] == (Decimal("50.00"), TODAY)  # 3 of 6
    target.refresh_from_db()
    assert target.actual_value == Decimal("50.00")


def test_a_place_left_changes_the_occupancy_reading(dorm: Dorm) -> None:
    target, by = dorm.campus.world.target, dorm.users["leadership"]
    feeds.set_feed(target, measure="residence_occupancy", by=by)
    assert readings(dorm) == [(Decimal("16.70"), TODAY)]
    services.leave(dorm.place, on=dt.date(2025, 9, 15), by=dorm.users["records"])
    assert readings(dorm)[-1] == (Decimal("0.00"), TODAY)
