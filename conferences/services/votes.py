"""Votes: show of hands recorded as counts, or a secret electronic ballot.

A secret ballot is sealed with the vote's public key at casting and opened only at the close,
with the passphrase the chair set when opening it (conferences.ballots). Who has voted
(BallotCast) and the sealed ballots (Ballot) are written in two separate transactions, with
nothing linking them: no voter, time or counter on a ballot, random ids, and the box's ballots
rewritten in a random order at every cast. The threat model is in docs/SECURITY.md, section 7.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from conferences import ballots, sealing
from conferences.models import (
    Attendance,
    Ballot,
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
from conferences.quorum import quorum
from conferences.services.common import ConferenceError, ensure_open
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
    by: User,
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
def open_vote(item: VoteItem, *, by: User, passphrase: str = "") -> VoteItem:
    """Open the vote; a secret ballot needs the passphrase that will be asked again to count."""
    ensure_open(item.conference)
    if item.conference.status != ConferenceStatus.IN_SESSION:
        raise ConferenceError(_("Chỉ mở biểu quyết khi hội nghị đang họp."))
    if item.status != VoteStatus.DRAFT:
        raise ConferenceError(_("Nội dung này đã được mở biểu quyết."))
    item.status = VoteStatus.OPEN
    if item.method == VoteMethod.SECRET_BALLOT:
        if len(passphrase) < ballots.MIN_PASSPHRASE:
            raise ConferenceError(
                _("Mật khẩu hòm phiếu cần ít nhất %(n)s ký tự.") % {"n": ballots.MIN_PASSPHRASE}
            )
        box = BallotBox.objects.filter(vote_item=item).first() or BallotBox(vote_item=item)
        box.lock_with(passphrase)
        box.save()
    stamp(item, by, _("Mở biểu quyết"))
    item.save()
    return item


def has_voted(item: VoteItem, person: Person | None) -> bool:
    return person is not None and BallotCast.objects.filter(vote_item=item, person=person).exists()


def _open_secret_item(item: VoteItem) -> VoteItem:
    """The item, locked so that no ballot slips in while the vote is being closed."""
    item = VoteItem.objects.select_for_update().select_related("conference").get(pk=item.pk)
    if item.method != VoteMethod.SECRET_BALLOT or item.status != VoteStatus.OPEN:
        raise ConferenceError(_("Nội dung này không đang bỏ phiếu kín."))
    return item


def _claim(item: VoteItem, person: Person) -> None:
    """Record that `person` has voted (at most once); run in a transaction of its own."""
    item = _open_secret_item(item)
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


def _drop(item: VoteItem, choice: str) -> None:
    """Seal the ballot and put it in the box (in another transaction): the box's ballots are
    rewritten with new random ids in a random order (conferences.sealing.reshuffle)."""
    item = _open_secret_item(item)
    box = BallotBox.objects.get(vote_item=item)
    if not box.has_key:
        raise ConferenceError(
            _("Hòm phiếu này được mở trước khi phiếu được mã hóa; hãy kết thúc bỏ phiếu.")
        )
    sealing.reshuffle(
        Ballot.objects.filter(box=box),
        [{"box_id": box.pk, "sealed": ballots.seal(bytes(box.public_key), choice)}],
    )


def cast_ballot(item: VoteItem, *, person: Person, choice: str) -> None:
    """One secret ballot, committed before this returns (a crash afterwards loses nothing).

    First who has voted, then the sealed ballot, in two transactions so that the two rows never
    share a transaction id. If the ballot cannot be stored, the voter's mark is withdrawn so
    they may vote again (conferences.sealing.cast_in_two_steps).
    """
    if choice not in VoteChoice.values:
        raise ConferenceError(_("Phiếu không hợp lệ."))
    sealing.cast_in_two_steps(
        claim=lambda: _claim(item, person),
        drop=lambda: _drop(item, choice),
        withdraw=lambda: BallotCast.objects.filter(vote_item_id=item.pk, person=person).delete(),
    )


def _base(item: VoteItem, attendees: int, summoned: int) -> int:
    base = item.conference.kind.pass_base
    if base == PassBase.SUMMONED:
        return summoned
    if base == PassBase.VOTES:
        return item.votes_cast
    return attendees


def _finish(item: VoteItem, *, by: User, reason: str) -> VoteItem:
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
def record_show_of_hands(item: VoteItem, *, yes: int, no: int, abstain: int, by: User) -> VoteItem:
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
def close_vote(item: VoteItem, *, by: User, passphrase: str = "") -> VoteItem:
    """Close a secret ballot: open every ballot with the chair's passphrase, in random order, and
    count them; the ballots and the private key are then discarded. A wrong passphrase counts
    nothing and leaves the vote open."""
    ensure_open(item.conference)
    # Lock the item so that no ballot slips in while the box is counted; read it afresh.
    VoteItem.objects.select_for_update().filter(pk=item.pk).first()
    item.refresh_from_db()
    if item.method != VoteMethod.SECRET_BALLOT or item.status != VoteStatus.OPEN:
        raise ConferenceError(_("Không có phiếu kín đang mở."))
    box = BallotBox.objects.select_for_update().get(vote_item=item)
    counts = {choice: int(box.carried_over.get(choice, 0)) for choice in VoteChoice.values}
    if box.has_key:
        box_ballots = Ballot.objects.filter(box=box)
        try:
            opened = sealing.open_all(box, passphrase, box_ballots.values_list("sealed", flat=True))
        except ballots.WrongPassphrase as error:
            raise ConferenceError(
                _("Mật khẩu hòm phiếu không đúng; chưa kiểm phiếu nào.")
            ) from error
        except ballots.UnreadableBallot as error:
            raise ConferenceError(_("Có phiếu không mở được; chưa kiểm phiếu.")) from error
        for choice in opened:
            if choice not in counts:
                raise ConferenceError(_("Có phiếu không hợp lệ; chưa kiểm phiếu."))
            counts[choice] += 1
        sealing.discard(box, box_ballots)
    item.yes_count = counts[VoteChoice.YES]
    item.no_count = counts[VoteChoice.NO]
    item.abstain_count = counts[VoteChoice.ABSTAIN]
    return _finish(item, by=by, reason=_("Kết thúc bỏ phiếu kín"))
