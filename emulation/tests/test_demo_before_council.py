"""The demo school's campaign loaded to the week before the council (`emulation.demo.UNTIL =
BEFORE_COUNCIL`, as the browser scenario loads it): everyone reviewed but the steps left open for
a visitor, Lăng Thị Huyền's self-assessment and Khoa Tự nhiên's review; no ballot, no decision;
the preview warns of the faculty over its HTXS quota.

The demo school is loaded once for the module, at that stage (`demo_plan` below wraps
conftest's); each test's changes roll back.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from demo.loader import DEMO_PASSWORD
from emulation import demo as emulation_demo
from emulation.models import (
    Campaign,
    CampaignStatus,
    CampaignUnit,
    CouncilVote,
    Decision,
    Evaluation,
    ReviewStep,
    Stage,
)
from emulation.services import classification
from emulation.services import council as council_services
from emulation.services import evaluations as evaluation_services
from emulation.services.common import EmulationError
from organisations.models import Organisation
from papers.models import IssuedPaper
from planning.models import Plan

SCENARIO_DAY = dt.date(2024, 5, 17)  # the last day of the self-assessment window


@pytest.fixture(scope="module")
def before_council() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(emulation_demo, "UNTIL", emulation_demo.BEFORE_COUNCIL)
        yield


@pytest.fixture(scope="module")
def demo_plan(before_council: None, demo_plan: Plan) -> Plan:
    """conftest's demo school, its emulation loaded to the week before the council."""
    return demo_plan


@pytest.fixture
def campaign(demo_plan: Plan, db: None) -> Campaign:
    return Campaign.objects.select_related("school").get()


def on_day(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


def evaluation(campaign: Campaign, name: str) -> Evaluation:
    return Evaluation.objects.select_related("person", "unit").get(
        campaign=campaign, person__full_name=name
    )


def test_the_council_has_not_met(campaign: Campaign) -> None:
    assert campaign.status == CampaignStatus.OPEN
    assert not CouncilVote.objects.exists() and not Decision.objects.exists()
    assert not IssuedPaper.objects.filter(kind__startswith="emulation").exists()
    assert (campaign.appeals_open, campaign.appeals_close) == (None, None)


def test_the_year_end_reviews(campaign: Campaign) -> None:
    evaluations = Evaluation.objects.filter(campaign=campaign)
    assert evaluations.count() == 50
    stages = Counter(evaluations.values_list("stage", flat=True))
    assert stages == {
        Stage.PENDING: 1,  # Lăng Thị Huyền, for a visitor (and the browser scenario)
        # Lý Văn Tuấn, Bí thư Đoàn trường, is a lecturer of his faculty: the Youth Union's post
        # does not make him a manager reviewed by the leadership.
        Stage.UNIT_REVIEWED: 30,
        Stage.LEADERSHIP_REVIEWED: 19,
    }
    assert evaluation(campaign, "Lăng Thị Huyền").stage == Stage.PENDING
    proposed = Counter(evaluations.values_list("proposed_level", flat=True))
    assert proposed == {"HTT": 37, "HT": 7, "HTXS": 5, None: 1}
    # Months worked and discipline: recorded with their reasons, not computed.
    hoa = evaluation(campaign, "Nguyễn Văn Hòa")
    assert hoa.months_worked == Decimal(5)
    assert hoa.history.filter(  # type: ignore[attr-defined]
        history_change_reason__startswith="Nghỉ ốm dài ngày", months_worked=5
    ).exists()
    kien = evaluation(campaign, "Lý Văn Kiên")
    assert kien.discipline == "khiển trách" and kien.unit_level == "HT"
    # A group's head reviews first, the faculty's head at the unit's step, dated in May 2024.
    hai = evaluation(campaign, "Đinh Văn Hải")
    assert hai.group_reviewed_by is not None and hai.group_reviewed_by.full_name == "Hà Văn Long"
    assert hai.unit_reviewed_by is not None and hai.unit_reviewed_by.full_name == "Chu Văn Khánh"
    assert timezone.localtime(hai.unit_reviewed_at).date() == dt.date(2024, 5, 14)  # type: ignore[arg-type]
    # Nobody reviewed their own: the principal by a vice-principal, heads by the leadership.
    son = evaluation(campaign, "Phùng Quý Sơn")
    assert son.unit_level is None and son.leadership_reviewed_by.full_name == "Nguyễn Thế Dương"  # type: ignore[union-attr]
    loan = evaluation(campaign, "Nguyễn Thị Phương Loan")
    assert loan.unit_level is None and loan.leadership_reviewed_by.full_name == "Phùng Quý Sơn"  # type: ignore[union-attr]
    sent = CampaignUnit.objects.filter(campaign=campaign, reviews_submitted_at__isnull=False)
    assert sent.count() == 8
    assert not CampaignUnit.objects.get(
        campaign=campaign, unit__code="khoa-tu-nhien"
    ).reviews_submitted


@pytest.mark.parametrize("day", [SCENARIO_DAY, dt.date(2026, 1, 10)])
def test_the_preview_warns_of_the_unit_over_the_htxs_quota(
    campaign: Campaign, monkeypatch: pytest.MonkeyPatch, day: dt.date
) -> None:
    on_day(monkeypatch, day)
    preview = classification.preview(campaign)
    assert dict(preview.levels) == {"HTXS": 3, "HTT": 38, "HT": 6, "KHT": 1}
    assert dict(preview.titles) == {
        "LĐTT": 41, "CSTĐCS": 6, "CSTĐ cấp tỉnh": 1, "TTLĐTT": 4, "TTLĐXS": 2,
    }  # fmt: skip
    [quota] = preview.quota
    assert (quota.unit.name, quota.group, quota.base, quota.quota) == (
        "Khoa Tự nhiên",
        "Giảng viên",
        8,
        1,
    )
    assert [r.name for r in quota.candidates] == [
        "Đinh Văn Hải",
        "Hà Thị Kim Oanh",
        "Nông Văn Thắng",
    ]
    assert [r.name for r in quota.kept] == ["Hà Thị Kim Oanh"]  # ranked first by the council
    assert [r.name for r in quota.fallen] == ["Đinh Văn Hải", "Nông Văn Thắng"]
    assert quota.unranked == []
    assert [r.name for r in preview.not_ready] == ["Lăng Thị Huyền"]
    warnings = "\n".join(preview.warnings)
    assert "Nguyễn Văn Hòa: không được xếp loại vì công tác 5 tháng" in warnings
    assert "Lý Văn Kiên: bị kỷ luật (khiển trách) nên xếp loại KHT" in warnings
    assert "Khoa Xã hội đăng ký TTLĐXS nhưng dự kiến TTLĐTT." in warnings
    rows = {row.name: row for row in preview.rows}
    long = rows["Hà Văn Long"].result
    assert long is not None and [t.value for t in long.titles] == [
        "LĐTT", "CSTĐCS", "CSTĐ cấp tỉnh",
    ]  # fmt: skip
    units = {block.unit.name: block.result for block in preview.units}
    assert units["Phòng Kế hoạch – Tài chính"].title.value == "TTLĐXS"  # type: ignore[union-attr]
    assert units["Khoa Xã hội"].title.value == "TTLĐTT"  # type: ignore[union-attr]


def test_the_lecturer_and_the_head_can_sign_in_and_find_their_step(
    campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_day(monkeypatch, SCENARIO_DAY)
    lecturer = Client()
    assert lecturer.login(request=HttpRequest(), username="langthihuyen", password=DEMO_PASSWORD)
    page = lecturer.get(reverse("emulation:my_evaluation", args=[campaign.pk])).content.decode()
    assert 'data-figure="teaching">336/300<' in page and "112% định mức" in page
    head = Client()
    assert head.login(request=HttpRequest(), username="chuvankhanh", password=DEMO_PASSWORD)
    unit = Organisation.objects.get(code="khoa-tu-nhien", school=campaign.school)
    review = head.get(reverse("emulation:unit_review", args=[campaign.pk, unit.pk]))
    assert review.status_code == 200 and "Đã xét 10/11 người." in review.content.decode()


def test_the_council_cannot_meet_while_the_faculty_waits(
    campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list of cases is refused until the lecturer is reviewed (the open steps are open)."""
    on_day(monkeypatch, SCENARIO_DAY)
    chair = evaluation(campaign, "Phùng Quý Sơn").person.user
    assert chair is not None
    with pytest.raises(EmulationError, match="Lăng Thị Huyền"):
        council_services.prepare_vote(campaign, held_on=dt.date(2024, 5, 31), by=chair)
    huyen = evaluation(campaign, "Lăng Thị Huyền")
    assert evaluation_services.step_open(huyen, ReviewStep.UNIT) == (
        "Đang chờ cá nhân tự đánh giá (hạn 17/05/2024)."
    )
