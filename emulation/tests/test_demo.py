"""The demo school's 2023–2024 campaign (emulation/demo.py) as `make run` loads it, from the
launch at the conference of 26/9/2023 by Vi Hồng Thắm to the principal's decision: its council,
registrations and units' lists, initiatives and past titles, the evidence computed from the demo
plan, the last self-assessment and Khoa Tự nhiên's review, the council's secret ballot (the
faculty over its HTXS quota, a member who is a candidate), the results published with their
appeal window, the numbered Quyết định with its lists, the tờ trình, the units' titles. Exact
counts: the demo is the same every time. The week before the council (the stage the browser
scenario starts from) is tested in test_demo_before_council.py.

The demo school is loaded once for the module (conftest's `demo_plan`); each test's changes roll
back.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import close_response
from demo.loader import DEMO_PASSWORD
from emulation.demo import load_emulation_demo
from emulation.facts import campaign_evidence
from emulation.models import (
    Appeal,
    Campaign,
    CampaignStatus,
    CampaignTarget,
    CampaignUnit,
    CouncilBallot,
    CouncilBallotCast,
    CouncilMember,
    CouncilVote,
    Decision,
    Evaluation,
    Initiative,
    Registration,
    RegistrationStatus,
    Stage,
    TitleHistory,
    VoteStatus,
)
from emulation.services import classification
from notifications.models import Notification
from papers.models import IssuedPaper
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
    assert campaign.status == CampaignStatus.CLOSED and campaign.plan == demo
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
    # Each unit sent its list; the leadership placed at the school itself have no unit list (the
    # principal and a vice-principal are not placed in the Đảng ủy, where they also hold posts).
    waiting = Registration.objects.filter(campaign=campaign).exclude(
        status=RegistrationStatus.CONFIRMED
    )
    assert [r.person.full_name for r in waiting] == [  # type: ignore[union-attr]
        "Nguyễn Thế Dương", "Phùng Quý Sơn", "Vi Hồng Thắm",
    ]  # fmt: skip
    titles = Counter(title for r in personal for title in r.titles)
    assert titles == {"LĐTT": 50, "CSTĐCS": 8, "CSTĐ cấp tỉnh": 1}
    units = {r.unit.name: r.titles for r in collective.select_related("unit")}
    assert units["Phòng Kế hoạch – Tài chính"] == ["TTLĐXS"]
    assert units["Khoa Xã hội"] == ["TTLĐXS"]
    # (The school's own part came with its title, at the decision.)
    parts = CampaignUnit.objects.filter(campaign=campaign).exclude(unit=campaign.school)
    assert parts.count() == 9 and all(p.registrations_submitted for p in parts)
    assert not parts.filter(unit__kind__in=["party_committee", "mass_organisation"]).exists()
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
    store = this_year.get(title__startswith="Xây dựng kho minh chứng số")
    assert sorted(a.full_name for a in store.authors.all()) == [
        "Lăng Văn Tiến", "Nguyễn Thị Phương Loan", "Nông Thị Hạnh",
    ]  # fmt: skip
    rows = TitleHistory.objects.filter(school=campaign.school, start_year__lt=2023)
    assert rows.count() == 10 and {r.start_year for r in rows} == {2021, 2022}
    long = rows.filter(person__full_name="Hà Văn Long").order_by("start_year")
    assert [r.titles for r in long] == [["LĐTT", "CSTĐCS"], ["LĐTT", "CSTĐCS"]]
    assert all(r.source == "imported" for r in rows)


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


def local_day(moment: dt.datetime | None) -> dt.date:
    assert moment is not None
    return timezone.localtime(moment).date()


def test_the_open_steps_were_taken_before_the_council(campaign: Campaign) -> None:
    """Lăng Thị Huyền self-assessed on the window's last day, her faculty's head reviewed her and
    sent the faculty's reviews: every unit's reviews reached the council."""
    huyen = evaluation(campaign, "Lăng Thị Huyền")
    assert (huyen.self_level, local_day(huyen.self_assessed_at)) == ("HTXS", dt.date(2024, 5, 17))
    assert huyen.unit_reviewed_by is not None
    assert huyen.unit_reviewed_by.full_name == "Chu Văn Khánh" and huyen.unit_level == "HTXS"
    assert local_day(huyen.unit_reviewed_at) == dt.date(2024, 5, 20)
    faculty = CampaignUnit.objects.get(campaign=campaign, unit__code="khoa-tu-nhien")
    assert faculty.review_meeting_on == dt.date(2024, 5, 20) and "có mặt 11/11" in (
        faculty.review_minutes
    )
    assert local_day(faculty.reviews_submitted_at) == dt.date(2024, 5, 21)
    assert faculty.reviews_submitted_by.username == "chuvankhanh"  # type: ignore[union-attr]
    parts = CampaignUnit.objects.filter(campaign=campaign, registrations_submitted_at__isnull=False)
    assert all(part.reviews_submitted for part in parts) and parts.count() == 9


def test_the_councils_secret_ballot(campaign: Campaign) -> None:
    vote = CouncilVote.objects.get(campaign=campaign)
    assert (vote.status, vote.held_on) == (VoteStatus.PUBLISHED, dt.date(2024, 5, 31))
    assert (vote.members_count, vote.present_count, vote.voters_count) == (7, 6, 6)
    present = sorted(m.person.full_name for m in vote.present.select_related("person"))
    assert "Lý Văn Tuấn" not in present and len(present) == 6
    # Voted and counted: who voted is kept, the sealed ballots are gone with the key.
    assert CouncilBallotCast.objects.filter(vote=vote).count() == 6
    assert not CouncilBallot.objects.exists()
    tally = {
        (item.kind, item.evaluation.person.full_name if item.evaluation else item.unit.name): (  # type: ignore[union-attr]
            item.yes_count, item.no_count, item.abstain_count, item.base, item.passed, item.rank,
        )
        for item in vote.items.select_related("evaluation__person", "unit")
    }  # fmt: skip
    assert tally == {
        # Khoa Tự nhiên's lecturers over the quota of 1, ranked by their "yes" ballots.
        ("htxs", "Hà Thị Kim Oanh"): (6, 0, 0, 7, True, 1),
        ("htxs", "Đinh Văn Hải"): (4, 1, 1, 7, False, 2),
        ("htxs", "Lăng Thị Huyền"): (3, 2, 1, 7, False, 3),
        ("htxs", "Nông Văn Thắng"): (2, 4, 0, 7, False, 4),
        ("cstdcs", "Nông Thị Hạnh"): (6, 0, 0, 7, True, None),
        # A member who is the candidate: no ballot on her own case, the base without her.
        ("cstdcs", "Nguyễn Thị Phương Loan"): (5, 0, 0, 6, True, None),
        ("cstdcs", "Lương Thị Bích"): (5, 0, 1, 7, True, None),
        ("cstdcs", "Hà Văn Long"): (6, 0, 0, 7, True, None),
        ("cstdcs", "Hà Thị Kim Oanh"): (6, 0, 0, 7, True, None),
        ("cstdcs", "Triệu Thị Hoa"): (6, 0, 0, 7, True, None),
        ("cstd_higher", "Hà Văn Long"): (6, 0, 0, 7, True, None),
        ("bang_khen", "Hà Văn Long"): (6, 0, 0, 7, True, None),
        ("ttldxs", "Phòng Kế hoạch – Tài chính"): (6, 0, 0, 7, True, None),
        ("ttldxs", "Khoa Tự nhiên"): (6, 0, 0, 7, True, None),
    }
    # The ballot's ranking became the council's rank the classification reads.
    assert evaluation(campaign, "Lăng Thị Huyền").council_rank == 3
    # Published to staff on the day, the appeal window over before the decision, none sent.
    assert local_day(vote.published_at) == dt.date(2024, 5, 31)
    assert vote.published_by.username == "phungquyson"  # type: ignore[union-attr]
    assert (campaign.appeals_open, campaign.appeals_close) == (
        dt.date(2024, 5, 31),
        dt.date(2024, 6, 7),
    )
    assert not Appeal.objects.exists()
    published = {row["name"]: row for row in vote.results["people"]}
    assert (published["Lăng Thị Huyền"]["level"], published["Lăng Thị Huyền"]["titles"]) == (
        "HTT",
        ["LĐTT"],
    )


def test_the_principals_decision_and_the_proposal(campaign: Campaign) -> None:
    decision = Decision.objects.get(campaign=campaign)
    assert (decision.decided_on, decision.proposal_on) == (
        dt.date(2024, 6, 10),
        dt.date(2024, 6, 12),
    )
    assert (decision.signing_mark, decision.signer_title, decision.signer_name) == (
        "",
        "Hiệu trưởng",
        "Phùng Quý Sơn",
    )
    assert decision.issued_by.username == "hathithutrang"
    papers = {
        paper.kind: (paper.document.symbol, paper.document.issued_on)
        for paper in IssuedPaper.objects.filter(kind__startswith="emulation").select_related(
            "document"
        )
    }
    assert papers == {
        "emulation_decision": ("01/QĐ-CĐSPLS", dt.date(2024, 6, 10)),
        "emulation_proposal": ("01/TTr-CĐSPLS", dt.date(2024, 6, 12)),
    }
    snapshot = decision.snapshot
    assert snapshot["counts"] == {"LĐTT": 42, "CSTĐCS": 6, "TTLĐTT": 6}
    assert snapshot["base_salary"]["amount"] == 1_800_000 and snapshot["total"] == 38_880_000
    people = {row["name"]: row for row in snapshot["people"]}
    assert sorted(name for name, row in people.items() if "CSTĐCS" in row["titles"]) == sorted(
        [
            "Nông Thị Hạnh", "Nguyễn Thị Phương Loan", "Lương Thị Bích", "Hà Văn Long",
            "Hà Thị Kim Oanh", "Triệu Thị Hoa",
        ]
    )  # fmt: skip
    assert sorted(name for name, row in people.items() if row["level"] == "HTXS") == [
        "Chu Thị Bình", "Hà Thị Kim Oanh", "Nông Thị Thu",
    ]  # fmt: skip
    assert (people["Nguyễn Văn Hòa"]["level"], people["Nguyễn Văn Hòa"]["titles"]) == (None, [])
    assert (people["Lý Văn Kiên"]["level"], people["Lý Văn Kiên"]["titles"]) == ("KHT", [])
    assert people["Hà Văn Long"]["proposed"] == ["CSTĐ cấp tỉnh", "Bằng khen của Bộ trưởng"]
    assert (people["Nông Thị Hạnh"]["award_title"], people["Nông Thị Hạnh"]["amount"]) == (
        "CSTĐCS",
        1_800_000,
    )
    # The collective titles: TTLĐTT decided here, TTLĐXS proposed in the tờ trình.
    units = {row["name"]: (row["title"], row["proposed"]) for row in snapshot["units"]}
    assert units["Phòng Kế hoạch – Tài chính"] == ("TTLĐTT", "TTLĐXS")
    assert units["Khoa Tự nhiên"] == ("TTLĐTT", "TTLĐXS")
    assert units["Khoa Xã hội"] == ("TTLĐTT", None)
    assert units["Phòng Tổ chức – Hành chính"] == (None, None)
    # Neither the school (its leadership placed there) nor the Đảng ủy in its own decision: the
    # school as a whole meets TTLĐTT (not TTLĐXS: Lý Văn Kiên is at KHT) and is proposed above.
    school = campaign.school
    assert units[school.name] == (None, None)
    assert "Đảng ủy Trường Cao đẳng Sư phạm Lạng Sơn" not in units
    assert (snapshot["school"]["title"], snapshot["school"]["proposed"]) == (None, "TTLĐTT")
    assert [(p["kind"], p["name"] or p["unit"]) for p in snapshot["proposals"]] == [
        ("cstd_higher", "Hà Văn Long"),
        ("bang_khen", "Hà Văn Long"),
        ("ttldxs", "Phòng Kế hoạch – Tài chính"),
        ("ttldxs", "Khoa Tự nhiên"),
        ("ttldtt", school.name),
    ]
    # Written on each evaluation and recorded as the year's titles.
    assert set(Evaluation.objects.filter(campaign=campaign).values_list("stage", flat=True)) == {
        Stage.DECIDED
    }
    huyen = evaluation(campaign, "Lăng Thị Huyền")
    assert (huyen.final_level, huyen.final_titles, huyen.decided_on) == (
        "HTT",
        ["LĐTT"],
        dt.date(2024, 6, 10),
    )
    decided = TitleHistory.objects.filter(school=campaign.school, start_year=2023)
    assert {r.source for r in decided} == {"decided"}
    assert {r.decision for r in decided} == {"01/QĐ-CĐSPLS"}
    khtc = decided.get(person__isnull=True, unit__name="Phòng Kế hoạch – Tài chính")
    assert khtc.titles == ["TTLĐTT"]
    assert decided.filter(person__isnull=True).count() == 6
    assert not decided.filter(unit=school, person__isnull=True).exists()


def test_the_lecturer_finds_her_result_and_the_principal_the_papers(campaign: Campaign) -> None:
    lecturer = Client()
    assert lecturer.login(request=HttpRequest(), username="langthihuyen", password=DEMO_PASSWORD)
    page = lecturer.get(reverse("emulation:results", args=[campaign.pk])).content.decode()
    assert "Đã có quyết định công nhận ngày 10/06/2024." in page
    assert "<strong>Xếp loại:</strong> HTT" in page and "LĐTT" in page
    assert "Hội đồng bỏ phiếu HTXS: 3/7 phiếu đồng ý, xếp thứ 3 (chỉ tiêu 1)." in page
    assert 'id="my-certificate"' in page and 'id="file-appeal"' not in page
    # A lecturer does not reach the decision's page; the principal does, and its paper.
    assert lecturer.get(reverse("emulation:decision", args=[campaign.pk])).status_code == 403
    principal = Client()
    assert principal.login(request=HttpRequest(), username="phungquyson", password=DEMO_PASSWORD)
    assert principal.get(reverse("emulation:decision", args=[campaign.pk])).status_code == 200
    response = principal.get(
        reverse("papers:download", args=["emulation_decision", campaign.pk, "docx"])
    )
    assert response.status_code == 200
    close_response(response)


def test_loading_again_adds_nothing_and_the_plans_facts_are_untouched(
    campaign: Campaign, demo: Plan
) -> None:
    counts = [
        model.objects.count()
        for model in (Notification, IssuedPaper, CouncilVote, CouncilBallotCast, TitleHistory)
    ]
    assert load_emulation_demo(demo, None) is None
    assert Campaign.objects.count() == 1 and Evaluation.objects.count() == 50
    assert Decision.objects.count() == 1
    assert counts == [
        model.objects.count()
        for model in (Notification, IssuedPaper, CouncilVote, CouncilBallotCast, TitleHistory)
    ]
    # What the tracking and reports demos made is as it was before the campaign was added, with
    # what the students' demo adds: three tasks following warnings up, two of them reported done
    # when their outcome was recorded (reports outside the tasks' reporting cycle: not counted
    # "đúng kỳ").
    # The demo school's own (the province's sample schools have a plan of their own).
    school = demo.school_id
    checkins = CheckIn.objects.filter(task__plan__school=school)
    tasks = Task.objects.filter(plan__school=school)
    assert checkins.count() == 251 + 2
    assert checkins.filter(on_time=True).count() == 139
    assert tasks.count() == 70 + 3
    assert tasks.filter(completed_on__isnull=False).count() == 58 + 2
    # 76 of the tracking demo and the first readings of the three targets the students' figures
    # feed.
    assert TargetReading.objects.filter(target__plan__school=school).count() == 79
    assert Extension.objects.filter(task__plan__school=school).count() == 2
    semester = Report.objects.get(plan=demo, kind="semester")
    assert semester.snapshot["totals"] == {
        "done_on_time": 13, "done_late": 2, "open_in_time": 41, "open_overdue": 4, "total": 60,
    }  # fmt: skip
