"""Background jobs (django-tasks): they take ids and dates as text, never model objects."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from core.scopes import unscoped
from tracking.notify import deliver_email


@task()
@unscoped
def send_notification_email(notification_id: int) -> bool:
    return deliver_email(notification_id)


@task()
@unscoped
def scan_reminders_job(on: str | None = None) -> int:
    """The periodic scan: create today's reminders (idempotent) and notify."""
    from core.clock import today
    from tracking.reminders import scan_reminders

    day = dt.date.fromisoformat(on) if on else today()
    return len(scan_reminders(on=day))


@task()
@unscoped
def refresh_figures_job(plan_id: int) -> int:
    """Recompute a plan's dashboards and plan-page tree after a change (see tracking.refresh)."""
    from core.clock import today
    from tracking.refresh import refresh

    return len(refresh(plan_id, today()))
