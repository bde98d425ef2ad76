"""The figures the students pages show, read with a fixed number of queries whatever the number
of students: enrolment against quota with the three-year average, the cohort × term matrix of
headcount and retention, dropout by reason, programme and year of study, the training scale.

A student's status on a day is the status their latest change on or before that day left them
in (studying when none). `Roll` reads a school's (or some cohorts') entries and changes once and
answers for any day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count

from students.models import (
    LEAVING,
    STATUS_AFTER,
    Benchmark,
    Cohort,
    EnrolmentCount,
    Intake,
    Level,
    Programme,
    Reason,
    Status,
    StatusChange,
    Student,
    share,
)

STILL_ENROLLED = (Status.STUDYING, Status.SUSPENDED, Status.DEFERRED)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError  # pragma: no cover


def term_end(cohort: Cohort, term: int) -> dt.date:
    """The last day of the cohort's `term`-th semester (two a year from its start)."""
    return add_months(cohort.starts_on, 6 * term) - dt.timedelta(days=1)


def term_label(term: int) -> str:
    return f"HK{2 - term % 2} năm {(term + 1) // 2}"


def year_of_study(starts_on: dt.date, day: dt.date) -> int:
    months = (day.year - starts_on.year) * 12 + day.month - starts_on.month
    if day.day < starts_on.day:
        months -= 1
    return max(months // 12 + 1, 1)


# Enrolment against quota --------------------------------------------------------------------


@dataclass
class IntakeRow:
    intake: Intake
    counted_on: dt.date | None
    applications: int | None
    admitted: int | None
    enrolled: int | None

    @property
    def filled(self) -> Decimal | None:
        return None if self.enrolled is None else share(self.enrolled, self.intake.quota)


@dataclass
class ProgrammeEnrolment:
    programme: Programme
    years: dict[int, IntakeRow] = field(default_factory=dict)
    average: Decimal | None = None
    averaged_years: list[int] = field(default_factory=list)
    below: bool = False


@dataclass
class EnrolmentTable:
    years: list[int]
    rows: list[ProgrammeEnrolment]
    benchmark: Benchmark | None
    total: dict[int, IntakeRow | Any]
    average: Decimal | None
    averaged_years: list[int]
    below: bool


def _average(rows: Sequence[IntakeRow]) -> Decimal | None:
    shares = [r.filled for r in rows if r.filled is not None]
    if not shares:
        return None
    return (sum(shares, Decimal(0)) / len(shares)).quantize(Decimal("0.1"))


def enrolment_table(school_id: int, day: dt.date) -> EnrolmentTable:
    """Every programme's intakes with their latest count, the share of the quota filled and its
    average over the benchmark's number of years (the latest intakes with a count)."""
    benchmark = Benchmark.in_force(Benchmark.ENROLMENT_FILL, day, school_id)
    span = benchmark.years if benchmark else 3
    intakes = (
        Intake.objects.filter(programme__school_id=school_id, programme__archived_at__isnull=True)
        .select_related("programme")
        .order_by("programme__level", "programme__code", "programme_id", "year")
    )
    # Each intake's latest count, read in one pass over the school's counts (four correlated
    # subqueries per intake took 100 ms for a university's 300 intakes).
    latest: dict[int, tuple[dt.date, int, int, int]] = {}
    for intake_id, *count in (
        EnrolmentCount.objects.filter(
            intake__programme__school_id=school_id, intake__programme__archived_at__isnull=True
        )
        .order_by("counted_on", "pk")
        .values_list("intake_id", "counted_on", "applications", "admitted", "enrolled")
    ):
        latest[intake_id] = tuple(count)  # type: ignore[assignment]  # four values as read
    by_programme: dict[int, ProgrammeEnrolment] = {}
    years: set[int] = set()
    for intake in intakes:
        found = latest.get(intake.pk)
        row = IntakeRow(intake, *found) if found else IntakeRow(intake, None, None, None, None)
        entry = by_programme.setdefault(intake.programme_id, ProgrammeEnrolment(intake.programme))
        entry.years[intake.year] = row
        years.add(intake.year)
    minimum = benchmark.minimum if benchmark else None
    totals: dict[int, Any] = {}
    for year in sorted(years):
        rows = [p.years[year] for p in by_programme.values() if year in p.years]
        counted = [r for r in rows if r.enrolled is not None]
        quota = sum(r.intake.quota for r in counted)
        enrolled = sum(r.enrolled or 0 for r in counted)
        totals[year] = {
            "quota": sum(r.intake.quota for r in rows),
            "applications": sum(r.applications or 0 for r in counted),
            "admitted": sum(r.admitted or 0 for r in counted),
            "enrolled": enrolled,
            "filled": share(enrolled, quota) if counted else None,
        }
    for entry in by_programme.values():
        counted = [r for _y, r in sorted(entry.years.items()) if r.enrolled is not None][-span:]
        entry.averaged_years = [r.intake.year for r in counted]
        entry.average = _average(counted)
        entry.below = bool(
            minimum is not None and entry.average is not None and entry.average < minimum
        )
    school_years = [y for y in sorted(years) if totals[y]["filled"] is not None][-span:]
    school_shares = [totals[y]["filled"] for y in school_years]
    average = (
        (sum(school_shares, Decimal(0)) / len(school_shares)).quantize(Decimal("0.1"))
        if school_shares
        else None
    )
    return EnrolmentTable(
        years=sorted(years),
        rows=list(by_programme.values()),
        benchmark=benchmark,
        total=totals,
        average=average,
        averaged_years=school_years,
        below=bool(minimum is not None and average is not None and average < minimum),
    )


# The roll: status on any day -----------------------------------------------------------------


class Roll:
    """Entries and changes of some cohorts, read in two queries, answering for any day."""

    def __init__(self, cohorts: Iterable[Cohort]) -> None:
        self.cohorts = {c.pk: c for c in cohorts}
        ids = list(self.cohorts)
        self.entries: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
        for cohort_id, entered_on, number in (
            Student.objects.active()
            .filter(cohort_id__in=ids)
            .values_list("cohort_id", "entered_on")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            self.entries[cohort_id].append((entered_on, number))
        # (cohort, student) -> [(day, kind, reason)] in date order
        self.changes: dict[int, dict[int, list[tuple[dt.date, str, str]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for student_id, cohort_id, kind, day, reason in (
            StatusChange.objects.filter(
                student__cohort_id__in=ids, student__archived_at__isnull=True
            )
            .values_list("student_id", "student__cohort_id", "kind", "happened_on", "reason")
            .order_by("happened_on", "pk")
        ):
            self.changes[cohort_id][student_id].append((day, kind, reason))

    def entered(self, cohort_id: int, day: dt.date | None = None) -> int:
        return sum(n for on, n in self.entries.get(cohort_id, []) if day is None or on <= day)

    def counts(self, cohort_id: int, day: dt.date) -> Counter[str]:
        """How many of the cohort's students stand in each status on `day`."""
        return self.counts_on(cohort_id, [day])[0]

    def counts_on(self, cohort_id: int, days: Sequence[dt.date]) -> list[Counter[str]]:
        """`counts` on each of `days`, walking each student's changes once for all of them (a
        university's matrix is 600 classes × 9 days over 300 000 changes)."""
        order = sorted(range(len(days)), key=days.__getitem__)
        found: list[Counter[str]] = [Counter() for _day in days]
        moved = [0] * len(days)
        for changes in self.changes.get(cohort_id, {}).values():
            status: str | None = None
            k, last = 0, len(changes)
            for index in order:
                day = days[index]
                while k < last and changes[k][0] <= day:
                    status = STATUS_AFTER[changes[k][1]]
                    k += 1
                if status is not None and status != Status.STUDYING:
                    found[index][status] += 1
                    moved[index] += 1
        for index, day in enumerate(days):
            found[index][Status.STUDYING] = self.entered(cohort_id, day) - moved[index]
        return found


@dataclass
class Cell:
    term: int
    day: dt.date
    studying: int
    retained: int
    retention: Decimal | None


@dataclass
class CohortLine:
    cohort: Cohort
    entered: int
    cells: list[Cell | None]
    now: Counter[str]
    retention_now: Decimal | None


def retained(counts: Counter[str]) -> int:
    """Still enrolled (studying, suspended or deferred) or graduated."""
    return sum(counts[s] for s in STILL_ENROLLED) + counts[Status.GRADUATED]


def retention_matrix(cohorts: Sequence[Cohort], day: dt.date) -> tuple[list[int], list[CohortLine]]:
    """Each cohort's headcount (studying) and retention at the end of each of its terms that has
    begun by `day` (the running term is counted on `day`)."""
    roll = Roll(cohorts)
    width = max((c.terms for c in cohorts), default=0)
    lines = []
    for cohort in cohorts:
        entered = roll.entered(cohort.pk)
        terms: list[int] = []
        days: list[dt.date] = []
        for term in range(1, min(width, cohort.terms) + 1):
            begins = term_end(cohort, term - 1) + dt.timedelta(days=1)
            if begins > day:
                break
            terms.append(term)
            days.append(min(term_end(cohort, term), day))
        *counted, now = roll.counts_on(cohort.pk, [*days, day])
        cells: list[Cell | None] = [None] * width
        for term, on, counts in zip(terms, days, counted, strict=True):
            kept = retained(counts)
            cells[term - 1] = Cell(term, on, counts[Status.STUDYING], kept, share(kept, entered))
        lines.append(CohortLine(cohort, entered, cells, now, share(retained(now), entered)))
    return list(range(1, width + 1)), lines


# Dropout -------------------------------------------------------------------------------------


@dataclass
class Dropout:
    reasons: list[tuple[str, str]]
    programmes: list[Programme]
    by_reason: dict[tuple[int, str], int]  # (programme, reason) -> students
    by_year: dict[tuple[int, int], int]  # (programme, year of study) -> students
    years: list[int]
    entered: dict[int, int]  # programme -> students entered
    total_by_reason: Counter[str]
    total: int

    def rate(self, programme_id: int) -> Decimal | None:
        left = sum(n for (p, _r), n in self.by_reason.items() if p == programme_id)
        return share(left, self.entered.get(programme_id, 0))


def dropout(school_id: int, since: dt.date | None = None, until: dt.date | None = None) -> Dropout:
    """Students who left (thôi học, buộc thôi học, chuyển trường, chuyển ngành) by reason and
    programme, and by year of study at the time they left."""
    changes = StatusChange.objects.filter(
        student__school_id=school_id, student__archived_at__isnull=True, kind__in=LEAVING
    )
    if since:
        changes = changes.filter(happened_on__gte=since)
    if until:
        changes = changes.filter(happened_on__lte=until)
    by_reason: Counter[tuple[int, str]] = Counter()
    by_year: Counter[tuple[int, int]] = Counter()
    for programme_id, reason, day, starts_on in changes.values_list(
        "student__cohort__programme_id", "reason", "happened_on", "student__cohort__starts_on"
    ).order_by():
        by_reason[(programme_id, reason)] += 1
        by_year[(programme_id, year_of_study(starts_on, day))] += 1
    entered = dict(
        Student.objects.active()
        .filter(school_id=school_id)
        .values_list("cohort__programme_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    programme_ids = {p for p, _r in by_reason} | set(entered)
    programmes = list(Programme.objects.filter(pk__in=programme_ids).order_by("level", "code"))
    total_by_reason: Counter[str] = Counter()
    for (_p, reason), n in by_reason.items():
        total_by_reason[reason] += n
    return Dropout(
        reasons=[(value, str(label)) for value, label in Reason.choices if total_by_reason[value]],
        programmes=programmes,
        by_reason=dict(by_reason),
        by_year=dict(by_year),
        years=sorted({y for _p, y in by_year}) or [1],
        entered=entered,
        total_by_reason=total_by_reason,
        total=sum(by_reason.values()),
    )


# Training scale ------------------------------------------------------------------------------


@dataclass
class ScaleRow:
    level: str
    label: str
    programme: Programme | None
    by_year: dict[int, int]

    @property
    def total(self) -> int:
        return sum(self.by_year.values())


def scale(cohorts: Sequence[Cohort], day: dt.date) -> tuple[list[int], list[ScaleRow]]:
    """Students still enrolled on `day` by programme (under its level) and year of study."""
    roll = Roll(cohorts)
    rows: dict[int, ScaleRow] = {}
    years: set[int] = set()
    for cohort in cohorts:
        if cohort.starts_on > day:
            continue
        counts = roll.counts(cohort.pk, day)
        enrolled = sum(counts[s] for s in STILL_ENROLLED)
        if not enrolled:
            continue
        year = year_of_study(cohort.starts_on, day)
        years.add(year)
        programme = cohort.programme
        row = rows.setdefault(
            programme.pk, ScaleRow(programme.level, str(programme), programme, defaultdict(int))
        )
        row.by_year[year] += enrolled
    ordered = sorted(rows.values(), key=lambda r: (list(Level.values).index(r.level), r.label))
    return sorted(years), ordered


def scale_over_years(
    cohorts: Sequence[Cohort], days: Sequence[dt.date]
) -> list[tuple[dt.date, dict[str, int]]]:
    """The school's students still enrolled on each day, by level."""
    roll = Roll(cohorts)
    levels: list[dict[str, int]] = [defaultdict(int) for _day in days]
    for cohort in cohorts:
        begun = [index for index, day in enumerate(days) if cohort.starts_on <= day]
        for index, counts in zip(
            begun, roll.counts_on(cohort.pk, [days[i] for i in begun]), strict=True
        ):
            levels[index][cohort.programme.level] += sum(counts[s] for s in STILL_ENROLLED)
    return [(day, dict(by_level)) for day, by_level in zip(days, levels, strict=True)]
