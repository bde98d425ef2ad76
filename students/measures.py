"""The figures a plan target can be measured by, by key: each answers (value, day of the count,
link to the figures page) for a school, optionally a programme and a year. The students app
registers its own here; an app above it (residence: dormitory occupancy, declaration rate)
registers its figures the same way from its `ready()` and calls `students.feeds.refresh` when
its data change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from students import figures
from students.models import LEAVING, Cohort, EnrolmentCount, Programme, StatusChange, share


@dataclass(frozen=True)
class Measured:
    value: Decimal
    day: dt.date
    url: str


# (school id, programme or None, year or None, today) → the figure, None when nothing is counted
Compute = Callable[[int, Programme | None, int | None, dt.date], Measured | None]


@dataclass(frozen=True)
class Measure:
    key: str
    label: str | Promise
    unit: str | Promise
    compute: Compute
    page: str  # the URL name of the page showing the figure
    uses_programme: bool = True
    year: str | Promise = ""  # what the year means for this figure ("" when it takes none)


_measures: dict[str, Measure] = {}


def register(measure: Measure) -> Measure:
    _measures[measure.key] = measure
    return measure


def get(key: str) -> Measure | None:
    return _measures.get(key)


def all_measures() -> list[Measure]:
    return list(_measures.values())


def _cohorts(school_id: int, programme: Programme | None, year: int | None) -> list[Cohort]:
    cohorts = Cohort.objects.active().filter(school_id=school_id).select_related("programme")
    if programme is not None:
        cohorts = cohorts.filter(programme=programme)
    if year is not None:
        cohorts = cohorts.filter(intake_year=year)
    return list(cohorts)


def _counts(
    school_id: int, programme: Programme | None, year: int | None
) -> tuple[int, int, dt.date] | None:
    """(quota, enrolled, day of the latest count) of the year's intakes that were counted."""
    if year is None:
        return None
    latest = (
        EnrolmentCount.objects.filter(intake__programme__school_id=school_id, intake__year=year)
        .filter(intake__programme__archived_at__isnull=True)
        .values("intake_id")
        .annotate(last=Max("counted_on"))
    )
    if programme is not None:
        latest = latest.filter(intake__programme=programme)
    last = {row["intake_id"]: row["last"] for row in latest}
    if not last:
        return None
    rows = EnrolmentCount.objects.filter(intake_id__in=last).values_list(
        "intake_id", "counted_on", "enrolled", "intake__quota"
    )
    quota = enrolled = 0
    for intake_id, day, number, intake_quota in rows:
        if last[intake_id] == day:
            quota += intake_quota
            enrolled += number
    return quota, enrolled, max(last.values())


def enrolment_fill(
    school_id: int, programme: Programme | None, year: int | None, today: dt.date
) -> Measured | None:
    counted = _counts(school_id, programme, year)
    if counted is None or not counted[0]:
        return None
    quota, enrolled, day = counted
    value = share(enrolled, quota)
    assert value is not None
    return Measured(value, day, reverse("students:enrolment"))


def enrolled(
    school_id: int, programme: Programme | None, year: int | None, today: dt.date
) -> Measured | None:
    counted = _counts(school_id, programme, year)
    if counted is None:
        return None
    return Measured(Decimal(counted[1]), counted[2], reverse("students:enrolment"))


def retention(
    school_id: int, programme: Programme | None, year: int | None, today: dt.date
) -> Measured | None:
    """Share of the students who entered the year's cohorts still enrolled or graduated."""
    cohorts = [c for c in _cohorts(school_id, programme, year) if c.starts_on <= today]
    roll = figures.Roll(cohorts)
    entered = sum(roll.entered(c.pk) for c in cohorts)
    kept = sum(figures.retained(roll.counts(c.pk, today)) for c in cohorts)
    value = share(kept, entered)
    return None if value is None else Measured(value, today, reverse("students:retention"))


def dropout_rate(
    school_id: int, programme: Programme | None, year: int | None, today: dt.date
) -> Measured | None:
    """Students who left for good during school year `year` (1/9 to 31/8) over those enrolled
    in it (enrolled on its first day, or entered during it)."""
    if year is None:
        return None
    start, end = dt.date(year, 9, 1), dt.date(year + 1, 8, 31)
    day = min(end, today)
    if day < start:
        return None
    cohorts = [c for c in _cohorts(school_id, programme, None) if c.starts_on <= day]
    roll = figures.Roll(cohorts)
    base = 0
    for cohort in cohorts:
        before = start - dt.timedelta(days=1)
        counts = roll.counts(cohort.pk, before)
        base += sum(counts[s] for s in figures.STILL_ENROLLED)
        base += roll.entered(cohort.pk, day) - roll.entered(cohort.pk, before)
    left = (
        StatusChange.objects.filter(
            student__cohort__in=cohorts, student__archived_at__isnull=True, kind__in=LEAVING,
            happened_on__gte=start, happened_on__lte=day,
        ).count()
    )  # fmt: skip
    value = share(left, base)
    return None if value is None else Measured(value, day, reverse("students:dropout"))


def scale(
    school_id: int, programme: Programme | None, year: int | None, today: dt.date
) -> Measured | None:
    cohorts = _cohorts(school_id, programme, None)
    _years, rows = figures.scale(cohorts, today)
    return Measured(Decimal(sum(r.total for r in rows)), today, reverse("students:home"))


for _measure in (
    Measure("enrolment_fill", _("Tỷ lệ nhập học so với chỉ tiêu"), "%", enrolment_fill, "students:enrolment",
            year=_("năm tuyển sinh")),
    Measure("enrolled", _("Số nhập học"), _("người"), enrolled, "students:enrolment", year=_("năm tuyển sinh")),
    Measure("retention", _("Tỷ lệ duy trì sĩ số của khóa"), "%", retention, "students:retention", year=_("khóa (năm nhập học)")),
    Measure("dropout_rate", _("Tỷ lệ bỏ học, thôi học trong năm học"), "%", dropout_rate, "students:dropout",
            year=_("năm học (năm bắt đầu)")),
    Measure("scale", _("Quy mô đào tạo (đang theo học)"), _("người"), scale, "students:home"),
):  # fmt: skip
    register(_measure)
