"""The decision's page: the lists as they would be issued (or as issued), what stops issuing,
where they differ from what was published; issuing the Quyết định and the tờ trình; the Excel
lists; the certificates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.clock import today
from core.requests import SignedInRequest
from core.sheets.writing import xlsx_response
from core.views import attempt
from emulation.excel_decision import decision_workbook
from emulation.forms_council import IssueDecisionForm, IssueProposalForm
from emulation.models import CampaignUnit, UpwardDossier
from emulation.services import decisions as services
from emulation.services.council import active_vote
from emulation.views.common import authorised_campaign
from papers.models import IssuedPaper

VIEW = "emulation.view_decision"
DECIDE = "emulation.decide"


@login_required
def decision(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk, VIEW)
    issued = services.decision_of(campaign)
    day = today()
    context: dict[str, Any] = {
        "campaign": campaign,
        "decision": issued,
        "can_decide": request.user.has_perm(DECIDE, campaign),
    }
    if issued is None:
        state = services.draft(campaign, day)
        signers = services.signer_choices(campaign, day)
        context.update(
            snapshot=state.snapshot,
            blocking=state.blocking,
            differences=state.differences,
            form=IssueDecisionForm(
                signers=signers,
                initial={"decided_on": day, "signer": signers[0].pk if signers else None},
            ),
        )
    else:
        papers = {
            paper.kind: paper
            for paper in IssuedPaper.objects.filter(
                kind__in=[services.DECISION_KIND, services.PROPOSAL_KIND],
                object_id=campaign.pk,
                amends=None,
            ).select_related("document")
        }
        titled = [row["unit"] for row in issued.units if row["title"]]
        context.update(
            snapshot=issued.snapshot,
            decision_paper=papers.get(services.DECISION_KIND),
            proposal_paper=papers.get(services.PROPOSAL_KIND),
            proposal_form=IssueProposalForm(initial={"proposal_on": day}),
            dossiers=UpwardDossier.objects.active()
            .filter(campaign=campaign)
            .select_related("body"),
            unit_parts={
                part.unit_id: part.pk
                for part in CampaignUnit.objects.filter(campaign=campaign, unit_id__in=titled)
            },
        )
    return render(request, "emulation/decision.html", context)


@login_required
@require_POST
def decision_issue(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk, DECIDE)
    form = IssueDecisionForm(request.POST, signers=services.signer_choices(campaign))
    if not form.is_valid():
        messages.error(request, _("Hãy ghi ngày ký (dd/mm/yyyy) và chọn người ký."))
        return redirect("emulation:decision", pk=campaign.pk)
    attempt(
        request,
        lambda: services.issue_decision(
            campaign,
            on=form.cleaned_data["decided_on"],
            signer=form.cleaned_data["signer"],
            by=request.user,
        ),
        success=_("Đã ban hành quyết định; kết quả đã ghi cho từng người và báo cho toàn trường."),
    )
    return redirect("emulation:decision", pk=campaign.pk)


@login_required
@require_POST
def proposal_issue(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk, DECIDE)
    form = IssueProposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi ngày ký tờ trình dạng dd/mm/yyyy."))
        return redirect("emulation:decision", pk=campaign.pk)
    attempt(
        request,
        lambda: services.issue_proposal(
            campaign, on=form.cleaned_data["proposal_on"], by=request.user
        ),
        success=_("Đã ban hành tờ trình đề nghị cấp trên khen thưởng."),
    )
    return redirect("emulation:decision", pk=campaign.pk)


@login_required
def decision_xlsx(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk, VIEW)
    issued = services.decision_of(campaign)
    snapshot = (
        issued.snapshot
        if issued is not None
        else services.build_snapshot(campaign, active_vote(campaign), today())
    )
    return xlsx_response(
        decision_workbook(snapshot),
        f"danh-sach-khen-thuong-{campaign.start_year}-{campaign.start_year + 1}.xlsx",
    )
