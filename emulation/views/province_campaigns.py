"""The Sở's campaigns: its list and launching one (the Sở's officers), a campaign's page (the Sở:
each school's answer in figures, sending to more schools; a school it was sent to: its targets
and titles, and the school's answer), and a school answering one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import history_entries
from core.clock import today
from core.permissions import get_authorised, require
from core.requests import SignedInRequest
from core.views import attempt, render_form
from emulation.forms_upward import CampaignCorrectionForm, CampaignWithdrawForm, LaunchForm
from emulation.models import Campaign, ProvinceCampaign
from emulation.services import province_campaigns as services
from emulation.services.campaigns import school_year_of
from organisations.membership import membership_of
from organisations.models import Organisation
from province.forms import RecipientsForm
from province.rules import works_above_schools

VIEW = "emulation.view_province_campaign"
LAUNCH = "emulation.launch_province_campaign"
SEND = "emulation.send_province_campaign"
TAKE_UP = "emulation.take_up_province_campaign"


@login_required
def province_campaign_list(request: SignedInRequest) -> HttpResponse:
    membership = membership_of(request.user)
    if membership.school_id is None:
        raise PermissionDenied
    above = works_above_schools(request.user)
    campaigns = (
        list(services.launched(membership.school_id))
        if above
        else list(services.received(membership.school_id))
    )
    answered = (
        {}
        if above
        else dict(
            Campaign.objects.active()
            .filter(school_id=membership.school_id, province_campaign__in=campaigns)
            .values_list("province_campaign_id", "pk")
        )
    )
    context = {
        "above": above,
        "rows": [(campaign, answered.get(campaign.pk)) for campaign in campaigns],
        "can_launch": request.user.has_perm(LAUNCH),
    }
    return render(request, "emulation/upward/province_campaign_list.html", context)


@login_required
def province_campaign_create(request: SignedInRequest) -> HttpResponse:
    require(request.user, LAUNCH)
    body_id = membership_of(request.user).school_id
    assert body_id is not None  # works_above_schools: a member of a body
    body = get_object_or_404(Organisation, pk=body_id)
    day = today()
    campaign = ProvinceCampaign(body=body, start_year=school_year_of(day), launched_on=day)
    form = LaunchForm(request.POST or None, instance=campaign, body_id=body_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            request,
            lambda: services.launch_province_campaign(
                form.instance,
                data["audience"],
                level=data.get("level") or "",
                schools=list(data.get("schools") or []),
                by=request.user,
            ),
            form=form,
            success=_("Đã phát động phong trào và gửi đến các trường."),
        )
        if done:
            return redirect("emulation:province_campaign", pk=done.value.pk)
    return render_form(
        request,
        form,
        title=_("Phát động phong trào thi đua"),
        back=reverse("emulation:province_campaigns"),
        submit=_("Phát động và gửi"),
        intro=_(
            "Phong trào được gửi đến các trường đã chọn; mỗi trường hưởng ứng bằng phong trào "
            "của trường năm học đó, cán bộ đăng ký thi đua như thường lệ."
        ),
    )


def _campaign(request: SignedInRequest, pk: int, perm: str | None = None) -> ProvinceCampaign:
    return get_authorised(
        request.user,
        ProvinceCampaign.objects.active().select_related("body", "basis"),
        VIEW,
        perm,
        pk=pk,
    )


@login_required
def province_campaign_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    membership = membership_of(request.user)
    context: dict[str, Any] = {"campaign": campaign}
    if membership.in_school(campaign.body_id):
        can_send = request.user.has_perm(SEND, campaign)
        answers = services.answers(campaign)
        context.update(
            above=True,
            answers=answers,
            answered=sum(1 for answer in answers if answer.campaign is not None),
            can_send=can_send,
            send_form=RecipientsForm(body_id=campaign.body_id, prefix="send")
            if can_send and not campaign.is_withdrawn
            else None,
            can_correct=can_send and services.correctable(campaign),
            withdraw_form=CampaignWithdrawForm(prefix="withdraw")
            if can_send and not campaign.is_withdrawn
            else None,
            history=history_entries(campaign),
        )
    else:
        context.update(
            above=False,
            own=Campaign.objects.active()
            .filter(school_id=membership.school_id, province_campaign=campaign)
            .first(),
            can_take_up=request.user.has_perm(TAKE_UP, campaign) and not campaign.is_withdrawn,
        )
    return render(request, "emulation/upward/province_campaign_detail.html", context)


@login_required
@require_POST
def province_campaign_send(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, SEND)
    form = RecipientsForm(request.POST, body_id=campaign.body_id, prefix="send")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("emulation:province_campaign", pk=campaign.pk)
    data = form.cleaned_data
    attempt(
        request,
        lambda: services.send_province_campaign(
            campaign,
            data["audience"],
            level=data.get("level") or "",
            schools=list(data.get("schools") or []),
            by=request.user,
        ),
        success=lambda sent: _("Đã gửi thêm đến %(count)d trường.") % {"count": len(sent)},
    )
    return redirect("emulation:province_campaign", pk=campaign.pk)


@login_required
@require_POST
def province_campaign_take_up(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, TAKE_UP)
    school = get_object_or_404(Organisation, pk=membership_of(request.user).school_id)
    done = attempt(
        request,
        lambda: services.take_up(campaign, school, by=request.user),
        success=_("Trường đã hưởng ứng; hoàn thiện và phát động phong trào của trường."),
    )
    if done:
        return redirect("emulation:campaign", pk=done.value.pk)
    return redirect("emulation:province_campaign", pk=campaign.pk)


@login_required
def province_campaign_correct(request: SignedInRequest, pk: int) -> HttpResponse:
    """Correct (đính chính) a sent campaign, before any school's staff registered under it."""
    campaign = _campaign(request, pk, SEND)
    back = reverse("emulation:province_campaign", args=[campaign.pk])
    if not services.correctable(campaign):
        messages.error(
            request,
            _("Phong trào đã được thu hồi, không đính chính được.")
            if campaign.is_withdrawn
            else _(
                "Đã có cán bộ các trường đăng ký thi đua theo phong trào này: không đính chính "
                "được nữa. Hãy thu hồi phong trào và phát động phong trào mới."
            ),
        )
        return redirect(back)
    form = CampaignCorrectionForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            lambda: services.correct_province_campaign(
                form.instance,
                reason=form.cleaned_data["reason"],
                by=request.user,
                expected_version=form.expected_version,
            ),
            form=form,
            success=_("Đã đính chính phong trào và thông báo cho các trường nhận."),
        )
        if saved:
            return redirect(back)
    return render_form(
        request,
        form,
        title=_("Đính chính %(name)s") % {"name": campaign.name},
        back=back,
        submit=_("Lưu đính chính"),
        intro=_(
            "Chỉ đính chính được khi chưa có cán bộ trường nào đăng ký thi đua theo phong trào. "
            "Bản trước được giữ trong lịch sử; các trường nhận được thông báo kèm lý do."
        ),
    )


@login_required
@require_POST
def province_campaign_withdraw(request: SignedInRequest, pk: int) -> HttpResponse:
    """Withdraw (thu hồi) a sent campaign, with the reason; nothing is deleted."""
    campaign = _campaign(request, pk, SEND)
    form = CampaignWithdrawForm(request.POST, prefix="withdraw")
    if not form.is_valid():
        messages.error(request, _("Hãy ghi lý do thu hồi phong trào."))
        return redirect("emulation:province_campaign", pk=campaign.pk)
    attempt(
        request,
        lambda: services.withdraw_province_campaign(
            campaign, reason=form.cleaned_data["reason"], by=request.user
        ),
        success=_("Đã thu hồi phong trào và thông báo cho các trường nhận."),
    )
    return redirect("emulation:province_campaign", pk=campaign.pk)
