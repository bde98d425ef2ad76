"""Units and people in Excel: the people list's export (with the list's search), the units and
people sheet (the import's sample file, filled in) and its import, upload → dry run → confirm
(core/sheets/flow.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from core.permissions import require
from core.requests import SignedInRequest
from core.sheets.flow import run_import
from core.sheets.writing import file_slug, xlsx_response
from organisations import excel
from organisations import services as organisations_services
from organisations.membership import membership_of
from organisations.models import Organisation
from organisations.permissions import member_school_id

CHANGE = "organisations.change_organisation"


def _school(request: HttpRequest) -> Organisation:
    """The user's school, if the user may change its units and people (403 otherwise)."""
    school = get_object_or_404(Organisation, pk=member_school_id(request.user))
    require(request.user, CHANGE, school)
    return school


@login_required
def people_export(request: SignedInRequest) -> HttpResponse:
    """The school's people with their current positions, with the list's search."""
    require(request.user, "organisations.browse")
    people = organisations_services.people_list(membership_of(request.user).school_id, request.GET)
    return xlsx_response(excel.people_workbook(people), _("Nhân sự.xlsx"))


@login_required
def people_import(request: SignedInRequest) -> HttpResponse:
    school = _school(request)
    return run_import(
        request,
        purpose="people",
        scope=school.pk,
        read=lambda data: excel.read_people(school, data).combined(),
        write=lambda data: excel.import_people(school, data, by=request.user).combined(),
        context={
            "title": _("Nhập đơn vị và cán bộ, viên chức từ Excel"),
            "back_url": reverse("organisations:tree"),
            "back_label": _("Cơ cấu tổ chức"),
            "template_url": reverse("organisations:people_sheet"),
            "unit_columns": excel.UNIT_COLUMNS,
            "people_columns": excel.PEOPLE_COLUMNS,
            "unit_sheet": excel.UNIT_SHEET,
            "people_sheet": excel.PEOPLE_SHEET,
        },
        done_url=reverse("organisations:tree"),
        template="organisations/people_import.html",
    )


@login_required
def people_sheet(request: SignedInRequest) -> HttpResponse:
    """The school's units and people in the import format: the sample file, filled in."""
    school = _school(request)
    return xlsx_response(
        excel.export_people(school), f"don-vi-can-bo-{file_slug(str(school))}.xlsx"
    )
