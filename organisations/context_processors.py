from typing import Any

from django.http import HttpRequest

from organisations.membership import history_access_of, membership_of, memberships_of
from organisations.merging import absorbed_by, notice


def membership(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's place in the school, for the navigation bar; with several
    organisations, all of them, for the switcher (merged schools the user may read included);
    in a school merged into another, the line saying so on every page."""
    active = membership_of(request.user)
    records: list[Any] = [*memberships_of(request.user), *history_access_of(request.user)]
    merged = absorbed_by(active.school_id) if active.is_absorbed else None
    return {
        "membership": active,
        "memberships": records if len(records) > 1 else [],
        "merged_notice": notice(merged) if merged is not None else "",
    }
