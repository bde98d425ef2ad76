"""Training pages: the year's figures and the training office; the procedure for opening a
programme (national steps, or the school's own to adjust)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import history_entries
from core.clock import today
from core.requests import SignedInRequest
from core.sheets.writing import xlsx_response
from core.views import attempt, render_form
from training import excel, figures, services
from training.access import MANAGE, school_for
from training.forms import StepTemplateForm, TrainingOfficeForm
from training.models import (
    Course,
    CourseKind,
    Dossier,
    DossierStatus,
    StepTemplate,
    TrainingOffice,
)


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    school = school_for(request)
    years = list(figures.by_year(school.pk).values())
    if request.GET.get("format") == "xlsx":
        return xlsx_response(excel.figures_workbook(years), "lien-ket-boi-duong-theo-nam-hoc.xlsx")
    office = TrainingOffice.objects.filter(school=school).select_related("office").first()
    can_set_office = school.is_school and request.user.has_perm("training.set_office", school)
    context = {
        "school": school,
        "years": [(y, y.row()) for y in years],
        "kinds": CourseKind.choices,
        "office": office,
        "office_form": TrainingOfficeForm(
            initial={"office": office.office_id if office else None}, school_id=school.pk
        )
        if can_set_office
        else None,
        "open_dossiers": Dossier.objects.active()
        .filter(school=school, status=DossierStatus.IN_PROGRESS)
        .count(),
        "running": Course.objects.active().filter(school=school, status="running").count(),
        "can_manage": request.user.has_perm(MANAGE, school),
        "active": "training",
    }
    return render(request, "training/home.html", context)


@login_required
@require_POST
def office_set(request: SignedInRequest) -> HttpResponse:
    school = school_for(request, "training.set_office")
    form = TrainingOfficeForm(request.POST, school_id=school.pk)
    if not form.is_valid():
        attempt(request, lambda: _refuse(_("Hãy chọn một phòng của trường.")))
        return redirect("training:home")
    attempt(
        request,
        lambda: services.set_training_office(school, form.cleaned_data["office"], by=request.user),
        success=_("Đã lưu phòng phụ trách đào tạo."),
    )
    return redirect("training:home")


def _refuse(message: str) -> None:
    raise services.TrainingError(message)


# The procedure ---------------------------------------------------------------------------------


@login_required
def procedure(request: SignedInRequest) -> HttpResponse:
    school = school_for(request)
    day = today()
    steps = StepTemplate.in_force(day, school.pk)
    own = any(step.school_id == school.pk for step in steps)
    ended = (
        StepTemplate.objects.filter(school=school, valid_to__lt=day).order_by("-valid_to")[:20]
        if own
        else []
    )
    context = {
        "school": school,
        "steps": steps,
        "own": own,
        "ended": ended,
        "can_manage": request.user.has_perm(MANAGE, school),
        "active": "procedure",
    }
    return render(request, "training/procedure.html", context)


@login_required
@require_POST
def procedure_adopt(request: SignedInRequest) -> HttpResponse:
    school = school_for(request, MANAGE)
    attempt(
        request,
        lambda: services.adopt_steps(school, on=today(), by=request.user),
        success=_("Trường đã có quy trình riêng, sao từ quy trình đang áp dụng: hãy điều chỉnh."),
    )
    return redirect("training:procedure")


@login_required
def step_template_form(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    school = school_for(request, MANAGE)
    step = (
        get_object_or_404(StepTemplate, pk=pk, school=school)
        if pk
        else StepTemplate(school=school, valid_from=today())
    )
    form = StepTemplateForm(request.POST or None, instance=step)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: services.save_step_template(
                form.instance, by=request.user, expected_version=form.expected_version
            ),
            form=form,
            success=_("Đã lưu bước của quy trình."),
        )
        if done:
            return redirect("training:procedure")
    return render_form(
        request,
        form,
        title=_("Sửa bước của quy trình") if pk else _("Thêm bước vào quy trình của trường"),
        back=reverse("training:procedure"),
        extra={"history": history_entries(step) if pk else []},
        template="training/form_page.html",
    )


@login_required
@require_POST
def step_template_end(request: SignedInRequest, pk: int) -> HttpResponse:
    school = school_for(request, MANAGE)
    step = get_object_or_404(StepTemplate, pk=pk, school=school)
    attempt(
        request,
        lambda: services.end_step_template(step, on=today(), by=request.user),
        success=_("Bước không còn áp dụng cho hồ sơ mới."),
    )
    return redirect("training:procedure")
