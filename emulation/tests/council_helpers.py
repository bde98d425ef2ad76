"""A campaign ready for its council (its secretary is the clerk; a second clerk, `clerk2`, is not
on it): everyone reviewed, more HTXS proposed in Khoa Tự nhiên's
lecturers than the quota allows, CSTĐCS candidates (one of them a council member), a Bằng khen
candidate, the faculty a TTLĐXS candidate; a council of four.

Khoa Tự nhiên's lecturers: the staff member, the colleague and four more (Giảng viên 1–4).
Proposed HTXS: staff, colleague, Giảng viên 1 (quota ⌊20% × 6⌋ = 1); the others HTT but
Giảng viên 4, HT. Initiatives recognised this year: the staff member (school scope) and the
faculty head (school scope, a council member). The staff member had CSTĐCS last year (Bằng
khen: CSTĐCS two years running).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from nacl import pwhash

from conftest import make_person
from emulation.models import (
    CampaignUnit,
    CouncilMember,
    CouncilRole,
    CouncilVote,
    Evaluation,
    Initiative,
    InitiativeAuthor,
    Stage,
    TitleHistory,
)
from emulation.services import campaigns as campaign_services
from emulation.services import council as council_services
from emulation.services import evaluations as evaluation_services
from emulation.tests.conftest import ASSESSMENT_DAY, Cycle
from organisations.models import Role

PASSPHRASE = "hòm phiếu Hội đồng 2024"
COUNCIL_DAY = dt.date(2024, 5, 28)
APPEALS_CLOSE = dt.date(2024, 6, 4)
DECISION_DAY = dt.date(2024, 6, 10)


@pytest.fixture(autouse=True)
def cheap_ballot_keys(settings: Any) -> None:
    """argon2id at its minimum cost: the tests check the logic, not the hardness."""
    settings.BALLOT_KDF_OPSLIMIT = pwhash.argon2id.OPSLIMIT_MIN
    settings.BALLOT_KDF_MEMLIMIT = pwhash.argon2id.MEMLIMIT_MIN


LEVELS = {
    "staff": "HTXS",
    "colleague": "HTXS",
    "lecturer1": "HTXS",
    "lecturer2": "HTT",
    "lecturer3": "HTT",
    "lecturer4": "HT",
    "group_head": "HTT",
    "faculty_head": "HTT",
    "leadership": "HTT",
    "unit_head": "HTT",
    "clerk": "HTT",
    "clerk2": "HTT",
}


@dataclass
class Council:
    cycle: Cycle

    @property
    def campaign(self) -> Any:
        return self.cycle.fresh()

    @property
    def users(self) -> dict[str, Any]:
        return self.cycle.users

    @property
    def people(self) -> dict[str, Any]:
        return self.cycle.people

    def client(self, role: str) -> Any:
        return self.cycle.client(role)

    def evaluation(self, role: str) -> Evaluation:
        return Evaluation.objects.get(campaign=self.cycle.campaign, person=self.people[role])

    def member(self, role: str) -> CouncilMember:
        return CouncilMember.objects.get(
            campaign=self.cycle.campaign, person=self.people[role], archived_at=None
        )

    def prepare(self) -> CouncilVote:
        self.cycle.clock.set(COUNCIL_DAY)
        return council_services.prepare_vote(
            self.campaign, held_on=COUNCIL_DAY, by=self.users["leadership"]
        )

    def open(
        self, present: tuple[str, ...] = ("leadership", "clerk", "faculty_head", "colleague")
    ) -> CouncilVote:
        vote = council_services.active_vote(self.campaign) or self.prepare()
        return council_services.open_vote(
            vote,
            present=[self.member(role).pk for role in present],
            passphrase=PASSPHRASE,
            by=self.users["leadership"],
        )

    def vote(self, role: str, **choices: str) -> None:
        """`choices` by "<kind>_<role>" (e.g. cstdcs_staff="yes", ttldxs_faculty="no")."""
        vote = council_services.active_vote(self.campaign)
        assert vote is not None
        voter = self.people[role]
        items = {
            _key(item): item.pk
            for item in vote.items.select_related("evaluation__person")
            if item.evaluation is None or item.evaluation.person_id != voter.pk
        }
        council_services.cast_ballot(
            vote,
            person=voter,
            choices={items[key]: value for key, value in choices.items() if key in items},
        )

    def count(self) -> CouncilVote:
        vote = council_services.active_vote(self.campaign)
        assert vote is not None
        return council_services.count_vote(vote, passphrase=PASSPHRASE, by=self.users["leadership"])

    def publish(self) -> CouncilVote:
        vote = council_services.active_vote(self.campaign)
        assert vote is not None
        return council_services.publish_results(
            vote, appeals_close=APPEALS_CLOSE, by=self.users["leadership"]
        )

    def items(self) -> dict[str, Any]:
        vote = council_services.active_vote(self.campaign)
        assert vote is not None
        return {_key(item): item for item in vote.items.select_related("evaluation__person")}

    def run_to_published(self) -> CouncilVote:
        """Everyone present votes yes on everything but the colleague's HTXS (no)."""
        self.open()
        for role in ("leadership", "clerk", "faculty_head", "colleague"):
            self.vote(
                role,
                **{key: "yes" for key in self.items() if key != "htxs_colleague"},
                htxs_colleague="no",
            )
        self.count()
        return self.publish()


ROLE_OF: dict[int, str] = {}


def _key(item: Any) -> str:
    if item.evaluation_id is not None:
        return f"{item.kind}_{ROLE_OF.get(item.evaluation.person_id, item.evaluation.person_id)}"
    return f"{item.kind}_{'faculty' if item.unit.code == 'ktn' else item.unit.code}"


@pytest.fixture
def council(cycle: Cycle) -> Council:
    world = cycle.world
    school = world.school
    school.abbreviation = "CĐM"
    school.place = "Lạng Sơn"
    school.save()
    # A clerk who is not on the council (the council's secretary is the other clerk).
    world.people["clerk2"], world.users["clerk2"] = make_person(
        school, world.office, "Trần Thị Văn", "clerk2", "Văn thư", Role.CLERK
    )
    for n in range(1, 5):
        key = f"lecturer{n}"
        world.people[key], world.users[key] = make_person(
            school, world.group, f"Giảng viên {n}", key, "Giảng viên", Role.MEMBER
        )
    leader = cycle.users["leadership"]
    campaign = cycle.fresh()
    campaign.titles = [*campaign.titles, "CSTĐ cấp bộ"]
    campaign_services.save_campaign(campaign, by=leader)
    campaign_services.save_council_member(
        CouncilMember(
            campaign=campaign, person=world.people["colleague"], role=CouncilRole.MEMBER,
            title="Giảng viên",
        ),
        by=leader,
    )  # fmt: skip
    cycle.clock.set(ASSESSMENT_DAY)
    evaluation_services.prepare_evaluations(campaign, by=leader)
    ROLE_OF.clear()
    for role, level in LEVELS.items():
        person = world.people[role]
        ROLE_OF[person.pk] = role
        Evaluation.objects.filter(campaign=campaign, person=person).update(
            self_level=level,
            unit_level=level,
            proposed_level=level,
            stage=Stage.UNIT_REVIEWED,
        )
    for unit in (world.office, world.faculty):
        part = CampaignUnit.objects.get_or_create(campaign=campaign, unit=unit)[0]
        part.review_minutes = "Họp xét"
        part.save()
    for role, scope in (("staff", "school"), ("faculty_head", "province")):
        initiative = Initiative.objects.create(
            school=school, title=f"Sáng kiến của {role}", start_year=2023, scope=scope,
            recognised_on=dt.date(2024, 5, 2), recognised_by="Hội đồng sáng kiến",
        )  # fmt: skip
        InitiativeAuthor.objects.create(initiative=initiative, person=world.people[role])
    TitleHistory.objects.create(
        school=school, person=world.people["staff"], start_year=2022, titles=["LĐTT", "CSTĐCS"],
        level="HTXS",
    )  # fmt: skip
    for year in (2021, 2022):
        TitleHistory.objects.create(
            school=school, person=world.people["faculty_head"], start_year=year,
            titles=["LĐTT", "CSTĐCS"], level="HTT",
        )  # fmt: skip
    evaluation_services.set_council_ranks(
        campaign,
        {
            Evaluation.objects.get(campaign=campaign, person=world.people[role]).pk: rank
            for role, rank in (("staff", 1), ("lecturer1", 2), ("colleague", 3))
        },
        by=leader,
    )
    return Council(cycle)
