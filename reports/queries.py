"""Reports waiting for their signer, for the home page ("Việc của tôi"): reports not issued yet
that the person may issue (leadership the school's, a unit head their units'), those submitted for
signature first. Two queries, through the scope (and one more naming who submitted, when some
were)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, Value, When

from organisations.membership import Membership, staff_records
from planning.models import Plan
from planning.queries import LIST_LIMIT, TaskList
from reports.models import OPEN_STATUSES, Report, ReportStatus


def reports_to_sign(plan: Plan, membership: Membership, *, limit: int = LIST_LIMIT) -> TaskList:
    mine = Q(pk__in=[])
    if membership.is_leadership:
        mine |= Q(unit__isnull=True)
    if membership.headed_unit_ids:
        mine |= Q(unit__in=membership.headed_unit_ids)
    waiting = Report.objects.active().filter(mine, plan=plan, status__in=OPEN_STATUSES)
    user_id = membership.person.user_id if membership.person is not None else None
    if user_id is not None:
        # Not what waits for someone else: one's own submission waits for the other signers,
        # a report one returned waits for its drafter.
        waiting = waiting.exclude(status=ReportStatus.SUBMITTED, submitted_by_id=user_id).exclude(
            status=ReportStatus.RETURNED, returned_by_id=user_id
        )
    order = Case(
        When(status=ReportStatus.SUBMITTED, then=Value(0)),
        When(status=ReportStatus.RETURNED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    rows = list(
        waiting.select_related("unit", "plan", "submitted_by")
        .prefetch_related(staff_records("submitted_by"))
        .order_by(order, "submitted_at", "cutoff", "pk")[:limit]
    )
    return TaskList(rows, waiting.count())
