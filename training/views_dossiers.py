"""Dossier pages: the list of programme-opening dossiers, one dossier with its steps and their
documents (a step's status changed in place with HTMX), the forms, and opening the programme in
the students' register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import history_entries
from core.clock import today
from core.requests import SignedInRequest
from core.sheets.writing import file_slug, xlsx_response
from core.views import attempt, render_form
from training import excel, services
from training.access import MANAGE, school_for
from training.forms import DossierForm, StepDocumentForm, StepForm, StepStatusForm
from training.models import (
    FINISHED,
    Dossier,
    DossierStatus,
    DossierStep,
    StepDocument,
)


def _steps(dossier: Dossier) -> list[DossierStep]:
    links = StepDocument.objects.active().select_related("document__doc_type")
    return list(
        DossierStep.objects.active()
        .filter(dossier=dossier)
        .select_related("unit")
        .prefetch_related(Prefetch("documents", queryset=links))
    )


@login_required
def dossier_list(request: SignedInRequest) -> HttpResponse:
    school = school_for(request)
    dossiers = list(
        Dossier.objects.active()
        .filter(school=school)
        .select_related("faculty", "decision", "programme")
    )
    status = request.GET.get("status", "")
    if status in DossierStatus.values:
        dossiers = [d for d in dossiers if d.status == status]
    steps: dict[int, list[DossierStep]] = {d.pk: [] for d in dossiers}
    for step in DossierStep.objects.active().filter(dossier__in=dossiers).select_related("unit"):
        steps[step.dossier_id].append(step)
    rows = [(d, steps[d.pk]) for d in dossiers]
    if request.GET.get("format") == "xlsx":
        return xlsx_response(excel.dossiers_workbook(rows), "ho-so-mo-nganh.xlsx")
    day = today()
    context = {
        "school": school,
        "rows": [
            (
                d,
                len([s for s in st if s.status in FINISHED]),
                len(st),
                next((s for s in st if s.status not in FINISHED), None),
            )
            for d, st in rows
        ],
        "day": day,
        "status": status,
        "statuses": DossierStatus.choices,
        "can_manage": request.user.has_perm(MANAGE, school),
        "active": "dossiers",
    }
    return render(request, "training/dossiers.html", context)


def _dossier(request: SignedInRequest, pk: int, perm: str | None = None) -> Dossier:
    school = school_for(request, perm or "training.view_figures")
    return get_object_or_404(
        Dossier.objects.active().select_related("faculty", "decision", "programme"),
        pk=pk,
        school=school,
    )


@login_required
def dossier(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _dossier(request, pk)
    steps = _steps(item)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            excel.steps_workbook(item, steps), f"ho-so-{file_slug(item.code)}.xlsx"
        )
    can_manage = request.user.has_perm(MANAGE, item)
    day = today()
    context = {
        "dossier": item,
        "steps": [
            (s, StepStatusForm(instance=s, prefix=f"s{s.pk}") if can_manage else None)
            for s in steps
        ],
        "done": len([s for s in steps if s.status in FINISHED]),
        "day": day,
        "missing": services.missing_for_opening(item),
        "document_form": StepDocumentForm(dossier=item) if can_manage else None,
        "can_manage": can_manage,
        "editable": can_manage and item.status == DossierStatus.IN_PROGRESS,
        "history": history_entries(item),
        "active": "dossiers",
    }
    return render(request, "training/dossier.html", context)


@login_required
def dossier_form(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    if pk:
        item = _dossier(request, pk, MANAGE)
    else:
        school = school_for(request, MANAGE)
        item = Dossier(school=school, started_on=today())
    form = DossierForm(request.POST or None, instance=item, school_id=item.school_id)
    if request.method == "POST" and form.is_valid():
        if pk:
            action = lambda: services.save_dossier(  # noqa: E731
                form.instance, by=request.user, expected_version=form.expected_version
            )
        else:
            action = lambda: services.create_dossier(form.instance, by=request.user)  # noqa: E731
        done = attempt(request, action, form=form, success=_("Đã lưu hồ sơ mở ngành."))
        if done:
            return redirect("training:dossier", pk=done.value.pk)
    return render_form(
        request,
        form,
        title=_("Sửa hồ sơ mở ngành") if pk else _("Lập hồ sơ mở ngành mới"),
        back=reverse("training:dossier", args=[pk]) if pk else reverse("training:dossiers"),
        intro=""
        if pk
        else _(
            "Hồ sơ nhận các bước của quy trình mở ngành đang áp dụng (trang “Quy trình”); hạn "
            "của từng bước được tính từ ngày bắt đầu và có thể sửa sau."
        ),
    )


@login_required
@require_POST
def dossier_archive(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _dossier(request, pk, MANAGE)
    if attempt(
        request,
        lambda: services.archive_dossier(item, by=request.user),
        success=_("Đã lưu trữ hồ sơ."),
    ):
        return redirect("training:dossiers")
    return redirect("training:dossier", pk=item.pk)


@login_required
@require_POST
def dossier_open(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _dossier(request, pk, MANAGE)
    attempt(
        request,
        lambda: services.open_programme(item, by=request.user),
        success=lambda programme: (
            _("Đã mở ngành %(p)s trong danh mục ngành/nghề đào tạo.") % {"p": programme}
        ),
    )
    return redirect("training:dossier", pk=item.pk)


def _step(request: SignedInRequest, pk: int, perm: str = MANAGE) -> DossierStep:
    school = school_for(request, perm)
    return get_object_or_404(
        DossierStep.objects.active().select_related("dossier", "unit"),
        pk=pk,
        dossier__school=school,
        dossier__archived_at__isnull=True,
    )


@login_required
def step_form(
    request: SignedInRequest, pk: int | None = None, dossier_pk: int | None = None
) -> HttpResponse:
    if pk:
        step = _step(request, pk)
        item = step.dossier
    else:
        item = _dossier(request, dossier_pk or 0, MANAGE)
        last = DossierStep.objects.active().filter(dossier=item).order_by("-order").first()
        step = DossierStep(dossier=item, order=(last.order + 1) if last else 1)
    form = StepForm(request.POST or None, instance=step, school_id=item.school_id)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: services.save_step(
                form.instance, by=request.user, today=today(),
                expected_version=form.expected_version,
            ),
            form=form,
            success=_("Đã lưu bước."),
        )  # fmt: skip
        if done:
            return redirect("training:dossier", pk=item.pk)
    return render_form(
        request,
        form,
        title=_("Sửa bước của hồ sơ") if pk else _("Thêm bước vào hồ sơ"),
        back=reverse("training:dossier", args=[item.pk]),
        intro=str(item),
    )


@login_required
@require_POST
def step_status(request: SignedInRequest, pk: int) -> HttpResponse:
    """A step's status and date done, from its row; HTMX gets the row back (with the refusal
    on it), a plain post a message and the dossier's page."""
    step = _step(request, pk)
    htmx = bool(getattr(request, "htmx", False))
    form = StepStatusForm(request.POST, instance=step, prefix=f"s{step.pk}")
    saved = None
    if form.is_valid():
        saved = attempt(
            request,
            lambda: services.save_step(
                form.instance, by=request.user, today=today(),
                expected_version=form.expected_version,
            ),
            form=form if htmx else None,
            success=None if htmx else _("Đã lưu bước."),
        )  # fmt: skip
    elif not htmx:
        messages.error(request, _("Tình trạng hoặc ngày hoàn thành không hợp lệ."))
    if not htmx:
        return redirect(reverse("training:dossier", args=[step.dossier_id]) + f"#step-{step.pk}")
    if saved:
        step = next(s for s in _steps(step.dossier) if s.pk == step.pk)
        form = StepStatusForm(instance=step, prefix=f"s{step.pk}")
    context = {"step": step, "form": form, "day": today(), "editable": True, "can_manage": True}
    # htmx swaps only a 2xx answer: a refusal comes back as the row with its message on it.
    return render(request, "training/_step_row.html", context)


@login_required
@require_POST
def step_archive(request: SignedInRequest, pk: int) -> HttpResponse:
    step = _step(request, pk)
    attempt(request, lambda: services.archive_step(step, by=request.user), success=_("Đã bỏ bước."))
    return redirect("training:dossier", pk=step.dossier_id)


@login_required
@require_POST
def step_document_add(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _dossier(request, pk, MANAGE)
    form = StepDocumentForm(request.POST, dossier=item)
    if not form.is_valid():
        attempt(
            request, lambda: _refuse(_("Hãy chọn bước và một văn bản trong sổ văn bản của trường."))
        )
        return redirect("training:dossier", pk=item.pk)
    step = form.cleaned_data["step"]
    attempt(
        request,
        lambda: services.link_document(
            step, form.cleaned_data["document"], note=form.cleaned_data["note"], by=request.user
        ),
        success=_("Đã gắn văn bản vào bước."),
    )
    return redirect(reverse("training:dossier", args=[item.pk]) + f"#step-{step.pk}")


@login_required
@require_POST
def step_document_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    school = school_for(request, MANAGE)
    link = get_object_or_404(
        StepDocument.objects.active().select_related("step"), pk=pk, step__dossier__school=school
    )
    if not request.user.has_perm(MANAGE, school):
        raise PermissionDenied
    attempt(
        request,
        lambda: services.unlink_document(link, by=request.user),
        success=_("Đã gỡ văn bản."),
    )
    return redirect("training:dossier", pk=link.step.dossier_id)


def _refuse(message: str) -> None:
    raise services.TrainingError(message)
