"""Votes: the secretary sets up items; attendees cast secret ballots once; results after closing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from conferences import services
from conferences.forms import (
    BallotForm,
    CloseBallotForm,
    HandsForm,
    OpenBallotForm,
    VoteItemForm,
)
from conferences.models import Attendance, BallotCast, VoteItem, VoteMethod
from conferences.quorum import quorum
from conferences.views.common import MANAGE, get_conference, get_part
from core.requests import SignedInRequest
from core.views import attempt
from organisations.membership import membership_of


@login_required
def vote_list(request: SignedInRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk)
    person = membership_of(request.user).person
    items = list(conference.vote_items.active())
    voted: set[int] = set()
    is_attendee = False
    if person is not None:
        voted = set(
            BallotCast.objects.filter(vote_item__conference=conference, person=person).values_list(
                "vote_item_id", flat=True
            )
        )
        is_attendee = (
            conference.invitations.active()
            .filter(person=person, attendance=Attendance.PRESENT)
            .exists()
        )
    can_manage = request.user.has_perm(MANAGE, conference)
    # How many have voted on each open secret ballot (no choice, no order): shown before closing.
    cast = dict(
        BallotCast.objects.filter(vote_item__conference=conference)
        .values("vote_item_id")
        .annotate(n=Count("pk"))
        .values_list("vote_item_id", "n")
    )
    for item in items:
        item.cast_count = cast.get(item.pk, 0)  # type: ignore[attr-defined]  # for the template
    context = {
        "conference": conference,
        "items": items,
        "voted": voted,
        "is_attendee": is_attendee,
        "can_manage": can_manage,
        "item_form": VoteItemForm() if can_manage else None,
        "hands_form": HandsForm() if can_manage else None,
        "ballot_form": BallotForm(),
        "open_form": OpenBallotForm() if can_manage else None,
        "close_form": CloseBallotForm() if can_manage else None,
        "quorum": quorum(conference),
        "tab": "votes",
    }
    return render(request, "conferences/vote_list.html", context)


@login_required
@require_POST
def vote_add(request: SignedInRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, MANAGE)
    form = VoteItemForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.add_vote_item(conference, by=request.user, **form.cleaned_data),
        )
    else:
        messages.error(request, _("Cần ghi nội dung biểu quyết."))
    return redirect("conferences:votes", pk=pk)


def _form_error(request: HttpRequest, form: Any) -> None:
    messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))


# The passphrase never reaches an error report or a log.
@sensitive_post_parameters("passphrase", "passphrase_again")
@login_required
@require_POST
def vote_open(request: SignedInRequest, pk: int) -> HttpResponse:
    item = get_part(request, VoteItem.objects.all(), pk, MANAGE)
    passphrase = ""
    if item.method == VoteMethod.SECRET_BALLOT:
        form = OpenBallotForm(request.POST)
        if not form.is_valid():
            _form_error(request, form)
            return redirect("conferences:votes", pk=item.conference_id)
        passphrase = form.cleaned_data["passphrase"]
    attempt(request, lambda: services.open_vote(item, by=request.user, passphrase=passphrase))
    return redirect("conferences:votes", pk=item.conference_id)


@login_required
@require_POST
def vote_hands(request: SignedInRequest, pk: int) -> HttpResponse:
    item = get_part(request, VoteItem.objects.all(), pk, MANAGE)
    form = HandsForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.record_show_of_hands(item, by=request.user, **form.cleaned_data),
        )
    else:
        messages.error(request, _("Số phiếu phải là số tự nhiên."))
    return redirect("conferences:votes", pk=item.conference_id)


@sensitive_post_parameters("passphrase")
@login_required
@require_POST
def vote_close(request: SignedInRequest, pk: int) -> HttpResponse:
    item = get_part(request, VoteItem.objects.all(), pk, MANAGE)
    form = CloseBallotForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return redirect("conferences:votes", pk=item.conference_id)
    passphrase = form.cleaned_data["passphrase"]
    attempt(request, lambda: services.close_vote(item, by=request.user, passphrase=passphrase))
    return redirect("conferences:votes", pk=item.conference_id)


@sensitive_post_parameters("choice")
@login_required
@require_POST
def ballot(request: SignedInRequest, pk: int) -> HttpResponse:
    item = get_part(request, VoteItem.objects.all(), pk, "conferences.vote")
    person = membership_of(request.user).person
    form = BallotForm(request.POST)
    if person is None or not form.is_valid():
        messages.error(request, _("Hãy chọn một phương án."))
        return redirect("conferences:votes", pk=item.conference_id)
    choice = form.cleaned_data["choice"]
    attempt(
        request,
        lambda: services.cast_ballot(item, person=person, choice=choice),
        success=_("Đã ghi nhận phiếu của bạn. Không ai xem được bạn đã chọn gì."),
    )
    return redirect("conferences:votes", pk=item.conference_id)
