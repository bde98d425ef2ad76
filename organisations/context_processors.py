from typing import Any

from django.http import HttpRequest

from organisations.membership import membership_of


def membership(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's place in the school, for the navigation bar."""
    return {"membership": membership_of(request.user)}
