"""Tracking pages: thin views that parse, authorise, call a service and render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.clock import today
from core.permissions import get_authorised, require
from core.query import date_param
from core.requests import SignedInRequest
from core.text import format_date
from core.views import attempt, render_form
from organisations.membership import membership_of
from organisations.models import Organisation
from organisations.permissions import member_school_id
from planning.models import Plan, Task, WorkArea
from planning.status import TaskStatus, compute_status, task_status
from tracking import dashboard as figures
from tracking import services, sources
from tracking.filters import filter_tasks
from tracking.forms import (
    CheckInForm,
    ExtensionDecisionForm,
    ExtensionForm,
    ReminderPolicyForm,
    TrackingForm,
)
from tracking.models import CheckIn, CheckInRole, Evidence, Extension
from tracking.rows import task_list_rows
from tracking.rules import reporting_unit_ids
from tracking.task_figures import MATRIX_LABELS

VIEW_TASK = "tracking.view_task"
PAGE_SIZE = 50


def _user(request: HttpRequest) -> Any:
    """The signed-in user (login_required has ruled out the anonymous one)."""
    return request.user


def _task(request: HttpRequest, pk: int, perm: str | None = None) -> Task:
    return get_authorised(
        request.user,
        Task.objects.select_related("plan", "lead_unit", "owner_unit", "target"),
        VIEW_TASK,
        perm,
        pk=pk,
    )


def _plan(request: HttpRequest, pk: int) -> Plan:
    return get_authorised(
        request.user, Plan.objects.select_related("school"), "tracking.view_dashboard", pk=pk
    )


def _day(request: HttpRequest, plan: Plan) -> dt.date:
    """The day the figures are read on: ?on=dd/mm/yyyy, else today (a finished year: its end)."""
    day = date_param(request.GET, "on")
    if day is not None:
        return day
    if request.GET.get("on"):
        messages.warning(request, _("Ngày xem phải có dạng dd/mm/yyyy."))
    return figures.default_day(plan, today())


def _reporting_units(request: HttpRequest, task: Task) -> Any:
    ids = reporting_unit_ids(request.user, task)
    return Organisation.objects.filter(pk__in=ids).order_by("order", "name")


# Check-ins ------------------------------------------------------------------------------------


@login_required
def checkin_create(request: SignedInRequest, pk: int) -> HttpResponse:
    """A check-in on a task, with evidence files, all or nothing."""
    task = _task(request, pk, "tracking.checkin_task")
    units = _reporting_units(request, task)
    can_consolidate = request.user.has_perm("tracking.report_task", task)
    contributions = (
        task.checkins.filter(role=CheckInRole.COORDINATING, consolidated_into__isnull=True)
        .select_related("unit")
        .order_by("reported_on")
        if can_consolidate
        else CheckIn.objects.none()
    )
    form = CheckInForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        units=units,
        has_target=task.target_id is not None,
        contributions=contributions,
        fed_from=sources.source_of(task.target) if task.target_id is not None else None,
        initial={"version": task.version, "progress": task.progress},
    )
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        uploads = [services.Upload(f.name, f.read()) for f in cleaned["evidence"]]
        submitted = attempt(
            request,
            lambda: services.submit_checkin(
                task,
                by=request.user,
                unit=cleaned["unit"],
                data=services.CheckInData(
                    progress=cleaned["progress"],
                    done=cleaned["done"],
                    confidence=cleaned["confidence"],
                    difficulties=cleaned["difficulties"],
                    proposals=cleaned["proposals"],
                    actual_value=cleaned.get("actual_value"),
                ),
                on=today(),
                files=uploads,
                expected_version=cleaned["version"],
                consolidate=[c.pk for c in cleaned.get("consolidate") or []],
            ),
            form=form,
            refused=form.refused,
            success=_("Đã gửi báo cáo tiến độ."),
        )
        if submitted:
            return redirect(reverse("planning:task_detail", args=[task.pk]) + "#tien-do")
    return render_form(
        request,
        form,
        title=_("Báo cáo tiến độ: %(task)s") % {"task": task},
        back=reverse("planning:task_detail", args=[task.pk]),
        submit=_("Gửi báo cáo"),
        template="tracking/checkin_form.html",
        extra={"task": task, "stale": form.stale, "multipart": True},
    )


@login_required
def tracking_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    """How progress is measured (entered or derived) and whether the task runs, is paused or
    cancelled."""
    task = _task(request, pk, "tracking.change_tracking")
    form = TrackingForm(
        request.POST if request.method == "POST" else None,
        initial={
            "version": task.version,
            "progress_mode": task.progress_mode,
            "run_state": task.run_state,
        },
    )
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        updated = attempt(
            request,
            lambda: services.update_tracking(
                task,
                by=request.user,
                progress_mode=cleaned["progress_mode"],
                run_state=cleaned["run_state"],
                reason=cleaned["reason"],
                expected_version=cleaned["version"],
            ),
            form=form,
            refused=form.refused,
            success=_("Đã cập nhật."),
        )
        if updated:
            return redirect(reverse("planning:task_detail", args=[task.pk]) + "#tien-do")
    return render_form(
        request,
        form,
        title=_("Cách theo dõi: %(task)s") % {"task": task},
        back=reverse("planning:task_detail", args=[task.pk]),
        template="tracking/checkin_form.html",
        extra={"task": task, "stale": form.stale},
    )


@login_required
def evidence_download(request: SignedInRequest, pk: int) -> FileResponse:
    """Evidence is served only to those who may see the task, never from a public URL."""
    evidence = get_object_or_404(Evidence.objects.select_related("checkin__task__plan"), pk=pk)
    if not request.user.has_perm("tracking.view_evidence", evidence.checkin.task):
        raise Http404
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


# Extensions -----------------------------------------------------------------------------------


@login_required
def extension_request(request: SignedInRequest, pk: int) -> HttpResponse:
    task = _task(request, pk, "tracking.request_extension")
    form = ExtensionForm(request.POST or None)
    back = reverse("planning:task_detail", args=[task.pk]) + "#tien-do"
    if request.method == "POST" and form.is_valid():
        new_due, reason = form.cleaned_data["new_due"], form.cleaned_data["reason"]
        requested = attempt(
            request,
            lambda: services.request_extension(
                task, new_due=new_due, reason=reason, by=request.user, on=today()
            ),
            form=form,
            success=_("Đã gửi đề nghị gia hạn tới Ban giám hiệu."),
        )
        if requested:
            return redirect(back)
    due = format_date(task.due_date) or "—"
    return render_form(
        request,
        form,
        title=_("Đề nghị gia hạn: %(task)s") % {"task": task},
        back=back,
        intro=_("Hạn hiện tại: %(due)s.") % {"due": due},
        submit=_("Gửi đề nghị"),
    )


@login_required
def extension_decide(request: SignedInRequest, pk: int) -> HttpResponse:
    extension = get_authorised(
        request.user,
        Extension.objects.select_related("task__plan", "requested_by"),
        VIEW_TASK,
        "tracking.decide_extension",
        pk=pk,
    )
    form = ExtensionDecisionForm(request.POST or None)
    back = reverse("planning:task_detail", args=[extension.task_id]) + "#tien-do"
    if request.method == "POST" and form.is_valid():
        accept, note = form.cleaned_data["accept"], form.cleaned_data["note"]
        decided = attempt(
            request,
            lambda: services.decide_extension(
                extension, accept=accept, note=note, by=request.user, on=today()
            ),
            form=form,
            success=_("Đã ghi quyết định gia hạn."),
        )
        if decided:
            return redirect(back)
    intro = _("Đề nghị gia hạn từ %(old)s đến %(new)s. Lý do: %(reason)s") % {
        "old": format_date(extension.previous_due) or "—",
        "new": format_date(extension.requested_due),
        "reason": extension.reason,
    }
    return render_form(
        request,
        form,
        title=_("Xem xét gia hạn: %(task)s") % {"task": extension.task},
        back=back,
        intro=intro,
    )


# Dashboards and the task list -----------------------------------------------------------------


@login_required
def tracking_home(request: SignedInRequest) -> HttpResponse:
    membership = membership_of(request.user)
    plan = Plan.objects.active().filter(school_id=membership.school_id).first()
    if plan is None:
        return redirect("planning:plan_list")
    if not membership.is_leadership and membership.headed_root_ids:
        # A unit head lands on the unit's own version.
        unit = min(membership.headed_root_ids)
        return redirect("tracking:unit_dashboard", pk=plan.pk, unit_pk=unit)
    return redirect("tracking:dashboard", pk=plan.pk)


@login_required
def dashboard(request: SignedInRequest, pk: int) -> HttpResponse:
    """The whole plan for leadership: the 2×2 matrix, areas, units, targets, punctuality."""
    plan = _plan(request, pk)
    on = _day(request, plan)
    body = figures.dashboard_figures(plan, on, None, today=today())
    context = {
        "plan": plan,
        "on": on,
        "unit": None,
        "body": mark_safe(body),
        "can_edit_policy": request.user.has_perm("tracking.edit_policy", plan),
    }
    return render(request, "tracking/dashboard.html", context)


@login_required
def unit_dashboard(request: SignedInRequest, pk: int, unit_pk: int) -> HttpResponse:
    """A unit's version of the dashboard: what it (with its sub-units) leads or owns."""
    plan = _plan(request, pk)
    unit = get_object_or_404(Organisation, pk=unit_pk, school_id=plan.school_id)
    on = _day(request, plan)
    body = figures.dashboard_figures(plan, on, unit, today=today())
    context = {
        "plan": plan,
        "on": on,
        "unit": unit,
        "body": mark_safe(body),
        "can_edit_policy": False,
    }
    return render(request, "tracking/dashboard.html", context)


@login_required
def task_list(request: SignedInRequest, pk: int) -> HttpResponse:
    """The tasks behind every figure: filter by status (or matrix cell), unit and area."""
    plan = _plan(request, pk)
    on = _day(request, plan)
    past = on < figures.default_day(plan, today())
    chosen = filter_tasks(plan, request.GET, on, past=past)
    status, cell, unit, lead, area = (
        chosen.status,
        chosen.cell,
        chosen.unit,
        chosen.lead,
        chosen.area,
    )
    tasks = chosen.tasks
    # What the rows show (tracking/rows.py): not the tasks' long texts; the plan is this one.
    tasks = (
        tasks.defer("search_text", "description")
        .select_related("lead_unit", "person_in_charge")
        .order_by("due_date", "code", "pk")
    )
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    for task in page.object_list:
        task.plan = plan
        if past:
            # As it stood that day, as the dashboard of that day counted it.
            task.status_info = compute_status(
                run_state=task.then_run_state,
                due_date=task.then_due,
                completed_on=task.completed_on,
                progress=task.effective_progress,
                start_date=task.start_date,
                on=on,
            )
            task.due_date = task.then_due
        else:
            task.status_info = task_status(task, on)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "plan": plan,
        "on": on,
        "page": page,
        "query_string": query.urlencode(),
        "statuses": list(TaskStatus),
        "status": status,
        "cell": cell,
        "cell_label": MATRIX_LABELS.get(cell, ""),
        "unit": unit,
        "lead": lead,
        "area": area,
        "areas": WorkArea.objects.active().filter(plan=plan),
        "units": Organisation.objects.active().units_of(Organisation(pk=plan.school_id)),
        "q": chosen.q,
        "rows": task_list_rows(
            page.object_list,
            task_url_prefix=reverse("planning:task_detail", args=[0]).removesuffix("0/"),
        ),
    }
    return render(request, "tracking/task_list.html", context)


# Reminder rules -----------------------------------------------------------------------------


@login_required
def policy_edit(request: SignedInRequest) -> HttpResponse:
    school = get_object_or_404(Organisation, pk=member_school_id(request.user))
    require(request.user, "tracking.edit_policy", school)
    policy = services.policy_for(school.pk)
    form = ReminderPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            lambda: services.save_policy(form.instance, by=request.user),
            form=form,
            success=_("Đã lưu quy tắc nhắc việc."),
        )
        if saved:
            return redirect("tracking:policy")
    return render_form(
        request,
        form,
        title=_("Quy tắc nhắc việc của trường"),
        back=reverse("tracking:home"),
        intro=_(
            "Nhắc người phụ trách trước hạn, khi thiếu báo cáo định kỳ và khi quá hạn; nếu vẫn "
            "chưa báo cáo, lần nhắc sau báo trưởng đơn vị, rồi Ban giám hiệu."
        ),
    )


# Health and the benchmark's floor ---------------------------------------------------------------


def health(request: HttpRequest) -> HttpResponse:
    """Liveness for monitoring: no session, no database."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
def floor(request: SignedInRequest) -> HttpResponse:
    """The smallest real page: session, user, membership and the base layout, nothing else.
    The benchmark measures every page against it."""
    return render(request, "tracking/floor.html")
