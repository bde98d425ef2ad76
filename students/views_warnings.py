"""Early warning pages: a semester's students at risk with why (the adviser sees their class, the
faculty's heads its programmes, the student affairs office and the leadership everyone; every
view logged), follow-up as a plan task, the outcome, and the term results import."""

from __future__ import annotations

from html import escape

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.clock import today
from core.permissions import require
from core.query import id_param
from core.requests import SignedInRequest
from core.sheets.flow import run_import
from core.sheets.writing import xlsx_response
from core.views import attempt
from organisations.membership import membership_of
from planning.queries import current_plan
from students import alerts, excel_results, services, warning_rows
from students.forms import FollowUpForm, OutcomeForm, RuleForm
from students.models import AcademicWarning, WarningRule
from students.views import FIGURES, MANAGE, PAGE_SIZE, _named, _school

FOLLOW_UP = "students.follow_up_warning"
OUTCOME = "students.record_outcome"


def _term(value: str, terms: list[tuple[int, int]]) -> tuple[int, int] | None:
    # Compared as written ("2023-1"), never converted: a query string may hold anything.
    for term in terms:
        if value == f"{term[0]}-{term[1]}":
            return term
    return terms[0] if terms else None


@login_required
def warnings(request: SignedInRequest) -> HttpResponse:
    school = _school(request, FIGURES)
    named = _named(request, school)
    if named is None or not named.exists():
        raise PermissionDenied
    terms = list(
        AcademicWarning.objects.filter(school=school)
        .values_list("school_year", "semester")
        .distinct()
        .order_by("-school_year", "-semester")
    )
    term = _term(request.GET.get("term", ""), terms)
    rows = AcademicWarning.objects.none()
    if term is not None:
        rows = (
            AcademicWarning.objects.filter(
                school=school, school_year=term[0], semester=term[1],
                student__cohort__in=named, student__archived_at__isnull=True,
            )
            .select_related("student__cohort__programme", "student__cohort__adviser", "task")
            .order_by("student__cohort__code", "student__name_key", "pk")
        )  # fmt: skip
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    services.log_personal_view(
        request.user, school.pk, what=_("Xem danh sách cảnh báo người học"),
        rows=len(page.object_list),
    )  # fmt: skip
    membership = membership_of(request.user)
    everyone = request.user.has_perm(MANAGE, school)
    person_id = membership.person.pk if membership.person else None
    lines = []
    for warning in page.object_list:
        cohort = warning.student.cohort
        follows = everyone or membership.heads_unit(cohort.programme.faculty_id)
        lines.append((warning, follows, follows or cohort.adviser_id == person_id))
    day = alerts.term_day(*term) if term else today()
    plan = current_plan()
    # What a follow-up serves: a task of the school's plan, the one chosen last offered first.
    school_tasks = (
        list(
            plan.tasks.active()
            .school_level()
            .order_by("order", "pk")
            .values_list("pk", "code", "title")
        )
        if plan is not None and plan.school_id == school.pk
        else []
    )
    last = (
        AcademicWarning.objects.filter(school=school, task__isnull=False)
        .order_by("-pk")
        .values_list("task__serves_id", flat=True)
        .first()
    )
    ids = {pk for pk, _code, _title in school_tasks}
    wanted = id_param(request.GET, "serves")
    chosen = wanted if wanted in ids else last if last in ids else None
    context = {
        "school_tasks": school_tasks,
        "task_options": _task_options(school_tasks, chosen),
        "serves": chosen,
        "school": school,
        "terms": terms,
        "term": term,
        "page": page,
        "lines": lines,
        # Written in Python: the template engine took two thirds of the page's time for them.
        "rows": warning_rows.rows_html(lines, chosen, get_token(request)),
        "rules": sorted(WarningRule.in_force(day, school.pk), key=lambda r: (r.key, r.from_term)),
        "can_manage": everyone,
        "follow_form": FollowUpForm(),
        "rule_form": RuleForm() if everyone else None,
        "outcome_form": OutcomeForm(),
    }
    return render(request, "students/warnings.html", context)


def _task_options(tasks: list[tuple[int, str, str]], chosen: int | None) -> SafeString:
    """The follow-up's choice of the school's tasks, written in Python: a university's plan has
    hundreds, which the template engine took most of the page's time to write (and, as model
    instances, one query each for their plan)."""
    options = []
    for pk, code, title in tasks:
        selected = " selected" if pk == chosen else ""
        # Truncator only for a long title: 500 of them cost milliseconds each request.
        short = title if len(title) <= 80 else Truncator(title).chars(80)
        label = escape(f"{code}. {short}")
        options.append(f'<option value="{pk}"{selected}>{label}</option>')
    return mark_safe("".join(options))  # every value above is escaped


def _warning(request: SignedInRequest, pk: int, perm: str) -> AcademicWarning:
    school = _school(request, FIGURES)
    warning = get_object_or_404(
        AcademicWarning.objects.select_related("student__cohort__programme"), pk=pk, school=school
    )
    require(request.user, perm, warning.student)
    return warning


def _back(warning: AcademicWarning) -> HttpResponse:
    term = f"{warning.school_year}-{warning.semester}"
    return redirect(f"{reverse('students:warnings')}?term={term}#w{warning.pk}")


@login_required
@require_POST
def follow_up(request: SignedInRequest, pk: int) -> HttpResponse:
    warning = _warning(request, pk, FOLLOW_UP)
    form = FollowUpForm(request.POST)
    plan = current_plan()
    if plan is None or plan.school_id != warning.school_id:
        attempt(request, lambda: _refuse(_("Trường chưa có kế hoạch năm học.")))
    elif not form.is_valid():
        attempt(request, lambda: _refuse(_("Hạn theo dõi không hợp lệ (ngày/tháng/năm).")))
    else:
        serves = plan.tasks.active().school_level().filter(pk=id_param(request.POST, "serves"))
        attempt(
            request,
            lambda: alerts.follow_up(
                warning,
                plan=plan,
                due=form.cleaned_data["due"],
                serves=serves.first(),
                by=request.user,
            ),
            success=_("Đã giao nhiệm vụ theo dõi trong kế hoạch."),
        )
    return _back(warning)


@login_required
@require_POST
def outcome(request: SignedInRequest, pk: int) -> HttpResponse:
    warning = _warning(request, pk, OUTCOME)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        attempt(request, lambda: _refuse(_("Cần ghi kết quả xử lý (tối đa 2000 ký tự).")))
    else:
        attempt(
            request,
            lambda: alerts.record_outcome(
                warning, outcome=form.cleaned_data["outcome"], on=today(), by=request.user
            ),
            success=_("Đã ghi kết quả xử lý."),
        )
    return _back(warning)


@login_required
@require_POST
def rule_add(request: SignedInRequest) -> HttpResponse:
    """A condition of the school's own regulation (the leadership, the student affairs office)."""
    school = _school(request, MANAGE)
    form = RuleForm(request.POST)
    if not form.is_valid():
        attempt(
            request, lambda: _refuse(_("Điều kiện, ngưỡng, học kỳ, ngày hoặc căn cứ không hợp lệ."))
        )
    else:
        data = form.cleaned_data
        attempt(
            request,
            lambda: alerts.save_rule(school, by=request.user, **data),
            success=_("Đã thêm điều kiện cảnh báo của trường."),
        )
    return redirect(reverse("students:warnings") + "#rules")


@login_required
@require_POST
def rule_end(request: SignedInRequest, pk: int) -> HttpResponse:
    school = _school(request, MANAGE)
    rule = get_object_or_404(WarningRule.objects.filter(school=school), pk=pk)
    attempt(
        request,
        lambda: alerts.end_rule(rule, on=today(), by=request.user),
        success=_("Điều kiện thôi áp dụng từ hôm nay."),
    )
    return redirect(reverse("students:warnings") + "#rules")


def _refuse(message: str) -> None:
    raise alerts.WarningError(message)


@login_required
def import_results(request: SignedInRequest) -> HttpResponse:
    school = _school(request, MANAGE)
    if request.GET.get("template"):
        return xlsx_response(excel_results.template_workbook(), "mau-ket-qua-hoc-ky.xlsx")
    return run_import(
        request,
        purpose="students-results",
        scope=school.pk,
        read=lambda data: excel_results.read_results(school, data),
        write=lambda data: excel_results.import_results(school, data, by=request.user),
        context={
            "title": _("Nhập kết quả học kỳ từ Excel"),
            "back_url": reverse("students:warnings"),
            "back_label": _("Cảnh báo"),
            "intro": _(
                "Mỗi dòng một người học trong một học kỳ: điểm trung bình học kỳ và tích lũy "
                "(thang 4), tín chỉ đăng ký, không đạt, nợ tồn đọng, số buổi nghỉ, học phí còn "
                "nợ, điểm rèn luyện (để trống nếu không có). Người học thuộc diện cảnh báo theo "
                "các điều kiện đang áp dụng được liệt kê sau khi nhập."
            ),
            "columns": excel_results.RESULT_COLUMNS,
            "sheet_name": excel_results.RESULTS_SHEET,
            "template_url": reverse("students:import_results") + "?template=1",
        },
        done_url=reverse("students:warnings"),
        errors=(services.StudentsError, alerts.WarningError),
    )
