"""The council's, the results' and the decision's pages for every role, through their forms: the
chair (leadership), the council's secretary (the clerk) and a member (the faculty head), a unit
head who is not on the council, a staff member, another school's leader and the Sở's officer.
A staff member sees the published results and their own, never another's draft; no page answers
500 to bad input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import close_response, make_person
from emulation.models import (
    Appeal,
    CampaignUnit,
    CouncilBallotCast,
    CouncilItem,
    CouncilVote,
    Evaluation,
    ItemKind,
    Stage,
    VoteStatus,
)
from emulation.services import appeals as appeal_services
from emulation.services import decisions as decision_services
from emulation.services.council import active_vote
from emulation.tests.council_helpers import (
    APPEALS_CLOSE,
    COUNCIL_DAY,
    DECISION_DAY,
    PASSPHRASE,
    Council,
)
from organisations.models import Role

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
LOGIN = REDIRECT
ROLES = [
    "anonymous", "outsider", "officer", "staff", "clerk2", "clerk", "unit_head", "faculty_head",
    "leadership",
]  # fmt: skip


def url(name: str, *args: Any) -> str:
    return reverse(f"emulation:{name}", args=args)


def paper(kind: str, pk: int) -> str:
    return reverse("papers:download", args=[kind, pk, "docx"])


def decided(council: Council) -> Council:
    council.run_to_published()
    council.cycle.clock.set(DECISION_DAY)
    campaign = council.campaign
    signer = decision_services.signer_choices(campaign, DECISION_DAY)[0]
    decision_services.issue_decision(
        campaign, on=DECISION_DAY, signer=signer, by=council.users["leadership"]
    )
    decision_services.issue_proposal(campaign, on=DECISION_DAY, by=council.users["leadership"])
    return council


# anonymous, outsider, officer, staff, a clerk, the clerk who is the council's secretary,
# a unit head, the faculty head (a council member), the leader (the council's chair)
SCHOOL = (LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, OK, OK, OK)
COUNCIL = (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK, OK)
LEADERS_CLERK = (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK, OK, FORBIDDEN, FORBIDDEN, OK)

PAGES: list[tuple[str, Callable[[Council], str], tuple[int, ...]]] = [
    ("ballot", lambda c: url("council_vote", c.campaign.pk), COUNCIL),
    ("results", lambda c: url("results", c.campaign.pk), SCHOOL),
    ("decision", lambda c: url("decision", c.campaign.pk), LEADERS_CLERK),
    ("decision sheet", lambda c: url("decision_xlsx", c.campaign.pk), LEADERS_CLERK),
    ("decision paper", lambda c: paper("emulation_decision", c.campaign.pk), SCHOOL),
    ("proposal paper", lambda c: paper("emulation_proposal", c.campaign.pk), LEADERS_CLERK),
    ("staff's certificate", lambda c: paper("emulation_certificate", c.evaluation("staff").pk),
     (LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, FORBIDDEN, OK, OK)),
    ("clerk's certificate", lambda c: paper("emulation_certificate", c.evaluation("clerk").pk),
     (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK, OK, OK, FORBIDDEN, OK)),
    ("faculty's certificate", lambda c: paper("emulation_unit_certificate", CampaignUnit.objects.get(campaign=c.campaign, unit=c.cycle.world.faculty).pk),
     (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK, OK, FORBIDDEN, OK, OK)),
    ("campaign", lambda c: url("campaign", c.campaign.pk), SCHOOL),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "address", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_for_role(
    council: Council, role: str, name: str, address: Any, expected: tuple[int, ...]
) -> None:
    decided(council)
    response = council.client(role).get(address(council))
    close_response(response)
    assert response.status_code == expected[ROLES.index(role)], f"{name} as {role}"
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_before_the_decision_its_draft_is_for_those_preparing_it(council: Council) -> None:
    council.run_to_published()
    address = paper("emulation_decision", council.campaign.pk)
    expected = (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK, OK, FORBIDDEN, FORBIDDEN, OK)
    for role, status in zip(ROLES, expected, strict=True):
        response = council.client(role).get(address)
        close_response(response)
        assert response.status_code == status, role
    draft = council.client("clerk").get(address)
    assert b"word/document.xml" in draft.content or draft.content[:2] == b"PK"


# Actions through the pages, one state each -------------------------------------------------------


def _prepared(c: Council) -> None:
    c.prepare()


def _open(c: Council) -> None:
    c.open()


def _counted(c: Council) -> None:
    c.open()
    c.count()


def _published(c: Council) -> None:
    c.run_to_published()


def _appealed(c: Council) -> None:
    c.run_to_published()
    appeal_services.file_appeal(c.campaign, text="Xin xem lại", by=c.users["colleague"])


def _past_window(c: Council) -> None:
    c.run_to_published()
    c.cycle.clock.set(DECISION_DAY)


ACTIONS: list[tuple[str, Callable[[Council], None], Callable[[Council], str], Callable[[Council], dict[str, Any]], tuple[int, ...]]] = [
    ("prepare", lambda c: c.cycle.clock.set(COUNCIL_DAY), lambda c: url("council_prepare", c.campaign.pk),
     lambda c: {"held_on": "28/05/2024"}, (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, FORBIDDEN, REDIRECT)),
    ("open", _prepared, lambda c: url("council_open", c.campaign.pk),
     lambda c: {"present": [str(c.member(r).pk) for r in ("leadership", "clerk", "faculty_head")], "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE},
     (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, FORBIDDEN, REDIRECT)),
    ("cast", _open, lambda c: url("council_cast", c.campaign.pk), lambda c: {},
     (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, REDIRECT, REDIRECT)),
    ("count", _open, lambda c: url("council_count", c.campaign.pk), lambda c: {"passphrase": PASSPHRASE},
     (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, FORBIDDEN, REDIRECT)),
    ("appeal", _published, lambda c: url("appeal_file", c.campaign.pk), lambda c: {"text": "Xin xem lại"},
     (LOGIN, NOT_FOUND, NOT_FOUND, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    ("answer", _appealed, lambda c: url("appeal_answer", Appeal.objects.get().pk),
     lambda c: {f"a{Appeal.objects.get().pk}-decision": "rejected", f"a{Appeal.objects.get().pk}-answer": "Giữ nguyên"},
     (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT)),
    ("issue", _past_window, lambda c: url("decision_issue", c.campaign.pk),
     lambda c: {"decided_on": "10/06/2024", "signer": str(decision_services.signer_choices(c.campaign, DECISION_DAY)[0].pk)},
     (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT)),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "state", "address", "data", "expected"), ACTIONS, ids=[a[0] for a in ACTIONS]
)
def test_action_for_role(
    council: Council,
    role: str,
    name: str,
    state: Any,
    address: Any,
    data: Any,
    expected: tuple[int, ...],
) -> None:
    state(council)
    response = council.client(role).post(address(council), data(council))
    assert response.status_code == expected[ROLES.index(role)], f"{name} as {role}"


def test_the_whole_cycle_through_the_pages(council: Council) -> None:
    council.cycle.clock.set(COUNCIL_DAY)
    chair, secretary = council.client("leadership"), council.client("clerk")
    secretary.post(url("council_prepare", council.campaign.pk), {"held_on": "28/05/2024"})
    vote = active_vote(council.campaign)
    assert vote is not None and vote.items.count() == 10  # the school as a whole: TTLĐXS
    page = chair.post(
        url("council_open", council.campaign.pk),
        {"present": [str(council.member(r).pk) for r in ("leadership", "clerk", "faculty_head", "colleague")],
         "passphrase": PASSPHRASE, "passphrase_again": "khác mật khẩu"},
        follow=True,
    )  # fmt: skip
    assert "không khớp" in page.content.decode()
    chair.post(
        url("council_open", council.campaign.pk),
        {"present": [str(council.member(r).pk) for r in ("leadership", "clerk", "faculty_head", "colleague")],
         "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE},
    )  # fmt: skip
    vote.refresh_from_db()
    assert vote.status == VoteStatus.OPEN
    member = council.client("faculty_head")
    ballot = member.get(url("council_vote", council.campaign.pk)).content.decode()
    own = CouncilItem.objects.get(vote=vote, kind=ItemKind.CSTDCS, evaluation__person=council.people["faculty_head"])  # fmt: skip
    assert f'name="item-{own.pk}"' not in ballot and 'id="own-cases"' in ballot
    staff_item = CouncilItem.objects.get(vote=vote, kind=ItemKind.CSTDCS, evaluation__person=council.people["staff"])  # fmt: skip
    assert f'name="item-{staff_item.pk}"' in ballot
    # A line for their own case sent by hand is refused, nothing recorded.
    refused = member.post(
        url("council_cast", council.campaign.pk), {f"item-{own.pk}": "yes"}, follow=True
    )
    assert "chính mình" in refused.content.decode()
    assert not CouncilBallotCast.objects.exists()
    for role in ("leadership", "clerk", "faculty_head", "colleague"):
        client = council.client(role)
        items = CouncilItem.objects.filter(vote=vote).exclude(
            evaluation__person=council.people[role]
        )
        client.post(
            url("council_cast", council.campaign.pk), {f"item-{i.pk}": "yes" for i in items}
        )
    assert CouncilBallotCast.objects.count() == 4
    voted = member.get(url("council_vote", council.campaign.pk)).content.decode()
    assert 'id="voted"' in voted and 'id="ballot-form"' not in voted
    wrong = chair.post(
        url("council_count", council.campaign.pk), {"passphrase": "sai mật khẩu rồi"}, follow=True
    )
    assert "không đúng" in wrong.content.decode()
    chair.post(url("council_count", council.campaign.pk), {"passphrase": PASSPHRASE})
    tally = chair.get(url("council_vote", council.campaign.pk)).content.decode()
    assert "trên 1/2 tổng số thành viên Hội đồng" in tally and 'id="items"' in tally
    published = chair.post(
        url("council_publish", council.campaign.pk), {"appeals_close": "04/06/2024"}, follow=True
    )
    text = published.content.decode()
    assert 'id="tally"' in text and 'id="rule-applied"' in text
    staff_page = council.client("staff").get(url("results", council.campaign.pk)).content.decode()
    assert 'id="cua-toi"' in staff_page and "Bằng khen của Bộ trưởng" in staff_page
    council.client("lecturer4").post(
        url("appeal_file", council.campaign.pk), {"text": "Tôi đạt HTT."}
    )
    appeal = Appeal.objects.get()
    chair.post(
        url("appeal_answer", appeal.pk),
        {f"a{appeal.pk}-decision": "accepted", f"a{appeal.pk}-level": "HTT", f"a{appeal.pk}-answer": "Đồng ý xếp HTT."},
    )  # fmt: skip
    appeal.refresh_from_db()
    assert appeal.status == "accepted"
    council.cycle.clock.set(DECISION_DAY)
    page = chair.get(url("decision", council.campaign.pk)).content.decode()
    assert 'id="differences"' in page and "Giảng viên 4" in page and 'id="issue-decision"' in page
    signer = decision_services.signer_choices(council.campaign, DECISION_DAY)[0]
    chair.post(
        url("decision_issue", council.campaign.pk),
        {"decided_on": "10/06/2024", "signer": str(signer.pk)},
    )
    lecturer = Evaluation.objects.get(person=council.people["lecturer4"])
    assert (lecturer.final_level, lecturer.final_titles, lecturer.stage) == (
        "HTT",
        ["LĐTT"],
        Stage.DECIDED,
    )
    mine = council.client("lecturer4").get(url("results", council.campaign.pk)).content.decode()
    assert 'id="decided"' in mine and 'id="my-certificate"' in mine
    chair.post(url("proposal_issue", council.campaign.pk), {"proposal_on": "10/06/2024"})
    page = chair.get(url("decision", council.campaign.pk)).content.decode()
    assert "01/QĐ-CĐM" in page and "01/TTr-CĐM" in page


def test_a_staff_member_sees_only_the_published_results_and_their_own(council: Council) -> None:
    council.open()
    for role in ("leadership", "clerk", "faculty_head", "colleague"):
        council.vote(role, **dict.fromkeys(council.items(), "yes"))
    council.count()
    address = url("results", council.campaign.pk)
    before = council.client("staff").get(address).content.decode()
    assert 'id="not-published"' in before
    assert "Giảng viên 1" not in before and 'id="tally"' not in before
    # The council and the leadership see the tally before it is published.
    assert 'id="tally"' in council.client("faculty_head").get(address).content.decode()
    council.publish()
    after = council.client("staff").get(address).content.decode()
    assert 'id="tally"' in after and 'id="titled"' in after
    # Another person's level without a title, and another's reasons, are not shown.
    assert "Giảng viên 4" not in after
    mine = after.split('id="cua-toi"')[1].split("</section>")[0]
    assert "Đạt CSTĐCS" in mine and "HTXS" in mine
    assert (
        "Giảng viên 2: " not in after
        and "Đạt LĐTT: xếp loại HTT" not in after.split('id="cua-toi"')[0]
    )
    # The decision page with everyone's levels stays with the leadership and its office.
    assert council.client("staff").get(url("decision", council.campaign.pk)).status_code == 403


# Bad input ------------------------------------------------------------------------------------


BAD_POSTS: list[tuple[str, Callable[[Council], None], str, dict[str, Any]]] = [
    ("prepare", lambda c: c.cycle.clock.set(COUNCIL_DAY), "council_prepare", {"held_on": "31/02/2024"}),
    ("prepare empty", lambda c: c.cycle.clock.set(COUNCIL_DAY), "council_prepare", {}),
    ("open junk", _prepared, "council_open", {"present": ["abc", "-1", "99999999999999999999"], "passphrase": "x" * 300}),
    ("open nothing", lambda c: None, "council_open", {"present": "1"}),
    ("cast junk", _open, "council_cast", {"item-abc": "yes", "item-1": "maybe", "item-99999999999": "yes"}),
    ("cast null", _open, "council_cast", {"item-1": "yes\x00"}),
    ("count empty", _open, "council_count", {}),
    ("count when draft", _prepared, "council_count", {"passphrase": PASSPHRASE}),
    ("publish bad day", _counted, "council_publish", {"appeals_close": "hôm nay"}),
    ("publish too early", _counted, "council_publish", {"appeals_close": "01/01/2020"}),
    ("appeal empty", _published, "appeal_file", {"text": ""}),
    ("appeal huge", _published, "appeal_file", {"text": "x" * 6000}),
    ("issue junk", _past_window, "decision_issue", {"decided_on": "99/99/9999", "signer": "abc"}),
    ("issue future", _past_window, "decision_issue", {"decided_on": "10/06/2030", "signer": "1"}),
    ("proposal early", _published, "proposal_issue", {"proposal_on": "10/06/2024"}),
    ("proposal junk", _published, "proposal_issue", {"proposal_on": "x"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "state", "view", "data"), BAD_POSTS, ids=[b[0] for b in BAD_POSTS]
)
def test_no_server_error_on_bad_posts(
    council: Council, name: str, state: Any, view: str, data: dict[str, Any]
) -> None:
    state(council)
    response = council.client("leadership").post(url(view, council.campaign.pk), data)
    assert response.status_code in (302, 400, 403, 404), name


@pytest.mark.parametrize(
    "address",
    [
        "/emulation/999999/ballot/",
        "/emulation/999999/results/",
        "/emulation/999999/decision/",
        "/emulation/999999/decision.xlsx",
        "/emulation/appeals/999999/answer/",
        "/papers/emulation_decision/999999.docx",
        "/papers/emulation_certificate/999999.docx",
        "/papers/emulation_unit_certificate/999999.docx",
        "/papers/emulation_proposal/999999.docx",
    ],
)
def test_unknown_ids_are_404(council: Council, address: str) -> None:
    client = council.client("leadership")
    response = client.post(address) if "answer" in address else client.get(address)
    assert response.status_code == 404


def test_an_answer_with_a_junk_choice_is_refused_with_a_message(council: Council) -> None:
    _appealed(council)
    appeal = Appeal.objects.get()
    response = council.client("leadership").post(
        url("appeal_answer", appeal.pk),
        {f"a{appeal.pk}-decision": "maybe", f"a{appeal.pk}-level": "XYZ", f"a{appeal.pk}-answer": ""},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200 and "Hãy chọn kết quả" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.is_pending


# Query counts ---------------------------------------------------------------------------------

GROWN = [0]


def grow(council: Council, n: int) -> None:
    """n more people in the office, each HTT with LĐTT and a counted CSTĐCS case, and in the
    published results."""
    world = council.cycle.world
    vote = CouncilVote.objects.get(campaign=council.campaign, archived_at=None)
    rows = list(vote.results["people"])
    for _ in range(n):
        GROWN[0] += 1
        person, _user = make_person(
            world.school, world.office, f"Chuyên viên {GROWN[0]}", f"cv{GROWN[0]}", "Chuyên viên", Role.MEMBER
        )  # fmt: skip
        evaluation = Evaluation.objects.create(
            campaign=council.campaign, person=person, unit=world.office, task_group="Chuyên viên",
            proposed_level="HTT", stage=Stage.UNIT_REVIEWED,
        )  # fmt: skip
        CouncilItem.objects.create(
            vote=vote, kind=ItemKind.CSTDCS, evaluation=evaluation, grounds="Đạt CSTĐCS",
            yes_count=3, no_count=1, abstain_count=0, base=4, passed=True, order=100 + GROWN[0],
        )  # fmt: skip
        rows.append(
            {"evaluation": evaluation.pk, "person": person.pk, "name": person.full_name,
             "unit_id": world.office.pk, "unit": world.office.name, "level": "HTT",
             "titles": ["LĐTT", "CSTĐCS"], "proposed": [], "reasons": ["Đạt LĐTT"]}
        )  # fmt: skip
    vote.results = {**vote.results, "people": rows}
    vote.save()


def count(council: Council, address: str, role: str) -> int:
    client = council.client(role)
    client.get(address)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(queries)


@pytest.mark.parametrize(
    ("page", "role"),
    [("council_vote", "leadership"), ("council_vote", "faculty_head"), ("results", "staff"), ("results", "leadership")],
)  # fmt: skip
def test_query_count_does_not_grow_with_people(council: Council, page: str, role: str) -> None:
    council.run_to_published()
    appeal_services.file_appeal(council.campaign, text="Xem lại", by=council.users["colleague"])
    address = url(page, council.campaign.pk)
    grow(council, 2)
    few = count(council, address, role)
    grow(council, 12)
    many = count(council, address, role)
    assert many == few, f"{page} as {role}: {few} queries with few people, {many} with many"
    assert few <= 40, f"{page}: {few} queries"


@pytest.mark.parametrize(
    ("status", "role"),
    [("draft", "leadership"), ("draft", "clerk"), ("open", "faculty_head"), ("open", "leadership")],
)
def test_the_ballot_page_costs_the_same_with_more_cases(
    council: Council, status: str, role: str
) -> None:
    """The list of cases (a draft, as those who run the council see it) and the ballot paper of a
    member once open: the same queries with 2 and 12 more people on the ballot."""
    council.prepare() if status == "draft" else council.open()
    address = url("council_vote", council.campaign.pk)
    vote = active_vote(council.campaign)
    world = council.cycle.world

    def more(n: int) -> None:
        for _ in range(n):
            GROWN[0] += 1
            person, _user = make_person(world.school, world.office, f"Ứng viên {GROWN[0]}", f"uv{GROWN[0]}", "Chuyên viên", Role.MEMBER)  # fmt: skip
            evaluation = Evaluation.objects.create(
                campaign=council.campaign, person=person, unit=world.office, task_group="Chuyên viên",
                proposed_level="HTXS", stage=Stage.UNIT_REVIEWED,
            )  # fmt: skip
            for kind in (ItemKind.HTXS, ItemKind.CSTDCS):
                CouncilItem.objects.create(
                    vote=vote, kind=kind, evaluation=evaluation, group="Phòng – Chuyên viên",
                    quota=1, grounds="Đạt", order=200 + GROWN[0],
                )  # fmt: skip

    more(2)
    few = count(council, address, role)
    more(12)
    many = count(council, address, role)
    assert many == few, f"{status} as {role}: {few} queries with few cases, {many} with many"
    assert few <= 40, f"{status} as {role}: {few} queries"


def test_the_decision_page_costs_the_same_with_more_people(council: Council) -> None:
    council.run_to_published()
    council.cycle.clock.set(APPEALS_CLOSE + dt.timedelta(days=1))
    address = url("decision", council.campaign.pk)
    grow(council, 2)
    few = count(council, address, "leadership")
    grow(council, 12)
    assert count(council, address, "leadership") == few


def test_the_home_page_asks_members_to_vote_and_leaders_to_answer(council: Council) -> None:
    council.open(present=("leadership", "clerk", "faculty_head"))
    home = reverse("home")
    assert 'data-emulation="vote"' in council.client("faculty_head").get(home).content.decode()
    assert 'data-emulation="vote"' not in council.client("colleague").get(home).content.decode()
    council.vote("faculty_head")
    assert 'data-emulation="vote"' not in council.client("faculty_head").get(home).content.decode()
    council.count()
    council.publish()
    appeal_services.file_appeal(council.campaign, text="Xem lại", by=council.users["staff"])
    page = council.client("leadership").get(home).content.decode()
    assert 'data-emulation="appeals"' in page and "1 kiến nghị" in page


def test_the_vote_rule_is_set_on_the_campaigns_form(council: Council) -> None:
    campaign = council.campaign
    client = council.client("leadership")
    page = client.get(url("campaign_edit", campaign.pk)).content.decode()
    assert 'name="council_pass_numerator"' in page and 'name="council_pass_base"' in page
    data = {
        "name": campaign.name, "start_year": "2023", "titles": campaign.titles,
        "period_start": "01/09/2023", "period_end": "31/05/2024",
        "registration_opens": "15/09/2023", "registration_closes": "15/10/2023",
        "self_assessment_opens": "01/05/2024", "self_assessment_closes": "15/05/2024",
        "version": str(campaign.version),
        "council_pass_numerator": "2", "council_pass_denominator": "3",
        "council_pass_strict": "0", "council_pass_base": "present",
        "council_quorum_numerator": "1", "council_quorum_denominator": "2",
        "appeals_open": "28/05/2024", "appeals_close": "04/06/2024",
    }  # fmt: skip
    response = client.post(url("campaign_edit", campaign.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = council.campaign
    assert campaign.pass_rule.text == "từ 2/3 số thành viên có mặt trở lên"
    assert campaign.quorum.text == "ít nhất 1/2 số thành viên có mặt"
    assert campaign.appeals_close == dt.date(2024, 6, 4)
    # Numerator above the denominator: refused with a message, nothing saved.
    data.update(version=str(campaign.version), council_pass_numerator="4")
    response = client.post(url("campaign_edit", campaign.pk), data)
    assert response.status_code == 400 and "tử số không lớn hơn mẫu số" in response.content.decode()
    assert council.campaign.council_pass_numerator == 2
    # Left out of a post, the rule keeps its value.
    for key in ("council_pass_numerator", "council_pass_strict", "council_pass_base"):
        data.pop(key)
    data["version"] = str(council.campaign.version)
    assert client.post(url("campaign_edit", campaign.pk), data).status_code == 302
    assert council.campaign.pass_rule.text == "từ 2/3 số thành viên có mặt trở lên"


def test_the_rows_of_cases_escape_what_people_typed_and_show_the_tally() -> None:
    """The council's rows are built in Python (emulation.council_rows): every value escaped, the
    tally and the outcome as the template wrote them."""
    from emulation.council_rows import Case, ballot_rows, item_rows

    typed = '<script>alert("x")</script>'
    htxs = Case(
        1, "htxs", f"Khoa {typed}", 1, typed, 3, 1, 0, 4, True, 1, 7, 9, typed, typed, "", ""
    )
    unit = Case(2, "ttldxs", "", None, "Đạt TTLĐXS", 1, 3, 0, 4, False, None, None, None, "", "", "", typed)  # fmt: skip
    listed = item_rows([htxs, unit], counted=True)
    ballot = ballot_rows([htxs, unit], [("yes", "Đồng ý"), ("abstain", 'Không "biểu quyết"')])
    for text in (listed, ballot):
        assert "<script>" not in text and "&lt;script&gt;" in text
    assert 'thứ 1 — <span class="text-success">giữ HTXS</span>' in listed
    assert '<span class="text-danger">không đủ phiếu</span> (1/4)' in listed
    assert "chỉ tiêu 1</div>" in listed and "Tập thể &lt;script&gt;" in listed
    assert (
        'name="item-2" value="abstain" aria-label="Không &quot;biểu quyết&quot;" checked>' in ballot
    )
    assert 'name="item-1" value="yes" aria-label="Đồng ý">' in ballot
    assert "thứ" not in item_rows([htxs], counted=False)
