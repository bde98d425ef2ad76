"""Reminders of the reports a body asked for, as for tasks (tracking.reminders, whose rules and
escalation this reuses with each school's own ReminderPolicy): before the deadline, the school's
clerks are told (its leadership when it has no clerk); after it, every `repeat_every_days` while
nothing stands submitted, and each reminder left unanswered raises the level: the school's
clerks → its leadership as well → the body that asked as well. A returned submission counts as
nothing submitted. Run with the day's task reminders (tracking.reminders.register_scan, from
this app's ready()); a reminder exists at most once per request, school, kind and day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.models import NotificationKind
from notifications.services import notify
from organisations import merging
from province.models import (
    ReminderKind,
    ReminderLevel,
    ReportRequest,
    RequestedSchool,
    RequestReminder,
    Submission,
)
from province.notices import Answerers, answerers
from province.reporting import local_day
from tracking.models import EscalationLevel, ReminderPolicy
from tracking.reminders import Rules, reminders_due

# A request still unanswered this many days after its deadline is no longer reminded of (the body
# follows it up itself, or archives it).
NAGGING_DAYS = 90

LEVELS = {
    EscalationLevel.PERSON: ReminderLevel.SCHOOL,
    EscalationLevel.HEAD: ReminderLevel.LEADERSHIP,
    EscalationLevel.LEADERSHIP: ReminderLevel.BODY,
}
KINDS = {"due_soon": ReminderKind.DUE_SOON, "overdue": ReminderKind.OVERDUE}


def scan_request_reminders(on: dt.date) -> int:
    """Create (and send) the reminders of report requests due on `on`; the number created.
    Running it twice the same day adds nothing. Reads across the schools (a job)."""
    requests = {
        request.pk: request
        for request in ReportRequest.objects.active()
        .filter(deadline__gte=on - dt.timedelta(days=NAGGING_DAYS))
        .select_related("body", "created_by")
    }
    if not requests:
        return 0
    # A school merged into another is history: nobody there to remind, nothing to escalate.
    asked = list(
        RequestedSchool.objects.filter(request_id__in=list(requests))
        .exclude(school__in=merging.carried_out_mergers().values("predecessor"))
        .select_related("school")
    )
    # Each school's latest submission per request: none, or returned, is nothing submitted.
    latest: dict[tuple[int, int], Submission] = {}
    for submission in Submission.objects.filter(request_id__in=list(requests)).order_by(
        "request_id", "school_id", "-number"
    ):
        latest.setdefault((submission.request_id, submission.school_id), submission)
    pending = []
    for entry in asked:
        current = latest.get((entry.request_id, entry.school_id))
        if current is None or current.is_returned:
            pending.append((entry, current))
    if not pending:
        return 0
    school_ids = {entry.school_id for entry, _current in pending}
    stored = list(ReminderPolicy.objects.filter(school_id__in=school_ids))
    policies = {policy.school_id: Rules.of(policy) for policy in stored}
    emailing = {policy.school_id: policy.send_email for policy in stored}
    sent: dict[tuple[int, int], list[tuple[str, dt.date]]] = defaultdict(list)
    for request_id, school_id, kind, day in RequestReminder.objects.filter(
        request_id__in=list(requests), school_id__in=school_ids
    ).values_list("request_id", "school_id", "kind", "on"):
        sent[(request_id, school_id)].append((kind, day))
    bodies = {request.body_id for request in requests.values()}
    people = answerers(school_ids | bodies)
    created = 0
    for entry, current in pending:
        request = requests[entry.request_id]
        rules = policies.get(entry.school_id, Rules())
        history = sent[(entry.request_id, entry.school_id)]
        last_sent: dict[str, dt.date] = {}
        for kind, day in history:
            if day > last_sent.get(kind, dt.date.min):
                last_sent[kind] = day
        returned = local_day(current.returned_at) if current and current.returned_at else None
        unanswered = sum(
            1
            for kind, day in history
            if kind == ReminderKind.OVERDUE and day < on and (returned is None or day > returned)
        )
        for kind, level in reminders_due(
            due_date=request.deadline,
            start=None,
            last_report=None,
            last_sent=last_sent,
            unanswered=unanswered,
            rules=rules,
            on=on,
        ):
            if kind not in KINDS:
                continue
            email = emailing.get(entry.school_id, True)
            if _record(request, entry, KINDS[kind], LEVELS[level], on, people, email=email):
                created += 1
    return created


def _message(request: ReportRequest, kind: str, level: str, on: dt.date) -> tuple[str, str]:
    body = request.body.short_name or request.body.name
    deadline = request.deadline.strftime("%d/%m/%Y")
    if kind == ReminderKind.DUE_SOON:
        title = _("Báo cáo “%(title)s” gửi %(body)s: còn %(days)s ngày đến hạn nộp") % {
            "title": request.title, "body": body, "days": (request.deadline - on).days,
        }  # fmt: skip
        text = _("Hạn nộp: %(deadline)s.") % {"deadline": deadline}
    else:
        title = _("Báo cáo “%(title)s” gửi %(body)s quá hạn nộp %(days)s ngày") % {
            "title": request.title, "body": body, "days": (on - request.deadline).days,
        }  # fmt: skip
        text = _("Hạn nộp đã qua (%(deadline)s) mà trường chưa nộp, hoặc báo cáo bị trả lại.") % {
            "deadline": deadline
        }
    if level == ReminderLevel.LEADERSHIP:
        title = _("[Báo Ban giám hiệu] %(title)s") % {"title": title}
    elif level == ReminderLevel.BODY:
        title = _("[Báo cơ quan yêu cầu] %(title)s") % {"title": title}
    return title, text


def _school_people(people: Answerers, school_id: int, level: str) -> list[Any]:
    clerks = people.clerks.get(school_id, [])
    leadership = people.leadership.get(school_id, [])
    if level == ReminderLevel.SCHOOL:
        return list(clerks or leadership)
    return [*clerks, *leadership]


def _record(
    request: ReportRequest,
    entry: RequestedSchool,
    kind: str,
    level: str,
    on: dt.date,
    people: Answerers,
    *,
    email: bool,
) -> bool:
    try:
        with transaction.atomic():
            reminder, created = RequestReminder.objects.get_or_create(
                request=request,
                school=entry.school,
                kind=kind,
                on=on,
                defaults={"level": level},
            )
            if not created:
                return False
            title, text = _message(request, kind, level, on)
            notify(
                _school_people(people, entry.school_id, level),
                kind=NotificationKind.REMINDER,
                title=title,
                body=text,
                url=reverse("province:inbox_detail", args=[request.pk]),
                source=reminder,
                email=email,
            )
            if level == ReminderLevel.BODY:
                school = entry.school.short_name or entry.school.name
                notify(
                    [request.created_by, *people.leadership.get(request.body_id, [])],
                    kind=NotificationKind.REMINDER,
                    title=_("%(school)s chưa nộp báo cáo “%(title)s” (quá hạn %(days)s ngày)")
                    % {
                        "school": school,
                        "title": request.title,
                        "days": (on - request.deadline).days,
                    },
                    body=text,
                    url=reverse("province:request_detail", args=[request.pk]),
                    source=reminder,
                    email=email,
                )
    except IntegrityError:  # another scan created it at the same moment
        return False
    return True
