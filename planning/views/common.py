"""What every plan page shares: the permissions it checks and the plan it loads."""

from __future__ import annotations

from django.http import HttpRequest

from core.permissions import get_authorised
from planning.models import Plan

VIEW = "planning.view_plan"
CHANGE = "planning.change_plan"


def authorised_plan(request: HttpRequest, pk: int, perm: str | None = None) -> Plan:
    """The plan the user may see (and act on with `perm`), or 404 / 403."""
    return get_authorised(request.user, Plan.objects.select_related("school"), VIEW, perm, pk=pk)
