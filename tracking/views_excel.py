"""Excel pages of tracking: a plan's exports with their statuses (the whole plan, tasks, targets,
check-ins) and a unit's reporting sheet (download, then import as check-ins).

Each export honours the permission and the filters of its list page, and is built in a fixed
number of queries. The import goes upload → dry run → confirm (core/sheets/flow.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.clock import today
from core.permissions import get_authorised, require
from core.query import date_param, id_param
from core.requests import SignedInRequest
from core.sheets.flow import run_import
from core.sheets.writing import file_slug, xlsx_response
from organisations.membership import membership_of
from organisations.models import Organisation
from organisations.permissions import member_school_id
from planning.excel import targets_for_export
from planning.models import Plan
from tracking import dashboard as figures
from tracking import excel, excel_reporting
from tracking.filters import filter_tasks

VIEW_PLAN = "planning.view_plan"
VIEW_DASHBOARD = "tracking.view_dashboard"
REPORT_UNIT = "tracking.report_unit"


def _plan(request: HttpRequest, pk: int, view: str = VIEW_PLAN) -> Plan:
    return get_authorised(request.user, Plan.objects.select_related("school"), view, pk=pk)


def _day(request: HttpRequest, plan: Plan) -> dt.date:
    """The day statuses are read on, as on the task list: ?on=dd/mm/yyyy, else today."""
    return date_param(request.GET, "on") or figures.default_day(plan, today())


def _year(plan: Plan) -> str:
    return f"{plan.start_year}-{plan.start_year + 1}"


# A plan's exports -----------------------------------------------------------------------------


@login_required
def plan_export(request: SignedInRequest, pk: int) -> HttpResponse:
    """The whole plan (targets and the task tree): the file the import reads back."""
    plan = _plan(request, pk)
    data = excel.plan_workbook(plan, _day(request, plan))
    return xlsx_response(data, _("Kế hoạch %(year)s.xlsx") % {"year": _year(plan)})


@login_required
def tasks_export(request: SignedInRequest, pk: int) -> HttpResponse:
    """The task list with its filters (status, matrix cell, unit, lead unit, area, search)."""
    plan = _plan(request, pk, VIEW_DASHBOARD)
    on = _day(request, plan)
    tasks = filter_tasks(plan, request.GET, on).tasks
    return xlsx_response(
        excel.tasks_workbook(tasks, on), _("Nhiệm vụ %(year)s.xlsx") % {"year": _year(plan)}
    )


@login_required
def targets_export(request: SignedInRequest, pk: int) -> HttpResponse:
    """The plan's targets (a unit's, with ?unit=), with the actual value and its state."""
    plan = _plan(request, pk)
    unit = None
    unit_id = id_param(request.GET, "unit")
    if unit_id is not None:
        unit = Organisation.objects.filter(pk=unit_id, school_id=plan.school_id).first()
    return xlsx_response(
        excel.targets_workbook(targets_for_export(plan, unit)),
        _("Chỉ tiêu %(year)s.xlsx") % {"year": _year(plan)},
    )


@login_required
def checkins_export(request: SignedInRequest, pk: int) -> HttpResponse:
    """Check-ins on the tasks of the task list, with the same filters."""
    plan = _plan(request, pk, VIEW_DASHBOARD)
    tasks = filter_tasks(plan, request.GET, _day(request, plan)).tasks
    return xlsx_response(
        excel.checkins_workbook(tasks),
        _("Báo cáo tiến độ %(year)s.xlsx") % {"year": _year(plan)},
    )


# A unit's reporting sheet ---------------------------------------------------------------------


def _plan_and_unit(request: HttpRequest, plan_pk: int, unit_pk: int) -> tuple[Plan, Organisation]:
    """404 for another school's plan or a unit outside it; 403 for a member who is not a head
    of the unit (or leadership)."""
    plan = _plan(request, plan_pk, VIEW_DASHBOARD)
    unit = get_object_or_404(Organisation.objects.active(), pk=unit_pk, school_id=plan.school_id)
    require(request.user, REPORT_UNIT, unit)
    return plan, unit


@login_required
def reporting_index(request: SignedInRequest) -> HttpResponse:
    """The units whose reporting sheet the user may fill in, for a plan of the school."""
    membership = membership_of(request.user)
    school_id = member_school_id(request.user)
    plans = list(Plan.objects.active().filter(school_id=school_id).order_by("-start_year"))
    plan = next((p for p in plans if str(p.pk) == request.GET.get("plan")), None) or (
        plans[0] if plans else None
    )
    units = [
        unit
        for unit in Organisation.objects.active().units_of(Organisation(pk=school_id))
        if request.user.has_perm(REPORT_UNIT, unit)
    ]
    if not units:
        raise PermissionDenied
    counts = excel_reporting.task_counts(plan) if plan is not None else {}
    if membership.is_leadership or request.user.is_superuser:
        units = [u for u in units if counts.get(u.pk)]  # the whole school: units with tasks
    rows = [(unit, counts.get(unit.pk, 0)) for unit in units]
    context: dict[str, Any] = {"plans": plans, "plan": plan, "rows": rows}
    return render(request, "tracking/reporting_index.html", context)


@login_required
def reporting_sheet(request: SignedInRequest, plan_pk: int, unit_pk: int) -> HttpResponse:
    plan, unit = _plan_and_unit(request, plan_pk, unit_pk)
    day = today()
    data = excel_reporting.reporting_workbook(plan, unit, on=day)
    name = f"bao-cao-tien-do-{file_slug(unit.short_name or unit.name)}-{day:%Y-%m-%d}.xlsx"
    return xlsx_response(data, name)


@login_required
def reporting_import(request: SignedInRequest, plan_pk: int, unit_pk: int) -> HttpResponse:
    plan, unit = _plan_and_unit(request, plan_pk, unit_pk)
    done_url = reverse("tracking:unit_dashboard", args=[plan.pk, unit.pk])
    return run_import(
        request,
        purpose="reporting",
        scope=f"{plan.pk}:{unit.pk}",
        read=lambda data: excel_reporting.read_report(plan, unit, data, by=request.user),
        write=lambda data: excel_reporting.import_report(
            plan, unit, data, by=request.user, on=today()
        ),
        context={
            "title": _("Nhập bảng báo cáo tiến độ của %(unit)s") % {"unit": unit.name},
            "back_url": reverse("tracking:reporting_index") + f"?plan={plan.pk}",
            "back_label": _("Bảng báo cáo của đơn vị"),
            "template_url": reverse("tracking:reporting_sheet", args=[plan.pk, unit.pk]),
            "columns": excel_reporting.COLUMNS,
            "sheet_name": excel_reporting.SHEET,
            "plan": plan,
            "unit": unit,
        },
        done_url=done_url,
        template="tracking/reporting_import.html",
    )
