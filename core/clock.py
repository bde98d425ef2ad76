"""The school's today: the one place services, views, commands and the worker read the clock."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """The local date in the site's time zone (Asia/Ho_Chi_Minh)."""
    return timezone.localdate()
