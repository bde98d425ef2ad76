"""Who tracking tells, and what: a deadline extension requested or decided, a unit's reporting
sheet imported (through notifications.services.notify, e-mailed after commit)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.models import NotificationKind
from notifications.people import heads_of, leadership_of
from notifications.services import notify
from organisations.models import Organisation
from planning.models import Plan, Task
from tracking.models import Extension, ExtensionStatus


def _code(task: Task) -> str:
    return task.code or str(task.pk)


def extension_requested(extension: Extension, *, by: User) -> None:
    """Leadership decides on extensions: they are told, with the task to decide on."""
    task = extension.task
    notify(
        leadership_of(task.plan.school_id),
        kind=NotificationKind.EXTENSION_REQUESTED,
        title=_("Đề nghị gia hạn nhiệm vụ %(code)s đến %(due)s")
        % {"code": _code(task), "due": extension.requested_due.strftime("%d/%m/%Y")},
        body=_("“%(title)s”: hạn hiện tại %(previous)s. Lý do: %(reason)s")
        % {
            "title": task.title,
            "previous": extension.previous_due.strftime("%d/%m/%Y")
            if extension.previous_due
            else "",
            "reason": extension.reason,
        },
        url=reverse("planning:task_detail", args=[task.pk]),
        actor=by,
    )


def extension_decided(extension: Extension, *, by: User) -> None:
    """The one who asked, the head of the lead unit and the person in charge are told."""
    task = extension.task
    approved = extension.status == ExtensionStatus.APPROVED
    title = (
        _("Nhiệm vụ %(code)s được gia hạn đến %(due)s")
        if approved
        else _("Đề nghị gia hạn nhiệm vụ %(code)s (đến %(due)s) không được chấp thuận")
    ) % {"code": _code(task), "due": extension.requested_due.strftime("%d/%m/%Y")}
    body = f"“{task.title}”"
    if extension.decision_note:
        body = f"{body}\n" + _("Ý kiến: %(note)s") % {"note": extension.decision_note}
    in_charge = task.person_in_charge.user if task.person_in_charge else None
    notify(
        [extension.requested_by, *heads_of(task.lead_unit_id or task.owner_unit_id), in_charge],
        kind=NotificationKind.EXTENSION_DECIDED,
        title=title,
        body=body,
        url=reverse("planning:task_detail", args=[task.pk]),
        actor=by,
    )


def sheet_imported(plan: Plan, unit: Organisation, count: int, *, by: User) -> None:
    """Leadership and the unit's heads learn that the unit reported through its sheet."""
    notify(
        [*leadership_of(plan.school_id), *heads_of(unit.pk)],
        kind=NotificationKind.SHEET_IMPORTED,
        title=_("%(unit)s đã nhập phiếu báo cáo tiến độ (%(n)d nhiệm vụ)")
        % {"unit": unit.name, "n": count},
        body=plan.title,
        url=reverse("tracking:unit_dashboard", args=[plan.pk, unit.pk]),
        actor=by,
    )
