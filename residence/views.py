"""Residence pages: the term's figures, the dormitory (rooms, places, moves, inspections), the
off-campus declarations (who has not declared, the lists by ward for the police and the ward),
the links and codes the school sends, the imports and exports, and the student's own page
(`declare`, no account). Names are shown only to whom students' rules allow, and every view of
them is logged (NĐ 13/2023/NĐ-CP)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.clock import today
from core.permissions import require
from core.query import id_param
from core.requests import SignedInRequest
from core.sheets.flow import run_import
from core.sheets.writing import xlsx_response
from core.views import attempt, render_form
from organisations.models import Organisation
from residence import excel, figures, links, services
from residence.forms import (
    BuildingForm,
    InspectionForm,
    LeaveForm,
    MoveForm,
    PlaceForm,
    RoomForm,
    TermForm,
)
from residence.models import (
    Allocation,
    Building,
    Declaration,
    Inspection,
    InspectionKind,
    Reference,
    Room,
    Term,
)
from residence.rows import ByClass
from students import versions
from students.access import member_school
from students.models import Cohort, Student
from students.rules import named_cohorts
from students.services import log_personal_view

FIGURES = "residence.view_figures"
MANAGE = "residence.manage"
ISSUE = "residence.issue_links"
PAGE_SIZE = 50


def _school(request: SignedInRequest, perm: str = FIGURES) -> Organisation:
    return member_school(request, perm, figures=FIGURES)


def _term(request: HttpRequest, school: Organisation) -> Term | None:
    wanted = id_param(request.GET, "term")
    if wanted is not None:
        return get_object_or_404(Term, pk=wanted, school=school)
    return figures.current_term(school.pk)


def _required_term(request: HttpRequest, school: Organisation) -> Term:
    term = _term(request, school)
    if term is None:
        raise Http404
    return term


def _named(request: SignedInRequest, school: Organisation) -> QuerySet[Cohort] | None:
    condition = named_cohorts(request.user, school.pk)
    if condition is None:
        return None
    return Cohort.objects.active().filter(condition, school=school)


def _named_or_403(request: SignedInRequest, school: Organisation) -> QuerySet[Cohort]:
    named = _named(request, school)
    if named is None or not named.exists():
        raise PermissionDenied
    return named


def _base(request: SignedInRequest, school: Organisation, term: Term | None) -> dict[str, Any]:
    named = _named(request, school)
    return {
        "school": school,
        "term": term,
        "terms": Term.objects.filter(school=school),
        "can_manage": request.user.has_perm(MANAGE, school),
        "can_see_names": named is not None and named.exists(),
    }


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    school = _school(request)
    term = _term(request, school)
    context = _base(request, school, term)
    context["references"] = Reference.objects.all()
    if term is not None:
        chosen = term

        def compute() -> dict[str, Any]:
            occupancy, day = figures.occupancy(school, chosen)
            rate, _day = figures.declaration_rate(school, chosen)
            return {
                "day": day,
                "occupancy": occupancy,
                "rate": rate,
                "beds": figures.beds(school.pk),
                "placed": figures.placed(chosen).count(),
                "off_campus": figures.off_campus(chosen).count(),
                "missing": figures.not_declared(chosen).count(),
            }

        # Six counts over the school's students, kept per version of its students and
        # residence data (students.versions: every residence service renews it).
        context.update(versions.cached(school.pk, f"residence-home-{term.pk}", today(), compute))
        context["window_open"] = term.window_open(today())
    return render(request, "residence/home.html", context)


@login_required
def term_form(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    school = _school(request, MANAGE)
    term = get_object_or_404(Term, pk=pk, school=school) if pk else Term(school=school)
    form = TermForm(request.POST or None, instance=term)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: services.save_term(form.instance, by=request.user),
            form=form,
            success=_("Đã lưu học kỳ."),
        )
        if done:
            return redirect(reverse("residence:home") + f"?term={form.instance.pk}")
    title = _("Sửa học kỳ") if pk else _("Thêm học kỳ")
    return render_form(request, form, title=title, back=reverse("residence:home"))


# Dormitory ---------------------------------------------------------------------------------


@login_required
def dormitory(request: SignedInRequest) -> HttpResponse:
    """Rooms with their beds and how many are taken in the term (no names)."""
    school = _school(request)
    term = _term(request, school)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(excel.rooms_workbook(rooms_of(school, term)), "phong-o-noi-tru.xlsx")

    def room_rows() -> str:
        rows = rooms_of(school, term)
        return render_to_string("residence/_room_rows.html", {"rows": rows, "term": term})

    context = _base(request, school, term)
    # The same for everyone: rendered once per version of the residence data (a university's
    # dormitory is 360 rooms).
    key = f"residence-rooms-{term.pk if term else 0}"
    context["room_rows"] = mark_safe(
        versions.cached(school.pk, key, today(), room_rows)
    )  # rendered by the template engine above
    return render(request, "residence/dormitory.html", context)


def rooms_of(school: Organisation, term: Term | None) -> list[tuple[Room, int, int]]:
    """The dormitory's rooms with the places held in the term and the beds still free."""
    held = Count("allocations", filter=Q(allocations__term=term, allocations__left_on__isnull=True))
    rooms = (
        Room.objects.active()
        .filter(building__school=school, building__archived_at__isnull=True)
        .select_related("building")
        .annotate(held=held)
        .order_by("building__name", "floor", "name")
    )
    return [(room, room.held, room.capacity - room.held) for room in rooms]


@login_required
def building_form(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    school = _school(request, MANAGE)
    building = (
        get_object_or_404(Building.objects.active(), pk=pk, school=school)
        if pk
        else Building(school=school)
    )
    form = BuildingForm(request.POST or None, instance=building)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: services.save_building(form.instance, by=request.user),
            form=form,
            success=_("Đã lưu nhà ký túc xá."),
        )
        if done:
            return redirect("residence:dormitory")
    return render_form(request, form, title=_("Nhà ký túc xá"), back=reverse("residence:dormitory"))


@login_required
def room_form(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    school = _school(request, MANAGE)
    room = (
        get_object_or_404(Room.objects.active(), pk=pk, building__school=school) if pk else Room()
    )
    form = RoomForm(request.POST or None, instance=room, school_id=school.pk)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: services.save_room(form.instance, by=request.user),
            form=form,
            success=_("Đã lưu phòng."),
        )
        if done:
            return redirect("residence:dormitory")
    return render_form(request, form, title=_("Phòng ở"), back=reverse("residence:dormitory"))


@login_required
def room(request: SignedInRequest, pk: int) -> HttpResponse:
    """A room's beds in the term: who sleeps where (names to whom may see them), its
    inspections, and for the office a place to give."""
    school = _school(request)
    item = get_object_or_404(
        Room.objects.active().select_related("building"), pk=pk, building__school=school
    )
    term = _required_term(request, school)
    can_manage = request.user.has_perm(MANAGE, school)
    form = PlaceForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            student = Student.objects.active().filter(school=school, code=data["code"]).first()
            done = attempt(
                request,
                lambda: services.allocate(
                    term,
                    _found(student),
                    item,
                    priority=data["priority"],
                    moved_in_on=data["moved_in_on"],
                    bed=data["bed"],
                    by=request.user,
                ),
                form=form,
                success=_("Đã xếp chỗ ở."),
            )
            if done:
                return redirect(reverse("residence:room", args=[item.pk]) + f"?term={term.pk}")
    named = _named(request, school)
    visible = set(named.values_list("pk", flat=True)) if named is not None else set()
    places = list(
        Allocation.objects.filter(term=term, room=item, left_on__isnull=True).select_related(
            "student__cohort"
        )
    )
    beds: list[tuple[int, Allocation | None, bool]] = []
    by_bed = {a.bed: a for a in places}
    for bed in range(1, item.capacity + 1):
        allocation = by_bed.get(bed)
        shown = allocation is not None and allocation.student.cohort_id in visible
        beds.append((bed, allocation, shown))
    shown_count = sum(1 for _b, _a, shown in beds if shown)
    if shown_count:
        log_personal_view(
            request.user, school.pk, what=_("Xem người ở phòng nội trú"), rows=shown_count
        )
    context = _base(request, school, term)
    context.update(
        room=item,
        beds=beds,
        form=form,
        move_form=MoveForm(school_id=school.pk),
        leave_form=LeaveForm(),
        inspections=Inspection.objects.filter(room=item, term=term),
    )
    return render(request, "residence/room.html", context, status=400 if form.errors else 200)


def _found(student: Student | None) -> Student:
    if student is None:
        raise services.ResidenceError(_("Không có người học mang mã này."))
    return student


def _allocation(request: SignedInRequest, pk: int) -> tuple[Organisation, Allocation]:
    school = _school(request, MANAGE)
    allocation = get_object_or_404(
        Allocation.objects.select_related("term", "room__building", "student"),
        pk=pk,
        term__school=school,
    )
    return school, allocation


@login_required
@require_POST
def allocation_move(request: SignedInRequest, pk: int) -> HttpResponse:
    school, allocation = _allocation(request, pk)
    form = MoveForm(request.POST, school_id=school.pk)
    back = reverse("residence:room", args=[allocation.room_id]) + f"?term={allocation.term_id}"
    if not form.is_valid():
        attempt(request, lambda: _refuse(_("Hãy chọn phòng và ngày chuyển.")))
        return redirect(back)
    data = form.cleaned_data
    attempt(
        request,
        lambda: services.move(
            allocation, data["room"], on=data["on"], bed=data["bed"], by=request.user
        ),
        success=_("Đã chuyển phòng."),
    )
    return redirect(back)


@login_required
@require_POST
def allocation_leave(request: SignedInRequest, pk: int) -> HttpResponse:
    _unused, allocation = _allocation(request, pk)
    form = LeaveForm(request.POST)
    back = reverse("residence:room", args=[allocation.room_id]) + f"?term={allocation.term_id}"
    if not form.is_valid():
        attempt(request, lambda: _refuse(_("Hãy ghi ngày rời ký túc xá.")))
        return redirect(back)
    attempt(
        request,
        lambda: services.leave(allocation, on=form.cleaned_data["on"], by=request.user),
        success=_("Đã ghi rời ký túc xá."),
    )
    return redirect(back)


def _refuse(message: str) -> None:
    raise services.ResidenceError(message)


@login_required
def allocations(request: SignedInRequest) -> HttpResponse:
    """The term's places, by name (only the students the user may name)."""
    school = _school(request)
    named = _named_or_403(request, school)
    term = _required_term(request, school)
    rows = (
        Allocation.objects.filter(term=term, student__cohort__in=named)
        .select_related("student__cohort", "room__building")
        .order_by("room__building__name", "room__name", "bed", "moved_in_on", "pk")
    )
    if request.GET.get("format") == "xlsx":
        log_personal_view(
            request.user, school.pk, what=_("Xuất danh sách nội trú"), rows=rows.count()
        )
        return xlsx_response(excel.allocations_workbook(rows), "noi-tru.xlsx")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    log_personal_view(
        request.user, school.pk, what=_("Xem danh sách nội trú"), rows=len(page.object_list)
    )
    context = _base(request, school, term)
    context["page"] = page
    return render(request, "residence/allocations.html", context)


# Off-campus --------------------------------------------------------------------------------


def _with_declarations(
    students: list[Student], term: Term
) -> list[tuple[Student, Declaration | None]]:
    found = {
        d.student_id: d
        for d in Declaration.objects.filter(term=term, student_id__in=[s.pk for s in students])
    }
    return [(s, found.get(s.pk)) for s in students]


def _class_counts(school: Organisation, term: Term) -> dict[int, figures.ClassCount]:
    """The term's off-campus and declared students per class, kept per version of the school's
    students and residence data (a declaration, a place, a change of status renew it)."""
    return versions.cached(
        school.pk, f"residence-classes-{term.pk}", today(), lambda: figures.class_counts(term)
    )


@login_required
def declarations(request: SignedInRequest) -> HttpResponse:
    """The off-campus students the user may name, declared or not (`?missing=1`: not yet)."""
    school = _school(request)
    named = _named_or_403(request, school)
    term = _required_term(request, school)
    missing = request.GET.get("missing") == "1"
    students = (figures.not_declared(term) if missing else figures.off_campus(term)).filter(
        cohort__in=named
    )
    query = request.GET.get("q", "").strip()[:100]
    if query:
        students = students.search(query)
    if request.GET.get("format") == "xlsx":
        students = students.select_related("cohort").order_by("cohort__code", "name_key", "pk")
        log_personal_view(
            request.user, school.pk, what=_("Xuất danh sách ngoại trú"), rows=students.count()
        )
        rows = _with_declarations(list(students), term)
        return xlsx_response(excel.declarations_workbook(rows), "ngoai-tru.xlsx")
    counts = _class_counts(school, term)
    classes = list(named.order_by("code", "pk").values_list("pk", flat=True))
    none = figures.ClassCount(0, 0)
    listed: Sequence[Student] | QuerySet[Student]
    if query:
        listed = students.select_related("cohort").order_by("cohort__code", "name_key", "pk")
    else:
        # Read class by class from the counts: no count and no sort over a university's
        # 20 000 off-campus students each request.
        listed = ByClass(
            students,
            [
                (pk, (counts.get(pk, none).missing if missing else counts.get(pk, none).off_campus))
                for pk in classes
            ],
        )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    log_personal_view(
        request.user, school.pk, what=_("Xem danh sách ngoại trú"), rows=len(page.object_list)
    )
    context = _base(request, school, term)
    context.update(
        page=page,
        rows=_with_declarations(list(page.object_list), term),
        missing=missing,
        query=query,
        missing_count=sum(counts.get(pk, none).missing for pk in classes),
    )
    return render(request, "residence/declarations.html", context)


@login_required
def wards(request: SignedInRequest) -> HttpResponse:
    """Declared addresses counted by ward (every member); the named list by ward for the
    police and the ward (the office and the leadership, logged)."""
    school = _school(request)
    term = _required_term(request, school)
    declared = Declaration.objects.filter(
        term=term, student__in=figures.off_campus(term)
    ).select_related("student__cohort")
    if request.GET.get("format") == "xlsx":
        require(request.user, MANAGE, school)
        ward = request.GET.get("ward", "").strip()[:100]
        chosen = declared.filter(ward=ward) if ward else declared
        rows = [(d.student, d) for d in chosen.order_by("province", "ward", "student__name_key")]
        log_personal_view(
            request.user,
            school.pk,
            what=_("Xuất danh sách ngoại trú theo phường/xã"),
            rows=len(rows),
        )
        return xlsx_response(excel.declarations_workbook(rows), "ngoai-tru-theo-phuong-xa.xlsx")
    counts = (
        declared.values("province", "ward")
        .annotate(n=Count("pk"), rented=Count("pk", filter=Q(housing="rented")))
        .order_by("province", "ward")
    )
    context = _base(request, school, term)
    context["counts"] = list(counts)
    return render(request, "residence/wards.html", context)


# Links and codes ---------------------------------------------------------------------------


@login_required
def link_list(request: SignedInRequest) -> HttpResponse:
    """The classes whose links the user may print, with how many declared, 50 a page."""
    school = _school(request)
    named = _named_or_403(request, school)
    term = _required_term(request, school)
    classes = named.select_related("adviser").order_by("code", "pk")
    page = Paginator(classes, PAGE_SIZE).get_page(request.GET.get("page"))
    # The counts over the school's students are kept per version of its data.
    counts = _class_counts(school, term)
    none = figures.ClassCount(0, 0)
    context = _base(request, school, term)
    context.update(page=page, rows=[(c, counts.get(c.pk, none)) for c in page.object_list])
    return render(request, "residence/links.html", context)


@login_required
def cohort_links(request: SignedInRequest, pk: int) -> HttpResponse:
    """The class's links and codes as Excel (issued where missing; POST `renew` revokes the
    old ones first)."""
    school = _school(request)
    cohort = get_object_or_404(Cohort.objects.active(), pk=pk, school=school)
    require(request.user, ISSUE, cohort)
    term = _required_term(request, school)
    students = list(
        figures.off_campus(term).filter(cohort=cohort).select_related("cohort").order_by("name_key")
    )
    if request.method == "POST":
        links.issue(term, students, by=request.user, renew=True)
        attempt(
            request, lambda: None, success=_("Đã cấp lại đường dẫn và mã: mã cũ hết dùng được.")
        )
        return redirect(reverse("residence:links") + f"?term={term.pk}")
    issued = links.issue(term, students, by=request.user)
    log_personal_view(
        request.user,
        school.pk,
        what=_("Xuất mã khai báo ngoại trú"),
        cohort=cohort,
        rows=len(issued),
    )
    url = request.build_absolute_uri(reverse("residence:declare", args=["TOKEN"]))
    return xlsx_response(excel.links_workbook(term, issued, url), f"ma-khai-bao-{cohort.code}.xlsx")


# Inspections -------------------------------------------------------------------------------


@login_required
def inspections(request: SignedInRequest) -> HttpResponse:
    school = _school(request, MANAGE)
    term = _required_term(request, school)
    form = InspectionForm(request.POST or None, school_id=school.pk)
    if request.method == "POST" and form.is_valid():
        inspection: Inspection = form.instance
        inspection.term = term
        code = form.cleaned_data.get("student_code") or ""
        if inspection.kind == InspectionKind.VISIT:
            inspection.student = Student.objects.active().filter(school=school, code=code).first()
        done = attempt(
            request,
            lambda: services.record_inspection(inspection, by=request.user),
            form=form,
            success=_("Đã ghi kết quả kiểm tra."),
        )
        if done:
            return redirect(reverse("residence:inspections") + f"?term={term.pk}")
    rows = Inspection.objects.filter(term=term).select_related("room__building", "student__cohort")
    context = _base(request, school, term)
    context.update(rows=rows, form=form)
    return render(
        request, "residence/inspections.html", context, status=400 if form.errors else 200
    )


# Imports -----------------------------------------------------------------------------------


def _import_context(title: str, columns: Any, sheet: str, kind: str, term: Term) -> dict[str, Any]:
    return {
        "title": f"{title} – {term}",
        "back_url": reverse("residence:home") + f"?term={term.pk}",
        "back_label": _("Nơi ở của người học"),
        "columns": columns,
        "sheet_name": sheet,
        "template_url": reverse("residence:import_template", args=[kind]),
    }


@login_required
def import_allocations(request: SignedInRequest) -> HttpResponse:
    school = _school(request, MANAGE)
    term = _required_term(request, school)
    context = _import_context(
        _("Nhập xếp chỗ nội trú từ Excel"),
        excel.ALLOCATION_COLUMNS,
        excel.ALLOCATIONS_SHEET,
        "allocations",
        term,
    )
    context["intro"] = _(
        "Mỗi dòng một người học với nhà, phòng, giường (để trống: giường trống đầu tiên), diện "
        "ưu tiên và ngày vào ở. Người học đã ở phòng khác, hoặc có ở hai dòng, bị từ chối."
    )
    return run_import(
        request,
        purpose="residence-allocations",
        scope=(school.pk, term.pk),
        read=lambda data: excel.read_allocations(term, data),
        write=lambda data: excel.import_allocations(term, data, by=request.user),
        context=context,
        done_url=reverse("residence:allocations") + f"?term={term.pk}",
        errors=(services.ResidenceError,),
    )


@login_required
def import_declarations(request: SignedInRequest) -> HttpResponse:
    school = _school(request, MANAGE)
    term = _required_term(request, school)
    context = _import_context(
        _("Nhập khai báo ngoại trú từ Excel"),
        excel.DECLARATION_COLUMNS,
        excel.DECLARATIONS_SHEET,
        "declarations",
        term,
    )
    context["intro"] = _(
        "Mỗi dòng một người học ngoại trú với hình thức ở, địa chỉ, phường/xã, tỉnh; thuê trọ "
        "thì ghi chủ nhà và điện thoại chủ nhà."
    )
    return run_import(
        request,
        purpose="residence-declarations",
        scope=(school.pk, term.pk),
        read=lambda data: excel.read_declarations(term, data),
        write=lambda data: excel.import_declarations(term, data, by=request.user, today=today()),
        context=context,
        done_url=reverse("residence:declarations") + f"?term={term.pk}",
        errors=(services.ResidenceError,),
    )


@login_required
def import_template(request: SignedInRequest, kind: str) -> HttpResponse:
    _school(request, MANAGE)
    if kind not in ("allocations", "declarations"):
        raise Http404
    return xlsx_response(excel.template_workbook(kind), f"mau-{kind}.xlsx")
