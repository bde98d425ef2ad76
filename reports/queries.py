"""Reports waiting for their signer, for the home page ("Việc của tôi"): drafts the person may
issue (leadership the school's, a unit head their units'). Two queries, through the scope."""

from __future__ import annotations

from django.db.models import Q

from organisations.membership import Membership
from planning.models import Plan
from planning.queries import LIST_LIMIT, TaskList
from reports.models import Report, ReportStatus


def reports_to_sign(plan: Plan, membership: Membership, *, limit: int = LIST_LIMIT) -> TaskList:
    mine = Q(pk__in=[])
    if membership.is_leadership:
        mine |= Q(unit__isnull=True)
    if membership.headed_unit_ids:
        mine |= Q(unit__in=membership.headed_unit_ids)
    drafts = Report.objects.active().filter(mine, plan=plan, status=ReportStatus.DRAFT)
    rows = list(drafts.select_related("unit", "plan").order_by("cutoff", "pk")[:limit])
    return TaskList(rows, drafts.count())
