"""The teacher-training support pages (NĐ 116/2020/NĐ-CP as amended by NĐ 60/2025/NĐ-CP): figures
by programme for every member of the school; the supported students and the repayment list by
name for those who see names (the adviser their class, the faculty's heads its programmes, the
student affairs office and the leadership everyone; every view logged); following cases up, the
marks' import and the yearly report (the office and the leadership), as are marking one student
by hand, ending or taking off a mark, and the school's own repayment grounds: every edit form
carries the version it was opened at, and a save made in between is refused (409)."""

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

from core.clock import school_year_of, today
from core.permissions import get_authorised
from core.query import id_param
from core.requests import SignedInRequest
from core.sheets.flow import run_import
from core.sheets.writing import xlsx_response
from core.views import attempt, render_form
from students import excel_support, services, support
from students.forms import (
    CaseStatusForm,
    EndSupportRuleForm,
    SupportGrantForm,
    SupportReportForm,
    SupportRuleForm,
    UnmarkForm,
)
from students.models import Student
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
        "own_rules": SupportRule.objects.filter(school=school).order_by("-valid_from", "pk"),
        "can_manage": can_manage,
        "all_names": request.user.has_perm(ALL_NAMES, school),
        "reports": SupportReport.objects.filter(school=school),
        "paper_kind": SUPPORT_REPORT_KIND,
        "status_form": CaseStatusForm(),
        "report_form": SupportReportForm(
            initial={"school_year": school_year_of(day), "dated": day}
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


# Marks and the school's own grounds, by hand ------------------------------------------------


@login_required
def grant_form(request: SignedInRequest, student_pk: int) -> HttpResponse:
    """Mark one student as supported, or change their mark (ending it with "Đến ngày")."""
    school = _school(request, MANAGE)
    student = get_object_or_404(
        Student.objects.active().select_related("cohort__programme"), pk=student_pk, school=school
    )
    grant = SupportGrant.objects.active().filter(student=student).first()
    form = SupportGrantForm(
        request.POST or None,
        instance=grant or SupportGrant(school=school, student=student),
        initial=None if grant else {"starts_on": student.entered_on},
    )
    if request.method == "POST" and form.is_valid():
        # A form opened on a mark taken off since posts that mark's version: the service refuses
        # it (409) rather than mark the student again unawares.
        expected = form.expected_version if grant is not None else id_param(request.POST, "version")
        done = attempt(
            request,
            lambda: support.mark_supported(
                student, by=request.user, expected_version=expected, **form.service_data()
            ),
            form=form,
            success=_("Đã lưu đánh dấu hưởng hỗ trợ."),
        )  # fmt: skip
        if done:
            return redirect("students:student", pk=student.pk)
    name = f"{student.code or '—'} {student.full_name}"
    services.log_personal_view(
        request.user, school.pk, what=_("Đánh dấu hưởng hỗ trợ sư phạm"), student=student
    )
    return render_form(
        request,
        form,
        title=(
            _("Sửa đánh dấu hưởng hỗ trợ: %(n)s") if grant else _("Đánh dấu hưởng hỗ trợ: %(n)s")
        )
        % {"n": name},
        back=reverse("students:student", args=[student.pk]),
        intro=_(
            "Hỗ trợ tiền đóng học phí, chi phí sinh hoạt cho sinh viên sư phạm (NĐ 116/2020/NĐ-CP, "
            "sửa đổi bởi NĐ 60/2025/NĐ-CP). Thôi hưởng: ghi “Đến ngày”. Một thay đổi tình trạng "
            "đã ghi sau ngày bắt đầu hưởng mà quy định nêu sẽ đưa người học vào danh sách bồi hoàn."
        ),
    )


@login_required
def grant_unmark(request: SignedInRequest, pk: int) -> HttpResponse:
    """Take off a mark given by mistake (archived, its history kept)."""
    school = _school(request, MANAGE)
    grant = get_object_or_404(
        SupportGrant.objects.active().select_related("student"), pk=pk, school=school
    )
    form = UnmarkForm(request.POST or None, instance=grant)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: support.unmark(grant, by=request.user, expected_version=form.expected_version),
            form=form,
            success=_("Đã bỏ đánh dấu hưởng hỗ trợ."),
        )
        if done:
            return redirect("students:student", pk=grant.student_id)
    services.log_personal_view(
        request.user, school.pk, what=_("Bỏ đánh dấu hưởng hỗ trợ sư phạm"), student=grant.student
    )
    return render_form(
        request,
        form,
        title=_("Bỏ đánh dấu hưởng hỗ trợ: %(n)s")
        % {"n": f"{grant.student.code or '—'} {grant.student.full_name}"},
        back=reverse("students:student", args=[grant.student_id]),
        submit=_("Bỏ đánh dấu"),
        intro=_(
            "Chỉ dùng khi đánh dấu nhầm. Người học thôi hưởng hỗ trợ thì sửa đánh dấu, ghi “Đến "
            "ngày”. Đánh dấu được lưu trữ cùng lịch sử, không xóa."
        ),
    )


@login_required
def rule_form(request: SignedInRequest) -> HttpResponse:
    """A repayment ground of the school's own regulation, dated, with its source."""
    school = _school(request, MANAGE)
    form = SupportRuleForm(request.POST or None, triggers=support.SCHOOL_TRIGGERS)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: support.save_school_rule(school, by=request.user, **form.service_data()),
            form=form,
            success=_("Đã thêm quy định bồi hoàn của trường."),
        )
        if done:
            return redirect(reverse("students:support") + "#support-rules")
    return render_form(
        request,
        form,
        title=_("Thêm quy định bồi hoàn của trường"),
        back=reverse("students:support") + "#support-rules",
        intro=_(
            "Quy định của trường bổ sung các trường hợp phải bồi hoàn bên cạnh quy định của Nhà "
            "nước đang áp dụng, từ ngày ghi ở đây. Muốn đổi quy định: cho quy định cũ thôi áp "
            "dụng rồi thêm quy định mới."
        ),
    )


@login_required
def rule_end(request: SignedInRequest, pk: int) -> HttpResponse:
    school = _school(request, MANAGE)
    rule = get_object_or_404(SupportRule.objects.filter(school=school), pk=pk)
    form = EndSupportRuleForm(request.POST or None, instance=rule, initial={"on": today()})
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: support.end_school_rule(
                rule, on=form.cleaned_data["on"], by=request.user,
                expected_version=form.expected_version,
            ),
            form=form,
            success=_("Quy định của trường thôi áp dụng."),
        )  # fmt: skip
        if done:
            return redirect(reverse("students:support") + "#support-rules")
    return render_form(
        request,
        form,
        title=_("Thôi áp dụng quy định: %(n)s") % {"n": rule.name},
        back=reverse("students:support") + "#support-rules",
        submit=_("Thôi áp dụng"),
        intro=_("Căn cứ: %(s)s; áp dụng từ %(d)s.")
        % {"s": rule.source, "d": rule.valid_from.strftime("%d/%m/%Y")},
    )
