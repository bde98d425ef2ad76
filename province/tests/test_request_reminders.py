"""Reminders of a report asked for, with a fixed clock (the scan's day): before the deadline the
school's clerks (its leadership when it has none); after it, repeated and rising with each reminder
left unanswered — clerks, then the leadership too, then the Sở; nothing for a school that has
submitted, again after a return; once a day; run by the day's reminder job."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command

from notifications.models import Notification, NotificationKind
from province import reporting
from province.models import ReminderKind, ReminderLevel, RequestReminder
from province.reminders import NAGGING_DAYS, scan_request_reminders
from province.tests.conftest import Province
from province.tests.requests import (
    DEADLINE,
    ask_semester,
    college_principal,
    issued_semester,
    moment,
)
from tracking.models import ReminderPolicy
from tracking.reminders import scan_day


def _reminded(user: object) -> list[str]:
    return list(
        Notification.objects.filter(user=user, kind=NotificationKind.REMINDER)
        .order_by("pk")
        .values_list("title", flat=True)
    )


def _levels(province: Province) -> list[tuple[str, str, str, dt.date]]:
    return list(
        RequestReminder.objects.filter(school=province.world.school)
        .order_by("on")
        .values_list("kind", "level", "school__name", "on")
    )


def test_before_the_deadline_the_clerks_are_reminded_or_the_leadership_without_clerks(
    province: Province,
) -> None:
    world = province.world
    principal = college_principal(province)
    ask_semester(province)
    assert scan_request_reminders(DEADLINE - dt.timedelta(days=8)) == 0
    assert scan_request_reminders(DEADLINE - dt.timedelta(days=7)) == 2
    title = "Báo cáo “Báo cáo sơ kết học kỳ I năm học 2023–2024” gửi Sở GD&ĐT Mẫu: còn 7 ngày đến hạn nộp"
    assert _reminded(world.users["clerk"]) == [title]
    assert _reminded(world.users["leadership"]) == []  # the school has a clerk
    assert _reminded(principal) == [title]  # the second college has none
    assert _reminded(world.users["staff"]) == [] and _reminded(province.users["officer"]) == []
    # Once a day, however often the scan runs.
    assert scan_request_reminders(DEADLINE - dt.timedelta(days=7)) == 0
    assert scan_request_reminders(DEADLINE - dt.timedelta(days=1)) == 2


def test_after_the_deadline_reminders_repeat_and_rise_to_the_leadership_then_the_sgd(
    province: Province,
) -> None:
    world = province.world
    ask_semester(province)
    days = [DEADLINE + dt.timedelta(days=n) for n in (1, 2, 8, 15, 22)]
    created = [scan_request_reminders(day) for day in days]
    # Every seven days (the school's policy's default), for both colleges.
    assert created == [2, 0, 2, 2, 2]
    assert [(kind, level) for kind, level, _name, _on in _levels(province)] == [
        (ReminderKind.OVERDUE, ReminderLevel.SCHOOL),
        (ReminderKind.OVERDUE, ReminderLevel.LEADERSHIP),
        (ReminderKind.OVERDUE, ReminderLevel.BODY),
        (ReminderKind.OVERDUE, ReminderLevel.BODY),
    ]
    assert len(_reminded(world.users["clerk"])) == 4
    assert _reminded(world.users["leadership"])[0].startswith("[Báo Ban giám hiệu] Báo cáo")
    officer = _reminded(province.users["officer"])
    assert officer[0] == (
        "CĐ Mẫu chưa nộp báo cáo “Báo cáo sơ kết học kỳ I năm học 2023–2024” (quá hạn 15 ngày)"
    )
    assert len(officer) == 4  # both colleges, twice each


def test_the_schools_own_policy_sets_the_days(province: Province) -> None:
    ReminderPolicy.objects.create(
        school=province.world.school, days_before_due="3", repeat_every_days=2
    )
    ask_semester(province)
    scan_request_reminders(DEADLINE - dt.timedelta(days=7))
    scan_request_reminders(DEADLINE - dt.timedelta(days=3))
    scan_request_reminders(DEADLINE + dt.timedelta(days=1))
    scan_request_reminders(DEADLINE + dt.timedelta(days=3))
    assert [(kind, on) for kind, _level, _name, on in _levels(province)] == [
        (ReminderKind.DUE_SOON, DEADLINE - dt.timedelta(days=3)),
        (ReminderKind.OVERDUE, DEADLINE + dt.timedelta(days=1)),
        (ReminderKind.OVERDUE, DEADLINE + dt.timedelta(days=3)),
    ]


def test_nothing_for_a_school_that_submitted_and_again_after_a_return(province: Province) -> None:
    world = province.world
    report = issued_semester(province)
    asked = ask_semester(province)
    scan_request_reminders(DEADLINE + dt.timedelta(days=1))
    scan_request_reminders(DEADLINE + dt.timedelta(days=8))
    submission = reporting.submit(
        asked,
        world.school,
        by=world.users["clerk"],
        paper=report,
        at=moment(DEADLINE + dt.timedelta(days=9)),
    )
    scan_request_reminders(DEADLINE + dt.timedelta(days=15))
    assert len(_levels(province)) == 2
    reporting.return_submission(submission, by=province.users["officer"], reason="Thiếu phụ lục")
    scan_request_reminders(DEADLINE + dt.timedelta(days=22))
    # Reminded again, from the first level: the reminders before the return were answered.
    assert _levels(province)[-1][:2] == (ReminderKind.OVERDUE, ReminderLevel.SCHOOL)


def test_an_archived_request_or_one_long_past_is_no_longer_reminded_of(
    province: Province,
) -> None:
    asked = ask_semester(province)
    assert scan_request_reminders(DEADLINE + dt.timedelta(days=NAGGING_DAYS + 1)) == 0
    reporting.archive_request(asked, by=province.users["officer"])
    assert scan_request_reminders(DEADLINE + dt.timedelta(days=1)) == 0


def test_the_days_reminder_job_runs_the_request_reminders(province: Province) -> None:
    ask_semester(province)
    assert scan_day(DEADLINE - dt.timedelta(days=7))[1] == 2
    out = io.StringIO()
    call_command("send_reminders", "--date", "14/01/2024", "--now", stdout=out)
    assert "2 lần nhắc mới khác" in out.getvalue()
    assert RequestReminder.objects.filter(on=dt.date(2024, 1, 14)).count() == 2


def test_a_school_merged_into_another_is_no_longer_reminded(province: Province) -> None:
    """Its request stays in the Sở's list as history; nobody is reminded there, nothing rises
    to the Sở about a school that no longer exists."""
    from django.utils import timezone

    from organisations.models import Succession, SuccessionKind

    ask_semester(province)
    Succession.objects.create(
        predecessor=province.college,
        successor=province.world.school,
        kind=SuccessionKind.MERGED,
        effective_on=DEADLINE - dt.timedelta(days=30),
        carried_out_at=timezone.now(),
    )
    assert scan_request_reminders(DEADLINE - dt.timedelta(days=7)) == 1  # the other college only
    assert not RequestReminder.objects.filter(school=province.college).exists()
