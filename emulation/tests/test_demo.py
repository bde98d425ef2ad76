"""The demo school's 2023–2024 campaign (emulation/demo.py): launched at the conference of
26/9/2023 by Vi Hồng Thắm, its council, registrations and units' lists, initiatives and past
titles, the year-end reviews with a months and a discipline case, the evidence computed from the
demo plan, and a unit with more HTXS proposed than the quota allows. Exact counts: the demo is
the same every time.

The demo school is loaded once for the module (conftest's `demo_plan`); each test's changes roll
back.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from demo.loader import DEMO_PASSWORD
from emulation.demo import load_emulation_demo
from emulation.facts import campaign_evidence
from emulation.models import (
    Campaign,
    CampaignStatus,
    CampaignTarget,
    CampaignUnit,
    CouncilMember,
    Evaluation,
    Initiative,
    Registration,
    RegistrationStatus,
    Stage,
    TitleHistory,
)
from emulation.services import classification
from organisations.models import Organisation
from planning.models import Plan, Task
from reports.models import Report
from tracking.models import CheckIn, Extension, TargetReading

SCENARIO_DAY = dt.date(2024, 5, 17)  # the last day of the self-assessment window


@pytest.fixture
def demo(demo_plan: Plan, db: None) -> Plan:
    return demo_plan


@pytest.fixture
def campaign(demo: Plan) -> Campaign:
    return Campaign.objects.select_related("school__parent", "plan", "launch__launched_by").get()


def on_day(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


def evaluation(campaign: Campaign, name: str) -> Evaluation:
    return Evaluation.objects.select_related("person", "unit").get(
        campaign=campaign, person__full_name=name
    )


def test_the_campaign_was_launched_at_the_conference(campaign: Campaign, demo: Plan) -> None:
    assert campaign.name == "Phong trào thi đua năm học 2023–2024"
    assert campaign.status == CampaignStatus.OPEN and campaign.plan == demo
    assert campaign.launched_on == dt.date(2023, 9, 26)
    launch = campaign.launch
    assert launch is not None and launch.launched_by.full_name == "Vi Hồng Thắm"
    assert launch.conference.held_on == dt.date(2023, 9, 26) and launch.conference.plan == demo
    assert (campaign.registration_opens, campaign.registration_closes) == (
        dt.date(2023, 9, 26),
        dt.date(2023, 10, 20),
    )
    assert (campaign.self_assessment_opens, campaign.self_assessment_closes) == (
        dt.date(2024, 5, 6),
        dt.date(2024, 5, 17),
    )
    assert campaign.titles == ["LĐTT", "CSTĐCS", "CSTĐ cấp tỉnh", "TTLĐTT", "TTLĐXS"]
    council = [
        (m.person.full_name, m.role)
        for m in CouncilMember.objects.filter(campaign=campaign).select_related("person")
    ]
    assert len(council) == 7
    assert council[0] == ("Phùng Quý Sơn", "chair")
    assert ("Hoàng Văn Quyết", "secretary") in council and ("Vi Hồng Thắm", "vice_chair") in council
    # Its page links to the conference's launch, naming who launched it.
    client = Client()
    client.force_login(campaign.launched_by)  # type: ignore[arg-type]
    page = client.get(reverse("emulation:campaign", args=[campaign.pk])).content.decode()
    outcomes = reverse("conferences:outcomes", args=[launch.conference_id]) + "#thi-dua"
    assert outcomes in page and "Vi Hồng Thắm – Phó Hiệu trưởng" in page
    # Its criteria name the plan's student targets, shown with their status from tracking.
    named = [
        link.target.code
        for link in CampaignTarget.objects.filter(campaign=campaign).select_related("target")
    ]
    assert named == ["CT03", "CT04", "CT06"]
    assert all(link.target.plan_id == demo.pk for link in CampaignTarget.objects.all())
    assert 'id="chi-tieu"' in page and "Tỷ lệ sinh viên tốt nghiệp đúng hạn" in page
    assert page.count("data-criteria-target=") == 3


def test_registrations_and_the_units_lists(campaign: Campaign) -> None:
    personal = Registration.objects.filter(campaign=campaign, person__isnull=False)
    collective = Registration.objects.filter(campaign=campaign, person__isnull=True)
    assert personal.count() == 50 and collective.count() == 5
    # Each unit sent its list; the vice-principal placed at the school itself has no unit list.
    waiting = Registration.objects.filter(campaign=campaign).exclude(
        status=RegistrationStatus.CONFIRMED
    )
    assert [r.person.full_name for r in waiting] == ["Vi Hồng Thắm"]  # type: ignore[union-attr]
    titles = Counter(title for r in personal for title in r.titles)
    assert titles == {"LĐTT": 50, "CSTĐCS": 7, "CSTĐ cấp tỉnh": 1}
    units = {r.unit.name: r.titles for r in collective.select_related("unit")}
    assert units["Phòng Kế hoạch – Tài chính"] == ["TTLĐXS"]
    assert units["Khoa Xã hội"] == ["TTLĐXS"]
    parts = CampaignUnit.objects.filter(campaign=campaign)
    assert parts.count() == 10 and all(p.registrations_submitted for p in parts)
    # Every registration was made in the window, by the person when they have an account.
    days = {r.history.earliest().history_date.date() for r in personal}  # type: ignore[attr-defined]
    assert min(days) >= campaign.registration_opens and max(days) <= campaign.registration_closes
    hanh = personal.get(person__full_name="Nông Thị Hạnh")
    assert hanh.registered_by.username == "nongthihanh" and hanh.titles == ["LĐTT", "CSTĐCS"]


def test_initiatives_and_past_titles(campaign: Campaign) -> None:
    this_year = Initiative.objects.filter(school=campaign.school, start_year=2023)
    assert this_year.count() == 6
    assert this_year.filter(recognised_on__isnull=False).count() == 5
    assert this_year.get(scope="province").authors.get().full_name == "Hà Văn Long"
    assert this_year.get(recognised_on__isnull=True).authors.get().full_name == "Lăng Thị Huyền"
    assert Initiative.objects.filter(school=campaign.school).count() == 8
    rows = TitleHistory.objects.filter(school=campaign.school)
    assert rows.count() == 10 and {r.start_year for r in rows} == {2021, 2022}
    long = rows.filter(person__full_name="Hà Văn Long").order_by("start_year")
    assert [r.titles for r in long] == [["LĐTT", "CSTĐCS"], ["LĐTT", "CSTĐCS"]]
    assert all(r.source == "imported" for r in rows)


def test_the_year_end_reviews(campaign: Campaign) -> None:
    evaluations = Evaluation.objects.filter(campaign=campaign)
    assert evaluations.count() == 50
    stages = Counter(evaluations.values_list("stage", flat=True))
    assert stages == {
        Stage.PENDING: 1,  # Lăng Thị Huyền, for a visitor (and the browser scenario)
        Stage.UNIT_REVIEWED: 29,
        Stage.LEADERSHIP_REVIEWED: 20,
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
    assert sent.count() == 9
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
        "LĐTT": 41, "CSTĐCS": 5, "CSTĐ cấp tỉnh": 1, "TTLĐTT": 6, "TTLĐXS": 2,
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


def test_the_evidence_is_computed_from_the_demo_plan(
    campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_day(monkeypatch, dt.date(2026, 1, 10))  # after the year: read on the campaign's last day
    evaluations = list(Evaluation.objects.filter(campaign=campaign).select_related("person"))
    evidence = campaign_evidence(campaign, [e.person for e in evaluations])
    assert evidence is not None and (evidence.on, evidence.past) == (dt.date(2024, 5, 31), True)
    by_name = {e.person.full_name: evidence.of(e.person_id) for e in evaluations}
    loan = by_name["Nguyễn Thị Phương Loan"]
    assert loan is not None
    assert (len(loan.tasks.tasks), len(loan.tasks.due), len(loan.tasks.on_time)) == (14, 7, 6)
    assert len(loan.tasks.late) == 1 and loan.checkins.sent
    huyen = by_name["Lăng Thị Huyền"]
    assert huyen is not None and huyen.teaching is not None
    assert (huyen.teaching.total, huyen.teaching.year_target) == (Decimal(336), Decimal(300))
    preview = classification.preview(campaign)
    notes = {row.name: row.notes for row in preview.rows if row.notes}
    assert set(notes) == {"Vi Hồng Thắm", "Nguyễn Thị Phương Loan", "Lương Văn Thành"}
    assert notes["Nguyễn Thị Phương Loan"][0].startswith(
        "dự kiến HTT nhưng chỉ 6/7 nhiệm vụ đến hạn hoàn thành đúng hạn ban đầu (1 trễ hạn)"
    )


def test_the_lecturer_and_the_head_can_sign_in_and_find_their_step(
    campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_day(monkeypatch, SCENARIO_DAY)
    from django.http import HttpRequest

    lecturer = Client()
    assert lecturer.login(request=HttpRequest(), username="langthihuyen", password=DEMO_PASSWORD)
    page = lecturer.get(reverse("emulation:my_evaluation", args=[campaign.pk])).content.decode()
    assert 'data-figure="teaching">336/300<' in page and "112% định mức" in page
    head = Client()
    assert head.login(request=HttpRequest(), username="chuvankhanh", password=DEMO_PASSWORD)
    unit = Organisation.objects.get(code="khoa-tu-nhien", school=campaign.school)
    review = head.get(reverse("emulation:unit_review", args=[campaign.pk, unit.pk]))
    assert review.status_code == 200 and "Đã xét 10/11 người." in review.content.decode()


def test_loading_again_adds_nothing_and_the_plans_facts_are_untouched(
    campaign: Campaign, demo: Plan
) -> None:
    assert load_emulation_demo(demo, None) is None
    assert Campaign.objects.count() == 1 and Evaluation.objects.count() == 50
    # What the tracking and reports demos made is as it was before the campaign was added.
    assert CheckIn.objects.count() == 251 and CheckIn.objects.filter(on_time=True).count() == 139
    assert (
        Task.objects.count() == 70 and Task.objects.filter(completed_on__isnull=False).count() == 58
    )
    assert TargetReading.objects.count() == 76 and Extension.objects.count() == 2
    semester = Report.objects.get(plan=demo, kind="semester")
    assert semester.snapshot["totals"] == {
        "done_on_time": 13, "done_late": 2, "open_in_time": 41, "open_overdue": 4, "total": 60,
    }  # fmt: skip
