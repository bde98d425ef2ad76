"""What a body above the schools (the Sở) has waiting on its home page: the report requests
still open, soonest deadline first, with how many schools have submitted. A fixed number of
queries, whatever the number of requests or schools."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F

from province.reporting import requests_of

SHOWN = 5


@dataclass
class OpenRequests:
    rows: list[Any] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def open_requests(body_id: int, *, on: dt.date) -> OpenRequests:
    """The requests some school has not answered yet, soonest deadline first: those past their
    deadline (schools late) as well as those still running."""
    counted: Any = requests_of(body_id)  # annotated with school_count and submitted_count
    waiting = counted.filter(submitted_count__lt=F("school_count")).order_by("deadline", "pk")
    rows: list[Any] = list(waiting[:SHOWN])
    for row in rows:
        row.late = row.deadline < on
    return OpenRequests(rows=rows, total=waiting.count())
