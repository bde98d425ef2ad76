"""What every conference action shares: the error type, saving with history, plan changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils.translation import gettext as _

from conferences.models import Conference
from core.audit import stamp
from core.errors import DomainError
from core.models import Archivable
from core.text import format_date
from planning import services as plan_services
from planning.models import Plan

M = TypeVar("M", bound=models.Model)
T = TypeVar("T")


class ConferenceError(DomainError):
    """A rule of the conference was broken; the message is shown to the user as is."""


def conference_of(obj: models.Model) -> Conference:
    return obj if isinstance(obj, Conference) else obj.conference  # type: ignore[attr-defined]  # every other row has one


def ensure_open(conference: Conference) -> None:
    if conference.is_archived:
        raise ConferenceError(_("Hội nghị đã được lưu trữ, không thể sửa."))


@transaction.atomic
def save(obj: M, *, by: User, reason: str | None = None) -> M:
    """Create or update a conference or one of its rows (chair, group, agenda item, launch…)."""
    ensure_open(conference_of(obj))
    stamp(obj, by, reason)
    obj.save()
    return obj


@transaction.atomic
def archive_conference_object(obj: Archivable, *, by: User) -> None:
    """Nothing is deleted: rows are archived and stay in the history."""
    if not isinstance(obj, Conference):
        ensure_open(conference_of(obj))
    stamp(obj, by, _("Lưu trữ"))
    obj.archive()


def amendment_reason(conference: Conference) -> str:
    return _("Tiếp thu ý kiến, thực hiện kết luận tại %(title)s ngày %(day)s") % {
        "title": conference.title,
        "day": format_date(conference.held_on),
    }


def change_plan(plan: Plan, conference: Conference, *, by: User, action: Callable[[], T]) -> T:
    """Run `action`, which changes the plan, inside an amendment when the plan is issued.

    An issued plan changes only inside an open amendment. If one is already open (the leadership
    is amending the plan), the change joins it and it stays open for its owner to close. If none
    is open, one is opened naming the conference, and closed again once the action is done, so
    the plan is locked as before and the amendment records exactly what the conference changed.
    """
    opened = None
    if plan.is_issued and plan_services.open_amendment_of(plan) is None:
        opened = plan_services.open_amendment(plan, reason=amendment_reason(conference), by=by)
    try:
        result = action()
    except plan_services.PlanningError as error:
        raise ConferenceError(str(error)) from error
    if opened is not None:
        plan_services.close_amendment(opened, by=by)
    return result
