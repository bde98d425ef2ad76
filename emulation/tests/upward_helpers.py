"""The council's campaign decided and its tờ trình issued (proposing the staff member's Bằng khen
and CSTĐ cấp bộ where the rules give it, the faculty's TTLĐXS…), the world's school directed by
the cycle's Sở, whose officers are its director (`officer`, leadership), a clerk (`sgd_clerk`)
and a plain member (`sgd_member`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from conftest import make_person
from emulation.models import UpwardDossier
from emulation.services import decisions as decision_services
from emulation.services import upward as services
from emulation.tests.council_helpers import DECISION_DAY, Council
from organisations.models import Organisation, Role
from province.models import DirectedSchool, SchoolLevel

SENT_DAY = DECISION_DAY


@dataclass
class Upward:
    council: Council
    sgd: Organisation

    @property
    def users(self) -> dict[str, Any]:
        return self.council.users

    @property
    def campaign(self) -> Any:
        return self.council.campaign

    def client(self, role: str) -> Any:
        return self.council.client(role)

    def send(self, keys: list[str] | None = None) -> UpwardDossier:
        proposals = services.proposals(self.campaign)
        return services.submit_dossier(
            self.campaign,
            self.sgd,
            keys=keys if keys is not None else [p.key for p in proposals],
            letter="Kính gửi Sở hồ sơ đề nghị khen thưởng.",
            by=self.users["leadership"],
        )


@pytest.fixture
def upward(council: Council) -> Upward:
    council.run_to_published()
    council.cycle.clock.set(DECISION_DAY)
    campaign = council.campaign
    signer = decision_services.signer_choices(campaign, DECISION_DAY)[0]
    decision_services.issue_decision(
        campaign, on=DECISION_DAY, signer=signer, by=council.users["leadership"]
    )
    decision_services.issue_proposal(
        council.campaign, on=DECISION_DAY, by=council.users["leadership"]
    )
    sgd = council.cycle.sgd
    office = Organisation.objects.create(name="Phòng Tổ chức cán bộ", kind="office", parent=sgd)
    world = council.cycle.world
    for key, name, role in (
        ("sgd_clerk", "Hà Thị Thu", Role.CLERK),
        ("sgd_member", "Vũ Văn Bình", Role.MEMBER),
    ):
        world.people[key], world.users[key] = make_person(
            sgd, office, name, key, "Chuyên viên", role
        )
    DirectedSchool.objects.create(body=sgd, school=world.school, level=SchoolLevel.COLLEGE)
    DirectedSchool.objects.create(
        body=sgd, school=world.other_school, level=SchoolLevel.UPPER_SECONDARY
    )
    return Upward(council=council, sgd=sgd)
