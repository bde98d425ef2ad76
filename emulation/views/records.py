"""The register of initiatives and research, and the titles of past years (with their import)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import get_authorised, require
from core.query import int_param
from core.requests import SignedInRequest
from core.sheets.flow import run_import
from core.sheets.writing import file_slug, xlsx_response
from core.views import attempt, render_form
from emulation import excel
from emulation.forms import InitiativeForm, PastTitleForm, WithdrawTitleForm
from emulation.models import SCOPE_CHOICES, Initiative, InitiativeAuthor, TitleHistory
from emulation.services import records as services
from organisations.models import Organisation
from organisations.permissions import member_school_id

VIEW = "emulation.view_records"
MANAGE = "emulation.manage_records"


def _school(request: SignedInRequest, perm: str = VIEW) -> Organisation:
    school = get_object_or_404(Organisation, pk=member_school_id(request.user))
    require(request.user, perm, school)
    return school


@login_required
def initiatives(request: SignedInRequest) -> HttpResponse:
    school = _school(request)
    rows = Initiative.objects.active().filter(school=school)
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.search(query)
    year = int_param(request.GET, "year")
    if year is not None:
        rows = rows.filter(start_year=year)
    scope = request.GET.get("scope", "")
    if scope in dict(SCOPE_CHOICES):
        rows = rows.filter(scope=scope)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    authors: dict[int, list[str]] = {}
    for link in (
        InitiativeAuthor.objects.filter(initiative__in=[row.pk for row in page])
        .select_related("person")
        .order_by("order", "pk")
    ):
        authors.setdefault(link.initiative_id, []).append(link.person.full_name)
    for row in page:
        row.author_names = authors.get(row.pk, [])  # type: ignore[attr-defined]  # for the template
    context = {
        "page": page,
        "query": query,
        "year": year,
        "scope": scope,
        "scopes": SCOPE_CHOICES,
        "can_manage": request.user.has_perm(MANAGE, school),
    }
    return render(request, "emulation/initiatives.html", context)


@login_required
def initiative_form(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    if pk is not None:
        initiative = get_authorised(request.user, Initiative.objects.active(), VIEW, MANAGE, pk=pk)
    else:
        school = _school(request, MANAGE)
        initiative = Initiative(school=school)
    form = InitiativeForm(request.POST or None, instance=initiative, school_id=initiative.school_id)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: services.save_initiative(
                form.instance,
                authors=list(form.cleaned_data["authors"]),
                by=request.user,
                expected_version=form.expected_version,
            ),
            form=form,
            success=_("Đã lưu sáng kiến, đề tài."),
        )
        if done:
            return redirect("emulation:initiatives")
    return render_form(
        request,
        form,
        title=_("Sửa sáng kiến, đề tài") if pk else _("Thêm sáng kiến, đề tài"),
        back=reverse("emulation:initiatives"),
    )


@login_required
@require_POST
def initiative_archive(request: SignedInRequest, pk: int) -> HttpResponse:
    initiative = get_authorised(request.user, Initiative.objects.active(), VIEW, MANAGE, pk=pk)
    attempt(
        request,
        lambda: services.archive_initiative(initiative, by=request.user),
        success=_("Đã lưu trữ “%(title)s”.") % {"title": initiative.title},
    )
    return redirect("emulation:initiatives")


@login_required
def titles(request: SignedInRequest) -> HttpResponse:
    school = _school(request)
    rows = (
        TitleHistory.objects.active()
        .filter(school=school)
        .select_related("person", "unit")
        .order_by("-start_year", "person__sort_key", "unit__name", "pk")
    )
    year = int_param(request.GET, "year")
    if year is not None:
        rows = rows.filter(start_year=year)
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(person__in=school.people.active().search(query))
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    years = (
        TitleHistory.objects.active()
        .filter(school=school)
        .order_by("-start_year")
        .values_list("start_year", flat=True)
        .distinct()
    )
    context = {
        "page": page,
        "year": year,
        "years": list(years),
        "query": query,
        "can_manage": request.user.has_perm(MANAGE, school),
    }
    return render(request, "emulation/titles.html", context)


@login_required
def title_form(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    """Add a person's titles of a past year by hand, or correct a row (with a reason)."""
    if pk is not None:
        row = get_authorised(
            request.user,
            TitleHistory.objects.active().select_related("person"),
            VIEW,
            MANAGE,
            pk=pk,
        )
    else:
        school = _school(request, MANAGE)
        row = TitleHistory(school=school)
    form = PastTitleForm(request.POST or None, instance=row, school_id=row.school_id)
    if request.method == "POST" and form.is_valid():

        def save() -> TitleHistory:
            if pk is None:
                return services.enter_past_title(form.instance, by=request.user)
            return services.correct_past_title(
                form.instance,
                reason=form.cleaned_data["reason"],
                by=request.user,
                expected_version=form.expected_version,
            )

        done = attempt(
            request,
            save,
            form=form,
            success=_("Đã lưu danh hiệu năm học %(year)s.") % {"year": form.instance.year_label},
        )
        if done:
            return redirect("emulation:titles")
    return render_form(
        request,
        form,
        title=_("Sửa danh hiệu của %(name)s") % {"name": row.person}
        if pk is not None
        else _("Thêm danh hiệu năm học trước"),
        back=reverse("emulation:titles"),
        intro=_(
            "Danh hiệu của các năm học trước năm học của phong trào thi đua (năm đang xét ghi "
            "theo quyết định). CSTĐ cấp tỉnh/bộ xét CSTĐCS của các năm liền trước."
        ),
    )


@login_required
def title_withdraw(request: SignedInRequest, pk: int) -> HttpResponse:
    """Withdraw a past year's titles: archived with the reason, kept in history."""
    row = get_authorised(
        request.user, TitleHistory.objects.active().select_related("person"), VIEW, MANAGE, pk=pk
    )
    form = WithdrawTitleForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: services.withdraw_past_title(
                row,
                reason=form.cleaned_data["reason"],
                by=request.user,
                expected_version=form.expected_version,
            ),
            form=form,
            success=_("Đã thu hồi danh hiệu năm học %(year)s của %(name)s.")
            % {"year": row.year_label, "name": row.person or row.unit},
        )
        if done:
            return redirect("emulation:titles")
    return render_form(
        request,
        form,
        title=_("Thu hồi danh hiệu năm học %(year)s của %(name)s")
        % {"year": row.year_label, "name": row.person or row.unit},
        back=reverse("emulation:titles"),
        submit=_("Thu hồi"),
        intro=", ".join(row.titles) or (row.level or ""),
    )


@login_required
def titles_import(request: SignedInRequest) -> HttpResponse:
    school = _school(request, MANAGE)
    return run_import(
        request,
        purpose="emulation-titles",
        scope=school.pk,
        read=lambda data: excel.read_titles(school, data),
        write=lambda data: excel.import_titles(school, data, by=request.user),
        context={
            "title": _("Nhập danh hiệu thi đua các năm trước từ Excel"),
            "back_url": reverse("emulation:titles"),
            "back_label": _("Danh hiệu các năm"),
            "columns": excel.TITLE_COLUMNS,
            "sheet_name": excel.TITLES_SHEET,
            "template_url": reverse("emulation:titles_sheet"),
            "intro": _(
                "Mỗi dòng một người (hoặc một đơn vị, để trống họ tên) trong một năm học. "
                "Danh hiệu ghi tắt hoặc đầy đủ, cách nhau bằng dấu phẩy: LĐTT, CSTĐCS, "
                "CSTĐ cấp tỉnh, TTLĐTT, TTLĐXS."
            ),
        },
        done_url=reverse("emulation:titles"),
    )


@login_required
def titles_sheet(request: SignedInRequest) -> HttpResponse:
    school = _school(request, MANAGE)
    return xlsx_response(
        excel.titles_workbook(school), f"danh-hieu-thi-dua-{file_slug(str(school))}.xlsx"
    )
