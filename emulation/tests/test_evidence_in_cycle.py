"""The year's computed evidence in the cycle: on the self-assessment page (the figures of the
evidence page, with their links), on the unit's review page (each person's key figures), on an
evaluation's page, and in the classification preview (emulation.facts: the recorded months and
discipline with the evidence, and the levels the evidence does not bear out). The queries do not
grow with the number of people."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from emulation.engine import Level, Rules
from emulation.facts import evidence_facts, evidence_notes, recorded_facts
from emulation.models import Campaign, Evaluation, RuleSet
from emulation.services import classification
from emulation.services import evaluations as evaluation_services
from emulation.tests.conftest import ASSESSMENT_DAY, Cycle
from emulation.tests.evidence_helpers import Year, build_year, more_people
from planning.models import Target

AS_OF = "10/05/2024"  # ASSESSMENT_DAY: the figures are read on it (the campaign is running)


@pytest.fixture
def year(cycle: Cycle) -> Year:
    """The evidence tests' year on the cycle's school, on the day of the self-assessment, with
    everyone's evaluation made."""
    made = build_year(cycle.world)
    cycle.clock.set(ASSESSMENT_DAY)
    evaluation_services.prepare_evaluations(cycle.campaign, by=cycle.users["leadership"])
    return made


def url(name: str, *args: object) -> str:
    return reverse(f"emulation:{name}", args=args)


def evaluation_of(cycle: Cycle, role: str) -> Evaluation:
    return Evaluation.objects.get(campaign=cycle.campaign, person=cycle.people[role])


def propose(cycle: Cycle, role: str, level: str) -> None:
    Evaluation.objects.filter(pk=evaluation_of(cycle, role).pk).update(
        self_level=level, unit_level=level, proposed_level=level, stage="unit_reviewed"
    )


def test_the_self_assessment_page_shows_my_computed_evidence(cycle: Cycle, year: Year) -> None:
    page = cycle.client("staff").get(url("my_evaluation", cycle.campaign.pk))
    text = page.content.decode()
    assert page.status_code == 200
    assert f'<strong id="as-of">{AS_OF}</strong>' in text
    # The figures of the evidence page (emulation/evidence/_person_cards.html), on the day.
    assert 'data-figure="tasks">8<' in text
    assert 'data-figure="on-time">50%<' in text and "2/4 nhiệm vụ đến hạn" in text
    assert 'data-figure="targets">1/2<' in text
    assert 'data-figure="teaching">250,5/270<' in text and "92,8% định mức" in text
    # Each task links to its page; the full evidence page is one tap away, on the same day.
    assert reverse("planning:task_detail", args=[year.tasks["A"].pk]) in text
    evidence = reverse(
        "emulation_evidence:person", args=[cycle.world.plan.pk, cycle.people["staff"].pk]
    )
    assert f'id="evidence-link" href="{evidence}"' in text
    assert "Số liệu được tính thế nào?" in text
    # The form is still there, below the evidence.
    assert text.index('id="headline"') < text.index('name="level"')


def test_after_the_year_the_evidence_is_read_on_the_campaigns_last_day(
    cycle: Cycle, year: Year
) -> None:
    cycle.clock.set(dt.date(2024, 6, 14))
    text = cycle.client("staff").get(url("my_evaluation", cycle.campaign.pk)).content.decode()
    assert '<strong id="as-of">31/05/2024</strong>' in text
    assert "2/5 nhiệm vụ đến hạn" in text
    assert "?on=31/05/2024" in text  # the evidence page read as it stood then


def test_a_campaign_without_a_plan_shows_no_evidence(cycle: Cycle, year: Year) -> None:
    Campaign.objects.filter(pk=cycle.campaign.pk).update(plan=None)
    page = cycle.client("staff").get(url("my_evaluation", cycle.campaign.pk))
    assert page.status_code == 200 and 'id="headline"' not in page.content.decode()
    head = cycle.client("faculty_head")
    review = head.get(url("unit_review", cycle.campaign.pk, cycle.world.faculty.pk))
    assert review.status_code == 200 and "data-evidence=" not in review.content.decode()
    preview = classification.preview(cycle.fresh())
    assert all(row.facts.evidence is None and not row.notes for row in preview.rows)


def test_the_unit_review_page_shows_each_persons_key_figures(cycle: Cycle, year: Year) -> None:
    head = cycle.client("faculty_head")
    text = head.get(url("unit_review", cycle.campaign.pk, cycle.world.faculty.pk)).content.decode()
    staff = evaluation_of(cycle, "staff")
    line = text.split(f'data-evidence="{staff.pk}">')[1].split("</div>")[0]
    assert "2/4 đúng hạn" in line and "1 vượt tiến độ" in line and "1 quá hạn" in line
    assert "báo cáo 26,3%" in line and "chỉ tiêu 1/2" in line and "giờ giảng 92,8%" in line
    evidence = reverse(
        "emulation_evidence:person", args=[cycle.world.plan.pk, cycle.people["staff"].pk]
    )
    assert f'href="{evidence}"' in line
    colleague = evaluation_of(cycle, "colleague")
    assert (
        "không có nhiệm vụ" in text.split(f'data-evidence="{colleague.pk}">')[1].split("</div>")[0]
    )
    # Reviewed in place (htmx), the row comes back with its figures.
    evaluation_services.self_assess(staff, level="HTT", comment="Đủ giờ.", by=cycle.users["staff"])
    staff.refresh_from_db()
    response = head.post(
        url("evaluation_review", staff.pk, "unit"),
        {"unit-level": "HT", "unit-comment": "Còn việc quá hạn.", "unit-version": staff.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "2/4 đúng hạn" in response.content.decode().split(f'data-evidence="{staff.pk}">')[1]


def test_the_review_rows_evidence_line_is_the_templates(cycle: Cycle, year: Year) -> None:
    """The unit review's rows are built in Python (emulation.review_rows); their evidence line
    is exactly what `_person_line.html` writes, for people with and without tasks, targets and
    teaching, with and without the on-time figure."""
    from django.template.loader import render_to_string

    from emulation.facts import campaign_evidence
    from emulation.review_rows import person_line

    people = [
        cycle.people[role] for role in ("staff", "colleague", "unit_head", "clerk", "leadership")
    ]
    evidence = campaign_evidence(cycle.campaign, people)
    assert evidence is not None
    for person in people:
        ev = evidence.of(person.pk)
        assert ev is not None
        for with_on_time in (True, False):
            expected = render_to_string(
                "emulation/evidence/_person_line.html", {"p": ev, "with_on_time": with_on_time}
            )
            assert person_line(ev, with_on_time=with_on_time) == expected, person


def test_a_review_that_fails_comes_back_in_its_row_with_the_error(cycle: Cycle, year: Year) -> None:
    head = cycle.client("faculty_head")
    staff = evaluation_of(cycle, "staff")
    response = head.post(
        url("evaluation_review", staff.pk, "unit"),
        {"unit-level": "<b>", "unit-comment": "<i>x</i>", "unit-version": staff.version},
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert response.status_code == 400 and f'id="row-{staff.pk}"' in text
    assert 'class="small text-danger"' in text and "<b>" not in text and "<i>x</i>" not in text


def test_the_evaluation_page_shows_the_persons_evidence(cycle: Cycle, year: Year) -> None:
    staff = evaluation_of(cycle, "staff")
    text = cycle.client("faculty_head").get(url("evaluation", staff.pk)).content.decode()
    assert 'data-figure="tasks">8<' in text and 'data-figure="teaching">250,5/270<' in text
    # Not another person's: the faculty head's own evaluation shows their own figures.
    own = cycle.client("faculty_head").get(
        url("evaluation", evaluation_of(cycle, "faculty_head").pk)
    )
    assert 'data-figure="tasks">8<' not in own.content.decode()


def test_evidence_facts_add_the_evidence_and_keep_months_and_discipline_recorded(
    cycle: Cycle, year: Year
) -> None:
    staff = evaluation_of(cycle, "staff")
    Evaluation.objects.filter(pk=staff.pk).update(
        months_worked=Decimal("7.5"), discipline="khiển trách"
    )
    evaluations = list(Evaluation.objects.filter(campaign=cycle.campaign).select_related("person"))
    computed = evidence_facts(cycle.fresh(), evaluations)
    recorded = recorded_facts(cycle.fresh(), evaluations)
    mine = computed[staff.pk]
    assert (mine.months_worked, mine.discipline) == (Decimal("7.5"), recorded[staff.pk].discipline)
    assert mine.discipline is not None and mine.discipline.value == "khiển trách"
    assert mine.evidence is not None and len(mine.evidence.tasks.tasks) == 8
    assert recorded[staff.pk].evidence is None
    assert set(computed) == {e.pk for e in evaluations}


def test_the_preview_says_which_levels_the_evidence_does_not_bear_out(
    cycle: Cycle, year: Year
) -> None:
    propose(cycle, "staff", "HTT")  # 2 of 4 tasks due done on time
    propose(cycle, "unit_head", "HTXS")  # alone in the office's managers: falls to HTT
    propose(cycle, "clerk", "HTT")  # 1 of 1 on time, no manager
    # The office's target, not measured yet, says nothing of its head…
    unmeasured = classification.preview(cycle.fresh())
    head_pk = cycle.people["unit_head"].pk
    assert next(r for r in unmeasured.rows if r.evaluation.person_id == head_pk).notes == []
    # … measured and missed, it does.
    Target.objects.filter(pk=cycle.world.target.pk).update(
        actual_value=50, actual_on=dt.date(2024, 4, 1)
    )
    preview = classification.preview(cycle.fresh())
    rows = {row.evaluation.person_id: row for row in preview.rows}
    staff = rows[cycle.people["staff"].pk]
    assert staff.notes == [
        "dự kiến HTT nhưng chỉ 2/4 nhiệm vụ đến hạn hoàn thành đúng hạn ban đầu (1 trễ hạn, 1 "
        "quá hạn); HTT cần mọi nhiệm vụ hoàn thành đúng tiến độ."
    ]
    head = rows[cycle.people["unit_head"].pk]
    assert head.result is not None and head.result.level.value == "HTT"
    assert head.notes == [
        "dự kiến HTT nhưng đơn vị mới đạt 0/1 chỉ tiêu đã có số liệu; cán bộ quản lý xếp HTT cần "
        "đơn vị hoàn thành mọi chỉ tiêu."
    ]
    assert rows[cycle.people["clerk"].pk].notes == []
    assert f"Hoàng Văn An: {staff.notes[0]}" in preview.warnings
    # Recorded facts alone say nothing of the evidence.
    plain = classification.preview(cycle.fresh(), facts=recorded_facts)
    assert all(not row.notes for row in plain.rows)
    assert not any("đúng hạn ban đầu" in warning for warning in plain.warnings)
    # The page shows the figures and the notes.
    page = cycle.client("leadership").get(url("classification", cycle.campaign.pk)).content.decode()
    staff_pk = evaluation_of(cycle, "staff").pk
    assert f'data-evidence-note="{staff_pk}"' in page and "2/4 đúng hạn" in page
    clerk_pk = evaluation_of(cycle, "clerk").pk
    assert f'data-evidence-note="{clerk_pk}"' not in page


def test_htxs_needs_every_task_on_time_and_half_done_ahead(cycle: Cycle, year: Year) -> None:
    evaluations = list(Evaluation.objects.filter(campaign=cycle.campaign).select_related("person"))
    facts = evidence_facts(cycle.fresh(), evaluations)
    by_person = {e.person_id: facts[e.pk].evidence for e in evaluations}
    staff = by_person[cycle.people["staff"].pk]  # A ahead, B on time, C late; D overdue
    clerk = by_person[cycle.people["clerk"].pk]  # H done five days ahead
    assert staff is not None and clerk is not None
    rules = Rules()  # the national set's thresholds: every task, half, every target
    assert evidence_notes(Level.HTXS, staff, manager=False, rules=rules) == [
        "dự kiến HTXS nhưng chỉ 2/4 nhiệm vụ đến hạn hoàn thành đúng hạn ban đầu (1 trễ hạn, 1 "
        "quá hạn); HTXS cần mọi nhiệm vụ hoàn thành đúng tiến độ.",
        "dự kiến HTXS nhưng chỉ 1/3 nhiệm vụ đã hoàn thành vượt tiến độ; HTXS cần ít nhất một "
        "nửa số nhiệm vụ hoàn thành vượt mức.",
    ]
    assert evidence_notes(Level.HTXS, clerk, manager=False, rules=rules) == []
    assert evidence_notes(Level.HT, staff, manager=True, rules=rules) == []
    assert evidence_notes(None, staff, manager=False, rules=rules) == []
    # Other thresholds, other notes: half on time is enough, a third ahead is enough…
    lenient = Rules(htt_on_time_share=Decimal("0.5"), htxs_ahead_share=Decimal("0.3"))
    assert evidence_notes(Level.HTXS, staff, manager=False, rules=lenient) == []
    # … while 80% on time and every task ahead are not met.
    strict = Rules(htt_on_time_share=Decimal("0.8"), htxs_ahead_share=Decimal(1))
    assert evidence_notes(Level.HTXS, staff, manager=False, rules=strict) == [
        "dự kiến HTXS nhưng chỉ 2/4 nhiệm vụ đến hạn hoàn thành đúng hạn ban đầu (1 trễ hạn, 1 "
        "quá hạn); HTXS cần ít nhất 80% nhiệm vụ hoàn thành đúng tiến độ.",
        "dự kiến HTXS nhưng chỉ 1/3 nhiệm vụ đã hoàn thành vượt tiến độ; HTXS cần tất cả số "
        "nhiệm vụ hoàn thành vượt mức.",
    ]


def test_the_preview_reads_the_thresholds_of_the_rule_set_in_force(
    cycle: Cycle, year: Year
) -> None:
    """The thresholds are the dated rule set's data: a set in force with other values changes
    the notes."""
    propose(cycle, "staff", "HTT")  # 2/4 on time

    def staff_notes() -> list[str]:
        preview = classification.preview(cycle.fresh())
        return next(
            r.notes for r in preview.rows if r.evaluation.person_id == cycle.people["staff"].pk
        )

    assert staff_notes() == [
        "dự kiến HTT nhưng chỉ 2/4 nhiệm vụ đến hạn hoàn thành đúng hạn ban đầu (1 trễ hạn, 1 "
        "quá hạn); HTT cần mọi nhiệm vụ hoàn thành đúng tiến độ."
    ]
    # A national set in force from the year's last day, asking half the tasks on time.
    national = RuleSet.in_force(cycle.campaign.year.end)
    assert national is not None
    national.pk = None
    national.valid_from = cycle.campaign.year.end
    national.htt_on_time_share = Decimal("0.5")
    national.save()
    assert staff_notes() == []
    # The school's own set, from the same day, asks 75%: its own wins on that day.
    own = RuleSet.objects.get(pk=national.pk)
    own.pk = None
    own.school = cycle.world.school
    own.htt_on_time_share = Decimal("0.75")
    own.full_clean()
    own.save()
    assert staff_notes() == [
        "dự kiến HTT nhưng chỉ 2/4 nhiệm vụ đến hạn hoàn thành đúng hạn ban đầu (1 trễ hạn, 1 "
        "quá hạn); HTT cần ít nhất 75% nhiệm vụ hoàn thành đúng tiến độ."
    ]


def count(cycle: Cycle, role: str, address: str) -> int:
    client = cycle.client(role)
    client.get(address)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(queries)


def grow(cycle: Cycle, n: int) -> None:
    """n more lecturers of Tổ Toán, each with tasks, reports, files and a teaching record,
    evaluated and reviewed."""
    more_people(cycle.world, n, cycle.world.group)
    evaluation_services.prepare_evaluations(cycle.campaign, by=cycle.users["leadership"])
    Evaluation.objects.filter(
        campaign=cycle.campaign, stage="pending", person__full_name__startswith="Người Thứ"
    ).update(self_level="HTT", unit_level="HTT", proposed_level="HTT", stage="unit_reviewed")


PAGES = {
    "self-assessment": ("staff", lambda c: url("my_evaluation", c.campaign.pk)),
    "faculty review": ("faculty_head", lambda c: url("unit_review", c.campaign.pk, c.world.faculty.pk)),
    "evaluation": ("faculty_head", lambda c: url("evaluation", evaluation_of(c, "staff").pk)),
    "classification": ("leadership", lambda c: url("classification", c.campaign.pk)),
}  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_the_people_and_their_evidence(
    cycle: Cycle, year: Year, page: str
) -> None:
    role, address = PAGES[page]
    grow(cycle, 2)
    few = count(cycle, role, address(cycle))
    grow(cycle, 8)
    many = count(cycle, role, address(cycle))
    assert many == few, f"{page}: {few} queries with few people, {many} with many"
    assert few <= 35, f"{page}: {few} queries"


# role → (the staff member's evaluation page, the faculty's review page, the preview)
WHO_SEES = {
    "anonymous": (302, 302, 302),
    "outsider": (404, 404, 404),
    "officer": (404, 404, 404),
    "staff": (200, 403, 403),
    "colleague": (403, 403, 403),
    "clerk": (403, 403, 403),
    "unit_head": (403, 403, 403),
    "group_head": (200, 403, 403),
    "faculty_head": (200, 200, 403),
    "leadership": (200, 200, 200),
}


@pytest.mark.parametrize("role", WHO_SEES)
def test_a_persons_figures_are_shown_only_to_who_may_see_their_evaluation(
    cycle: Cycle, year: Year, role: str
) -> None:
    """The staff member's evidence (8 tasks, 250,5 giờ chuẩn) appears on the pages that show
    their evaluation, to them and their reviewers; a colleague, another unit's head, the clerk,
    another school and the Sở see none of it."""
    client = cycle.client(role)
    staff = evaluation_of(cycle, "staff")
    addresses = (
        url("evaluation", staff.pk),
        url("unit_review", cycle.campaign.pk, cycle.world.faculty.pk),
        url("classification", cycle.campaign.pk),
    )
    for address, expected in zip(addresses, WHO_SEES[role], strict=True):
        response = client.get(address)
        assert response.status_code == expected, (role, address)
        shown = "250,5/270" in response.content.decode() or "giờ giảng 92,8%" in (
            response.content.decode()
        )
        assert shown == (expected == 200), (role, address)
