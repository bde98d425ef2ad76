"""Votes: show of hands recorded as counts, or a secret electronic ballot.

For a secret ballot, who has voted (BallotCast) and what was voted (the BallotBox counters) are
stored apart with nothing linking them: no ballot rows, no times, no history on either.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from conferences.models import (
    Attendance,
    BallotBox,
    BallotCast,
    Conference,
    ConferenceStatus,
    PassBase,
    VoteChoice,
    VoteItem,
    VoteMethod,
    VoteStatus,
)
from conferences.services.common import ConferenceError, ensure_open
from conferences.services.hall import quorum
from core.audit import stamp
from organisations.models import Person


class AlreadyVoted(ConferenceError):
    pass


@transaction.atomic
def add_vote_item(
    conference: Conference,
    *,
    title: str,
    method: str = VoteMethod.SHOW_OF_HANDS,
    is_resolution: bool = False,
    by: Any,
    is_sample: bool = False,
) -> VoteItem:
    ensure_open(conference)
    if not title.strip():
        raise ConferenceError(_("Cần ghi nội dung biểu quyết."))
    item = VoteItem(
        conference=conference,
        title=title.strip(),
        method=method,
        is_resolution=is_resolution,
        order=conference.vote_items.count() + 1,
        is_sample=is_sample,
    )
    stamp(item, by)
    item.save()
    return item


@transaction.atomic
def open_vote(item: VoteItem, *, by: Any) -> VoteItem:
    ensure_open(item.conference)
    if item.conference.status != ConferenceStatus.IN_SESSION:
        raise ConferenceError(_("Chỉ mở biểu quyết khi hội nghị đang họp."))
    if item.status != VoteStatus.DRAFT:
        raise ConferenceError(_("Nội dung này đã được mở biểu quyết."))
    item.status = VoteStatus.OPEN
    if item.method == VoteMethod.SECRET_BALLOT:
        BallotBox.objects.get_or_create(vote_item=item)
    stamp(item, by, _("Mở biểu quyết"))
    item.save()
    return item


def has_voted(item: VoteItem, person: Person | None) -> bool:
    return person is not None and BallotCast.objects.filter(vote_item=item, person=person).exists()


@transaction.atomic
def cast_ballot(item: VoteItem, *, person: Person, choice: str) -> None:
    """One secret ballot. The voter is recorded as having voted; the choice only as a count."""
    # Lock the item so that a ballot cannot slip in while the vote is being closed.
    item = VoteItem.objects.select_for_update().select_related("conference").get(pk=item.pk)
    if item.method != VoteMethod.SECRET_BALLOT or item.status != VoteStatus.OPEN:
        raise ConferenceError(_("Nội dung này không đang bỏ phiếu kín."))
    if choice not in VoteChoice.values:
        raise ConferenceError(_("Phiếu không hợp lệ."))
    present = item.conference.invitations.active().filter(
        person=person, attendance=Attendance.PRESENT
    )
    if not present.exists():
        raise ConferenceError(_("Chỉ đại biểu có mặt tại hội nghị mới được bỏ phiếu."))
    try:
        with transaction.atomic():
            BallotCast.objects.create(vote_item=item, person=person)
    except IntegrityError as error:
        raise AlreadyVoted(_("Bạn đã bỏ phiếu cho nội dung này.")) from error
    BallotBox.objects.filter(vote_item=item).update(**{choice: F(choice) + 1})


def _base(item: VoteItem, attendees: int, summoned: int) -> int:
    base = item.conference.kind.pass_base
    if base == PassBase.SUMMONED:
        return summoned
    if base == PassBase.VOTES:
        return item.votes_cast
    return attendees


def _finish(item: VoteItem, *, by: Any, reason: str) -> VoteItem:
    state = quorum(item.conference)
    attendees = state.present
    if item.votes_cast > attendees:
        raise ConferenceError(
            _("Tổng số phiếu (%(cast)s) vượt số người có mặt (%(present)s).")
            % {"cast": item.votes_cast, "present": attendees}
        )
    item.attendees_at_close = attendees
    item.summoned_at_close = state.summoned
    item.passed = item.conference.kind.passes(
        item.yes_count or 0, _base(item, attendees, state.summoned)
    )
    item.status = VoteStatus.CLOSED
    stamp(item, by, reason)
    item.save()
    return item


@transaction.atomic
def record_show_of_hands(item: VoteItem, *, yes: int, no: int, abstain: int, by: Any) -> VoteItem:
    """The secretary counts the hands; the result is computed with the kind's rule."""
    ensure_open(item.conference)
    if item.method != VoteMethod.SHOW_OF_HANDS:
        raise ConferenceError(_("Nội dung này biểu quyết bằng phiếu kín."))
    if item.status == VoteStatus.CLOSED:
        raise ConferenceError(_("Biểu quyết đã kết thúc."))
    if min(yes, no, abstain) < 0:
        raise ConferenceError(_("Số phiếu không được âm."))
    item.yes_count, item.no_count, item.abstain_count = yes, no, abstain
    return _finish(item, by=by, reason=_("Ghi kết quả biểu quyết giơ tay"))


@transaction.atomic
def close_vote(item: VoteItem, *, by: Any) -> VoteItem:
    """Close a secret ballot: the counters become the result, shown to all from now on."""
    ensure_open(item.conference)
    if item.method != VoteMethod.SECRET_BALLOT or item.status != VoteStatus.OPEN:
        raise ConferenceError(_("Không có phiếu kín đang mở."))
    box = BallotBox.objects.select_for_update().get(vote_item=item)
    item.yes_count, item.no_count, item.abstain_count = box.yes, box.no, box.abstain
    return _finish(item, by=by, reason=_("Kết thúc bỏ phiếu kín"))
