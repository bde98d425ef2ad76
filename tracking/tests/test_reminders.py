"""Reminders: before the deadline, for missing check-ins and when overdue; never twice a day;
escalating to the unit head, then leadership; e-mail only after commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from conftest import World
from notifications.models import Notification
from planning import services as planning
from tracking import services
from tracking.models import EscalationLevel, Reminder, ReminderKind
from tracking.reminders import Rules, reminders_due, scan_reminders
from tracking.tests.helpers import checkin

RULES = Rules(days_before=(7, 1), period_days=30, repeat_days=7, head_after=2, leadership_after=3)


@pytest.fixture
def issued(world: World) -> World:
    planning.issue_plan(world.plan, by=world.users["leadership"], on=dt.date(2023, 9, 26))
    for role in ("staff", "unit_head", "leadership"):
        world.users[role].email = f"{role}@truong.edu.vn"
        world.users[role].save()
    # Only the main task matters here: the others have no deadline or are done.
    world.subtask.completed_on = world.unit_task.completed_on = dt.date(2023, 10, 1)
    world.subtask.save()
    world.unit_task.save()
    return world


def test_pure_rules_before_due_and_overdue() -> None:
    due = dt.date(2024, 5, 31)
    kwargs: dict[str, Any] = {"start": dt.date(2024, 5, 1), "last_report": dt.date(2024, 5, 20)}
    assert reminders_due(
        due_date=due, last_sent={}, unanswered=0, rules=RULES, on=dt.date(2024, 5, 24), **kwargs
    ) == [(ReminderKind.DUE_SOON, EscalationLevel.PERSON)]
    assert (
        reminders_due(
            due_date=due, last_sent={}, unanswered=0, rules=RULES, on=dt.date(2024, 5, 25), **kwargs
        )
        == []
    )
    overdue = reminders_due(
        due_date=due, last_sent={}, unanswered=2, rules=RULES, on=dt.date(2024, 6, 3), **kwargs
    )
    assert overdue == [(ReminderKind.OVERDUE, EscalationLevel.LEADERSHIP)]
    assert reminders_due(
        due_date=due, last_sent={"overdue": dt.date(2024, 6, 1)}, unanswered=1, rules=RULES,
        on=dt.date(2024, 6, 3), **kwargs,
    ) == []  # fmt: skip


def test_missing_checkin_after_a_period() -> None:
    kwargs: dict[str, Any] = {"due_date": dt.date(2024, 5, 31), "start": dt.date(2023, 9, 1)}
    on = dt.date(2024, 2, 1)
    assert (
        reminders_due(
            last_report=dt.date(2024, 1, 15),
            last_sent={},
            unanswered=0,
            rules=RULES,
            on=on,
            **kwargs,
        )
        == []
    )
    assert reminders_due(
        last_report=dt.date(2023, 12, 20), last_sent={}, unanswered=0, rules=RULES, on=on, **kwargs
    ) == [(ReminderKind.CHECKIN_MISSING, EscalationLevel.PERSON)]


def test_scan_is_idempotent_and_mails_after_commit(
    issued: World, django_capture_on_commit_callbacks: Any
) -> None:
    on = dt.date(2024, 5, 24)  # 7 days before 31/05
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = scan_reminders(on=on)
    assert mail.outbox == []  # nothing leaves before the commit
    assert {(r.task_id, r.kind) for r in created} >= {(issued.task.pk, ReminderKind.DUE_SOON)}
    for callback in callbacks:
        callback()
    assert any("sắp đến hạn" in m.subject for m in mail.outbox)
    assert mail.outbox[0].to == ["staff@truong.edu.vn"]
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        again = scan_reminders(on=on)
    assert again == []
    assert len(mail.outbox) == sent
    assert Reminder.objects.filter(task=issued.task, kind=ReminderKind.DUE_SOON, on=on).count() == 1


def test_silence_escalates_to_head_then_leadership(
    issued: World, django_capture_on_commit_callbacks: Any
) -> None:
    staff, head, leader = (issued.users[r] for r in ("staff", "unit_head", "leadership"))
    # The faculty leading the task has no head: its reminders go up to... the school's heads of
    # the lead unit; give the faculty a head for this test.
    from organisations.models import Position

    Position.objects.create(
        person=issued.people["unit_head"],
        organisation=issued.faculty,
        title="Trưởng khoa",
        role="head",
    )
    levels = []
    for day in (dt.date(2024, 6, 1), dt.date(2024, 6, 8), dt.date(2024, 6, 15)):
        with django_capture_on_commit_callbacks(execute=True):
            reminders = [r for r in scan_reminders(on=day) if r.task_id == issued.task.pk]
        levels.append(reminders[0].level)
    assert levels == [EscalationLevel.PERSON, EscalationLevel.HEAD, EscalationLevel.LEADERSHIP]
    last = Notification.objects.filter(reminder__on=dt.date(2024, 6, 15))
    assert set(last.values_list("user", flat=True)) == {staff.pk, head.pk, leader.pk}
    assert last.first().title.startswith("[Báo Ban giám hiệu]")
    # A check-in answers: the next reminder starts again from the person in charge.
    checkin(issued, on=dt.date(2024, 6, 16))
    with django_capture_on_commit_callbacks(execute=True):
        reminders = [
            r for r in scan_reminders(on=dt.date(2024, 6, 22)) if r.task_id == issued.task.pk
        ]
    assert reminders[0].level == EscalationLevel.PERSON


def test_rules_are_school_data(issued: World) -> None:
    policy = services.policy_for(issued.school.pk)
    policy.days_before_due = "3"
    policy.checkin_period_days = 366
    policy.save()
    assert scan_reminders(on=dt.date(2024, 5, 24)) == []
    assert [r.kind for r in scan_reminders(on=dt.date(2024, 5, 28))] == [ReminderKind.DUE_SOON]


def test_draft_or_finished_years_are_not_scanned(world: World) -> None:
    assert scan_reminders(on=dt.date(2024, 6, 1)) == []  # the plan is still a draft


def test_command_enqueues_the_scan(issued: World, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "24/05/2024")
    assert Reminder.objects.filter(task=issued.task, on=dt.date(2024, 5, 24)).exists()
    assert Notification.objects.filter(user=issued.users["staff"]).exists()
