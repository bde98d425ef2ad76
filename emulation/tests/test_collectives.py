"""Who may get a collective title: the school's own working units only (offices, faculties,
centres, subject groups). Neither the school itself (its title is the level above's, proposed in
the tờ trình), nor its board (the leadership), nor the Party organisation or a union (evaluated
in their own systems); a post in those does not place a person nor make them a manager."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.clock import today
from emulation.engine import Level, Title
from emulation.models import Evaluation, Registration
from emulation.services import classification
from emulation.services import evaluations as evaluation_services
from emulation.services import registrations as registration_services
from emulation.services.common import EmulationError, collective_exclusion, placements
from emulation.tests.conftest import ASSESSMENT_DAY, Cycle
from organisations.models import Organisation, Position, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def party(cycle: Cycle) -> Cycle:
    """A Đảng ủy and a trade union under the school: the principal is Bí thư, the staff member
    chairs the union; a third person holds only a union post."""
    world = cycle.world
    world.board = Organisation.objects.get(school=world.school, kind="board")  # type: ignore[attr-defined]
    world.party = Organisation.objects.create(  # type: ignore[attr-defined]
        name="Đảng ủy Trường", kind="party_committee", parent=world.school, code="dang-uy"
    )
    world.union = Organisation.objects.create(  # type: ignore[attr-defined]
        name="Công đoàn Trường", kind="mass_organisation", parent=world.school, code="cong-doan"
    )
    Position.objects.create(
        person=world.people["leadership"], organisation=world.party, title="Bí thư Đảng ủy",
        role=Role.HEAD,
    )  # fmt: skip
    Position.objects.create(
        person=world.people["staff"], organisation=world.union, title="Chủ tịch Công đoàn",
        role=Role.HEAD,
    )  # fmt: skip
    # Their working posts listed after those (a placement by the first post would pick them).
    Position.objects.filter(
        person__in=[world.people["leadership"], world.people["staff"]],
        organisation__kind__in=["board", "school", "subject_group"],
    ).update(order=5)
    from conftest import make_person

    world.people["unionist"], world.users["unionist"] = make_person(
        world.school, world.union, "Trần Văn Công", "unionist", "chuyên trách công đoàn",
        Role.MEMBER,
    )  # fmt: skip
    return cycle


def test_party_and_union_posts_do_not_place_anyone(party: Cycle) -> None:
    world = party.world
    found = placements(world.school.pk, on=today())
    leader = found[world.people["leadership"].pk]
    assert leader.unit_id == world.board.pk and leader.is_manager  # the board, not the Đảng ủy
    staff = found[world.people["staff"].pk]
    assert (staff.unit_id, staff.subunit_id) == (world.faculty.pk, world.group.pk)
    assert not staff.is_manager and staff.task_group == "Giảng viên"  # not "Viên chức quản lý"
    unionist = found[world.people["unionist"].pk]
    assert (unionist.unit_id, unionist.subunit_id, unionist.is_manager) == (
        world.school.pk, None, False,
    )  # fmt: skip
    assert unionist.task_group == "Chuyên trách công đoàn"


def test_the_reasons_a_unit_gets_no_collective_title(party: Cycle) -> None:
    world = party.world
    school_id = world.school.pk
    assert "do cấp trên xét theo tờ trình" in (collective_exclusion(world.school, school_id) or "")
    assert "lãnh đạo trường thuộc tập thể trường" in (
        collective_exclusion(world.board, school_id) or ""
    )
    for unit in (world.party, world.union):  # type: ignore[attr-defined]
        assert "trong hệ thống của mình" in (collective_exclusion(unit, school_id) or "")
    for unit in (world.office, world.faculty, world.group):
        assert collective_exclusion(unit, school_id) is None


def test_the_preview_titles_working_units_only_and_proposes_the_school(party: Cycle) -> None:
    cycle = party
    cycle.clock.set(ASSESSMENT_DAY)
    evaluation_services.prepare_evaluations(cycle.campaign, by=cycle.users["leadership"])
    Evaluation.objects.filter(campaign=cycle.campaign).update(
        self_level="HTT", unit_level="HTT", proposed_level="HTT", stage="unit_reviewed"
    )
    units = {
        e.unit.kind
        for e in Evaluation.objects.filter(campaign=cycle.campaign).select_related("unit")
    }
    assert "party_committee" not in units and "mass_organisation" not in units
    preview = classification.preview(cycle.fresh())
    blocks = {block.unit.pk: block for block in preview.units}
    world = cycle.world
    for unit in (world.board, world.school):
        result = blocks[unit.pk].result
        assert result is not None and result.title is None
        assert result.reasons[0].startswith("Không xét danh hiệu tập thể: ")
    assert blocks[world.office.pk].result.title is Title.TTLDTT  # type: ignore[union-attr]
    assert blocks[world.faculty.pk].result.title is Title.TTLDTT  # type: ignore[union-attr]
    # The leadership keep their own group for the HTXS quota.
    leader = next(
        r for r in preview.rows if r.evaluation.person_id == world.people["leadership"].pk
    )
    assert leader.evaluation.unit_id == world.board.pk
    assert leader.result is not None and leader.result.level is Level.HTT
    # The school as a whole, over everyone classified: proposed above, never decided here.
    assert preview.school is not None and preview.school.title is Title.TTLDTT
    assert "TTLĐTT" in dict(preview.titles) and dict(preview.titles)["TTLĐTT"] == 2
    page = cycle.client("leadership").get(
        reverse("emulation:classification", args=[cycle.campaign.pk])
    )
    text = page.content.decode()
    assert page.status_code == 200 and 'id="school-collective"' in text
    assert "(đề nghị cấp trên)" in text and text.count("data-excluded") == 2  # school, board
    assert "Đảng ủy Trường" not in text
    assert (
        cycle.client("staff")
        .get(reverse("emulation:classification", args=[cycle.campaign.pk]))
        .status_code
        == 403
    )


def test_a_unit_outside_the_schools_emulation_does_not_register(party: Cycle) -> None:
    cycle = party
    world = cycle.world
    for unit in (world.board, world.party, world.union):  # type: ignore[attr-defined]
        with pytest.raises(EmulationError, match="không đăng ký danh hiệu tập thể"):
            registration_services.register_unit(
                cycle.campaign, unit, titles=["TTLĐTT"], commitments="",
                by=cycle.users["leadership"],
            )  # fmt: skip
    response = cycle.client("leadership").post(
        reverse("emulation:unit_register", args=[cycle.campaign.pk, world.board.pk]),
        {"title": "TTLĐTT", "commitments": "x"},
    )
    assert response.status_code == 400
    assert "Ban Giám hiệu không đăng ký danh hiệu tập thể" in response.content.decode()
    assert not Registration.objects.filter(person=None).exists()
    # A working unit still does, by its head; another school's leader and staff may not.
    registration_services.register_unit(
        cycle.campaign, world.office, titles=["TTLĐTT"], commitments="",
        by=cycle.users["unit_head"],
    )  # fmt: skip
    for role, status in (("staff", 403), ("outsider", 404), ("officer", 404)):
        response = cycle.client(role).post(
            reverse("emulation:unit_register", args=[cycle.campaign.pk, world.office.pk]),
            {"title": "TTLĐXS", "commitments": "x", "version": "1"},
        )
        assert response.status_code == status, role
    assert Registration.objects.get(person=None).titles == ["TTLĐTT"]
