"""The council's secret ballot page and its steps: the list of cases, opening with the members
present and the chair's passphrase, each member's ballot paper, the count, publishing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from conferences.models import VoteChoice
from core.clock import today
from core.requests import SignedInRequest
from core.views import attempt
from emulation.council_rows import Case, ballot_rows, cases_of, item_rows
from emulation.forms_council import (
    CountVoteForm,
    OpenVoteForm,
    PrepareVoteForm,
    PublishForm,
    ballot_choices,
)
from emulation.models import Campaign, CouncilItem, CouncilMember, CouncilVote, VoteStatus
from emulation.services import council as services
from emulation.views.common import authorised_campaign
from organisations.membership import membership_of

VIEW = "emulation.view_council_vote"
RUN = "emulation.run_council"


def _vote_or_refuse(request: SignedInRequest, campaign: Campaign) -> CouncilVote | None:
    vote = services.active_vote(campaign)
    if vote is None:
        messages.error(request, _("Chưa lập danh sách bỏ phiếu."))
    return vote


def _forms(
    campaign: Campaign, vote: CouncilVote | None, members: list[CouncilMember]
) -> dict[str, Any]:
    return {
        "prepare_form": PrepareVoteForm(
            initial={"held_on": vote.held_on if vote else campaign.council_meets_on or today()}
        ),
        "open_form": OpenVoteForm(
            members=members, initial={"present": [str(m.pk) for m in members]}
        ),
        "count_form": CountVoteForm(),
        "publish_form": PublishForm(
            initial={"appeals_close": campaign.appeals_close or today() + dt.timedelta(days=7)}
        ),
    }


@login_required
def council_vote(request: SignedInRequest, pk: int) -> HttpResponse:
    """The council's page: the cases and why each is on the ballot, the rule that will apply, who
    is present, the member's ballot paper while it is open, and the tally once counted."""
    campaign = authorised_campaign(request, pk, VIEW)
    vote = services.active_vote(campaign)
    person = membership_of(request.user).person
    items: list[Case] = []
    mine: list[Case] = []
    context: dict[str, Any] = {"campaign": campaign, "vote": vote}
    own = getattr(person, "pk", None)
    if vote is not None:
        items = cases_of(vote)
        voter = services.voter_of(vote, person) if vote.status == VoteStatus.OPEN else None
        voted = voter is not None and services.has_voted(vote, person)
        if voter is not None and not voted:
            mine = [item for item in items if item.evaluation_id is None or item.person_id != own]
        context.update(
            present=list(vote.present.select_related("person")),
            voted=voted,
            is_voter=voter is not None,
            own_cases=[item for item in items if own is not None and item.person_id == own],
            cast_count=vote.casts.count() if vote.status == VoteStatus.OPEN else None,
            item_rows=item_rows(items, counted=vote.is_counted),
            ballot_rows=ballot_rows(mine, VoteChoice.choices),
        )
    rule = vote.rule if vote is not None and vote.status != VoteStatus.DRAFT else campaign.pass_rule
    members = services.members(campaign)
    context.update(
        items=items,
        ballot=mine,
        choices=VoteChoice.choices,
        rule=rule,
        quorum=campaign.quorum,
        members=members,
        can_run=request.user.has_perm(RUN, campaign),
        **_forms(campaign, vote, members),
    )
    return render(request, "emulation/council_vote.html", context)


@login_required
@require_POST
def council_prepare(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk, RUN)
    form = PrepareVoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi ngày họp dạng dd/mm/yyyy."))
        return redirect("emulation:council_vote", pk=campaign.pk)
    attempt(
        request,
        lambda: services.prepare_vote(
            campaign, held_on=form.cleaned_data["held_on"], by=request.user
        ),
        success=lambda vote: (
            _("Đã lập danh sách bỏ phiếu: %(n)d nội dung.")
            % {"n": CouncilItem.objects.filter(vote=vote).count()}
        ),
    )
    return redirect("emulation:council_vote", pk=campaign.pk)


# The passphrase never reaches an error report or a log.
@sensitive_post_parameters("passphrase", "passphrase_again")
@login_required
@require_POST
def council_open(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk, RUN)
    vote = _vote_or_refuse(request, campaign)
    if vote is None:
        return redirect("emulation:council_vote", pk=campaign.pk)
    form = OpenVoteForm(request.POST, members=services.members(campaign))
    if not form.is_valid():
        messages.error(
            request,
            "; ".join(str(error) for errors in form.errors.values() for error in errors),
        )
        return redirect("emulation:council_vote", pk=campaign.pk)
    attempt(
        request,
        lambda: services.open_vote(
            vote,
            present=[int(value) for value in form.cleaned_data["present"]],
            passphrase=form.cleaned_data["passphrase"],
            by=request.user,
        ),
        success=_("Đã mở bỏ phiếu kín; các thành viên có mặt đã được mời bỏ phiếu."),
    )
    return redirect("emulation:council_vote", pk=campaign.pk)


# What a member chose never reaches an error report or a log.
@sensitive_post_parameters()
@login_required
@require_POST
def council_cast(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk, "emulation.cast_council_ballot")
    vote = _vote_or_refuse(request, campaign)
    if vote is None:
        return redirect("emulation:council_vote", pk=campaign.pk)
    person = membership_of(request.user).person
    if person is None:
        messages.error(request, _("Bạn không có hồ sơ cán bộ trong trường này."))
        return redirect("emulation:council_vote", pk=campaign.pk)
    # Every line of the vote that was sent goes to the service, which refuses one's own case.
    choices, errors = ballot_choices(list(CouncilItem.objects.filter(vote=vote)), request.POST)
    if errors:
        messages.error(request, errors[0])
        return redirect("emulation:council_vote", pk=campaign.pk)
    attempt(
        request,
        lambda: services.cast_ballot(vote, person=person, choices=choices),
        success=_("Đã bỏ phiếu. Phiếu kín: không ai biết bạn đã chọn gì."),
    )
    return redirect("emulation:council_vote", pk=campaign.pk)


@sensitive_post_parameters("passphrase")
@login_required
@require_POST
def council_count(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk, RUN)
    vote = _vote_or_refuse(request, campaign)
    if vote is None:
        return redirect("emulation:council_vote", pk=campaign.pk)
    form = CountVoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy nhập mật khẩu hòm phiếu."))
        return redirect("emulation:council_vote", pk=campaign.pk)
    attempt(
        request,
        lambda: services.count_vote(
            vote, passphrase=form.cleaned_data["passphrase"], by=request.user
        ),
        success=lambda counted: (
            _("Đã kiểm phiếu: %(n)d thành viên đã bỏ phiếu.") % {"n": counted.voters_count}
        ),
    )
    return redirect("emulation:council_vote", pk=campaign.pk)


@login_required
@require_POST
def council_publish(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk, RUN)
    vote = _vote_or_refuse(request, campaign)
    if vote is None:
        return redirect("emulation:council_vote", pk=campaign.pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi hạn nhận kiến nghị dạng dd/mm/yyyy."))
        return redirect("emulation:council_vote", pk=campaign.pk)
    done = attempt(
        request,
        lambda: services.publish_results(
            vote, appeals_close=form.cleaned_data["appeals_close"], by=request.user
        ),
        success=_("Đã công khai kết quả; mọi người trong trường đã được thông báo."),
    )
    if done:
        return redirect("emulation:results", pk=campaign.pk)
    return redirect("emulation:council_vote", pk=campaign.pk)
