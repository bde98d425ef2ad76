"""Teaching hours of the year against the norm, for the evidence (emulation.evidence).

The year's target is the norm of the lecturer's title (giờ chuẩn a year, workload.Norm of the
rules in force at the start of the year's first semester) times the teaching share their
positions leave (workload.norms.teaching_share: the largest reduction), as the teaching-load
pages count it (workload.services.year_rows); the hours are those of the sections assigned to
the lecturer in both semesters. Read in at most six queries whatever the number of people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from emulation.evidence_figures import Teaching
from organisations.models import Person
from planning.models import Plan
from workload import norms
from workload.models import Lecturer, Norm, Reduction, Section, Term
from workload.models import RuleSet as WorkloadRules


def teaching_of(
    plan: Plan, people: Sequence[Person], positions: list[dict[str, Any]]
) -> dict[int, Teaching]:
    """Each lecturer's giờ chuẩn of the year against the year's target, by person id.
    `positions`: the people's positions in the year (their titles give the reductions)."""
    if not people:
        return {}
    terms = {
        t.semester: t
        for t in Term.objects.filter(school_id=plan.school_id, start_year=plan.start_year)
    }
    if not terms:
        return {}
    lecturers = list(
        Lecturer.objects.filter(person__in=[p.pk for p in people]).values_list(
            "pk", "person_id", "title"
        )
    )
    if not lecturers:
        return {}
    first = terms.get(1) or terms[2]
    rules = WorkloadRules.in_force(plan.school_id, first.starts_on)
    norms_by_title: dict[str, Decimal] = {}
    reductions: dict[str, Decimal] = {}
    if rules is not None:
        norms_by_title = dict(
            Norm.objects.filter(rules=rules).values_list("title", "hours_per_year")
        )
        reductions = dict(
            Reduction.objects.filter(rules=rules).values_list("position_title", "teaching_share")
        )
    loads: dict[tuple[int, int], Decimal] = {}
    for lecturer_id, semester, hours in (
        Section.objects.filter(
            archived_at__isnull=True,
            term__in=list(terms.values()),
            assigned_to__in=[pk for pk, _person, _title in lecturers],
        )
        .order_by()
        .values_list("assigned_to", "term__semester")
        .annotate(hours=Sum("hours"))
    ):
        loads[(lecturer_id, semester)] = hours or Decimal(0)
    titles: dict[int, list[str]] = defaultdict(list)
    for row in positions:
        if (row["valid_from"] is None or row["valid_from"] <= first.starts_on) and (
            row["valid_to"] is None or row["valid_to"] >= first.starts_on
        ):
            titles[row["person_id"]].append(row["title"])
    result = {}
    for pk, person_id, title in lecturers:
        norm = norms_by_title.get(title)
        target = None
        if norm is not None:
            share = norms.teaching_share(titles.get(person_id, []), reductions)
            target = (norm * share / norms.HUNDRED).quantize(norms.TWO_PLACES)
        result[person_id] = Teaching(
            lecturer_id=pk,
            title=title,
            year_target=target,
            first=loads.get((pk, 1), Decimal(0)),
            second=loads.get((pk, 2), Decimal(0)),
        )
    return result
