"""Excel imports of units and people, of documents, and of a unit's reporting sheet.

Each page runs sheets.flow.run_import: upload → dry run (every row's action, every error with
row and column) → confirm → all or nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.clock import today
from core.permissions import get_authorised, require
from core.sheets import xlsx_response
from core.text import fold
from organisations.membership import membership_of
from organisations.models import Organisation
from organisations.permissions import member_school_id
from planning.models import Plan
from sheets import documents_import, people, reporting
from sheets.flow import run_import

REPORT_UNIT = "sheets.report_unit"


def _school(request: HttpRequest, perm: str) -> Organisation:
    """The user's school, if the user may `perm` in it (403 otherwise)."""
    school = get_object_or_404(Organisation, pk=member_school_id(request.user))
    require(request.user, perm, school)
    return school


def _slug(text: str) -> str:
    return "-".join(fold(text).replace("/", " ").split())[:60]


# Units and people ---------------------------------------------------------------------------


@login_required
def people_import(request: HttpRequest) -> HttpResponse:
    school = _school(request, "organisations.change_organisation")
    return run_import(
        request,
        purpose="people",
        scope=school.pk,
        read=lambda data: people.read_people(school, data).combined(),
        write=lambda data: people.import_people(school, data, by=request.user).combined(),
        context={
            "title": _("Nhập đơn vị và cán bộ, viên chức từ Excel"),
            "back_url": reverse("organisations:tree"),
            "back_label": _("Cơ cấu tổ chức"),
            "template_url": reverse("sheets:people_sheet"),
            "unit_columns": people.UNIT_COLUMNS,
            "people_columns": people.PEOPLE_COLUMNS,
            "unit_sheet": people.UNIT_SHEET,
            "people_sheet": people.PEOPLE_SHEET,
        },
        done_url=reverse("organisations:tree"),
        template="sheets/people_import.html",
    )


@login_required
def people_sheet(request: HttpRequest) -> HttpResponse:
    """The school's units and people in the import format: the sample file, filled in."""
    school = _school(request, "organisations.change_organisation")
    return xlsx_response(people.export_people(school), f"don-vi-can-bo-{_slug(str(school))}.xlsx")


# Documents ------------------------------------------------------------------------------------


@login_required
def documents_import_view(request: HttpRequest) -> HttpResponse:
    school = _school(request, "documents.register")
    return run_import(
        request,
        purpose="documents",
        scope=school.pk,
        read=lambda data: documents_import.read_documents(school, data),
        write=lambda data: documents_import.import_documents(school, data, by=request.user),
        context={
            "title": _("Nhập sổ văn bản từ Excel"),
            "back_url": reverse("documents:document_list"),
            "back_label": _("Sổ văn bản căn cứ"),
            "template_url": reverse("sheets:documents_export"),
            "columns": documents_import.COLUMNS,
            "sheet_name": documents_import.SHEET,
            "intro": _(
                "Mỗi dòng một văn bản. Văn bản đã có trong sổ (cùng số, ký hiệu và năm ban hành) "
                "được nhận ra: dòng đó cập nhật hoặc giữ nguyên văn bản, không tạo bản thứ hai. "
                "Ngày ban hành ghi ngày/tháng/năm (23/8/2023) hoặc để Excel định dạng ngày."
            ),
        },
        done_url=reverse("documents:document_list"),
    )


# A unit's reporting sheet ---------------------------------------------------------------------


def _plan_and_unit(request: HttpRequest, plan_pk: int, unit_pk: int) -> tuple[Plan, Organisation]:
    """404 for another school's plan or a unit outside it; 403 for a member who is not a head
    of the unit (or leadership)."""
    plan = get_authorised(
        request.user, Plan.objects.select_related("school"), "tracking.view_dashboard", pk=plan_pk
    )
    unit = get_object_or_404(Organisation.objects.active(), pk=unit_pk, school_id=plan.school_id)
    require(request.user, REPORT_UNIT, unit)
    return plan, unit


@login_required
def reporting_index(request: HttpRequest) -> HttpResponse:
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
    counts = reporting.task_counts(plan) if plan is not None else {}
    if membership.is_leadership or request.user.is_superuser:
        units = [u for u in units if counts.get(u.pk)]  # the whole school: units with tasks
    rows = [(unit, counts.get(unit.pk, 0)) for unit in units]
    context: dict[str, Any] = {"plans": plans, "plan": plan, "rows": rows}
    return render(request, "sheets/reporting_index.html", context)


@login_required
def reporting_sheet(request: HttpRequest, plan_pk: int, unit_pk: int) -> HttpResponse:
    plan, unit = _plan_and_unit(request, plan_pk, unit_pk)
    day = today()
    data = reporting.reporting_workbook(plan, unit, on=day)
    name = f"bao-cao-tien-do-{_slug(unit.short_name or unit.name)}-{day:%Y-%m-%d}.xlsx"
    return xlsx_response(data, name)


@login_required
def reporting_import(request: HttpRequest, plan_pk: int, unit_pk: int) -> HttpResponse:
    plan, unit = _plan_and_unit(request, plan_pk, unit_pk)
    done_url = reverse("tracking:unit_dashboard", args=[plan.pk, unit.pk])
    return run_import(
        request,
        purpose="reporting",
        scope=f"{plan.pk}:{unit.pk}",
        read=lambda data: reporting.read_report(plan, unit, data, by=request.user),
        write=lambda data: reporting.import_report(plan, unit, data, by=request.user, on=today()),
        context={
            "title": _("Nhập bảng báo cáo tiến độ của %(unit)s") % {"unit": unit.name},
            "back_url": reverse("sheets:reporting_index") + f"?plan={plan.pk}",
            "back_label": _("Bảng báo cáo của đơn vị"),
            "template_url": reverse("sheets:reporting_sheet", args=[plan.pk, unit.pk]),
            "columns": reporting.COLUMNS,
            "sheet_name": reporting.SHEET,
            "plan": plan,
            "unit": unit,
        },
        done_url=done_url,
        template="sheets/reporting_import.html",
    )
