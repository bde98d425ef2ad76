"""The school's today: the one place services, views, commands and the worker read the clock."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """The local date in the site's time zone (Asia/Ho_Chi_Minh)."""
    return timezone.localdate()


def school_year_of(day: dt.date, *, opens_in: int = 9) -> int:
    """The school year a day falls in, by its first calendar year: a plan's year runs from 1/9 to
    31/8 (planning.Plan.starts_on, ends_on). `opens_in=8` counts August towards the coming year,
    for what is prepared before it opens (an emulation campaign, a merger between two years)."""
    return day.year if day.month >= opens_in else day.year - 1
