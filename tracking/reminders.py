"""Reminders and escalation: what to send today, decided by a pure function, then recorded.

Before a due date, for a missing periodic check-in, and for overdue tasks, the people in charge
are told; each unanswered reminder since the last report raises the level: person in charge →
head of the lead unit → leadership. The numbers come from the school's ReminderPolicy.
A reminder exists at most once per task, kind and day, so running the scan twice sends nothing new.

Other domains with deadlines of their own (a Sở's report requests: `province`) add their scan to
the same day job with `register_scan`, so one hourly process reminds of everything.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task as background_task

from core.clock import today
from core.scopes import unscoped
from notifications.models import NotificationKind
from notifications.services import notify
from organisations.models import Organisation, Position, Role
from planning.models import Plan, PlanStatus, Task
from planning.status import RunState
from tracking.models import EscalationLevel, Reminder, ReminderKind, ReminderPolicy

NAGGING = (ReminderKind.CHECKIN_MISSING, ReminderKind.OVERDUE)


@dataclass(frozen=True)
class Rules:
    days_before: tuple[int, ...] = (7, 1)
    period_days: int = 30
    repeat_days: int = 7
    head_after: int = 2
    leadership_after: int = 3

    @classmethod
    def of(cls, policy: ReminderPolicy) -> Rules:
        return cls(
            days_before=tuple(policy.days_before),
            period_days=policy.checkin_period_days,
            repeat_days=policy.repeat_every_days,
            head_after=policy.escalate_to_head_after,
            leadership_after=policy.escalate_to_leadership_after,
        )


def level_for(unanswered: int, rules: Rules) -> EscalationLevel:
    """The level of the next nagging reminder, given how many went unanswered before it."""
    count = unanswered + 1
    if count >= rules.leadership_after:
        return EscalationLevel.LEADERSHIP
    if count >= rules.head_after:
        return EscalationLevel.HEAD
    return EscalationLevel.PERSON


def reminders_due(
    *,
    due_date: dt.date | None,
    start: dt.date | None,
    last_report: dt.date | None,
    last_sent: dict[str, dt.date],
    unanswered: int,
    rules: Rules,
    on: dt.date,
) -> list[tuple[ReminderKind, EscalationLevel]]:
    """Which reminders an open, active task needs on day `on` (pure)."""
    due: list[tuple[ReminderKind, EscalationLevel]] = []
    if due_date is not None and due_date >= on and (due_date - on).days in rules.days_before:
        due.append((ReminderKind.DUE_SOON, EscalationLevel.PERSON))

    def repeat_ok(kind: str, since: dt.date | None = None) -> bool:
        sent = last_sent.get(kind)
        if sent is None or (since is not None and sent < since):
            return True
        return (on - sent).days >= rules.repeat_days

    if due_date is not None and due_date < on:
        if repeat_ok(ReminderKind.OVERDUE):
            due.append((ReminderKind.OVERDUE, level_for(unanswered, rules)))
        return due
    since = last_report or start
    if since is not None:
        expected_by = since + dt.timedelta(days=rules.period_days)
        if expected_by < on and repeat_ok(ReminderKind.CHECKIN_MISSING, expected_by):
            due.append((ReminderKind.CHECKIN_MISSING, level_for(unanswered, rules)))
    return due


def _message(
    task: Task, kind: str, level: str, on: dt.date, last_report: dt.date | None
) -> tuple[str, str]:
    code = task.code or str(task.pk)
    if kind == ReminderKind.DUE_SOON:
        days = (task.due_date - on).days if task.due_date else 0
        title = _("Nhiệm vụ %(code)s sắp đến hạn (%(due)s)") % {
            "code": code, "due": task.due_date.strftime("%d/%m/%Y") if task.due_date else "",
        }  # fmt: skip
        body = _("Còn %(days)s ngày đến hạn hoàn thành nhiệm vụ “%(title)s”.") % {
            "days": days, "title": task.title,
        }  # fmt: skip
    elif kind == ReminderKind.OVERDUE:
        days = (on - task.due_date).days if task.due_date else 0
        title = _("Nhiệm vụ %(code)s quá hạn %(days)s ngày") % {"code": code, "days": days}
        body = _("Nhiệm vụ “%(title)s” đã quá hạn (%(due)s) mà chưa hoàn thành.") % {
            "title": task.title, "due": task.due_date.strftime("%d/%m/%Y") if task.due_date else "",
        }  # fmt: skip
    else:
        title = _("Nhiệm vụ %(code)s chưa có báo cáo tiến độ") % {"code": code}
        body = (
            _("Lần báo cáo gần nhất: %(day)s.") % {"day": last_report.strftime("%d/%m/%Y")}
            if last_report
            else _("Nhiệm vụ chưa có báo cáo tiến độ nào.")
        )
        body = f"{task.title}\n{body}"
    if level == EscalationLevel.HEAD:
        title = _("[Báo trưởng đơn vị] %(title)s") % {"title": title}
    elif level == EscalationLevel.LEADERSHIP:
        title = _("[Báo Ban giám hiệu] %(title)s") % {"title": title}
    return title, body


class _People:
    """Heads of each unit and the leadership of each school, looked up once per scan."""

    def __init__(self, school_ids: set[int], on: dt.date) -> None:
        positions = (
            Position.objects.current(on)
            .filter(person__school_id__in=school_ids, person__user__isnull=False)
            .filter(Q(role__in=[Role.HEAD, Role.DEPUTY, Role.LEADERSHIP]))
            .select_related("person__user")
        )
        self.heads: dict[int, list[Any]] = defaultdict(list)
        self.leadership: dict[int, list[Any]] = defaultdict(list)
        for position in positions:
            user = position.person.user
            if position.role == Role.LEADERSHIP:
                self.leadership[position.person.school_id].append(user)
            else:
                self.heads[position.organisation_id].append(user)
        self.parents = dict(
            Organisation.objects.filter(school_id__in=school_ids).values_list("pk", "parent_id")
        )

    def heads_of(self, unit_id: int | None, school_id: int) -> list[Any]:
        """The unit's heads, or those of the nearest unit above it that has one."""
        seen: set[int] = set()
        while unit_id is not None and unit_id != school_id and unit_id not in seen:
            seen.add(unit_id)
            if self.heads.get(unit_id):
                return self.heads[unit_id]
            unit_id = self.parents.get(unit_id)
        return []

    def recipients(self, task: Task, level: str) -> list[Any]:
        school_id = task.plan.school_id
        unit_id = task.lead_unit_id or task.owner_unit_id
        person = task.person_in_charge.user if task.person_in_charge else None
        users = [person] if person else list(self.heads_of(unit_id, school_id))
        if level in (EscalationLevel.HEAD, EscalationLevel.LEADERSHIP):
            users += self.heads_of(unit_id, school_id)
        if level == EscalationLevel.LEADERSHIP:
            users += self.leadership.get(school_id, [])
        return users


def scan_reminders(*, on: dt.date, school_id: int | None = None) -> list[Reminder]:
    """Create (and send) the reminders due on `on`; running it twice the same day adds nothing."""
    plans = Plan.objects.active().filter(
        status=PlanStatus.ISSUED, start_year__in=[on.year - 1, on.year]
    )
    if school_id is not None:
        plans = plans.filter(school_id=school_id)
    plan_list = [plan for plan in plans if plan.starts_on <= on <= plan.ends_on]
    if not plan_list:
        return []
    school_ids = {plan.school_id for plan in plan_list}
    stored = list(ReminderPolicy.objects.filter(school_id__in=school_ids))
    policies = {policy.school_id: Rules.of(policy) for policy in stored}
    emailing = {policy.school_id: policy.send_email for policy in stored}
    tasks = list(
        Task.objects.active()
        .filter(plan__in=plan_list, completed_on__isnull=True, run_state=RunState.ACTIVE)
        .annotate(last_report=Max("checkins__reported_on", filter=Q(checkins__role="lead")))
        .select_related("plan", "person_in_charge__user")
    )
    window = max(
        r.period_days + r.repeat_days * (r.leadership_after + 1)
        for r in [Rules(), *policies.values()]
    )
    last_sent: dict[int, dict[str, dt.date]] = defaultdict(dict)
    sent_days: dict[int, list[dt.date]] = defaultdict(list)
    for task_id, kind, day in Reminder.objects.filter(
        task__in=[t.pk for t in tasks], on__gte=on - dt.timedelta(days=window)
    ).values_list("task_id", "kind", "on"):
        if day > last_sent[task_id].get(kind, dt.date.min):
            last_sent[task_id][kind] = day
        if kind in NAGGING:
            sent_days[task_id].append(day)
    people = _People(school_ids, on)
    created: list[Reminder] = []
    for task in tasks:
        rules = policies.get(task.plan.school_id, Rules())
        last_report: dt.date | None = task.last_report
        unanswered = sum(
            1
            for day in sent_days[task.pk]
            if day < on and (last_report is None or day > last_report)
        )
        for kind, level in reminders_due(
            due_date=task.due_date,
            start=task.start_date or task.plan.starts_on,
            last_report=last_report,
            last_sent=last_sent[task.pk],
            unanswered=unanswered,
            rules=rules,
            on=on,
        ):
            email = emailing.get(task.plan.school_id, True)
            reminder = _record(task, kind, level, on, last_report, people, email=email)
            if reminder is not None:
                created.append(reminder)
    return created


def _record(
    task: Task,
    kind: str,
    level: str,
    on: dt.date,
    last_report: dt.date | None,
    people: _People,
    *,
    email: bool,
) -> Reminder | None:
    try:
        with transaction.atomic():
            reminder, created = Reminder.objects.get_or_create(
                task=task, kind=kind, on=on, defaults={"level": level}
            )
            if not created:
                return None
            title, body = _message(task, kind, level, on, last_report)
            notify(
                people.recipients(task, level),
                title=title,
                body=body,
                kind=NotificationKind.REMINDER,
                url=reverse("planning:task_detail", args=[task.pk]),
                source=reminder,
                email=email,
            )
    except IntegrityError:  # another scan created it at the same moment
        return None
    return reminder


# (day) → the number of reminders a domain's own scan created that day (idempotent, as ours).
DayScan = Callable[[dt.date], int]
_scans: list[DayScan] = []


def register_scan(scan: DayScan) -> DayScan:
    """Add a domain's scan to the day job (from its app's `ready()`); twice is harmless."""
    if scan not in _scans:
        _scans.append(scan)
    return scan


def scan_day(on: dt.date) -> tuple[int, int]:
    """The day's whole scan: (reminders about tasks, reminders of the other domains' scans)."""
    return len(scan_reminders(on=on)), sum(scan(on) for scan in _scans)


@background_task()
@unscoped
def scan_reminders_job(on: str | None = None) -> int:
    """The periodic scan as a background job (django-tasks; the day as ISO text): create the
    day's reminders (idempotent) and notify."""
    day = dt.date.fromisoformat(on) if on else today()
    return sum(scan_day(day))
