"""The live quorum: who is summoned and present, against the conference kind's rule."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from conferences.models import Attendance, Conference


@dataclass(frozen=True)
class QuorumState:
    summoned: int
    present: int
    absent: int
    unmarked: int
    needed: int
    rule: str
    others_present: int  # guests and others outside the quorum

    @property
    def reached(self) -> bool:
        return self.summoned > 0 and self.present >= self.needed

    @property
    def percent(self) -> int:
        return round(100 * self.present / self.summoned) if self.summoned else 0


def quorum(conference: Conference) -> QuorumState:
    """Who is summoned and present, against the kind's quorum rule, in one query."""
    counted = Q(group__counts_for_quorum=True, group__archived_at__isnull=True)
    totals = conference.invitations.active().aggregate(
        summoned=Count("pk", filter=counted),
        present=Count("pk", filter=counted & Q(attendance=Attendance.PRESENT)),
        absent=Count("pk", filter=counted & Q(attendance=Attendance.ABSENT)),
        others_present=Count("pk", filter=~counted & Q(attendance=Attendance.PRESENT)),
    )
    kind = conference.kind
    summoned = totals["summoned"]
    return QuorumState(
        summoned=summoned,
        present=totals["present"],
        absent=totals["absent"],
        unmarked=summoned - totals["present"] - totals["absent"],
        needed=kind.quorum_needed(summoned),
        rule=kind.quorum_label,
        others_present=totals["others_present"],
    )
