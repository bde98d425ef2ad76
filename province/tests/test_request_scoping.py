"""The scope of a request sees a report request and its submissions where they belong: the Sở
sees its requests and what was submitted to it; each school asked sees the request and only its
own submissions; a school not asked sees nothing. Outside any scope, every query refuses."""

from __future__ import annotations

import datetime as dt

import pytest
from django_scopes import ScopeError, scope

from province import reporting
from province.models import (
    DirectedSchool,
    ReportRequest,
    RequestedSchool,
    RequestReminder,
    Submission,
)
from province.reminders import scan_request_reminders
from province.tests.conftest import Province
from province.tests.requests import DEADLINE, ask_semester, issued_semester, moment


@pytest.fixture
def answered(province: Province) -> Province:
    world = province.world
    report = issued_semester(province)
    asked = ask_semester(province)
    reporting.submit(
        asked, world.school, by=world.users["clerk"], paper=report, at=moment(dt.date(2024, 1, 10))
    )
    scan_request_reminders(DEADLINE + dt.timedelta(days=1))  # the second college's reminder
    return province


def _visible(school_id: int) -> dict[str, set[int]]:
    with scope(school=school_id):
        return {
            "requests": set(ReportRequest.objects.values_list("pk", flat=True)),
            "asked": set(RequestedSchool.objects.values_list("school_id", flat=True)),
            "submissions": set(Submission.objects.values_list("school_id", flat=True)),
            "reminders": set(RequestReminder.objects.values_list("school_id", flat=True)),
            "entries": set(DirectedSchool.objects.values_list("school_id", flat=True)),
        }


def test_each_organisation_sees_requests_and_submissions_where_they_belong(
    answered: Province,
) -> None:
    world = answered.world
    asked = ReportRequest.objects.get().pk
    ours, college, other = world.school.pk, answered.college.pk, world.other_school.pk
    assert _visible(answered.sgd.pk) == {
        "requests": {asked},
        "asked": {ours, college},
        "submissions": {ours},
        "reminders": {college},
        "entries": {ours, college, other},
    }
    assert _visible(ours) == {
        "requests": {asked},
        "asked": {ours},
        "submissions": {ours},
        "reminders": set(),
        "entries": {ours},
    }
    assert _visible(college) == {
        "requests": {asked},
        "asked": {college},
        "submissions": set(),
        "reminders": {college},
        "entries": {college},
    }
    assert _visible(other) == {
        "requests": set(),
        "asked": set(),
        "submissions": set(),
        "reminders": set(),
        "entries": {other},
    }


@pytest.mark.parametrize(
    "model", [ReportRequest, RequestedSchool, Submission, RequestReminder, DirectedSchool]
)
def test_outside_any_scope_the_province_models_refuse(answered: Province, model: type) -> None:
    with pytest.raises(ScopeError), scope():
        list(model.objects.all())
