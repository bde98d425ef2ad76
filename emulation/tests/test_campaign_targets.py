"""Item 10, students too: a campaign's criteria name targets of its school plan (the students'
results the plan tracks), chosen on the campaign's form, shown on its page with their measured
value and status from tracking, kept in history; a target of another plan or school is refused
with a Vietnamese message; only the leadership chooses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from emulation.models import Campaign, CampaignTarget
from emulation.services import campaigns as campaign_services
from emulation.services.common import EmulationError
from emulation.tests.conftest import Cycle
from planning import services as planning_services
from planning.models import Plan, Target

pytestmark = pytest.mark.django_db


def url(name: str, *args: object) -> str:
    return reverse(f"emulation:{name}", args=args)


def form_data(campaign: Campaign, **values: Any) -> dict[str, Any]:
    return {
        "name": campaign.name, "start_year": str(campaign.start_year), "titles": campaign.titles,
        "criteria": "Sinh viên rèn luyện tốt.",
        "period_start": "01/09/2023", "period_end": "31/05/2024",
        "registration_opens": "15/09/2023", "registration_closes": "15/10/2023",
        "self_assessment_opens": "01/05/2024", "self_assessment_closes": "15/05/2024",
        "version": str(campaign.version),
        **values,
    }  # fmt: skip


def student_target(
    plan: Plan, by: Any, name: str = "Tỷ lệ sinh viên xếp loại rèn luyện khá trở lên"
) -> Target:
    return planning_services.save_plan_object(
        Target(plan=plan, name=name, code="CT09", unit_of_measure="%", target_value=Decimal(85)),
        by=by,
    )


def linked(campaign: Campaign) -> list[int]:
    return list(
        CampaignTarget.objects.filter(campaign=campaign)
        .order_by("order")
        .values_list("target_id", flat=True)
    )


def test_the_leadership_names_plan_targets_and_the_page_shows_their_status(
    cycle: Cycle,
) -> None:
    campaign = cycle.campaign
    leader = cycle.client("leadership")
    conduct = student_target(cycle.world.plan, cycle.users["leadership"])
    page = leader.get(url("campaign_edit", campaign.pk)).content.decode()
    assert 'name="criteria_targets"' in page and "CT09 – Tỷ lệ sinh viên xếp loại rèn luyện" in page
    data = form_data(campaign, criteria_targets=[str(conduct.pk), str(cycle.world.target.pk)])
    response = leader.post(url("campaign_edit", campaign.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert linked(campaign) == [cycle.world.target.pk, conduct.pk]  # in the plan's order
    # Everyone in the school sees them with their status: not measured yet…
    page = cycle.client("staff").get(url("campaign", campaign.pk)).content.decode()
    assert f'data-criteria-target="{conduct.pk}"' in page
    assert "Tỷ lệ sinh viên xếp loại rèn luyện khá trở lên" in page and "chưa có số liệu" in page
    # … then as a check-in measured them (the value tracking writes on the target).
    Target.objects.filter(pk=conduct.pk).update(actual_value=80, actual_on=dt.date(2023, 10, 1))
    Target.objects.filter(pk=cycle.world.target.pk).update(
        actual_value=95, actual_on=dt.date(2023, 10, 1)
    )
    page = cycle.client("staff").get(url("campaign", campaign.pk)).content.decode()
    row = page.split(f'data-criteria-target="{conduct.pk}"')[1].split("</tr>")[0]
    assert "80 %" in row and "01/10/2023" in row
    assert 'data-rag="red"' in row or 'data-rag="amber"' in row  # under its 85 %
    row = page.split(f'data-criteria-target="{cycle.world.target.pk}"')[1].split("</tr>")[0]
    assert "95 %" in row and 'data-rag="green"' in row and "Đạt" in row
    # The edit form shows them chosen; leaving one out removes its link, kept in history.
    page = leader.get(url("campaign_edit", campaign.pk)).content.decode()
    assert f'value="{conduct.pk}" selected' in page
    data = form_data(Campaign.objects.get(pk=campaign.pk), criteria_targets=[str(conduct.pk)])
    assert leader.post(url("campaign_edit", campaign.pk), data).status_code == 302
    assert linked(campaign) == [conduct.pk]
    assert Target.objects.filter(pk=cycle.world.target.pk).exists()  # the plan's, untouched
    history = leader.get(url("campaign", campaign.pk)).content.decode()
    assert "Gắn chỉ tiêu" in history and "Bỏ chỉ tiêu" in history
    assert "Bỏ chỉ tiêu khỏi tiêu chí thi đua" in history


def test_a_target_of_another_school_or_plan_is_refused_in_vietnamese(cycle: Cycle) -> None:
    campaign = cycle.campaign
    leader = cycle.client("leadership")
    outsider = cycle.users["outsider"]
    theirs_plan = planning_services.create_plan(
        school=cycle.world.other_school, start_year=2023, title="Kế hoạch khác", by=outsider
    )
    theirs = student_target(theirs_plan, outsider)
    next_plan = planning_services.create_plan(
        school=cycle.world.school, start_year=2024, title="Kế hoạch 2024–2025",
        by=cycle.users["leadership"],
    )  # fmt: skip
    next_year = student_target(next_plan, cycle.users["leadership"], "Tỷ lệ tốt nghiệp")
    for value, message in (
        (theirs.pk, "không thuộc kế hoạch năm học của trường"),
        ("abc", "không hợp lệ"),
        ("999999", "không thuộc kế hoạch năm học của trường"),
        (
            next_year.pk,
            "Chỉ tiêu “Tỷ lệ tốt nghiệp” thuộc kế hoạch năm học 2024–2025, không phải kế "
            "hoạch năm học 2023–2024 của phong trào.",
        ),
    ):
        data = form_data(Campaign.objects.get(pk=campaign.pk), criteria_targets=[str(value)])
        response = leader.post(url("campaign_edit", campaign.pk), data)
        assert response.status_code == 400, value
        assert message in response.content.decode(), value
        assert linked(campaign) == []
    # The service refuses the same, whoever calls it.
    with pytest.raises(EmulationError, match="không thuộc kế hoạch của trường"):
        campaign_services.save_campaign(
            Campaign.objects.get(pk=campaign.pk), by=cycle.users["leadership"], targets=[theirs]
        )
    # A year with no plan names none.
    lone = campaign_services.new_campaign(cycle.world.school, start_year=2025)
    with pytest.raises(EmulationError, match="chưa có kế hoạch năm học"):
        campaign_services.save_campaign(lone, by=cycle.users["leadership"], targets=[next_year])
    assert not Campaign.objects.filter(start_year=2025).exists()


@pytest.mark.parametrize(
    ("role", "status"), [("staff", 403), ("clerk", 403), ("officer", 404), ("outsider", 404)]
)
def test_only_the_leadership_chooses_the_targets(cycle: Cycle, role: str, status: int) -> None:
    campaign = cycle.campaign
    data = form_data(campaign, criteria_targets=[str(cycle.world.target.pk)])
    response = cycle.client(role).post(url("campaign_edit", campaign.pk), data)
    assert response.status_code == status
    assert linked(campaign) == []
