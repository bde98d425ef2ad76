"""Questions a person asks of the conferences on their home page ("Việc của tôi"): which
conference is in session now, which opinions wait for leadership's answer. A fixed number of
queries each, through the request's scope."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from conferences.models import AnswerKind, Conference, ConferenceStatus, Opinion
from planning.queries import LIST_LIMIT, TaskList


def conferences_now(*, on: dt.date) -> list[Conference]:
    """Conferences in session, and those held today that are not over (one query)."""
    return list(
        Conference.objects.active()
        .filter(
            Q(status=ConferenceStatus.IN_SESSION) | Q(held_on=on, status=ConferenceStatus.PREPARING)
        )
        .order_by("held_on", "starts_at", "pk")[:LIST_LIMIT]
    )


def opinions_to_answer(*, limit: int = LIST_LIMIT) -> TaskList:
    """Opinions (not merged into another) that no one has answered yet, oldest conference first
    (two queries)."""
    waiting = Opinion.objects.main().filter(
        answer_kind=AnswerKind.PENDING, conference__archived_at__isnull=True
    )
    rows = list(
        waiting.select_related("conference").order_by("conference__held_on", "number", "id")[:limit]
    )
    return TaskList(rows, waiting.count())
