"""Background jobs (django-tasks): they take ids and dates as text, never model objects."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from tracking.notify import deliver_email


@task()
def send_notification_email(notification_id: int) -> bool:
    return deliver_email(notification_id)


@task()
def scan_reminders_job(on: str | None = None) -> int:
    """The periodic scan: create today's reminders (idempotent) and notify."""
    from core.clock import today
    from tracking.reminders import scan_reminders

    day = dt.date.fromisoformat(on) if on else today()
    return len(scan_reminders(on=day))
