"""What a body above the school (a Sở's province dashboard, tracking.summaries) reads of the
students: the latest intake's enrolment against its quota, and the retention of the cohorts that
have started. Figures only, for many schools at once in a fixed number of queries (read across
the schools asked for on purpose: the dashboard passes the schools its body directs)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Max
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from core.text import format_number
from students import figures
from students.models import Cohort, EnrolmentCount, share
from tracking.summaries import Figure, Summary


def enrolment_fill(school_ids: Sequence[int], today: dt.date) -> dict[int, Figure]:
    """Each school's latest intake year counted by `today`: enrolled ÷ quota over its programmes."""
    with scopes_disabled():
        latest = list(
            EnrolmentCount.objects.filter(
                intake__programme__school_id__in=list(school_ids),
                intake__programme__archived_at__isnull=True,
                counted_on__lte=today,
            )
            .values("intake_id", "intake__year", "intake__quota", "intake__programme__school_id")
            .annotate(last=Max("counted_on"))
            .order_by()
        )
        wanted = {row["intake_id"]: row["last"] for row in latest}
        enrolled = {
            intake_id: number
            for intake_id, day, number in EnrolmentCount.objects.filter(
                intake_id__in=list(wanted)
            ).values_list("intake_id", "counted_on", "enrolled")
            if wanted[intake_id] == day
        }
    year_of: dict[int, int] = {}
    for row in latest:
        school_id = row["intake__programme__school_id"]
        year_of[school_id] = max(year_of.get(school_id, 0), row["intake__year"])
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in latest:
        school_id = row["intake__programme__school_id"]
        if row["intake__year"] == year_of[school_id]:
            sums[school_id][0] += row["intake__quota"]
            sums[school_id][1] += enrolled.get(row["intake_id"], 0)
    found = {}
    for school_id, (quota, number) in sums.items():
        value = share(number, quota)
        if value is not None:
            found[school_id] = Figure(f"{format_number(value)}% ({year_of[school_id]})")
    return found


def retention(school_ids: Sequence[int], today: dt.date) -> dict[int, Figure]:
    """Students of the cohorts started by `today` still enrolled or graduated ÷ those who entered."""
    with scopes_disabled():
        cohorts = list(
            Cohort.objects.active().filter(school_id__in=list(school_ids), starts_on__lte=today)
        )
        roll = figures.Roll(cohorts)
    entered: dict[int, int] = defaultdict(int)
    kept: dict[int, int] = defaultdict(int)
    for cohort in cohorts:
        entered[cohort.school_id] += roll.entered(cohort.pk)
        kept[cohort.school_id] += figures.retained(roll.counts(cohort.pk, today))
    found = {}
    for school_id, number in entered.items():
        value = share(kept[school_id], number)
        if value is not None:
            found[school_id] = Figure(f"{format_number(value)}%")
    return found


ENROLMENT = Summary("enrolment_fill", _("Nhập học so với chỉ tiêu"), enrolment_fill, order=10)
RETENTION = Summary("retention", _("Duy trì sĩ số"), retention, order=20)
