"""The campaigns: the list, launching and editing one, its page, its council."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conferences.models import EmulationLaunch
from core.audit import history_entries
from core.clock import today
from core.permissions import get_authorised, require
from core.query import id_param
from core.requests import SignedInRequest
from core.views import attempt, render_form
from emulation import queries
from emulation.forms import CampaignForm, CouncilMemberForm
from emulation.models import Campaign, CouncilMember, Evaluation, Registration
from emulation.services import campaigns as services
from emulation.services import council as council_services
from emulation.services import province_campaigns
from emulation.views.common import MANAGE, VIEW, authorised_campaign
from organisations.membership import membership_of
from organisations.models import Organisation
from organisations.permissions import member_school_id
from province.rules import works_above_schools


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    if works_above_schools(request.user):
        # A Sở's emulation is its campaigns sent down and the dossiers sent up.
        return redirect("emulation:province_campaigns")
    school = get_object_or_404(Organisation, pk=member_school_id(request.user))
    campaigns = Campaign.objects.active().filter(school=school).select_related("received_from")
    context = {
        "school": school,
        "campaigns": campaigns,
        "can_manage": request.user.has_perm(MANAGE, Campaign(school=school)),
        "from_above": list(province_campaigns.received(school.pk)[:5]),
        "sees_dossiers": request.user.has_perm("emulation.list_dossiers"),
        "launches": EmulationLaunch.objects.filter(
            conference__school=school, conference__archived_at=None, campaigns=None
        ).select_related("conference"),
    }
    return render(request, "emulation/home.html", context)


@login_required
def campaign_create(request: SignedInRequest) -> HttpResponse:
    school = get_object_or_404(Organisation, pk=member_school_id(request.user))
    require(request.user, MANAGE, Campaign(school=school))
    launch_id = id_param(request.GET, "launch")
    launch = (
        EmulationLaunch.objects.filter(pk=launch_id, conference__school=school)
        .select_related("conference__plan")
        .first()
        if launch_id
        else None
    )
    form = CampaignForm(
        request.POST or None, instance=services.new_campaign(school, launch=launch), school=school
    )
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            lambda: services.save_campaign(
                form.instance,
                by=request.user,
                targets=list(form.cleaned_data["criteria_targets"]),
            ),
            form=form,
            success=_("Đã lưu phong trào thi đua (dự thảo). Kiểm tra rồi bấm “Phát động”."),
        )
        if saved:
            return redirect("emulation:campaign", pk=form.instance.pk)
    intro = (
        _("Điền sẵn từ lời phát động tại %(conference)s.") % {"conference": launch.conference}
        if launch
        else _("Phát động phong trào của trường, hoặc hưởng ứng phong trào do cấp trên phát động.")
    )
    return render_form(
        request,
        form,
        title=_("Phong trào thi đua mới"),
        back=reverse("emulation:home"),
        intro=intro,
    )


@login_required
def campaign_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk, MANAGE)
    form = CampaignForm(request.POST or None, instance=campaign, school=campaign.school)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            lambda: services.save_campaign(
                form.instance,
                by=request.user,
                expected_version=form.expected_version,
                targets=list(form.cleaned_data["criteria_targets"]),
            ),
            form=form,
            success=_("Đã lưu."),
        )
        if saved:
            return redirect("emulation:campaign", pk=campaign.pk)
    return render_form(
        request,
        form,
        title=_("Sửa phong trào thi đua"),
        back=reverse("emulation:campaign", args=[campaign.pk]),
    )


@login_required
@require_POST
def campaign_launch(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk, MANAGE)
    attempt(
        request,
        lambda: services.launch_campaign(campaign, by=request.user),
        success=_("Đã phát động phong trào; mọi người trong trường đã được thông báo."),
    )
    return redirect("emulation:campaign", pk=campaign.pk)


@login_required
def campaign_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk)
    user = request.user
    membership = membership_of(user)
    person = membership.person
    day = today()
    units = queries.top_units(campaign.school_id)
    if not user.has_perm("emulation.view_all_registrations", campaign):
        units = [unit for unit in units if membership.heads_unit(unit.pk)]
    context: dict[str, Any] = {
        "campaign": campaign,
        "council": CouncilMember.objects.active()
        .filter(campaign=campaign)
        .select_related("person"),
        "progress": queries.progress(campaign),
        "criteria_targets": queries.criteria_targets(campaign),
        "units": units,
        "today": day,
        "can_manage": user.has_perm(MANAGE, campaign),
        "can_classify": user.has_perm("emulation.classify", campaign),
        "can_record_facts": user.has_perm("emulation.record_facts", Evaluation(campaign=campaign)),
        "can_see_all": user.has_perm("emulation.view_all_registrations", campaign),
        "can_register": user.has_perm("emulation.register", campaign),
        "can_see_ballot": user.has_perm("emulation.view_council_vote", campaign),
        "can_see_decision": user.has_perm("emulation.view_decision", campaign),
        "council_vote": council_services.active_vote(campaign),
        "registration_open": campaign.registration_open_on(day),
        "self_assessment_open": campaign.self_assessment_open_on(day),
        "history": sorted(
            [*history_entries(campaign), *queries.target_link_history(campaign)],
            key=lambda entry: entry.when,
            reverse=True,
        )
        if user.has_perm(MANAGE, campaign)
        else [],
    }
    if person is not None:
        context["mine"] = (
            Registration.objects.active().filter(campaign=campaign, person=person).first()
        )
        context["my_evaluation"] = (
            Evaluation.objects.active().filter(campaign=campaign, person=person).first()
        )
    return render(request, "emulation/campaign_detail.html", context)


@login_required
def council(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk, MANAGE)
    form = CouncilMemberForm(
        request.POST or None,
        instance=CouncilMember(campaign=campaign),
        school_id=campaign.school_id,
    )
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            lambda: services.save_council_member(form.instance, by=request.user),
            form=form,
            success=_("Đã thêm thành viên Hội đồng."),
        )
        if saved:
            return redirect("emulation:council", pk=campaign.pk)
    members = CouncilMember.objects.active().filter(campaign=campaign).select_related("person")
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "emulation/council.html",
        {"campaign": campaign, "members": members, "form": form},
        status=status,
    )


@login_required
@require_POST
def council_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    member = get_authorised(
        request.user,
        CouncilMember.objects.active().select_related("campaign", "person"),
        VIEW,
        MANAGE,
        pk=pk,
    )
    attempt(
        request,
        lambda: services.remove_council_member(member, by=request.user),
        success=_("Đã đưa %(name)s ra khỏi Hội đồng.") % {"name": member.person.full_name},
    )
    return redirect("emulation:council", pk=member.campaign_id)
