"""The demo school's residence: a term with places in two buildings (one move), declarations
with some missing, inspections and one class's links."""

from __future__ import annotations

from typing import Any

from residence import figures
from residence.models import Allocation, DeclarationLink, Inspection, Term


def test_the_demo_has_a_dormitory_and_missing_declarations(demo_plan: Any, db: Any) -> None:
    term = Term.objects.get(school=demo_plan.school)
    assert figures.placed(term).count() == 62
    assert Allocation.objects.filter(term=term, left_on__isnull=False).count() == 1
    expected = figures.off_campus(term).count()
    missing = figures.not_declared(term).count()
    assert 0 < missing < expected / 2
    occupancy, _day = figures.occupancy(demo_plan.school, term)
    assert occupancy is not None and 70 < occupancy < 100
    assert Inspection.objects.filter(term=term).count() == 3
    assert DeclarationLink.objects.filter(term=term).exists()
