"""What a body above the school (a Sở's province dashboard, tracking.summaries) reads of its
emulation: the titles of its latest decision (quyết định công nhận), counted by title. Figures
only, never a name; for many schools at once in one query (across the schools asked for on
purpose: the dashboard passes the schools its body directs)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from core.text import school_year_label
from emulation.engine import Title
from emulation.models import Decision
from tracking.summaries import Figure, Summary

# The titles in the order they are read out (individuals, then collectives).
ORDER = [title.value for title in Title]


def results(school_ids: Sequence[int], today: dt.date) -> dict[int, Figure]:
    """Each school's latest decision by `today`: "2023–2024: 40 LĐTT, 6 CSTĐCS, 5 TTLĐTT"."""
    found: dict[int, Figure] = {}
    with scopes_disabled():
        decisions = (
            Decision.objects.filter(
                campaign__school_id__in=list(school_ids),
                campaign__archived_at__isnull=True,
                decided_on__lte=today,
            )
            .order_by("campaign__school_id", "-campaign__start_year", "-decided_on", "-pk")
            .values_list("campaign__school_id", "campaign__start_year", "snapshot__counts")
        )
        for school_id, start_year, counts in decisions:
            if school_id is None or school_id in found:
                continue
            counts = counts if isinstance(counts, dict) else {}
            named = sorted(
                ((title, n) for title, n in counts.items() if n),
                key=lambda item: (ORDER.index(item[0]) if item[0] in ORDER else 99, item[0]),
            )
            text = ", ".join(f"{n} {title}" for title, n in named) or str(_("không có danh hiệu"))
            found[school_id] = Figure(f"{school_year_label(start_year)}: {text}")
    return found


RESULTS = Summary("emulation", _("Kết quả thi đua (quyết định gần nhất)"), results, order=30)
