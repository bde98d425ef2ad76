"""Registration pages: my registration, a unit's consolidated list and its collective
registration, returning one to be redone, sending the list; the sheets."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.clock import today
from core.permissions import get_authorised
from core.requests import SignedInRequest
from core.sheets.writing import file_slug, xlsx_response
from core.views import attempt, render_form
from emulation import excel
from emulation.forms import NoteForm, OptionalNoteForm, RegistrationForm, UnitRegistrationForm
from emulation.models import Registration
from emulation.services import registrations as services
from emulation.views.common import VIEW, authorised_campaign, unit_part
from organisations.membership import membership_of

CONSOLIDATE = "emulation.consolidate_unit"


@login_required
def register(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk, "emulation.register")
    person = membership_of(request.user).person
    mine = Registration.objects.active().filter(campaign=campaign, person=person).first()
    form = RegistrationForm(
        request.POST or None,
        instance=mine,
        titles=campaign.individual_titles,
        initial={"titles": mine.titles, "commitments": mine.commitments} if mine else None,
    )
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: services.register(
                campaign,
                titles=form.cleaned_data["titles"],
                commitments=form.cleaned_data["commitments"],
                by=request.user,
                expected_version=form.expected_version,
            ),
            form=form,
            success=_("Đã ghi đăng ký thi đua của bạn."),
        )
        if done:
            return redirect("emulation:campaign", pk=campaign.pk)
    intro = _("Thời hạn đăng ký: %(start)s – %(end)s.") % {
        "start": campaign.registration_opens.strftime("%d/%m/%Y"),
        "end": campaign.registration_closes.strftime("%d/%m/%Y"),
    }
    if mine is not None and mine.head_note:
        intro = f"{intro} " + _("Ý kiến của trưởng đơn vị: %(note)s") % {"note": mine.head_note}
    return render_form(
        request,
        form,
        title=_("Đăng ký thi đua năm học %(year)s") % {"year": campaign.year_label},
        back=reverse("emulation:campaign", args=[campaign.pk]),
        intro=intro,
        submit=_("Ghi đăng ký"),
        template="emulation/register.html",
        extra={"campaign": campaign, "mine": mine},
    )


@login_required
@require_POST
def withdraw(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk, "emulation.register")
    person = membership_of(request.user).person
    mine = Registration.objects.active().filter(campaign=campaign, person=person).first()
    if mine is not None:
        attempt(
            request,
            lambda: services.withdraw_registration(mine, by=request.user),
            success=_("Đã rút đăng ký thi đua."),
        )
    return redirect("emulation:campaign", pk=campaign.pk)


@login_required
def unit_registrations(request: SignedInRequest, pk: int, unit_pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk)
    part = unit_part(request, campaign, unit_pk, "emulation.view_unit")
    rows = list(
        Registration.objects.active()
        .filter(campaign=campaign, unit=part.unit)
        .select_related("person")
        .order_by("person__sort_key", "pk")
    )
    collective = next((row for row in rows if row.person_id is None), None)
    people = [row for row in rows if row.person_id is not None]
    context = {
        "campaign": campaign,
        "part": part,
        "unit": part.unit,
        "collective": collective,
        "rows": people,
        "can_consolidate": request.user.has_perm(CONSOLIDATE, part),
        "submit_form": OptionalNoteForm(),
        "registration_open": campaign.registration_open_on(today()),
    }
    return render(request, "emulation/unit_registrations.html", context)


@login_required
def unit_register(request: SignedInRequest, pk: int, unit_pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk)
    part = unit_part(request, campaign, unit_pk, CONSOLIDATE)
    current = (
        Registration.objects.active().filter(campaign=campaign, unit=part.unit, person=None).first()
    )
    form = UnitRegistrationForm(
        request.POST or None,
        instance=current,
        titles=campaign.collective_titles,
        initial={"title": current.titles[-1], "commitments": current.commitments}
        if current
        else None,
    )
    back = reverse("emulation:unit_registrations", args=[campaign.pk, part.unit.pk])
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: services.register_unit(
                campaign,
                part.unit,
                titles=[form.cleaned_data["title"]],
                commitments=form.cleaned_data["commitments"],
                by=request.user,
                expected_version=form.expected_version,
            ),
            form=form,
            success=_("Đã ghi đăng ký danh hiệu tập thể."),
        )
        if done:
            return redirect(back)
    return render_form(
        request,
        form,
        title=_("Đăng ký danh hiệu tập thể: %(unit)s") % {"unit": part.unit.name},
        back=back,
        submit=_("Ghi đăng ký"),
    )


@login_required
def registration_return(request: SignedInRequest, pk: int) -> HttpResponse:
    registration = get_authorised(
        request.user,
        Registration.objects.active()
        .filter(campaign__archived_at=None, person__isnull=False)
        .select_related("campaign", "person", "unit"),
        VIEW,
        CONSOLIDATE,
        pk=pk,
    )
    back = reverse(
        "emulation:unit_registrations", args=[registration.campaign_id, registration.unit_id]
    )
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: services.return_registration(
                registration, note=form.cleaned_data["note"], by=request.user
            ),
            form=form,
            field="note",
            success=_("Đã đề nghị %(name)s sửa lại đăng ký.")
            % {"name": registration.person.full_name if registration.person else ""},
        )
        if done:
            return redirect(back)
    return render_form(
        request,
        form,
        title=_("Đề nghị sửa lại đăng ký của %(name)s")
        % {"name": registration.person.full_name if registration.person else ""},
        back=back,
        intro=", ".join(registration.titles)
        + (f" — {registration.commitments}" if registration.commitments else ""),
        submit=_("Gửi đề nghị"),
    )


@login_required
@require_POST
def unit_submit(request: SignedInRequest, pk: int, unit_pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk)
    part = unit_part(request, campaign, unit_pk, CONSOLIDATE)
    form = OptionalNoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    attempt(
        request,
        lambda: services.submit_unit_list(campaign, part.unit, note=note, by=request.user),
        success=_("Đã gửi danh sách đăng ký của đơn vị lên Ban giám hiệu."),
    )
    return redirect("emulation:unit_registrations", pk=campaign.pk, unit_pk=part.unit.pk)


@login_required
def unit_reopen(request: SignedInRequest, pk: int, unit_pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk)
    part = unit_part(request, campaign, unit_pk, CONSOLIDATE)
    back = reverse("emulation:unit_registrations", args=[campaign.pk, part.unit.pk])
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: services.reopen_unit_list(
                part, reason=form.cleaned_data["note"], by=request.user
            ),
            form=form,
            field="note",
            success=_("Đã mở lại danh sách đăng ký của đơn vị."),
        )
        if done:
            return redirect(back)
    return render_form(
        request,
        form,
        title=_("Mở lại danh sách đăng ký: %(unit)s") % {"unit": part.unit.name},
        back=back,
        submit=_("Mở lại"),
    )


@login_required
def unit_registrations_xlsx(request: SignedInRequest, pk: int, unit_pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk)
    part = unit_part(request, campaign, unit_pk, "emulation.view_unit")
    data = excel.registrations_workbook(campaign, [part.unit])
    return xlsx_response(
        data,
        f"dang-ky-thi-dua-{campaign.start_year}-{file_slug(part.unit.short_name or part.unit.name)}.xlsx",
    )


@login_required
def registrations_xlsx(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk, "emulation.view_all_registrations")
    return xlsx_response(
        excel.registrations_workbook(campaign, None),
        f"dang-ky-thi-dua-{campaign.start_year}-{campaign.start_year + 1}.xlsx",
    )
