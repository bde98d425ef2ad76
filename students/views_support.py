"""The teacher-training support pages (NĐ 116/2020/NĐ-CP as amended by NĐ 60/2025/NĐ-CP): figures
by programme for every member of the school; the supported students and the repayment list by
name for those who see names (the adviser their class, the faculty's heads its programmes, the
student affairs office and the leadership everyone; every view logged); following cases up, the
marks' import and the yearly report (the office and the leadership)."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.clock import today
from core.permissions import get_authorised
from core.requests import SignedInRequest
from core.sheets.flow import run_import
from core.sheets.writing import xlsx_response
from core.views import attempt
from students import excel_support, services, support
from students.forms import CaseStatusForm, SupportReportForm
from students.models_support import (
    CaseStatus,
    RepaymentCase,
    SupportGrant,
    SupportReport,
    SupportRule,
)
from students.papers import SUPPORT_REPORT_KIND
from students.support_report import report_data
from students.views import FIGURES, MANAGE, PAGE_SIZE, _named, _school

ALL_NAMES = "students.view_all_names"


@login_required
def support_page(request: SignedInRequest) -> HttpResponse:
    school = _school(request, FIGURES)
    day = today()
    current = SupportGrant.objects.active().filter(school=school)
    current = current.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    by_programme = Counter(
        current.values_list("student__cohort__programme__name", flat=True).order_by()
    )
    case_counts = Counter(
        RepaymentCase.objects.filter(school=school).values_list("status", flat=True).order_by()
    )
    named = _named(request, school)
    grants = cases = None
    if named is not None and named.exists():
        grants = Paginator(
            SupportGrant.objects.active()
            .filter(school=school, student__cohort__in=named)
            .select_related("student__cohort__programme")
            .order_by("student__cohort__code", "student__name_key", "pk"),
            PAGE_SIZE,
        ).get_page(request.GET.get("page"))
        cases = Paginator(
            RepaymentCase.objects.filter(school=school, student__cohort__in=named)
            .select_related("student__cohort", "rule")
            .order_by("-happened_on", "pk"),
            PAGE_SIZE,
        ).get_page(request.GET.get("cases"))
        services.log_personal_view(
            request.user, school.pk, what=_("Xem danh sách hưởng hỗ trợ sư phạm, bồi hoàn"),
            rows=len(grants.object_list) + len(cases.object_list),
        )  # fmt: skip
    can_manage = request.user.has_perm(MANAGE, school)
    context = {
        "school": school,
        "day": day,
        "by_programme": sorted(by_programme.items()),
        "supported": sum(by_programme.values()),
        "case_counts": [(label, case_counts.get(value, 0)) for value, label in CaseStatus.choices],
        "grants": grants,
        "cases": cases,
        "rules": SupportRule.in_force(day, school.pk),
        "can_manage": can_manage,
        "all_names": request.user.has_perm(ALL_NAMES, school),
        "reports": SupportReport.objects.filter(school=school),
        "paper_kind": SUPPORT_REPORT_KIND,
        "status_form": CaseStatusForm(),
        "report_form": SupportReportForm(
            initial={"school_year": day.year if day.month >= 9 else day.year - 1, "dated": day}
        ),
    }
    return render(request, "students/support.html", context)


def _refuse(message: str) -> None:
    raise support.SupportError(message)


@login_required
@require_POST
def case_status(request: SignedInRequest, pk: int) -> HttpResponse:
    school = _school(request, MANAGE)
    case = get_object_or_404(RepaymentCase.objects.filter(school=school), pk=pk)
    form = CaseStatusForm(request.POST)
    if not form.is_valid():
        attempt(request, lambda: _refuse(_("Tình trạng hoặc ghi chú không hợp lệ.")))
    else:
        attempt(
            request,
            lambda: support.set_case_status(case, by=request.user, **form.cleaned_data),
            success=_("Đã cập nhật tình trạng bồi hoàn."),
        )
    return redirect(reverse("students:support") + f"#case{case.pk}")


@login_required
@require_POST
def report_save(request: SignedInRequest) -> HttpResponse:
    school = _school(request, MANAGE)
    form = SupportReportForm(request.POST)
    if not form.is_valid():
        attempt(request, lambda: _refuse(_("Năm học hoặc ngày báo cáo không hợp lệ.")))
    else:
        attempt(
            request,
            lambda: support.save_report(school, by=request.user, **form.cleaned_data),
            success=_("Đã lập báo cáo; tải bản Word hoặc Excel ở danh sách báo cáo."),
        )
    return redirect(reverse("students:support") + "#reports")


@login_required
def report_xlsx(request: SignedInRequest, pk: int) -> HttpResponse:
    report = get_authorised(request.user, SupportReport.objects.all(), FIGURES, ALL_NAMES, pk=pk)
    data = report_data(report)
    services.log_personal_view(
        request.user, report.school_id, what=_("Xuất danh sách hưởng hỗ trợ sư phạm"),
        rows=len(data.lines) + len(data.cases),
    )  # fmt: skip
    return xlsx_response(
        excel_support.report_workbook(data),
        f"ho-tro-su-pham-{report.school_year}-{report.school_year + 1}.xlsx",
    )


@login_required
def import_grants(request: SignedInRequest) -> HttpResponse:
    school = _school(request, MANAGE)
    if request.GET.get("template"):
        return xlsx_response(excel_support.template_workbook(), "mau-huong-ho-tro-su-pham.xlsx")
    return run_import(
        request,
        purpose="students-support",
        scope=school.pk,
        read=lambda data: excel_support.read_grants(school, data),
        write=lambda data: excel_support.import_grants(school, data, by=request.user),
        context={
            "title": _("Nhập danh sách hưởng hỗ trợ sư phạm từ Excel"),
            "back_url": reverse("students:support"),
            "back_label": _("Hỗ trợ sư phạm"),
            "intro": _(
                "Mỗi dòng một người học hưởng hỗ trợ tiền đóng học phí, chi phí sinh hoạt (NĐ "
                "116/2020/NĐ-CP): ngày bắt đầu hưởng, cam kết, số tiền mỗi tháng nếu trường ghi. "
                "Người học phải thuộc ngành đào tạo giáo viên; nhận ra theo mã, hoặc họ tên và "
                "ngày sinh."
            ),
            "columns": excel_support.GRANT_COLUMNS,
            "sheet_name": excel_support.GRANTS_SHEET,
            "template_url": reverse("students:support_import") + "?template=1",
        },
        done_url=reverse("students:support"),
        errors=(services.StudentsError, support.SupportError),
    )
