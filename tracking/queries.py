"""Questions a person asks of the running year on their home page ("Việc của tôi"): which
check-ins are expected from them, which extension requests wait for a decision, what the
notifications say, and the handful of figures leadership watches.

Each answer costs a fixed number of queries whatever the year's size, and reads through the
request's scope (core/scopes.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q
from django.db.models.functions import Coalesce

from notifications.models import Notification
from planning.models import Plan, TaskQuerySet
from planning.queries import LIST_LIMIT, TaskList
from tracking.models import (
    CheckInRole,
    Extension,
    ExtensionStatus,
    ReminderPolicy,
)
from tracking.target_figures import rag_counts, target_states
from tracking.task_figures import counts_of, headline_of, scope, task_rows

DEFAULT_PERIOD_DAYS = ReminderPolicy._meta.get_field("checkin_period_days").get_default()


def checkin_period(school_id: int) -> int:
    """The school's check-in period in days (its policy; the default when it has none yet)."""
    period = (
        ReminderPolicy.objects.filter(school_id=school_id)
        .values_list("checkin_period_days", flat=True)
        .first()
    )
    return int(period or DEFAULT_PERIOD_DAYS)


def checkins_expected(
    tasks: TaskQuerySet, plan: Plan, *, on: dt.date, limit: int = LIST_LIMIT
) -> TaskList:
    """Open tasks, not yet overdue (those are listed as overdue), whose lead unit's last
    check-in is more than a period old (or which never had one a period after they started):
    the rule of the reminders (tracking/reminders.py), in three queries."""
    period = dt.timedelta(days=checkin_period(plan.school_id))
    expected = (
        tasks.filter(Q(due_date__isnull=True) | Q(due_date__gte=on))
        .annotate(
            last_report=Max(
                "checkins__reported_on",
                filter=Q(checkins__role=CheckInRole.LEAD, checkins__reported_on__lte=on),
            )
        )
        .annotate(since=Coalesce("last_report", "start_date", plan.starts_on))
        .filter(since__lt=on - period)
    )
    rows = list(expected.select_related("lead_unit").order_by("since", "pk")[:limit])
    for task in rows:
        task.expected_by = task.since + period
    return TaskList(rows, expected.count())


def pending_extensions(plan: Plan, *, limit: int = LIST_LIMIT) -> TaskList:
    """Extension requests of the plan's tasks waiting for leadership's decision, oldest first."""
    pending = Extension.objects.filter(
        task__plan=plan, task__archived_at__isnull=True, status=ExtensionStatus.PENDING
    )
    rows = list(pending.select_related("task").order_by("requested_at", "pk")[:limit])
    return TaskList(rows, pending.count())


def unread_notifications(user: Any, *, limit: int = 5) -> TaskList:
    """The user's latest unread notifications (notifications are the user's own: not scoped)."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    rows = list(unread.order_by("-created_at", "-pk")[:limit])
    return TaskList(rows, unread.count())


@dataclass
class KeyFigures:
    """What leadership watches first: the tasks' matrix in four numbers and the targets."""

    on: dt.date
    tasks: int
    overdue: int
    done_rate: float | None
    on_time_rate: float | None
    targets_red: int
    targets: int


def key_figures(plan: Plan, *, on: dt.date) -> KeyFigures:
    """The dashboard's headline (tracking/dashboard.py) in two queries."""
    rows = task_rows(scope(plan), on)
    counts = counts_of(rows)
    headline = headline_of(rows)
    rags = rag_counts(target_states(plan))
    return KeyFigures(
        on=on,
        tasks=sum(v for k, v in counts.items() if k not in ("paused", "cancelled")),
        overdue=counts.get("overdue", 0),
        done_rate=headline["done_rate"],
        on_time_rate=headline["on_time_rate"],
        targets_red=rags["red"],
        targets=sum(rags.values()),
    )
