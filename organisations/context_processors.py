from typing import Any

from django.http import HttpRequest

from organisations.membership import membership_of, memberships_of


def membership(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's place in the school, for the navigation bar; with several
    organisations, all of them, for the switcher."""
    records = memberships_of(request.user)
    return {
        "membership": membership_of(request.user),
        "memberships": records if len(records) > 1 else [],
    }
