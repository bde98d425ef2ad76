"""What the yearly report to the province on the teacher-training support says, computed once
from the data for both its forms (the Word paper, students.papers; the Excel list,
students.excel_support): the students supported during the school year with their results, the
figures by programme, and those on the repayment list."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from core.text import school_year_label
from students.models import Programme, TermResult
from students.models_support import RepaymentCase, SupportGrant, SupportReport, SupportRule
from students.support import months_received


@dataclass
class GrantLine:
    grant: SupportGrant
    months: int  # months of support in the school year (estimate, students.support)
    result: TermResult | None  # the student's latest summary of the year


@dataclass
class ProgrammeLine:
    programme: Programme
    supported: int = 0
    stopped: int = 0
    cases: int = 0


@dataclass
class ReportData:
    report: SupportReport
    starts_on: dt.date
    ends_on: dt.date
    rules: list[SupportRule]
    lines: list[GrantLine] = field(default_factory=list)
    cases: list[RepaymentCase] = field(default_factory=list)
    programmes: list[ProgrammeLine] = field(default_factory=list)

    @property
    def year_label(self) -> str:
        return school_year_label(self.report.school_year)

    @property
    def total_amount(self) -> Decimal | None:
        amounts = [c.amount for c in self.cases if c.amount is not None]
        return sum(amounts, Decimal(0)) if amounts else None


def report_data(report: SupportReport) -> ReportData:
    starts_on = dt.date(report.school_year, 9, 1)
    ends_on = dt.date(report.school_year + 1, 8, 31)
    rules = SupportRule.in_force(min(report.dated, ends_on), report.school_id)
    cap = next((r.max_months_per_year for r in rules if r.max_months_per_year), None)
    data = ReportData(report=report, starts_on=starts_on, ends_on=ends_on, rules=rules)
    grants = list(
        SupportGrant.objects.active()
        .filter(school_id=report.school_id, starts_on__lte=ends_on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        .select_related("student__cohort__programme")
        .order_by("student__cohort__code", "student__name_key", "pk")
    )
    results: dict[int, TermResult] = {}
    for result in TermResult.objects.filter(
        school_id=report.school_id,
        school_year=report.school_year,
        student_id__in=[g.student_id for g in grants],
    ).order_by("semester"):
        results[result.student_id] = result  # the latest semester wins
    by_programme: dict[int, ProgrammeLine] = {}
    for grant in grants:
        first = max(grant.starts_on, starts_on)
        last = min(grant.ends_on or ends_on, ends_on, report.dated)
        data.lines.append(
            GrantLine(grant, months_received(first, last, cap), results.get(grant.student_id))
        )
        programme = grant.student.cohort.programme
        line = by_programme.setdefault(programme.pk, ProgrammeLine(programme))
        line.supported += 1
        if grant.ends_on is not None and grant.ends_on <= ends_on:
            line.stopped += 1
    data.cases = list(
        RepaymentCase.objects.filter(
            school_id=report.school_id, happened_on__gte=starts_on, happened_on__lte=ends_on
        )
        .select_related("student__cohort__programme", "rule")
        .order_by("happened_on", "pk")
    )
    counted: dict[int, set[int]] = defaultdict(set)
    for case in data.cases:
        programme = case.student.cohort.programme
        line = by_programme.setdefault(programme.pk, ProgrammeLine(programme))
        if case.student_id not in counted[programme.pk]:
            counted[programme.pk].add(case.student_id)
            line.cases += 1
    data.programmes = sorted(
        by_programme.values(), key=lambda p: (p.programme.level, p.programme.code)
    )
    return data
