"""Who may use the Excel imports of the sheets app (the exports follow each list's own rights)."""

from __future__ import annotations

from typing import Any

import rules

from organisations.membership import membership_of
from organisations.permissions import in_same_school, is_admin, leads_school


@rules.predicate
def heads_unit(user: Any, unit: Any) -> bool:
    """Heads and deputies of the unit, or of a unit above it."""
    return unit is not None and membership_of(user).heads_unit(unit.pk)


# A unit's reporting sheet: its heads (and leadership) report for it; staff do not.
rules.add_perm("sheets.report_unit", is_admin | leads_school | (in_same_school & heads_unit))
