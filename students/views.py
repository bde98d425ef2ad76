"""Students pages: programmes and quotas, enrolment against quota, the cohort × term retention
matrix with its drill-down, dropout, the named lists (logged), imports and exports."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.clock import today
from core.permissions import get_authorised, require
from core.requests import SignedInHtmxRequest, SignedInRequest
from core.sheets.flow import run_import
from core.sheets.writing import xlsx_response
from core.views import attempt, render_form
from organisations.models import Organisation
from students import excel, figures, services, versions
from students.access import member_school
from students.forms import ChangeForm, CohortForm, EnrolmentCountForm, ProgrammeForm, QuotaForm
from students.models import Cohort, Intake, Level, Programme, Reason, Status, StatusChange, Student
from students.models_support import RepaymentCase, SupportGrant
from students.retention_rows import rows_html
from students.rules import named_cohorts

FIGURES = "students.view_figures"
MANAGE = "students.manage"
NAMES = "students.view_names"
PAGE_SIZE = 50


def _school(request: SignedInRequest, perm: str = FIGURES) -> Organisation:
    return member_school(request, perm, figures=FIGURES)


def _cohorts(school: Organisation) -> list[Cohort]:
    return list(
        Cohort.objects.active()
        .filter(school=school)
        .select_related("programme")
        .order_by("programme__level", "programme__code", "-intake_year", "code")
    )


def _named(request: SignedInRequest, school: Organisation) -> QuerySet[Cohort] | None:
    """The cohorts whose names the user may see, None when none."""
    condition = named_cohorts(request.user, school.pk)
    if condition is None:
        return None
    return Cohort.objects.active().filter(condition, school=school)


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    school = _school(request)
    day = today()

    def compute() -> tuple[list[int], list[figures.ScaleRow], list[tuple[dt.date, dict[str, int]]]]:
        cohorts = _cohorts(school)
        past = [dt.date(day.year - n, 12, 31) for n in range(4, 0, -1)] + [day]
        years, rows = figures.scale(cohorts, day)
        return years, rows, figures.scale_over_years(cohorts, past)

    years, rows, series = versions.cached(school.pk, "scale", day, compute)
    named = _named(request, school)
    context = {
        "school": school,
        "day": day,
        "years": years,
        "rows": [(r, [r.by_year.get(y, 0) for y in years]) for r in rows],
        "series": [
            (on, [by_level.get(value, 0) for value, _label in Level.choices])
            for on, by_level in series
        ],
        "levels": Level.choices,
        "can_manage": request.user.has_perm(MANAGE, school),
        "can_see_names": named is not None and named.exists(),
        "can_see_log": request.user.has_perm("students.view_all_names", school),
    }
    return render(request, "students/home.html", context)


# Programmes and quotas -------------------------------------------------------------------------


@login_required
def programmes(request: SignedInRequest) -> HttpResponse:
    school = _school(request)
    rows = list(Programme.objects.active().filter(school=school).select_related("faculty"))
    first = today().year - 3
    intakes = Intake.objects.filter(programme__in=rows, year__gte=first)
    quotas = {(i.programme_id, i.year): i for i in intakes}
    years = list(range(first, today().year + 2))
    context = {
        "school": school,
        "rows": [(p, [quotas.get((p.pk, y)) for y in years]) for p in rows],
        "years": years,
        "can_manage": request.user.has_perm(MANAGE, school),
        "quota_form": QuotaForm(initial={"year": today().year}),
    }
    return render(request, "students/programmes.html", context)


@login_required
def programme_form(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    school = _school(request, MANAGE)
    programme = (
        get_object_or_404(Programme.objects.active(), pk=pk, school=school)
        if pk
        else Programme(school=school)
    )
    form = ProgrammeForm(request.POST or None, instance=programme, school_id=school.pk)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: services.save_programme(form.instance, by=request.user),
            form=form,
            success=_("Đã lưu ngành/nghề."),
        )
        if done:
            return redirect("students:programmes")
    title = _("Sửa ngành/nghề") if pk else _("Thêm ngành/nghề đào tạo")
    return render_form(request, form, title=title, back=reverse("students:programmes"))


@login_required
@require_POST
def quota_set(request: SignedInRequest, pk: int) -> HttpResponse:
    school = _school(request, MANAGE)
    programme = get_object_or_404(Programme.objects.active(), pk=pk, school=school)
    form = QuotaForm(request.POST)
    if not form.is_valid():
        attempt(request, lambda: _refuse(_("Năm hoặc chỉ tiêu không hợp lệ.")))
        return redirect("students:programmes")
    attempt(
        request,
        lambda: services.set_quota(
            programme, form.cleaned_data["year"], form.cleaned_data["quota"], by=request.user
        ),
        success=_("Đã lưu chỉ tiêu."),
    )
    return redirect("students:programmes")


def _refuse(message: str) -> None:
    raise services.StudentsError(message)


@login_required
def intake(request: SignedInRequest, pk: int) -> HttpResponse:
    """One intake: its quota and every count taken of it; a new count (managers)."""
    school = _school(request)
    item = get_object_or_404(
        Intake.objects.select_related("programme"), pk=pk, programme__school=school
    )
    can_manage = request.user.has_perm(MANAGE, school)
    form = EnrolmentCountForm(request.POST or None)
    if request.method == "POST":
        require(request.user, MANAGE, school)
        if form.is_valid():
            data = form.cleaned_data
            done = attempt(
                request,
                lambda: services.record_enrolment(item, by=request.user, **data),
                form=form,
                success=_("Đã ghi số liệu tuyển sinh."),
            )
            if done:
                return redirect("students:intake", pk=item.pk)
    context = {
        "intake": item,
        "counts": item.counts.all(),
        "form": form,
        "can_manage": can_manage,
    }
    return render(request, "students/intake.html", context, status=400 if form.errors else 200)


@login_required
def enrolment(request: SignedInRequest) -> HttpResponse:
    school = _school(request)
    table = figures.enrolment_table(school.pk, today())
    if request.GET.get("format") == "xlsx":
        return xlsx_response(excel.enrolment_workbook(table), "tuyen-sinh-so-voi-chi-tieu.xlsx")
    context = {
        "school": school,
        "table": table,
        "rows": [(e, [e.years.get(y) for y in table.years]) for e in table.rows],
        "totals": [table.total[y] for y in table.years],
    }
    return render(request, "students/enrolment.html", context)


@login_required
def programmes_xlsx(request: SignedInRequest) -> HttpResponse:
    school = _school(request)
    return xlsx_response(excel.programmes_workbook(school.pk), "nganh-nghe-dao-tao.xlsx")


# Cohorts, retention, dropout -----------------------------------------------------------------


@login_required
def retention(request: SignedInRequest) -> HttpResponse:
    school = _school(request)
    day = today()

    def matrix() -> tuple[list[int], list[figures.CohortLine]]:
        return versions.cached(
            school.pk, "retention", day, lambda: figures.retention_matrix(_cohorts(school), day)
        )

    if request.GET.get("format") == "xlsx":
        return xlsx_response(excel.retention_workbook(*matrix()), "duy-tri-si-so.xlsx")
    named = _named(request, school)
    condition = named_cohorts(request.user, school.pk)
    if condition is not None and not condition:  # every class named (an empty Q): one rendering
        terms, rows, count = versions.cached(
            school.pk, "retention-rows-named", day, lambda: _matrix_rows(matrix(), None)
        )
    elif named is None:  # no class named
        terms, rows, count = versions.cached(
            school.pk, "retention-rows", day, lambda: _matrix_rows(matrix(), set())
        )
    else:
        terms, rows, count = _matrix_rows(matrix(), set(named.values_list("pk", flat=True)))
    context = {
        "school": school,
        "terms": [(t, figures.term_label(t)) for t in terms],
        "lines": count,
        "rows": rows,
        "can_manage": request.user.has_perm(MANAGE, school),
    }
    return render(request, "students/retention.html", context)


def _matrix_rows(
    matrix: tuple[list[int], list[figures.CohortLine]], named_ids: set[int] | None
) -> tuple[list[int], str, int]:
    """(the terms, the rows' HTML, how many classes); `named_ids` None: every class named."""
    terms, lines = matrix
    ids = {line.cohort.pk for line in lines} if named_ids is None else named_ids
    return terms, rows_html(lines, ids), len(lines)


@login_required
def retention_cell(request: SignedInHtmxRequest, pk: int, term: int) -> HttpResponse:
    """The drill-down of one cell: the cohort's students by status at the end of the term,
    with their reasons; names only for those who may see them."""
    school = _school(request)
    cohort = get_object_or_404(
        Cohort.objects.active().select_related("programme"), pk=pk, school=school
    )
    if not 1 <= term <= cohort.terms:
        raise Http404
    day = min(figures.term_end(cohort, term), today())
    roll = figures.Roll([cohort])
    counts = roll.counts(cohort.pk, day)
    reasons: Counter[tuple[str, str]] = Counter()
    for changes in roll.changes.get(cohort.pk, {}).values():
        last = None
        for on, kind, reason in changes:
            if on <= day:
                last = (kind, reason)
        if last and last[0] != "returned":
            reasons[last] += 1
    context = {
        "cohort": cohort,
        "term": figures.term_label(term),
        "term_number": term,
        "day": day,
        "entered": roll.entered(cohort.pk, day),
        "counts": [(Status(s).label, n) for s, n in counts.items() if n],
        "reasons": [
            (Status(figures.STATUS_AFTER[k]).label, Reason(r).label, n)
            for (k, r), n in sorted(reasons.items())
        ],
        "can_see_names": request.user.has_perm(NAMES, cohort),
    }
    template = "students/_cell.html" if request.htmx else "students/cell.html"
    return render(request, template, context)


@login_required
def dropout(request: SignedInRequest) -> HttpResponse:
    school = _school(request)
    result = versions.cached(school.pk, "dropout", today(), lambda: figures.dropout(school.pk))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(excel.dropout_workbook(result), "bo-hoc.xlsx")
    rows = [
        (
            programme,
            result.entered.get(programme.pk, 0),
            [result.by_reason.get((programme.pk, value), 0) for value, _l in result.reasons],
            sum(n for (p, _r), n in result.by_reason.items() if p == programme.pk),
            result.rate(programme.pk),
            [result.by_year.get((programme.pk, year), 0) for year in result.years],
        )
        for programme in result.programmes
    ]
    context = {"school": school, "result": result, "rows": rows}
    return render(request, "students/dropout.html", context)


@login_required
def cohort_form(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    school = _school(request, MANAGE)
    cohort = (
        get_object_or_404(Cohort.objects.active(), pk=pk, school=school)
        if pk
        else Cohort(school=school)
    )
    form = CohortForm(request.POST or None, instance=cohort, school_id=school.pk)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: services.save_cohort(form.instance, by=request.user),
            form=form,
            success=_("Đã lưu lớp."),
        )
        if done:
            return redirect("students:retention")
    title = _("Sửa lớp") if pk else _("Thêm lớp")
    return render_form(request, form, title=title, back=reverse("students:retention"))


# Named lists: personal data, every view logged -------------------------------------------------


@login_required
def cohort(request: SignedInRequest, pk: int) -> HttpResponse:
    """A class's students by name (the adviser, the faculty, the office, the leadership)."""
    item = get_authorised(
        request.user,
        Cohort.objects.active().select_related("programme", "adviser"),
        FIGURES,
        NAMES,
        pk=pk,
    )
    students = (
        Student.objects.active()
        .filter(cohort=item)
        .select_related("cohort")
        .order_by("name_key", "pk")
    )
    if request.GET.get("format") == "xlsx":
        services.log_personal_view(
            request.user, item.school_id, what=_("Xuất danh sách lớp"), cohort=item,
            rows=students.count(),
        )  # fmt: skip
        return xlsx_response(excel.students_workbook(students), f"lop-{item.code}.xlsx")
    page = Paginator(students, PAGE_SIZE).get_page(request.GET.get("page"))
    services.log_personal_view(
        request.user, item.school_id, what=_("Xem danh sách lớp"), cohort=item,
        rows=len(page.object_list),
    )  # fmt: skip
    context = {"cohort": item, "page": page, "can_manage": request.user.has_perm(MANAGE, item)}
    return render(request, "students/cohort.html", context)


@login_required
def student_list(request: SignedInRequest) -> HttpResponse:
    """Every student whose name the user may see, searchable, 50 a page."""
    school = _school(request)
    named = _named(request, school)
    if named is None or not named.exists():
        raise PermissionDenied
    students = (
        Student.objects.active()
        .filter(cohort__in=named)
        .select_related("cohort")
        .order_by("cohort__code", "name_key", "pk")
    )
    query = request.GET.get("q", "").strip()[:100]
    if query:
        students = students.search(query)
    status = request.GET.get("status", "")
    if status in Status.values:
        students = students.filter(status=status)
    if request.GET.get("format") == "xlsx":
        services.log_personal_view(
            request.user, school.pk, what=_("Xuất danh sách người học"), rows=students.count()
        )
        return xlsx_response(excel.students_workbook(students), "nguoi-hoc.xlsx")
    page = Paginator(students, PAGE_SIZE).get_page(request.GET.get("page"))
    services.log_personal_view(
        request.user, school.pk, what=_("Xem danh sách người học"), rows=len(page.object_list)
    )
    context = {
        "school": school,
        "page": page,
        "query": query,
        "status": status,
        "statuses": Status.choices,
        "can_manage": request.user.has_perm(MANAGE, school),
    }
    return render(request, "students/students.html", context)


@login_required
def student(request: SignedInRequest, pk: int) -> HttpResponse:
    item = get_authorised(
        request.user,
        Student.objects.active().select_related("cohort__programme"),
        FIGURES,
        NAMES,
        pk=pk,
    )
    can_manage = request.user.has_perm(MANAGE, item)
    form = ChangeForm(request.POST or None, school_id=item.school_id)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            done = attempt(
                request,
                lambda: services.record_change(item, by=request.user, **data),
                form=form,
                success=_("Đã ghi thay đổi tình trạng."),
            )
            if done:
                return redirect("students:student", pk=item.pk)
    services.log_personal_view(
        request.user, item.school_id, what=_("Xem hồ sơ người học"), student=item
    )
    context = {
        "student": item,
        "changes": StatusChange.objects.filter(student=item),
        "grant": SupportGrant.objects.active().filter(student=item).first(),
        "cases": RepaymentCase.objects.filter(student=item),
        "form": form,
        "can_manage": can_manage,
        # NĐ 116/2020 support is for teacher-training programmes only.
        "can_mark": can_manage and item.cohort.programme.teacher_training,
    }
    return render(request, "students/student.html", context, status=400 if form.errors else 200)


# Imports -------------------------------------------------------------------------------------


@login_required
def import_students(request: SignedInRequest) -> HttpResponse:
    school = _school(request, MANAGE)
    return run_import(
        request,
        purpose="students-list",
        scope=school.pk,
        read=lambda data: excel.read_students(school, data),
        write=lambda data: excel.import_students(school, data, by=request.user),
        context={
            "title": _("Nhập danh sách người học từ Excel"),
            "back_url": reverse("students:home"),
            "back_label": _("Người học"),
            "intro": _(
                "Người học được nhận ra theo mã; dòng không có mã thì theo họ tên và ngày sinh "
                "(không phân biệt dấu, hoa thường, khoảng trắng). Lớp phải có sẵn."
            ),
            "columns": excel.STUDENT_COLUMNS,
            "sheet_name": excel.STUDENTS_SHEET,
            "template_url": reverse("students:import_template", args=["students"]),
        },
        done_url=reverse("students:student_list"),
        errors=(services.StudentsError,),
    )


@login_required
def import_changes(request: SignedInRequest) -> HttpResponse:
    school = _school(request, MANAGE)
    return run_import(
        request,
        purpose="students-changes",
        scope=school.pk,
        read=lambda data: excel.read_changes(school, data),
        write=lambda data: excel.import_changes(school, data, by=request.user),
        context={
            "title": _("Nhập thay đổi tình trạng người học từ Excel"),
            "back_url": reverse("students:home"),
            "back_label": _("Người học"),
            "intro": _(
                "Mỗi dòng một thay đổi (nghỉ học tạm thời, thôi học, buộc thôi học, chuyển trường, "
                "chuyển ngành, bảo lưu, trở lại học, tốt nghiệp) với ngày và lý do."
            ),
            "columns": excel.CHANGE_COLUMNS,
            "sheet_name": excel.CHANGES_SHEET,
            "template_url": reverse("students:import_template", args=["changes"]),
        },
        done_url=reverse("students:retention"),
        errors=(services.StudentsError,),
    )


@login_required
def import_template(request: SignedInRequest, kind: str) -> HttpResponse:
    _school(request, MANAGE)
    if kind not in ("students", "changes"):
        raise Http404
    return xlsx_response(excel.template_workbook(kind), f"mau-{kind}.xlsx")
