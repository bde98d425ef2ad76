"""Who planning tells, and what: a plan issued or amended, a unit's proposal on its share of a
target made or decided (through notifications.services.notify, e-mailed after commit)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.models import NotificationKind
from notifications.people import heads_of, heads_of_units, leadership_of
from notifications.services import notify
from planning.models import Plan, PlanAmendment, TargetAllocation


def plan_people(plan: Plan) -> list[Any]:
    """Everyone who carries the plan: leadership, unit heads, the people in charge of its tasks."""
    in_charge = (
        plan.tasks.active()
        .filter(person_in_charge__user__isnull=False)
        .select_related("person_in_charge__user")
        .order_by("pk")
    )
    return (
        leadership_of(plan.school_id)
        + heads_of_units(plan.school_id)
        + [task.person_in_charge.user for task in in_charge if task.person_in_charge]
    )


def plan_issued(plan: Plan, *, by: User) -> None:
    notify(
        plan_people(plan),
        kind=NotificationKind.PLAN_ISSUED,
        title=_("Đã ban hành %(plan)s") % {"plan": plan.title},
        body=_("Kế hoạch được ban hành ngày %(day)s; hãy xem các nhiệm vụ của mình.")
        % {"day": plan.issued_on.strftime("%d/%m/%Y") if plan.issued_on else ""},
        url=reverse("planning:plan_detail", args=[plan.pk]),
        actor=by,
    )


def plan_amended(amendment: PlanAmendment, *, by: User) -> None:
    plan = amendment.plan
    notify(
        plan_people(plan),
        kind=NotificationKind.PLAN_AMENDED,
        title=_("%(plan)s đã được sửa đổi, bổ sung (lần %(n)s)")
        % {"plan": plan.title, "n": amendment.number},
        body=_("Lý do: %(reason)s") % {"reason": amendment.reason},
        url=reverse("planning:plan_detail", args=[plan.pk]),
        actor=by,
    )


def proposal_made(allocation: TargetAllocation, *, by: User) -> None:
    target = allocation.target
    notify(
        leadership_of(target.plan.school_id),
        kind=NotificationKind.PROPOSAL_MADE,
        title=_("%(unit)s đề xuất điều chỉnh chỉ tiêu “%(target)s”")
        % {"unit": allocation.unit.name, "target": target.name},
        body=_("Đề xuất %(value)s (hiện giao %(current)s). Lý do: %(reason)s")
        % {
            "value": allocation.proposed_value,
            "current": allocation.value,
            "reason": allocation.proposal_reason,
        },
        url=reverse("planning:target_detail", args=[target.pk]),
        actor=by,
    )


def proposal_decided(allocation: TargetAllocation, *, accepted: bool, by: User) -> None:
    target = allocation.target
    verdict = _("được chấp nhận") if accepted else _("không được chấp nhận")
    body = _("Chỉ tiêu của đơn vị: %(value)s.") % {"value": allocation.value}
    if allocation.decision_note:
        body = f"{body}\n" + _("Ý kiến: %(note)s") % {"note": allocation.decision_note}
    notify(
        heads_of(allocation.unit_id),
        kind=NotificationKind.PROPOSAL_DECIDED,
        title=_("Đề xuất điều chỉnh chỉ tiêu “%(target)s” %(verdict)s")
        % {"target": target.name, "verdict": verdict},
        body=body,
        url=reverse("planning:target_detail", args=[target.pk]),
        actor=by,
    )
