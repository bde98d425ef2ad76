"""Partnership and in-service training pages: partners, courses (filtered by kind, year and
status), one course with its certificate batches and, for those who keep the courses, its
participants (imported from Excel through the shared flow), the forms and the exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import history_entries
from core.clock import today
from core.query import int_param
from core.requests import SignedInRequest
from core.sheets.flow import run_import
from core.sheets.writing import file_slug, xlsx_response
from core.text import school_year_label
from core.views import attempt, render_form
from training import excel, services
from training.access import MANAGE, NAMES, school_for
from training.figures import participants_of
from training.forms import CertificateIssueForm, CourseForm, PartnerForm
from training.models import (
    CertificateIssue,
    Course,
    CourseKind,
    CourseStatus,
    Participant,
    Partner,
    school_year_of,
)

PAGE_SIZE = 50


@login_required
def partner_list(request: SignedInRequest) -> HttpResponse:
    school = school_for(request)
    partners = list(
        Partner.objects.active()
        .filter(school=school)
        .annotate(course_count=Count("courses", filter=Q(courses__archived_at__isnull=True)))
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response(excel.partners_workbook(partners), "don-vi-doi-tac.xlsx")
    context = {
        "school": school,
        "partners": partners,
        "can_manage": request.user.has_perm(MANAGE, school),
        "active": "partners",
    }
    return render(request, "training/partners.html", context)


@login_required
def partner_form(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    school = school_for(request, MANAGE)
    partner = (
        get_object_or_404(Partner.objects.active(), pk=pk, school=school)
        if pk
        else Partner(school=school)
    )
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: services.save_partner(
                form.instance, by=request.user, expected_version=form.expected_version
            ),
            form=form,
            success=_("Đã lưu đơn vị đối tác."),
        )
        if done:
            return redirect("training:partners")
    return render_form(
        request,
        form,
        title=_("Sửa đơn vị đối tác") if pk else _("Thêm đơn vị đối tác"),
        back=reverse("training:partners"),
        extra={"history": history_entries(partner) if pk else []},
        template="training/form_page.html",
    )


@login_required
@require_POST
def partner_archive(request: SignedInRequest, pk: int) -> HttpResponse:
    school = school_for(request, MANAGE)
    partner = get_object_or_404(Partner.objects.active(), pk=pk, school=school)
    attempt(
        request,
        lambda: services.archive_partner(partner, by=request.user),
        success=_("Đã lưu trữ đơn vị đối tác."),
    )
    return redirect("training:partners")


def _courses(school_id: int) -> list[Course]:
    # The certificates issued are summed in a subquery of their own: summed beside the count of
    # participants, over the same join, each batch would be counted once per participant.
    issued = (
        CertificateIssue.objects.filter(course=OuterRef("pk"), archived_at__isnull=True)
        .order_by()
        .values("course")
        .annotate(total=Sum("count"))
        .values("total")
    )
    return list(
        Course.objects.active()
        .filter(school_id=school_id)
        .select_related("partner", "agreement", "unit")
        .annotate(
            listed=Count("people", filter=Q(people__archived_at__isnull=True), distinct=True),
            issued=Subquery(issued),
        )
    )


@login_required
def course_list(request: SignedInRequest) -> HttpResponse:
    school = school_for(request)
    every = _courses(school.pk)
    courses = every
    kind = request.GET.get("kind", "")
    if kind in CourseKind.values:
        courses = [c for c in courses if c.kind == kind]
    status = request.GET.get("status", "")
    if status in CourseStatus.values:
        courses = [c for c in courses if c.status == status]
    year = int_param(request.GET, "year")
    if year is not None:
        courses = [c for c in courses if c.school_year == year]
    for course in courses:
        course.issued = course.issued or 0  # type: ignore[attr-defined]  # annotated above
    if request.GET.get("format") == "xlsx":
        return xlsx_response(excel.courses_workbook(courses), "lien-ket-boi-duong.xlsx")
    years = sorted({school_year_of(c.starts_on) for c in every}, reverse=True)
    context = {
        "school": school,
        "rows": [(c, participants_of(c)) for c in courses],
        "kinds": CourseKind.choices,
        "statuses": CourseStatus.choices,
        "years": [(y, school_year_label(y)) for y in years],
        "kind": kind,
        "status": status,
        "year": year,
        "can_manage": request.user.has_perm(MANAGE, school),
        "active": "courses",
    }
    return render(request, "training/courses.html", context)


def _course(request: SignedInRequest, pk: int, perm: str = "training.view_figures") -> Course:
    school = school_for(request, perm)
    return get_object_or_404(
        Course.objects.active().select_related("partner", "agreement", "unit"),
        pk=pk,
        school=school,
    )


@login_required
def course(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _course(request, pk)
    can_manage = request.user.has_perm(MANAGE, item)
    sees_names = request.user.has_perm(NAMES, item)
    people = Participant.objects.active().filter(course=item)
    issues = CertificateIssue.objects.active().filter(course=item).select_related("decision")
    context = {
        "course": item,
        "participants": participants_of(item),
        "listed": people.count(),
        "page": Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
        if sees_names
        else None,
        "issues": issues,
        "issued": sum(i.count for i in issues),
        "certified": people.exclude(certificate_no="").count(),
        "issue_form": CertificateIssueForm(school_id=item.school_id, initial={"issued_on": today()})
        if can_manage
        else None,
        "can_manage": can_manage,
        "sees_names": sees_names,
        "history": history_entries(item),
        "active": "courses",
    }
    return render(request, "training/course.html", context)


@login_required
def course_form(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    school = school_for(request, MANAGE)
    item = _course(request, pk, MANAGE) if pk else Course(school=school, starts_on=today())
    if not pk:
        wanted = request.GET.get("kind", "")
        if wanted in CourseKind.values:
            item.kind = wanted
    form = CourseForm(request.POST or None, instance=item, school_id=school.pk)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: services.save_course(
                form.instance, by=request.user, expected_version=form.expected_version
            ),
            form=form,
            success=_("Đã lưu khóa học."),
        )
        if done:
            return redirect("training:course", pk=done.value.pk)
    return render_form(
        request,
        form,
        title=_("Sửa khóa liên kết, bồi dưỡng") if pk else _("Thêm khóa liên kết, bồi dưỡng"),
        back=reverse("training:course", args=[pk]) if pk else reverse("training:courses"),
        intro=_(
            "Văn bản liên kết (hợp đồng, thỏa thuận, quyết định mở lớp) chọn từ sổ văn bản; "
            "chưa có thì vào sổ trước ở trang Văn bản."
        ),
    )


@login_required
@require_POST
def course_archive(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _course(request, pk, MANAGE)
    attempt(
        request,
        lambda: services.archive_course(item, by=request.user),
        success=_("Đã lưu trữ khóa học."),
    )
    return redirect("training:courses")


@login_required
@require_POST
def certificates_add(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _course(request, pk, MANAGE)
    form = CertificateIssueForm(
        request.POST, instance=CertificateIssue(course=item), school_id=item.school_id
    )
    if form.is_valid():
        attempt(
            request,
            lambda: services.record_certificates(form.instance, by=request.user),
            success=_("Đã ghi đợt cấp chứng chỉ."),
        )
    else:
        attempt(request, lambda: _refuse(_("Ngày cấp, số chứng chỉ hoặc văn bản không hợp lệ.")))
    return redirect(reverse("training:course", args=[item.pk]) + "#chung-chi")


@login_required
@require_POST
def certificates_archive(request: SignedInRequest, pk: int) -> HttpResponse:
    school = school_for(request, MANAGE)
    issue = get_object_or_404(
        CertificateIssue.objects.active().select_related("course"), pk=pk, course__school=school
    )
    attempt(
        request,
        lambda: services.archive_certificates(issue, by=request.user),
        success=_("Đã lưu trữ đợt cấp chứng chỉ."),
    )
    return redirect("training:course", pk=issue.course_id)


def _refuse(message: str) -> None:
    raise services.TrainingError(message)


@login_required
def participants_xlsx(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _course(request, pk)
    if not request.user.has_perm(NAMES, item):
        raise PermissionDenied
    people = Participant.objects.active().filter(course=item)
    return xlsx_response(
        excel.participants_workbook(item, people), f"hoc-vien-{file_slug(item.title)}.xlsx"
    )


@login_required
def participants_import(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _course(request, pk, MANAGE)
    return run_import(
        request,
        purpose="training-participants",
        scope=item.pk,
        read=lambda data: excel.read_participants(item, data),
        write=lambda data: excel.import_participants(item, data, by=request.user),
        context={
            "title": _("Nhập danh sách học viên: %(c)s") % {"c": item.title},
            "back_url": reverse("training:course", args=[item.pk]),
            "back_label": item.title,
            "intro": _(
                "Mỗi dòng một học viên. Học viên được nhận ra theo mã; dòng không có mã thì theo "
                "họ tên và ngày sinh (không phân biệt dấu, hoa thường, khoảng trắng). Tệp có lỗi "
                "thì không ghi dòng nào."
            ),
            "columns": excel.PARTICIPANT_COLUMNS,
            "sheet_name": excel.PARTICIPANTS_SHEET,
            "template_url": reverse("training:participants_template"),
        },
        done_url=reverse("training:course", args=[item.pk]),
        errors=(services.TrainingError,),
    )


@login_required
def participants_template(request: SignedInRequest) -> HttpResponse:
    school_for(request, MANAGE)
    return xlsx_response(excel.template_workbook(), "mau-danh-sach-hoc-vien.xlsx")
