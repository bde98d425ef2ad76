"""A school's summary figures read by a body above it (a Sở's province dashboard): a domain that
counts something about a school (students: enrolment against quota, retention; emulation: the
year's titles) registers a `Summary` here from its `AppConfig.ready()`, and the dashboard asks
each one for every school it shows, without knowing those domains (docs/ARCHITECTURE.md,
"Registries").

A summary answers for many schools at once, in a fixed number of queries whatever their number,
one short text per school (a school it has nothing for is left out: the page shows "—"). What it
says is a figure, never a person or a draft: the body above sees numbers only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Figure:
    """One school's value as shown, and whether it calls for attention (shown in red)."""

    text: str
    alert: bool = False


# (school ids, today) → the figure of each school that has one
Compute = Callable[[Sequence[int], dt.date], dict[int, Figure]]


@dataclass(frozen=True)
class Summary:
    key: str
    label: str | Promise
    compute: Compute
    order: int = 100


_summaries: dict[str, Summary] = {}


def register(summary: Summary) -> Summary:
    """Announce a summary (from an app's `ready()`); registering it again replaces it."""
    _summaries[summary.key] = summary
    return summary


def summaries() -> list[Summary]:
    return sorted(_summaries.values(), key=lambda s: (s.order, s.key))


def compute_all(school_ids: Sequence[int], today: dt.date) -> dict[str, dict[int, Figure]]:
    """Every registered summary's figures for those schools, by the summary's key."""
    ids = sorted(set(school_ids))
    return {s.key: (s.compute(ids, today) if ids else {}) for s in summaries()}
