"""Teaching-load pages: semesters, sections, import, automatic assignment, results, exports."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import get_authorised, require
from core.requests import SignedInHtmxRequest, SignedInRequest
from core.sheets.flow import run_import
from core.views import attempt, render_form
from organisations.membership import membership_of
from organisations.models import Organisation
from organisations.permissions import member_school_id
from planning.models import Plan
from workload import excel, services, staffload, wording
from workload.forms import SectionForm
from workload.models import BalanceRun, Lecturer, RuleSet, Section, Term

VIEW = "workload.view_term"
MANAGE = "workload.manage_term"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _term(request: HttpRequest, pk: int, perm: str | None = None) -> Term:
    return get_authorised(request.user, Term.objects.select_related("school"), VIEW, perm, pk=pk)


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    school_id = member_school_id(request.user)
    school = get_object_or_404(Organisation, pk=school_id)
    require(request.user, VIEW, school)
    rules = RuleSet.objects.filter(school_id=school_id)
    context = {
        "terms": Term.objects.filter(school_id=school_id),
        "rules": rules,
        "plans": Plan.objects.active().filter(school_id=school_id),
        "can_manage": request.user.has_perm(MANAGE, school),
    }
    return render(request, "workload/home.html", context)


@login_required
@require_POST
def term_create(request: SignedInRequest) -> HttpResponse:
    school = get_object_or_404(Organisation, pk=member_school_id(request.user))
    require(request.user, MANAGE, school)
    try:
        start_year, semester = int(request.POST["start_year"]), int(request.POST["semester"])
    except (KeyError, ValueError):
        messages.error(request, _("Năm học hoặc học kỳ không hợp lệ."))
        return redirect("workload:home")
    if semester not in (1, 2) or not 2000 <= start_year <= 2100:
        messages.error(request, _("Năm học hoặc học kỳ không hợp lệ."))
        return redirect("workload:home")
    done = attempt(request, lambda: services.ensure_term(school.pk, start_year, semester))
    if done is None:
        return redirect("workload:home")
    return redirect("workload:term_detail", pk=done.value.pk)


@login_required
def term_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    term = _term(request, pk)
    context: dict[str, Any] = {"term": term, "can_manage": request.user.has_perm(MANAGE, term)}
    try:
        rows = services.lecturer_rows(term)
    except services.WorkloadError as error:
        context["problem"] = str(error)
        return render(request, "workload/term_detail.html", context)
    sections = Section.objects.active().filter(term=term)
    scale = max([float(r.target.max_load) for r in rows] + [float(r.load) for r in rows] + [1.0])
    groups: dict[Any, dict[str, float]] = defaultdict(
        lambda: {"target": 0.0, "load": 0.0, "manual": 0.0, "n": 0}
    )
    for row in rows:
        summary = groups[row.lecturer.group]
        summary["target"] += float(row.target.target)
        summary["load"] += float(row.load)
        summary["manual"] += float(row.manual_load)
        summary["n"] += 1
    context.update(
        rows=rows,
        scale=scale,
        groups=sorted(groups.items(), key=lambda item: item[0].name),
        after=wording.fairness(services.spread(rows, "load")),
        before=wording.fairness(services.spread(rows, "manual_load")),
        section_count=sections.count(),
        unassigned=sections.filter(assigned_to__isnull=True).count(),
        total_hours=sum(float(r.load) for r in rows),
        runs=term.runs.select_related("created_by")[:5],
        other=term.other,
    )
    return render(request, "workload/term_detail.html", context)


@login_required
def term_sections(request: SignedInRequest, pk: int) -> HttpResponse:
    term = _term(request, pk)
    sections = (
        Section.objects.active()
        .filter(term=term)
        .select_related("group", "kind", "assigned_to__person", "locked_to__person", "manual_to")
        .order_by("group__name", "code")
    )
    query = request.GET.get("q", "").strip()
    if query:
        sections = sections.search(query)
    page = Paginator(sections, 50).get_page(request.GET.get("page"))
    membership = membership_of(request.user)
    lecturers = Lecturer.objects.filter(
        group__school_id=term.school_id, is_active=True
    ).select_related("person")
    person = membership.person
    my_lecturer = (
        Lecturer.objects.filter(person=person, group__school_id=term.school_id).first()
        if person
        else None
    )
    wished: set[int] = set()
    if my_lecturer is not None:
        wished = set(
            Section.preferred_by.through.objects.filter(
                lecturer=my_lecturer, section__in=[s.pk for s in page]
            ).values_list("section_id", flat=True)
        )
    context = {
        "term": term,
        "page": page,
        "query": query,
        "my_lecturer": my_lecturer,
        "wished": wished,
        "lecturers": lecturers,
        "can_lock_all": request.user.has_perm(MANAGE, term),
        "headed": membership.headed_unit_ids,
    }
    return render(request, "workload/sections.html", context)


@login_required
@require_POST
def section_lock(request: SignedInRequest, pk: int) -> HttpResponse:
    section = get_authorised(
        request.user, Section.objects.select_related("term"), VIEW, "workload.lock_section", pk=pk
    )
    lecturer = None
    if request.POST.get("lecturer"):
        lecturer = Lecturer.objects.filter(
            pk=request.POST["lecturer"], group__school_id=section.term.school_id
        ).first()
        if lecturer is None:
            raise Http404
    attempt(request, lambda: services.lock_section(section, lecturer, by=request.user))
    return redirect(
        reverse("workload:term_sections", args=[section.term_id]) + f"?q={section.code}"
    )


@login_required
def term_import(request: SignedInRequest, pk: int) -> HttpResponse:
    """Upload → check every row (nothing written) → confirm → all rows or none
    (core/sheets/flow.py)."""
    term = _term(request, pk, MANAGE)
    retry_url = reverse("workload:term_import", args=[term.pk])
    return run_import(
        request,
        purpose="workload",
        scope=term.pk,
        read=lambda data: excel.read_sections(term, data),
        write=lambda data: excel.import_sections(term, data, by=request.user),
        context={"term": term},
        done_url=reverse("workload:term_detail", args=[term.pk]),
        template="workload/import.html",
        done_message=_(
            "Đã nhập: %(create)d lớp mới, %(update)d lớp cập nhật, %(unchanged)d lớp không đổi."
        ),
        errors=(services.WorkloadError,),
        retry_url=retry_url,
        expired_message=_("Phiên nhập đã hết hạn: hãy chọn lại tệp."),
    )


@login_required
def import_template(request: SignedInRequest, pk: int) -> HttpResponse:
    _term(request, pk, MANAGE)
    return _xlsx(excel.template_workbook(), "mau-lop-hoc-phan.xlsx")


@login_required
@require_POST
def run_start(request: SignedInRequest, pk: int) -> HttpResponse:
    term = _term(request, pk, MANAGE)
    try:
        time_limit = int(request.POST.get("time_limit") or 60)
    except ValueError:
        messages.error(request, _("Thời gian không hợp lệ."))
        return redirect("workload:term_detail", pk=term.pk)
    started = attempt(
        request, lambda: services.start_run(term, by=request.user, time_limit=time_limit)
    )
    if not started:
        return redirect("workload:term_detail", pk=term.pk)
    return redirect("workload:run_detail", pk=started.value.pk)


def _run(request: HttpRequest, pk: int, perm: str | None = None) -> BalanceRun:
    return get_authorised(
        request.user, BalanceRun.objects.select_related("term"), VIEW, perm, pk=pk
    )


def _run_context(run: BalanceRun) -> dict[str, Any]:
    result = run.result or {}
    explanation = result.get("explanation") or {}
    if not isinstance(explanation, dict):
        explanation = {}
    names = wording.labels(run.instance or {})
    return {
        "run": run,
        "term": run.term,
        "result": result,
        "summary": wording.run_summary(result, run.instance or {}) if run.status == "done" else [],
        "progress": wording.progress_line(run.progress) if run.progress else None,
        "explanation_message": wording.readable(explanation.get("message", ""), names),
        "out_of_time": explanation.get("code") == "NO_SOLUTION_IN_TIME",
        "issues": [
            wording.readable(i.get("message", ""), names) for i in explanation.get("issues", [])
        ],
    }


@login_required
def run_detail(request: SignedInHtmxRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    context = {**_run_context(run), "can_manage": request.user.has_perm(MANAGE, run)}
    template = "workload/_run_status.html" if request.htmx else "workload/run.html"
    return render(request, template, context)


@login_required
def run_apply(request: SignedInRequest, pk: int) -> HttpResponse:
    """Before applying: who gains and who loses hours, what stays locked, the problems found;
    applied only when the head confirms (a POST with ``confirm``)."""
    run = _run(request, pk, MANAGE)
    if request.method == "POST":
        if request.POST.get("confirm") != "1":
            messages.warning(request, _("Chưa áp dụng: hãy xem lại thay đổi rồi bấm xác nhận."))
            return redirect("workload:run_apply", pk=run.pk)
        applied = attempt(
            request,
            lambda: services.apply_run(run, by=request.user),
            success=lambda changed: (
                _("Đã áp dụng phân công: %(n)d lớp học phần thay đổi giảng viên.") % {"n": changed}
            ),
        )
        if not applied:
            return redirect("workload:run_apply", pk=run.pk)
        return redirect("workload:term_detail", pk=run.term_id)
    preview = services.apply_preview(run)
    return render(
        request,
        "workload/apply.html",
        {"run": run, "term": run.term, "preview": preview},
    )


@login_required
@require_POST
def run_undo(request: SignedInRequest, pk: int) -> HttpResponse:
    run = _run(request, pk, MANAGE)
    if request.POST.get("confirm") != "1":
        messages.warning(request, _("Chưa hoàn tác: hãy bấm xác nhận."))
        return redirect("workload:run_detail", pk=run.pk)

    def message(outcome: tuple[int, list[str]]) -> str:
        restored, kept = outcome
        text = _("Đã hoàn tác: %(n)d lớp học phần trở lại giảng viên trước đó.") % {"n": restored}
        if kept:
            text += " " + _(
                "Các lớp đã được sửa sau khi áp dụng giữ nguyên người dạy hiện tại: %(codes)s."
            ) % {"codes": ", ".join(kept)}
        return text

    attempt(request, lambda: services.undo_apply(run, by=request.user), success=message)
    return redirect("workload:run_detail", pk=run.pk)


@login_required
def export_assignment(request: SignedInRequest, pk: int) -> HttpResponse:
    term = _term(request, pk)
    return _xlsx(
        excel.assignment_workbook(term), f"phan-cong-hk{term.semester}-{term.start_year}.xlsx"
    )


@login_required
def export_statements(request: SignedInRequest, pk: int) -> HttpResponse:
    term = _term(request, pk)
    return _xlsx(
        excel.statements_workbook(term),
        f"ban-ke-gio-chuan-hk{term.semester}-{term.start_year}.xlsx",
    )


@login_required
def my_statement(request: SignedInRequest, pk: int) -> HttpResponse:
    """A lecturer's own statement of hours (bản kê giờ chuẩn)."""
    term = get_object_or_404(Term, pk=pk)
    person = membership_of(request.user).person
    lecturer = (
        Lecturer.objects.filter(person=person).select_related("group").first() if person else None
    )
    if lecturer is None or lecturer.group.school_id != term.school_id:
        raise Http404
    require(request.user, "workload.view_statement", lecturer)
    return _xlsx(
        excel.statements_workbook(term, only=lecturer),
        f"ban-ke-{lecturer.code}-hk{term.semester}.xlsx",
    )


@login_required
def staff_load(request: SignedInRequest, plan_pk: int) -> HttpResponse:
    """How the plan's tasks load every person and unit, and how evenly (Gini) within each unit."""
    plan = get_authorised(
        request.user, Plan.objects.select_related("school"), "planning.view_plan", None, pk=plan_pk
    )
    require(request.user, VIEW, plan)
    report = staffload.load_index(plan)
    return render(request, "workload/staff_load.html", {"plan": plan, "report": report})


@login_required
def section_form(
    request: SignedInRequest, pk: int | None = None, term_pk: int | None = None
) -> HttpResponse:
    """Enter or correct one section by hand (the Excel import does many at once)."""
    if pk is not None:
        section = get_authorised(
            request.user, Section.objects.select_related("term"), VIEW, MANAGE, pk=pk
        )
        term = section.term
    else:
        term = _term(request, term_pk, MANAGE)  # type: ignore[arg-type]  # the URL without pk has term_pk
        section = Section(term=term)
    rules = attempt(request, lambda: services.rules_for(term))
    if not rules:
        return redirect("workload:term_detail", pk=term.pk)
    form = SectionForm(request.POST or None, instance=section, rules=rules.value)
    if request.method == "POST" and form.is_valid():

        @transaction.atomic
        def save() -> Section:
            saved = services.save_section(form.instance, by=request.user)
            for name in ("open_to_groups", "only_lecturers", "excluded"):
                getattr(saved, name).set(form.cleaned_data[name])
            return saved

        done = attempt(
            request,
            save,
            form=form,
            success=lambda saved: (
                _("Đã lưu lớp học phần %(code)s: %(hours)s giờ chuẩn.")
                % {"code": saved.code, "hours": saved.hours}
            ),
        )
        if done:
            code = done.value.code
            return redirect(reverse("workload:term_sections", args=[term.pk]) + f"?q={code}")
    title = _("Sửa lớp học phần") if pk else _("Thêm lớp học phần")
    return render_form(
        request, form, title=title, back=reverse("workload:term_sections", args=[term.pk])
    )


@login_required
@require_POST
def section_wish(request: SignedInHtmxRequest, pk: int) -> HttpResponse:
    """A lecturer marks (or unmarks) a wish to teach a section; the optimiser honours it when it can."""
    section = get_object_or_404(Section.objects.select_related("term"), pk=pk)
    person = membership_of(request.user).person
    lecturer = (
        Lecturer.objects.filter(person=person).select_related("group").first() if person else None
    )
    if lecturer is None or lecturer.group.school_id != section.term.school_id:
        raise Http404
    done = attempt(request, lambda: services.toggle_wish(section, lecturer, by=request.user))
    wished = done.value if done else section.preferred_by.filter(pk=lecturer.pk).exists()
    if request.htmx:
        return render(request, "workload/_wish.html", {"s": section, "wished": wished})
    return redirect(
        reverse("workload:term_sections", args=[section.term_id]) + f"?q={section.code}"
    )


@login_required
def year_view(request: SignedInRequest, pk: int) -> HttpResponse:
    """Both semesters side by side: the second compensates the first against the year's target."""
    term = _term(request, pk)
    first = term if term.semester == 1 else term.other
    second = term.other if term.semester == 1 else term
    rows = attempt(request, lambda: services.year_rows(first, second))
    if not rows:
        return redirect("workload:term_detail", pk=term.pk)
    return render(
        request,
        "workload/year.html",
        {"term": term, "first": first, "second": second, "rows": rows.value},
    )
