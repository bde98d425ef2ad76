"""Excel pages: the exports of every list, and the import of a plan's targets and tasks.

Each export honours the permission and the filters of its list page, and is built in a fixed
number of queries. The import goes upload → dry run → confirm (sheets/flow.py).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from core.clock import today
from core.permissions import get_authorised, require
from core.query import date_param, id_param
from core.sheets import xlsx_response
from documents import services as documents_services
from organisations import services as organisations_services
from organisations.membership import membership_of
from organisations.models import Organisation
from planning import services as planning_services
from planning.models import Plan
from sheets import exports, plan_import
from sheets.flow import run_import
from tracking import dashboard as figures
from tracking.filters import filter_tasks

VIEW_PLAN = "planning.view_plan"
CHANGE_PLAN = "planning.change_plan"
VIEW_DASHBOARD = "tracking.view_dashboard"


def _plan(request: HttpRequest, pk: int, view: str = VIEW_PLAN, perm: str | None = None) -> Plan:
    return get_authorised(request.user, Plan.objects.select_related("school"), view, perm, pk=pk)


def _day(request: HttpRequest, plan: Plan) -> dt.date:
    """The day statuses are read on, as on the task list: ?on=dd/mm/yyyy, else today."""
    return date_param(request.GET, "on") or figures.default_day(plan, today())


def _year(plan: Plan) -> str:
    return f"{plan.start_year}-{plan.start_year + 1}"


@login_required
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole plan (targets and the task tree): the file the import reads back."""
    plan = _plan(request, pk)
    data = exports.plan_workbook(plan, _day(request, plan))
    return xlsx_response(data, _("Kế hoạch %(year)s.xlsx") % {"year": _year(plan)})


@login_required
def tasks_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The task list with its filters (status, matrix cell, unit, lead unit, area, search)."""
    plan = _plan(request, pk, VIEW_DASHBOARD)
    on = _day(request, plan)
    tasks = filter_tasks(plan, request.GET, on).tasks
    return xlsx_response(
        exports.tasks_workbook(tasks, on), _("Nhiệm vụ %(year)s.xlsx") % {"year": _year(plan)}
    )


@login_required
def targets_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's targets (a unit's, with ?unit=), with the actual value and its state."""
    plan = _plan(request, pk)
    unit = None
    unit_id = id_param(request.GET, "unit")
    if unit_id is not None:
        unit = Organisation.objects.filter(pk=unit_id, school_id=plan.school_id).first()
    return xlsx_response(
        exports.targets_workbook(exports.targets_for_export(plan, unit)),
        _("Chỉ tiêu %(year)s.xlsx") % {"year": _year(plan)},
    )


@login_required
def checkins_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Check-ins on the tasks of the task list, with the same filters."""
    plan = _plan(request, pk, VIEW_DASHBOARD)
    tasks = filter_tasks(plan, request.GET, _day(request, plan)).tasks
    return xlsx_response(
        exports.checkins_workbook(tasks),
        _("Báo cáo tiến độ %(year)s.xlsx") % {"year": _year(plan)},
    )


@login_required
def documents_export(request: HttpRequest) -> HttpResponse:
    """The document register, with the list's search and type filter."""
    school_id = membership_of(request.user).school_id
    documents = documents_services.register_list(school_id, request.GET)
    return xlsx_response(exports.documents_workbook(documents), _("Sổ văn bản.xlsx"))


@login_required
def people_export(request: HttpRequest) -> HttpResponse:
    """The school's people with their current positions, with the list's search."""
    require(request.user, "organisations.browse")
    people = organisations_services.people_list(membership_of(request.user).school_id, request.GET)
    return xlsx_response(exports.people_workbook(people), _("Nhân sự.xlsx"))


@login_required
def plan_import_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload → dry run (every row's action and error) → confirm: all rows or none."""
    plan = _plan(request, pk, VIEW_PLAN, CHANGE_PLAN)
    if plan.is_issued and request.method == "GET":
        try:
            planning_services.ensure_editable(plan)
        except planning_services.PlanningError as error:
            messages.warning(request, str(error))
    return run_import(
        request,
        purpose="plan",
        scope=plan.pk,
        read=lambda data: plan_import.read_plan(plan, data).result,
        write=lambda data: plan_import.import_plan(plan, data, by=request.user),
        context={
            "title": _("Nhập chỉ tiêu và nhiệm vụ từ Excel: %(plan)s") % {"plan": plan},
            "back_url": reverse("planning:plan_detail", args=[plan.pk]),
            "back_label": str(plan),
            "intro": _(
                "Tệp có trang tính “Chỉ tiêu” và/hoặc “Nhiệm vụ”, như tệp tải về từ kế hoạch. "
                "Chỉ tiêu được nhận theo mã (hoặc tên), nhiệm vụ theo số thứ tự; cột “Thuộc "
                "nhiệm vụ” ghi số thứ tự của nhiệm vụ cấp trên; đơn vị ghi tên hoặc mã, nhiều "
                "đơn vị phối hợp cách nhau bằng dấu chấm phẩy. Những gì tệp không nhắc đến "
                "được giữ nguyên."
            ),
            "columns": plan_import.TASK_COLUMNS,
            "template_url": reverse("sheets:plan_export", args=[plan.pk]),
            "plan": plan,
        },
        done_url=reverse("planning:plan_detail", args=[plan.pk]),
    )
