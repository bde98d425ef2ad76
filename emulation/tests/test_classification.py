"""The classification preview: the engine on the campaign's current data with the rule set in
force at the year's end, and the warnings before the council meets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

import pytest

from conftest import make_person
from emulation.engine import Discipline, Level, Title
from emulation.facts import PersonFacts
from emulation.models import (
    Campaign,
    Evaluation,
    Initiative,
    InitiativeAuthor,
    Registration,
    RuleSet,
    TitleHistory,
)
from emulation.services import classification
from emulation.services import evaluations as services
from emulation.services.common import EmulationError
from emulation.tests.conftest import ASSESSMENT_DAY, Cycle
from organisations.models import Role

NAMES = ["Trần Thị An", "Phạm Văn Bảo", "Ngô Thị Cúc", "Đỗ Văn Duy", "Mai Thị Én"]


@pytest.fixture
def office(cycle: Cycle) -> dict[str, Evaluation]:
    """Five chuyên viên of the office, two proposed HTXS, three HTT: a quota of 1."""
    world = cycle.world
    for index, name in enumerate(NAMES):
        make_person(world.school, world.office, name, f"cv{index}", "Chuyên viên", Role.MEMBER)
    cycle.clock.set(ASSESSMENT_DAY)
    services.prepare_evaluations(cycle.campaign, by=cycle.users["leadership"])
    rows = {
        e.person.full_name: e
        for e in Evaluation.objects.filter(task_group="Chuyên viên").select_related("person")
    }
    for name, level in zip(NAMES, ["HTXS", "HTXS", "HTT", "HTT", "HTT"], strict=True):
        Evaluation.objects.filter(pk=rows[name].pk).update(
            self_level=level, unit_level=level, proposed_level=level, stage="unit_reviewed"
        )
    return rows


def row_of(preview: classification.Preview, name: str) -> classification.Row:
    return next(row for row in preview.rows if row.evaluation.person.full_name == name)


def test_more_htxs_than_the_quota_shows_who_falls_under_the_line_and_why(
    cycle: Cycle, office: dict[str, Evaluation]
) -> None:
    preview = classification.preview(cycle.fresh())
    assert preview.rule_set.valid_from <= dt.date(2024, 5, 31)
    [check] = preview.quota
    assert (check.unit, check.group, check.base, check.quota) == (
        cycle.world.office,
        "Chuyên viên",
        5,
        1,
    )
    # No ranking from the council yet: the first by name keeps HTXS.
    assert [row.name for row in check.kept] == ["Phạm Văn Bảo"]
    assert [row.name for row in check.fallen] == ["Trần Thị An"]
    assert {row.name for row in check.unranked} == {"Phạm Văn Bảo", "Trần Thị An"}
    fallen = row_of(preview, "Trần Thị An")
    assert fallen.result is not None and fallen.result.level is Level.HTT
    assert any("hạ xuống" in reason for reason in fallen.result.reasons)
    # The council ranks An first: now Bảo falls.
    services.set_council_ranks(
        cycle.campaign,
        {office["Trần Thị An"].pk: 1, office["Phạm Văn Bảo"].pk: 2},
        by=cycle.users["leadership"],
    )
    [check] = classification.preview(cycle.fresh()).quota
    assert [row.name for row in check.fallen] == ["Phạm Văn Bảo"] and not check.unranked


def test_people_not_reviewed_yet_are_counted_apart(
    cycle: Cycle, office: dict[str, Evaluation]
) -> None:
    preview = classification.preview(cycle.fresh())
    # The staff, colleague, heads and leadership have no level yet.
    assert {row.evaluation.person.full_name for row in preview.not_ready} >= {
        "Hoàng Văn An",
        "Lý Thị Hoa",
    }
    assert any("chưa có mức đề nghị" in warning for warning in preview.warnings)
    services.self_assess(
        Evaluation.objects.get(person=cycle.people["staff"]),
        level="HTT",
        comment="Đúng hạn",
        by=cycle.users["staff"],
    )
    row = row_of(classification.preview(cycle.fresh()), "Hoàng Văn An")
    assert row.proposed is Level.HTT  # the self-assessment stands until a review


def test_discipline_months_and_registrations_are_warned(
    cycle: Cycle, office: dict[str, Evaluation]
) -> None:
    Evaluation.objects.filter(pk=office["Ngô Thị Cúc"].pk).update(discipline="khiển trách")
    Evaluation.objects.filter(pk=office["Đỗ Văn Duy"].pk).update(months_worked=Decimal(4))
    Registration.objects.create(
        campaign=cycle.campaign,
        person=office["Mai Thị Én"].person,
        unit=cycle.world.office,
        titles=["LĐTT", "CSTĐCS"],
        registered_by=cycle.users["leadership"],
    )
    preview = classification.preview(cycle.fresh())
    text = "\n".join(preview.warnings)
    assert (
        "Ngô Thị Cúc: bị kỷ luật (khiển trách) nên xếp loại KHT, không theo mức đề nghị HTT."
        in text
    )
    assert "Đỗ Văn Duy: không được xếp loại vì công tác 4 tháng (dưới 6 tháng)." in text
    assert "Mai Thị Én đăng ký CSTĐCS nhưng dự kiến không đạt" in text
    assert row_of(preview, "Ngô Thị Cúc").result.level is Level.KHT  # type: ignore[union-attr]
    assert row_of(preview, "Đỗ Văn Duy").result.level is None  # type: ignore[union-attr]
    # The quota's base no longer counts them: 3 at HTT or above, quota 0, both HTXS fall.
    [check] = preview.quota
    assert (check.base, check.quota, len(check.fallen)) == (3, 0, 2)


def test_initiatives_and_past_titles_give_the_higher_titles(
    cycle: Cycle, office: dict[str, Evaluation]
) -> None:
    bao = office["Phạm Văn Bảo"]
    services.set_council_ranks(cycle.campaign, {bao.pk: 1}, by=cycle.users["leadership"])
    initiative = Initiative.objects.create(
        school=cycle.world.school,
        title="Số hóa hồ sơ tuyển sinh",
        scope="province",
        start_year=2023,
        recognised_on=dt.date(2024, 5, 20),
        recognised_by="Sở Giáo dục và Đào tạo",
    )
    InitiativeAuthor.objects.create(initiative=initiative, person=bao.person)
    unrecognised = Initiative.objects.create(
        school=cycle.world.school, title="Chưa công nhận", scope="national", start_year=2023
    )
    InitiativeAuthor.objects.create(initiative=unrecognised, person=office["Ngô Thị Cúc"].person)
    for year in (2021, 2022):
        TitleHistory.objects.create(
            school=cycle.world.school, person=bao.person, start_year=year, titles=["LĐTT", "CSTĐCS"]
        )
    preview = classification.preview(cycle.fresh())
    result = row_of(preview, "Phạm Văn Bảo").result
    assert result is not None
    # The school is under the Bộ: CSTĐ cấp bộ.
    assert result.titles == (Title.LDTT, Title.CSTDCS, Title.CSTD_MINISTRY)
    assert row_of(preview, "Ngô Thị Cúc").result.titles == (Title.LDTT,)  # type: ignore[union-attr]


def test_the_facts_come_through_the_seam(cycle: Cycle, office: dict[str, Evaluation]) -> None:
    """What the evidence of the year will provide replaces what is recorded on the evaluation."""

    def evidence(
        campaign: Campaign, evaluations: Sequence[Evaluation]
    ) -> Mapping[int, PersonFacts]:
        return {
            e.pk: PersonFacts(Decimal(3), None)
            if e.person.full_name == "Mai Thị Én"
            else PersonFacts(
                Decimal(12), Discipline.WARNING if e.person.full_name == "Phạm Văn Bảo" else None
            )
            for e in evaluations
        }

    preview = classification.preview(cycle.fresh(), facts=evidence)
    assert row_of(preview, "Mai Thị Én").result.level is None  # type: ignore[union-attr]
    assert row_of(preview, "Phạm Văn Bảo").result.level is Level.KHT  # type: ignore[union-attr]
    office_block = next(block for block in preview.units if block.unit == cycle.world.office)
    assert (
        office_block.result is not None and office_block.result.title is None
    )  # a warning bars it


def test_without_a_rule_set_in_force_the_preview_says_so(cycle: Cycle) -> None:
    RuleSet.objects.all().delete()
    with pytest.raises(EmulationError, match="Chưa có bộ quy tắc"):
        classification.preview(cycle.fresh())
