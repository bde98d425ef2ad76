"""Status badges, progress and the tracking panels shown inside the plan's pages.

Badges read only the row's own columns: the plan page's task tree adds no query per task.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Prefetch
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.clock import today
from core.text import format_number
from organisations.membership import staff_records
from planning.status import RAG_COLOURS, TaskStatus, task_status
from tracking.dashboard import default_day
from tracking.models import Evidence
from tracking.target_figures import rag_of

register = template.Library()


def _day_for(context: Any, task: Any) -> Any:
    plan = context.get("plan")
    if plan is not None and getattr(plan, "pk", None) == task.plan_id:
        return default_day(plan, today())
    return today()


@register.simple_tag(takes_context=True)
def task_badge(context: Any, task: Any) -> str:
    """Status (with days overdue) and progress of a task, from its own columns."""
    info = task_status(task, _day_for(context, task))
    label = info.label
    if info.days_late:
        label = _("%(label)s %(days)s ngày") % {"label": label, "days": info.days_late}
    return format_html(
        '<span class="badge text-bg-{} tt-status" data-status="{}">{}</span>'
        '<span class="tt-progress" title="{}"><span style="width:{}%"></span></span>'
        '<span class="small text-body-secondary">{}%</span>',
        info.colour,
        info.status.value,
        label,
        _("Tiến độ"),
        task.effective_progress,
        task.effective_progress,
    )


@register.simple_tag
def target_badge(target: Any) -> str:
    """The actual value against the target, coloured by its red/amber/green state."""
    rag = rag_of(target)
    if rag is None:
        return format_html('<span class="text-body-secondary small">{}</span>', _("chưa có"))
    return format_html(
        '<span class="badge text-bg-{} tt-rag" data-rag="{}" title="{}">{}</span>',
        RAG_COLOURS[rag],
        rag.value,
        rag.label,
        format_number(target.actual_value),
    )


@register.inclusion_tag("tracking/_task_panel.html", takes_context=True)
def tracking_panel(context: Any, task: Any) -> dict[str, Any]:
    """The progress section of a task's page: status, deadlines, extensions and check-ins."""
    user = context["request"].user
    on = _day_for(context, task)
    checkins = list(
        task.checkins.select_related("unit", "submitted_by", "consolidated_into")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("pk")),
            staff_records("submitted_by"),
        )
        .order_by("-reported_on", "-pk")[:30]
    )
    info = task_status(task, on)
    late = 0
    if (
        info.status == TaskStatus.DONE_ON_TIME
        and task.original_due_date is not None
        and task.completed_on > task.original_due_date
    ):
        # On time against the extended deadline, late against the first one: both are true,
        # and the page says which one each figure counts.
        late = (task.completed_on - task.original_due_date).days
    return {
        "task": task,
        "on": on,
        "info": info,
        "late_against_original": late,
        "checkins": checkins,
        "extensions": list(
            task.extensions.select_related("requested_by", "decided_by").prefetch_related(
                staff_records("requested_by")
            )
        ),
        "can_checkin": user.has_perm("tracking.checkin_task", task),
        "can_extend": user.has_perm("tracking.request_extension", task)
        and task.completed_on is None,
        "can_decide": user.has_perm("tracking.decide_extension", task),
        "can_change": user.has_perm("tracking.change_tracking", task),
    }


@register.inclusion_tag("tracking/_target_panel.html", takes_context=True)
def target_panel(context: Any, target: Any) -> dict[str, Any]:
    """A target's actual value, its state and its readings over the year."""
    readings = list(target.readings.select_related("checkin__unit").order_by("measured_on", "pk"))
    rag = rag_of(target)
    return {
        "target": target,
        "rag": rag,
        "rag_colour": RAG_COLOURS.get(rag, "secondary") if rag else "secondary",
        "readings": readings,
        "chart": {
            "labels": [r.measured_on.strftime("%d/%m/%Y") for r in readings],
            "values": [float(r.value) for r in readings],
            "target": float(target.target_value) if target.target_value is not None else None,
            "actual_label": _("Thực hiện"),
            "target_label": _("Chỉ tiêu"),
        },
    }
