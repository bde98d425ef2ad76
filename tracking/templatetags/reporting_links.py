"""Links to the Excel imports from other apps' pages, shown only to those who may use them."""

from __future__ import annotations

from typing import Any

from django import template

from organisations.membership import membership_of
from planning.models import Plan

register = template.Library()


@register.inclusion_tag("tracking/reporting_buttons.html", takes_context=True)
def reporting_sheet_buttons(context: Any, unit: Any, plan: Any = None) -> dict[str, Any]:
    """Download / import buttons for the unit's reporting sheet (the school's latest plan when
    none is given), or nothing for a user who may not report for the unit."""
    request = context.get("request")
    user = getattr(request, "user", None)
    show = (
        unit is not None
        and not unit.is_school  # the school's own tasks are reported task by task
        and user is not None
        and user.has_perm("tracking.report_unit", unit)
    )
    if show and plan is None:
        plan = (
            Plan.objects.active().filter(school_id=unit.school_id).order_by("-start_year").first()
        )
    return {"unit": unit, "plan": plan, "show": show and plan is not None}


@register.simple_tag(takes_context=True)
def may_use_reporting_sheets(context: Any) -> bool:
    """Whether the user heads a unit (or leads the school): the reporting sheets index is theirs."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    membership = membership_of(user)
    return membership.is_member and (membership.is_leadership or bool(membership.headed_root_ids))
