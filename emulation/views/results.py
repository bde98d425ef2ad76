"""The published results (công khai): the tally and the rule applied, who gets which title and
who is proposed above, each person's own result with its reasons, appeals and their answers;
after the decision, the decided results and one's certificate."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.clock import today
from core.permissions import get_authorised
from core.requests import SignedInRequest
from core.views import attempt
from emulation.forms_council import AnswerForm, AppealForm
from emulation.models import Appeal, CouncilItem, Evaluation, VoteStatus
from emulation.services import appeals as services
from emulation.services.council import active_vote
from emulation.services.decisions import decision_of
from emulation.views.common import authorised_campaign
from organisations.membership import membership_of


@login_required
def results(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk, "emulation.view_results")
    user = request.user
    vote = active_vote(campaign)
    decision = decision_of(campaign)
    published = vote is not None and vote.status == VoteStatus.PUBLISHED
    insider = user.has_perm("emulation.see_unpublished_results", campaign)
    if decision is not None:
        people, units = decision.people, decision.units
    elif published and vote is not None:
        people, units = vote.results.get("people", []), vote.results.get("units", [])
    else:
        people, units = [], []
    items: list[CouncilItem] = []
    if vote is not None and (published or (insider and vote.is_counted)):
        items = list(
            CouncilItem.objects.filter(vote=vote).select_related(
                "evaluation__person", "evaluation__unit", "unit"
            )
        )
    person = membership_of(user).person
    evaluation = (
        Evaluation.objects.active().filter(campaign=campaign, person=person).first()
        if person is not None
        else None
    )
    mine = (
        next((row for row in people if row["evaluation"] == evaluation.pk), None)
        if evaluation is not None
        else None
    )
    my_appeal = (
        Appeal.objects.active().filter(campaign=campaign, evaluation=evaluation).first()
        if evaluation is not None
        else None
    )
    can_answer = user.has_perm("emulation.answer_appeal", campaign)
    appeals = (
        list(
            Appeal.objects.active()
            .filter(campaign=campaign)
            .select_related("evaluation__person", "evaluation__unit", "answered_by")
        )
        if can_answer
        else []
    )
    context: dict[str, Any] = {
        "campaign": campaign,
        "vote": vote,
        "decision": decision,
        "published": published or decision is not None,
        "items": items,
        "titled": [row for row in people if row["titles"] or row["proposed"]],
        "units": [row for row in units if row["title"] or row["proposed"]],
        "mine": mine,
        "evaluation": evaluation,
        "my_appeal": my_appeal,
        "can_appeal": published
        and decision is None
        and evaluation is not None
        and my_appeal is None
        and campaign.appeals_open_on(today()),
        "appeal_form": AppealForm(),
        "appeals": [(appeal, AnswerForm(prefix=f"a{appeal.pk}")) for appeal in appeals],
        "can_answer": can_answer and decision is None,
        "can_certificate": decision is not None
        and evaluation is not None
        and bool(evaluation.final_titles),
    }
    return render(request, "emulation/results.html", context)


@login_required
@require_POST
def appeal_file(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk, "emulation.appeal")
    form = AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi nội dung kiến nghị (tối đa 5.000 ký tự)."))
        return redirect("emulation:results", pk=campaign.pk)
    attempt(
        request,
        lambda: services.file_appeal(campaign, text=form.cleaned_data["text"], by=request.user),
        success=_("Đã gửi kiến nghị; Ban giám hiệu sẽ trả lời trước khi ra quyết định."),
    )
    return redirect(f"{_results_url(campaign.pk)}#cua-toi")


def _results_url(pk: int) -> str:
    return reverse("emulation:results", args=[pk])


@login_required
@require_POST
def appeal_answer(request: SignedInRequest, pk: int) -> HttpResponse:
    appeal = get_authorised(
        request.user,
        Appeal.objects.active().select_related("campaign__school", "evaluation__person"),
        "emulation.view_campaign",
        "emulation.answer_appeal",
        pk=pk,
    )
    form = AnswerForm(request.POST, prefix=f"a{appeal.pk}")
    if not form.is_valid():
        messages.error(request, _("Hãy chọn kết quả và ghi nội dung trả lời."))
    else:
        attempt(
            request,
            lambda: services.answer_appeal(
                appeal,
                accepted=form.cleaned_data["decision"] == "accepted",
                answer=form.cleaned_data["answer"],
                level=form.cleaned_data["level"] or None,
                by=request.user,
            ),
            success=_("Đã trả lời kiến nghị; người kiến nghị đã được thông báo."),
        )
    return redirect(f"{_results_url(appeal.campaign_id)}#kien-nghi")
