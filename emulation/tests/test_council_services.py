"""The council's secret ballot as services: what is put to the vote, the secrecy of the ballots,
a member never voting on their own case, the rule with either base, the count and the ranking."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection

from emulation.council_rule import MEMBERS, PRESENT, PassRule, Quorum
from emulation.models import (
    Campaign,
    CouncilBallot,
    CouncilBallotBox,
    CouncilBallotCast,
    CouncilItem,
    CouncilVote,
    Evaluation,
    VoteStatus,
)
from emulation.services import campaigns as campaign_services
from emulation.services import council as services
from emulation.services import evaluations as evaluation_services
from emulation.services.common import EmulationError
from emulation.tests.council_helpers import PASSPHRASE, Council
from notifications.models import Notification, NotificationKind
from organisations.models import Person


def _plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


def _rows(table: str) -> set[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}"')
        return {tuple(_plain(v) for v in row) for row in cursor.fetchall()}


def _columns(model: Any) -> set[str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, model._meta.db_table)
    return {column.name for column in description}


def _ballot_tables() -> list[str]:
    return sorted(
        name
        for name in connection.introspection.table_names()
        if name.startswith("emulation_") and ("council" in name)
    )


# What is put to the vote --------------------------------------------------------------------


def test_the_list_holds_the_cases_the_rules_find(council: Council) -> None:
    council.prepare()
    assert sorted(council.items()) == [
        "bang_khen_faculty_head",  # CSTĐCS this year and last year
        "bang_khen_staff",
        "cstd_higher_faculty_head",  # CSTĐCS three years and a province-scope initiative
        "cstdcs_faculty_head",
        "cstdcs_staff",
        "htxs_colleague",  # three HTXS among five lecturers at HTT or HTXS: quota 1
        "htxs_lecturer1",
        "htxs_staff",
        "ttldxs_cd-mau",  # the school as a whole, proposed above (never its own decision)
        "ttldxs_faculty",
    ]
    htxs = council.items()["htxs_staff"]
    assert htxs.quota == 1 and "3 người đề nghị HTXS, chỉ tiêu 1" in htxs.grounds
    assert "Đạt CSTĐCS" in council.items()["cstdcs_staff"].grounds
    assert "hai năm liên tục" in council.items()["bang_khen_staff"].grounds
    notified = Notification.objects.filter(kind=NotificationKind.EMULATION_COUNCIL)
    assert {n.user for n in notified} >= {council.users["clerk"], council.users["faculty_head"]}


def test_no_list_while_someone_is_not_reviewed(council: Council) -> None:
    Evaluation.objects.filter(person=council.people["lecturer4"]).update(proposed_level=None)
    with pytest.raises(EmulationError, match="Giảng viên 4"):
        council.prepare()
    assert not CouncilVote.objects.exists()


def test_preparing_again_archives_the_draft_and_nothing_after_the_vote_opens(
    council: Council,
) -> None:
    first = council.prepare()
    second = council.prepare()
    first.refresh_from_db()
    assert first.is_archived and not second.is_archived
    council.open()
    with pytest.raises(EmulationError, match="đã bỏ phiếu"):
        council.prepare()


def test_the_ballot_opens_with_a_quorum_and_a_real_passphrase(council: Council) -> None:
    vote = council.prepare()
    by = council.users["leadership"]
    with pytest.raises(EmulationError, match="Chưa đủ số thành viên"):
        services.open_vote(
            vote, present=[council.member("leadership").pk, council.member("clerk").pk],
            passphrase=PASSPHRASE, by=by,
        )  # fmt: skip
    with pytest.raises(EmulationError, match="ít nhất"):
        services.open_vote(
            vote, present=[m.pk for m in services.members(council.campaign)], passphrase="ngắn",
            by=by,
        )  # fmt: skip
    vote.refresh_from_db()
    assert vote.status == VoteStatus.DRAFT and not CouncilBallotBox.objects.exists()
    opened = council.open()
    assert opened.status == VoteStatus.OPEN
    assert (opened.members_count, opened.present_count) == (4, 4)
    box = CouncilBallotBox.objects.get(vote=opened)
    assert bytes(box.public_key) and bytes(box.sealed_private_key)
    assert PASSPHRASE.encode() not in bytes(box.sealed_private_key)


def test_the_council_cannot_change_once_it_votes(council: Council) -> None:
    council.open()
    with pytest.raises(EmulationError, match="không thay đổi thành viên"):
        campaign_services.remove_council_member(
            council.member("colleague"), by=council.users["leadership"]
        )
    with pytest.raises(EmulationError, match="thứ hạng theo kết quả bỏ phiếu"):
        evaluation_services.set_council_ranks(
            council.campaign, {council.evaluation("staff").pk: 2}, by=council.users["leadership"]
        )


# Secrecy --------------------------------------------------------------------------------------


def _person_and_user_columns() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if getattr(field, "related_model", None) in (get_user_model(), Person):
                found.setdefault(model._meta.db_table, set()).add(field.column)
    return found


def test_a_ballot_names_nobody_and_casting_changes_only_who_voted_and_the_box(
    council: Council,
) -> None:
    council.open()
    ballot_table = CouncilBallot._meta.db_table
    cast_table = CouncilBallotCast._meta.db_table
    for role, choice in (("leadership", "yes"), ("clerk", "no"), ("colleague", "abstain")):
        before = {table: _rows(table) for table in _ballot_tables()}
        council.vote(role, **dict.fromkeys(council.items(), choice))
        after = {table: _rows(table) for table in _ballot_tables()}
        for table in _ballot_tables():
            if table == ballot_table:
                continue
            added, removed = after[table] - before[table], before[table] - after[table]
            assert not removed, f"{table}: a row changed when a ballot was cast"
            assert len(added) == (1 if table == cast_table else 0), table
        # Every ballot row was written again: the new ones are not told by their ids.
        old_ids = {row[0] for row in before[ballot_table]}
        assert not old_ids & {row[0] for row in after[ballot_table]}
    # A ballot holds its ciphertext, its box and its case: nothing that leads to a voter.
    assert _columns(CouncilBallot) == {"id", "box_id", "item_id", "sealed"}
    assert _columns(CouncilBallotCast) == {"id", "vote_id", "person_id"}
    links = _person_and_user_columns()
    assert ballot_table not in links and CouncilBallotBox._meta.db_table not in links
    sealed = [bytes(s) for s in CouncilBallot.objects.values_list("sealed", flat=True)]
    assert len({len(s) for s in sealed}) == 1
    assert not any(word in s for s in sealed for word in (b"yes", b"no", b"abstain"))
    assert not [
        t
        for t in connection.introspection.table_names()
        if "historical" in t and ("ballot" in t or "cast" in t)
    ]
    # The colleague is a candidate (HTXS) and left their own case out: 10 cases, 9 on their paper.
    assert CouncilBallot.objects.count() == 10 + 10 + 9


def test_a_member_never_votes_on_their_own_case(council: Council) -> None:
    vote = council.open()
    own = council.items()["cstdcs_faculty_head"]
    paper = services.ballot_items(vote, council.people["faculty_head"])
    assert own.pk not in {item.pk for item in paper}
    with pytest.raises(EmulationError, match="chính mình") as refused:
        services.cast_ballot(vote, person=council.people["faculty_head"], choices={own.pk: "yes"})
    assert refused.value.status == 403
    assert not CouncilBallotCast.objects.exists() and not CouncilBallot.objects.exists()
    council.vote("faculty_head", **dict.fromkeys(council.items(), "yes"))
    items = CouncilBallot.objects.filter(item=own).count()
    assert items == 0  # their paper had no line for their own case
    for role in ("leadership", "clerk", "colleague"):
        council.vote(role, **dict.fromkeys(council.items(), "yes"))
    council.count()
    own = CouncilItem.objects.get(pk=own.pk)
    # Three could vote on it: the base leaves the candidate out (4 members − 1).
    assert (own.yes_count, own.base, own.passed) == (3, 3, True)


def test_only_members_present_vote_once(council: Council) -> None:
    vote = council.open(present=("leadership", "clerk", "faculty_head"))
    with pytest.raises(EmulationError, match="có mặt"):
        services.cast_ballot(vote, person=council.people["colleague"], choices={})
    with pytest.raises(EmulationError, match="có mặt"):
        services.cast_ballot(vote, person=council.people["staff"], choices={})
    council.vote("clerk")
    with pytest.raises(services.AlreadyVoted):
        council.vote("clerk")
    assert CouncilBallotCast.objects.count() == 1


def test_a_bad_choice_is_refused_before_anything_is_written(council: Council) -> None:
    vote = council.open()
    item = council.items()["cstdcs_staff"]
    with pytest.raises(EmulationError, match="không hợp lệ"):
        services.cast_ballot(vote, person=council.people["clerk"], choices={item.pk: "maybe"})
    with pytest.raises(EmulationError):
        services.cast_ballot(vote, person=council.people["clerk"], choices={10**9: "yes"})
    assert not CouncilBallotCast.objects.exists() and not CouncilBallot.objects.exists()


def test_a_sample_ballot_in_one_transaction_only_for_sample_data(council: Council) -> None:
    """The demo's council votes inside the loader's transaction (`cast_sample_ballot`); a real
    campaign's ballots are refused that way, before anything is written."""
    vote = council.open()
    own = council.items()["cstdcs_faculty_head"]
    with pytest.raises(EmulationError, match="dữ liệu mẫu"):
        services.cast_sample_ballot(vote, person=council.people["clerk"], choices={})
    assert not CouncilBallotCast.objects.exists() and not CouncilBallot.objects.exists()
    Campaign.objects.filter(pk=vote.campaign_id).update(is_sample=True)
    # The same checks as a paper cast from the page: never one's own case, one paper each.
    with pytest.raises(EmulationError, match="chính mình"):
        services.cast_sample_ballot(
            vote, person=council.people["faculty_head"], choices={own.pk: "yes"}
        )
    services.cast_sample_ballot(vote, person=council.people["faculty_head"], choices={})
    with pytest.raises(services.AlreadyVoted):
        services.cast_sample_ballot(vote, person=council.people["faculty_head"], choices={})
    assert CouncilBallotCast.objects.count() == 1
    assert not CouncilBallot.objects.filter(item=own).exists()
    paper = services.ballot_items(vote, council.people["faculty_head"])
    assert CouncilBallot.objects.count() == len(paper) < len(council.items())


# The count ------------------------------------------------------------------------------------


def test_a_wrong_passphrase_counts_nothing_and_the_right_one_counts_and_discards(
    council: Council,
) -> None:
    vote = council.open()
    council.vote("leadership", cstdcs_staff="yes")
    council.vote("clerk", cstdcs_staff="no")
    with pytest.raises(EmulationError, match="không đúng"):
        services.count_vote(vote, passphrase="không phải mật khẩu", by=council.users["leadership"])
    vote.refresh_from_db()
    assert vote.status == VoteStatus.OPEN and CouncilBallot.objects.exists()
    assert CouncilItem.objects.filter(yes_count__isnull=False).count() == 0
    counted = council.count()
    assert counted.status == VoteStatus.COUNTED and counted.voters_count == 2
    item = council.items()["cstdcs_staff"]
    # Unanswered lines count as "không biểu quyết"; 1 yes of 4 members is not more than half.
    assert (item.yes_count, item.no_count, item.abstain_count) == (1, 1, 0)
    assert (item.base, item.passed) == (4, False)
    assert not CouncilBallot.objects.exists()
    assert bytes(CouncilBallotBox.objects.get(vote=vote).sealed_private_key) == b""


def test_htxs_over_the_quota_is_ranked_by_the_ballot(council: Council) -> None:
    council.open()
    for role in ("leadership", "clerk", "faculty_head"):
        council.vote(role, htxs_staff="no", htxs_lecturer1="yes", htxs_colleague="yes")
    council.vote("colleague", htxs_staff="no", htxs_lecturer1="yes")
    council.count()
    items = council.items()
    assert [(items[k].yes_count, items[k].rank, items[k].passed) for k in ("htxs_lecturer1", "htxs_colleague", "htxs_staff")] == [
        (4, 1, True), (3, 2, False), (0, 3, False),
    ]  # fmt: skip
    # The council's rank is now the ballot's, and the classification keeps the first one HTXS.
    assert council.evaluation("lecturer1").council_rank == 1
    assert council.evaluation("staff").council_rank == 3
    history = council.evaluation("staff").history.first()
    assert "bỏ phiếu kín HTXS" in history.history_change_reason
    published = council.publish()
    levels = {row["name"]: row["level"] for row in published.results["people"]}
    assert levels["Giảng viên 1"] == "HTXS" and levels["Hoàng Văn An"] == "HTT"


@pytest.mark.parametrize(
    ("base", "present", "expected"),
    [
        # 4 members, "more than half"; the staff member's CSTĐCS gets 2 yes.
        (MEMBERS, ("leadership", "clerk", "faculty_head", "colleague"), False),  # 2 > 4/2? no
        (PRESENT, ("leadership", "clerk", "faculty_head"), True),  # 2 > 3/2? yes
        (MEMBERS, ("leadership", "clerk", "faculty_head"), False),  # base stays 4
    ],
)
def test_the_threshold_is_counted_on_the_base_the_campaign_chose(
    council: Council, base: str, present: tuple[str, ...], expected: bool
) -> None:
    campaign = council.campaign
    campaign.council_pass_base = base
    campaign_services.save_campaign(campaign, by=council.users["leadership"])
    council.open(present=present)
    for role, choice in zip(present, ("yes", "yes", "no", "no"), strict=False):
        council.vote(role, cstdcs_staff=choice)
    vote = council.count()
    item = council.items()["cstdcs_staff"]
    assert item.yes_count == 2 and item.passed is expected
    assert item.base == (len(present) if base == PRESENT else 4)
    assert vote.rule.base == base  # the rule applied is kept with the ballot


def test_a_rule_changed_after_the_ballot_opened_does_not_apply(council: Council) -> None:
    council.open()
    campaign = council.campaign
    campaign.council_pass_numerator, campaign.council_pass_denominator = 9, 10
    campaign.council_pass_strict = False
    campaign_services.save_campaign(campaign, by=council.users["leadership"])
    for role in ("leadership", "clerk", "faculty_head"):
        council.vote(role, cstdcs_staff="yes")
    council.count()
    assert council.items()["cstdcs_staff"].passed is True  # 3 > 4/2, the rule when it opened


def test_pass_rule_arithmetic_is_exact() -> None:
    half = PassRule(1, 2, True, MEMBERS)
    assert [half.passes(yes, 4) for yes in (2, 3)] == [False, True]
    assert half.needed(4) == 3 and half.needed(5) == 3
    two_thirds = PassRule(2, 3, False, PRESENT)
    assert [two_thirds.passes(yes, 6) for yes in (3, 4)] == [False, True]
    assert two_thirds.needed(6) == 4 and two_thirds.needed(7) == 5
    assert not half.passes(0, 0)
    assert half.text == "trên 1/2 tổng số thành viên Hội đồng"
    assert PassRule(70, 100, False, PRESENT).text == "từ 70% số thành viên có mặt trở lên"
    quorum = Quorum(2, 3)
    assert [quorum.reached(present, 4) for present in (2, 3)] == [False, True]
    assert quorum.needed(4) == 3


def test_a_member_who_left_the_council_before_it_voted_is_not_counted(council: Council) -> None:
    former = council.member("colleague")
    campaign_services.remove_council_member(former, by=council.users["leadership"])
    vote = council.prepare()
    with pytest.raises(EmulationError, match="Chỉ chọn thành viên"):
        services.open_vote(vote, present=[former.pk], passphrase=PASSPHRASE, by=council.users["leadership"])  # fmt: skip
    vote = council.open(present=("leadership", "clerk", "faculty_head"))
    assert (vote.members_count, vote.present_count) == (3, 3)


def test_publishing_freezes_the_results_and_opens_the_appeal_window(council: Council) -> None:
    council.open()
    for role in ("leadership", "clerk", "faculty_head", "colleague"):
        council.vote(role, **dict.fromkeys(council.items(), "yes"))
    vote = council.count()
    with pytest.raises(EmulationError, match="trước hôm nay"):
        services.publish_results(vote, appeals_close=vote.held_on.replace(day=1), by=council.users["leadership"])  # fmt: skip
    published = council.publish()
    campaign = council.campaign
    assert published.status == VoteStatus.PUBLISHED and published.results["people"]
    assert campaign.appeals_open == published.held_on and campaign.appeals_close is not None
    staff = next(r for r in published.results["people"] if r["name"] == "Hoàng Văn An")
    assert "CSTĐCS" in staff["titles"] and staff["proposed"] == ["Bằng khen của Bộ trưởng"]
    told = Notification.objects.filter(
        kind=NotificationKind.EMULATION_COUNCIL, user=council.users["staff"]
    )
    assert told.filter(title__startswith="Công khai kết quả").exists()
    # A change after publication does not rewrite what was published.
    Evaluation.objects.filter(pk=council.evaluation("lecturer4").pk).update(proposed_level="HTT")
    published.refresh_from_db()
    assert (
        next(r for r in published.results["people"] if r["name"] == "Giảng viên 4")["level"] == "HT"
    )


def test_models_that_hold_ballots_keep_no_history() -> None:
    for model in (CouncilBallot, CouncilBallotCast, CouncilBallotBox):
        assert not hasattr(model, "history"), model
