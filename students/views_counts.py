"""Cohorts' headcounts at each count date: the figures for every member of the school (no name),
each beside the headcount the student list gives on the same day; their import from Excel (the
student affairs office and the leadership)."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.clock import today
from core.query import id_param
from core.requests import SignedInRequest
from core.sheets.flow import run_import
from core.sheets.writing import xlsx_response
from students import excel_counts, figures, services
from students.models import Cohort
from students.models_counts import CohortCount
from students.views import FIGURES, MANAGE, PAGE_SIZE, _school


def _with_listed(counts: list[CohortCount]) -> list[tuple[CohortCount, int]]:
    """Each count with the headcount (studying) the student list gives on its day: the rows'
    classes read at once (figures.Roll: two queries, whatever the number of rows)."""
    cohorts = {c.cohort_id: c.cohort for c in counts}
    roll = figures.Roll(cohorts.values())
    days: dict[int, list[CohortCount]] = defaultdict(list)
    for count in counts:
        days[count.cohort_id].append(count)
    listed: dict[int, int] = {}
    for cohort_id, rows in days.items():
        found = roll.counts_on(cohort_id, [r.counted_on for r in rows])
        for row, counter in zip(rows, found, strict=True):
            listed[row.pk] = counter["studying"]
    return [(c, listed[c.pk]) for c in counts]


@login_required
def headcounts(request: SignedInRequest) -> HttpResponse:
    school = _school(request, FIGURES)
    rows = (
        CohortCount.objects.filter(school=school, cohort__archived_at__isnull=True)
        .select_related("cohort__programme")
        .order_by("cohort__code", "-counted_on", "pk")
    )
    cohorts = list(
        Cohort.objects.active().filter(school=school).order_by("code").values_list("pk", "code")
    )
    chosen = id_param(request.GET, "cohort")
    if chosen is not None:
        rows = rows.filter(cohort_id=chosen)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            excel_counts.headcounts_workbook(_with_listed(list(rows))), "si-so-lop.xlsx"
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "school": school,
        "page": page,
        "lines": [(c, n, c.headcount - n) for c, n in _with_listed(list(page.object_list))],
        "cohorts": cohorts,
        "chosen": chosen,
        # A Sở keeps no students of its own: nothing to import there (students.access).
        "can_manage": school.is_school and request.user.has_perm(MANAGE, school),
    }
    return render(request, "students/headcounts.html", context)


@login_required
def import_headcounts(request: SignedInRequest) -> HttpResponse:
    school = _school(request, MANAGE)
    if request.GET.get("template"):
        return xlsx_response(excel_counts.template_workbook(), "mau-si-so-lop.xlsx")
    day = today()
    return run_import(
        request,
        purpose="students-headcounts",
        scope=school.pk,
        read=lambda data: excel_counts.read_headcounts(school, data, today=day),
        write=lambda data: excel_counts.import_headcounts(school, data, today=day, by=request.user),
        context={
            "title": _("Nhập sĩ số lớp theo ngày thống kê từ Excel"),
            "back_url": reverse("students:headcounts"),
            "back_label": _("Sĩ số lớp"),
            "intro": _(
                "Mỗi dòng một lớp tại một ngày thống kê, theo số liệu chương trình quản lý đào "
                "tạo xuất ra: mã lớp, ngày thống kê, sĩ số. Nhập lại cùng ngày thì sửa số đã có "
                "(giữ lịch sử)."
            ),
            "columns": excel_counts.HEADCOUNT_COLUMNS,
            "sheet_name": excel_counts.HEADCOUNTS_SHEET,
            "template_url": reverse("students:import_headcounts") + "?template=1",
        },
        done_url=reverse("students:headcounts"),
        errors=(services.StudentsError,),
    )
