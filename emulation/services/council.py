"""The council's secret ballot: the list of cases, opening it with the members present and the
chair's passphrase, each member's ballot paper, the count, and publishing the tally with the
results to staff.

Ballots are stored and counted as the conference's are (`conferences.sealing` on boxes built from
`conferences.models.sealing`): "has voted" and the sealed answers are committed in two separate
transactions, the box's ballots rewritten with new random ids in a random order at every cast,
opened in a random order at the count and then deleted with the private key. A member is never
given a ballot for their own case. The rule applied (share, base, quorum) is copied from the
campaign when the ballot opens and published with the tally.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conferences import ballots, sealing
from conferences.models import VoteChoice
from core.audit import stamp
from core.clock import today
from core.text import format_date
from core.versioning import claim_version
from emulation import notices
from emulation.models import (
    ITEM_ORDER,
    Campaign,
    CouncilBallot,
    CouncilBallotBox,
    CouncilBallotCast,
    CouncilItem,
    CouncilMember,
    CouncilVote,
    Evaluation,
    ItemKind,
    VoteStatus,
)
from emulation.services.candidates import cases
from emulation.services.classification import preview
from emulation.services.common import EmulationError, ensure_open, ensure_open_school
from emulation.services.outcome import outcome
from organisations.models import Person


class AlreadyVoted(EmulationError):
    pass


def active_vote(campaign: Campaign) -> CouncilVote | None:
    return CouncilVote.objects.active().filter(campaign=campaign).first()


def members(campaign: Campaign) -> list[CouncilMember]:
    return list(
        CouncilMember.objects.active()
        .filter(campaign=campaign)
        .select_related("person")
        .order_by("order", "pk")
    )


@transaction.atomic
def prepare_vote(campaign: Campaign, *, held_on: dt.date, by: User) -> CouncilVote:
    """Lập danh sách bỏ phiếu: the cases read off the classification as it stands. Again while
    it is a draft, the old list is archived and a new one made (the data may have changed)."""
    ensure_open(campaign)
    current = active_vote(campaign)
    if current is not None and current.status != VoteStatus.DRAFT:
        raise EmulationError(_("Hội đồng đã bỏ phiếu; không lập lại danh sách được nữa."))
    unreviewed = list(
        Evaluation.objects.active()
        .filter(campaign=campaign, proposed_level__isnull=True)
        .select_related("person")
        .order_by("person__sort_key")[:6]
    )
    if unreviewed:
        names = ", ".join(evaluation.person.full_name for evaluation in unreviewed[:5])
        raise EmulationError(
            _("Chưa xét xong ở đơn vị: %(names)s%(more)s. Hội đồng họp khi mọi người đã được xét.")
            % {"names": names, "more": "…" if len(unreviewed) > 5 else ""}
        )
    found = cases(campaign, preview(campaign))
    if current is not None:
        stamp(current, by, _("Lập lại danh sách bỏ phiếu"))
        current.archive()
    vote = CouncilVote(campaign=campaign, held_on=held_on)
    stamp(vote, by, _("Lập danh sách bỏ phiếu của Hội đồng"))
    vote.save()
    order = {kind: index for index, kind in enumerate(ITEM_ORDER)}
    found.sort(key=lambda case: order[case.kind])
    CouncilItem.objects.bulk_create(
        [
            CouncilItem(
                vote=vote,
                kind=case.kind,
                evaluation=case.evaluation,
                unit=case.unit,
                group=case.group[:255],
                quota=case.quota,
                grounds=case.grounds,
                order=index,
            )
            for index, case in enumerate(found, start=1)
        ]
    )
    notices.council_vote_prepared(vote, by=by)
    return vote


def _locked(vote: CouncilVote) -> CouncilVote:
    return CouncilVote._base_manager.select_for_update().select_related("campaign").get(pk=vote.pk)


@transaction.atomic
def open_vote(
    vote: CouncilVote,
    *,
    present: Iterable[int],
    passphrase: str,
    by: User,
    expected_version: int | None = None,
) -> CouncilVote:
    """Open the ballot: the members present (the quorum checked), the rule copied from the
    campaign, the box's keys sealed under the chair's passphrase (asked again at the count)."""
    claim_version(vote, expected_version)
    vote = _locked(vote)
    campaign = vote.campaign
    ensure_open(campaign)
    if vote.is_archived or vote.status != VoteStatus.DRAFT:
        raise EmulationError(_("Phiếu này không còn ở bước chuẩn bị."))
    if not CouncilItem.objects.filter(vote=vote).exists():
        raise EmulationError(_("Không có nội dung nào cần Hội đồng bỏ phiếu."))
    if len(passphrase) < ballots.MIN_PASSPHRASE:
        raise EmulationError(
            _("Mật khẩu hòm phiếu cần ít nhất %(n)s ký tự.") % {"n": ballots.MIN_PASSPHRASE}
        )
    council = members(campaign)
    chosen = set(present)
    here = [member for member in council if member.pk in chosen]
    if len(here) != len(chosen):
        raise EmulationError(_("Chỉ chọn thành viên của Hội đồng."))
    quorum = campaign.quorum
    if not quorum.reached(len(here), len(council)):
        raise EmulationError(
            _("Chưa đủ số thành viên: có mặt %(here)d/%(all)d, cần %(quorum)s (%(n)d người).")
            % {
                "here": len(here),
                "all": len(council),
                "quorum": quorum.text,
                "n": quorum.needed(len(council)),
            }
        )
    rule = campaign.pass_rule
    vote.pass_numerator, vote.pass_denominator = rule.numerator, rule.denominator
    vote.pass_strict, vote.pass_base = rule.strict, rule.base
    vote.quorum_numerator, vote.quorum_denominator = quorum.numerator, quorum.denominator
    vote.members_count, vote.present_count = len(council), len(here)
    vote.status = VoteStatus.OPEN
    vote.opened_at = timezone.now()
    stamp(vote, by, _("Mở bỏ phiếu kín"))
    vote.save()
    vote.present.set(here)
    box = CouncilBallotBox(vote=vote)
    box.lock_with(passphrase)
    box.save()
    notices.council_vote_opened(vote, here, by=by)
    return vote


def voter_of(vote: CouncilVote, person: Person | None) -> CouncilMember | None:
    """The person as a council member present at the ballot, else None."""
    if person is None:
        return None
    return vote.present.filter(person=person, archived_at__isnull=True).first()


def has_voted(vote: CouncilVote, person: Person | None) -> bool:
    return (
        person is not None and CouncilBallotCast.objects.filter(vote=vote, person=person).exists()
    )


def ballot_items(vote: CouncilVote, person: Person | None) -> list[CouncilItem]:
    """The cases `person` votes on: every case but their own."""
    items = CouncilItem.objects.filter(vote=vote).select_related("evaluation__person", "unit")
    if person is not None:
        items = items.exclude(evaluation__person=person)
    return list(items)


def _claim(vote: CouncilVote, person: Person) -> None:
    vote = _locked(vote)
    if vote.status != VoteStatus.OPEN or vote.is_archived:
        raise EmulationError(_("Hội đồng không đang bỏ phiếu."))
    if voter_of(vote, person) is None:
        raise EmulationError(
            _("Chỉ thành viên Hội đồng có mặt tại phiên họp mới được bỏ phiếu."), status=403
        )
    try:
        with transaction.atomic():
            CouncilBallotCast.objects.create(vote=vote, person=person)
    except IntegrityError as error:
        raise AlreadyVoted(_("Bạn đã bỏ phiếu.")) from error


def _drop(vote: CouncilVote, person: Person, choices: Mapping[int, str]) -> None:
    vote = _locked(vote)
    if vote.status != VoteStatus.OPEN:
        raise EmulationError(_("Hội đồng không đang bỏ phiếu."))
    box = CouncilBallotBox.objects.get(vote=vote)
    # Never a ballot on one's own case: the person's cases are left out here, whatever was sent.
    items = CouncilItem.objects.filter(vote=vote).exclude(evaluation__person=person)
    sealing.reshuffle(
        CouncilBallot.objects.filter(box=box),
        [
            {
                "box_id": box.pk,
                "item_id": item_id,
                "sealed": ballots.seal(
                    bytes(box.public_key), choices.get(item_id, VoteChoice.ABSTAIN)
                ),
            }
            for item_id in items.values_list("pk", flat=True)
        ],
    )


def _check_paper(vote: CouncilVote, person: Person, choices: Mapping[int, str]) -> None:
    allowed = {item.pk for item in ballot_items(vote, person)}
    for item_id, choice in choices.items():
        if choice not in VoteChoice.values:
            raise EmulationError(_("Phiếu không hợp lệ."))
        if item_id not in allowed:
            raise EmulationError(
                _(
                    "Phiếu có nội dung không thuộc lá phiếu của bạn (không ai bỏ phiếu cho chính mình)."
                ),
                status=403,
            )


def cast_ballot(vote: CouncilVote, *, person: Person, choices: Mapping[int, str]) -> None:
    """A member's ballot paper: an answer to every case but their own (none given: "không
    biểu quyết"), committed before this returns. Refused before anything is written if a choice
    is not one of the three or names a case not on the paper (or their own)."""
    ensure_open_school(vote.campaign.school_id)
    _check_paper(vote, person, choices)
    sealing.cast_in_two_steps(
        claim=lambda: _claim(vote, person),
        drop=lambda: _drop(vote, person, choices),
        withdraw=lambda: CouncilBallotCast.objects.filter(vote=vote, person=person).delete(),
    )


@transaction.atomic
def cast_sample_ballot(vote: CouncilVote, *, person: Person, choices: Mapping[int, str]) -> None:
    """A ballot of the demo school's sample council: checked and written as `cast_ballot`
    writes it, but in the caller's transaction (the demo is loaded in one, where the two
    committed steps of `conferences.sealing` cannot run). Refused for a campaign that is not
    sample data: real ballots are only ever cast by `cast_ballot`."""
    if not Campaign._base_manager.filter(pk=vote.campaign_id, is_sample=True).exists():
        raise EmulationError(_("Chỉ phong trào dữ liệu mẫu được bỏ phiếu theo cách này."))
    _check_paper(vote, person, choices)
    _claim(vote, person)
    _drop(vote, person, choices)


@transaction.atomic
def count_vote(vote: CouncilVote, *, passphrase: str, by: User) -> CouncilVote:
    """Kiểm phiếu: every ballot opened in a random order with the chair's passphrase and counted
    per case, the rule applied (each case's base leaves out a member who is its candidate), the
    HTXS candidates ranked by their "yes" ballots; the ballots and the key are then discarded.
    A wrong passphrase counts nothing and leaves the ballot open."""
    vote = _locked(vote)
    ensure_open_school(vote.campaign.school_id)
    if vote.status != VoteStatus.OPEN or vote.is_archived:
        raise EmulationError(_("Không có cuộc bỏ phiếu đang mở."))
    box = CouncilBallotBox.objects.select_for_update().get(vote=vote)
    box_ballots = CouncilBallot.objects.filter(box=box)
    try:
        opened = sealing.open_tagged(box, passphrase, box_ballots.values_list("item_id", "sealed"))
    except ballots.WrongPassphrase as error:
        raise EmulationError(_("Mật khẩu hòm phiếu không đúng; chưa kiểm phiếu nào.")) from error
    except ballots.UnreadableBallot as error:
        raise EmulationError(_("Có phiếu không mở được; chưa kiểm phiếu.")) from error
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(VoteChoice.values, 0))
    for item_id, choice in opened:
        if choice not in VoteChoice.values:
            raise EmulationError(_("Có phiếu không hợp lệ; chưa kiểm phiếu."))
        counts[item_id][choice] += 1
    voters = CouncilBallotCast.objects.filter(vote=vote).count()
    council_people = {member.person_id for member in members(vote.campaign)}
    present_people = set(vote.present.values_list("person_id", flat=True))
    rule = vote.rule
    items = list(CouncilItem.objects.filter(vote=vote).select_related("evaluation__person"))
    for item in items:
        tally = counts[item.pk]
        candidate = item.evaluation.person_id if item.evaluation is not None else None
        if tally[VoteChoice.YES] + tally[VoteChoice.NO] + tally[VoteChoice.ABSTAIN] > voters:
            raise EmulationError(_("Số phiếu vượt số người đã bỏ phiếu; chưa kiểm phiếu."))
        item.yes_count = tally[VoteChoice.YES]
        item.no_count = tally[VoteChoice.NO]
        item.abstain_count = tally[VoteChoice.ABSTAIN]
        item.base = rule.base_of(
            members=(vote.members_count or 0) - (candidate in council_people),
            present=(vote.present_count or 0) - (candidate in present_people),
        )
        item.passed = rule.passes(item.yes_count, item.base)
    _rank_htxs(vote, [item for item in items if item.kind == ItemKind.HTXS], by=by)
    for item in items:
        item.save()
    sealing.discard(box, box_ballots)
    vote.status = VoteStatus.COUNTED
    vote.voters_count = voters
    vote.counted_at = timezone.now()
    stamp(vote, by, _("Kiểm phiếu: %(n)d thành viên đã bỏ phiếu") % {"n": voters})
    vote.save()
    notices.council_vote_counted(vote, by=by)
    return vote


def _rank_htxs(vote: CouncilVote, items: list[CouncilItem], *, by: User) -> None:
    """In each unit and group over the quota: most "yes" first (ties: the leadership's earlier
    ranking, then the name); the first ones, as many as the quota, keep HTXS. The rank becomes
    the council's rank the classification reads."""
    groups: dict[str, list[CouncilItem]] = defaultdict(list)
    for item in items:
        groups[item.group].append(item)
    for group in groups.values():
        group.sort(
            key=lambda item: (
                -(item.yes_count or 0),
                item.evaluation.council_rank or 10**6 if item.evaluation else 10**6,
                item.evaluation.person.sort_key if item.evaluation else "",
                item.pk,
            )
        )
        for rank, item in enumerate(group, start=1):
            item.rank = rank
            item.passed = rank <= (item.quota or 0)
            evaluation = item.evaluation
            if evaluation is None or evaluation.council_rank == rank:
                continue
            evaluation.council_rank = rank
            stamp(
                evaluation,
                by,
                _("Hội đồng bỏ phiếu kín HTXS: %(yes)d phiếu đồng ý, xếp thứ %(rank)d")
                % {"yes": item.yes_count or 0, "rank": rank},
            )
            evaluation.save(update_fields=["council_rank"])


@transaction.atomic
def publish_results(vote: CouncilVote, *, appeals_close: dt.date, by: User) -> CouncilVote:
    """Công khai: the tally, the rule applied and the results go to staff, who may send an
    appeal on their own result until `appeals_close`; the principal decides after."""
    vote = _locked(vote)
    campaign = Campaign._base_manager.select_for_update().get(pk=vote.campaign_id)
    ensure_open(campaign)
    if vote.status != VoteStatus.COUNTED:
        raise EmulationError(_("Chỉ công khai sau khi đã kiểm phiếu (và chưa công khai)."))
    day = today()
    if appeals_close < day:
        raise EmulationError(
            _("Hạn nhận kiến nghị (%(day)s) không được trước hôm nay.")
            % {"day": format_date(appeals_close)}
        )
    vote.results = outcome(campaign, vote).as_dict()
    vote.status = VoteStatus.PUBLISHED
    vote.published_at = timezone.now()
    vote.published_by = by
    stamp(vote, by, _("Công khai kết quả bình xét"))
    vote.save()
    campaign.appeals_open, campaign.appeals_close = day, appeals_close
    stamp(
        campaign,
        by,
        _("Công khai kết quả; nhận kiến nghị đến %(day)s") % {"day": format_date(appeals_close)},
    )
    campaign.save(update_fields=["appeals_open", "appeals_close"])
    notices.results_published(vote, by=by)
    return vote
