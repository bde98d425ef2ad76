"""What closing a conference will do, read before the secretary confirms it.

Closing numbers the opinions not yet numbered, freezes the roll and stops new opinions, ballots
and self check-in; the papers can then be numbered. The preview counts all of it, names who is
affected, lists the problems found, and says how it can be undone. Its fingerprint goes with the
confirmation, so a close confirmed on figures that changed meanwhile is shown again instead.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from conferences.models import (
    Attendance,
    Conference,
    ConferenceStatus,
    VoteStatus,
)
from conferences.quorum import QuorumState, quorum

# At most this many names are listed per kind of person affected; the rest are counted.
NAMES_SHOWN = 30


@dataclass
class ClosingPreview:
    quorum: QuorumState
    unmarked_names: list[str]
    absent_without_reason: list[str]
    absent_without_reason_count: int
    opinions: int
    to_number: int
    unanswered: int
    open_votes: list[str]
    draft_votes: list[str]
    resolution_passed: bool | None  # None: no resolution put to the vote
    problems: list[str] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        """Changes when any figure the secretary confirmed on changes."""
        state = self.quorum
        raw = "|".join(
            str(x)
            for x in (
                state.summoned, state.present, state.absent, state.unmarked,
                self.absent_without_reason_count, self.opinions,
                self.to_number, self.unanswered, len(self.open_votes), len(self.draft_votes),
                self.resolution_passed,
            )
        )  # fmt: skip
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _names(rows: list[str]) -> list[str]:
    return rows[:NAMES_SHOWN]


def closing_preview(conference: Conference) -> ClosingPreview:
    """A fixed number of queries whatever the size of the conference."""
    state = quorum(conference)
    counted = conference.invitations.active().filter(
        group__counts_for_quorum=True, group__archived_at__isnull=True
    )
    unmarked = [
        i.display_name
        for i in counted.filter(attendance=Attendance.UNKNOWN)
        .select_related("person")
        .order_by("person__sort_key", "name")[:NAMES_SHOWN]
    ]
    no_reason = counted.filter(attendance=Attendance.ABSENT, absence_reason="")
    absent_no_reason = [
        i.display_name
        for i in no_reason.select_related("person").order_by("person__sort_key", "name")[
            :NAMES_SHOWN
        ]
    ]
    opinions = conference.opinions.active().aggregate(
        total=Count("pk"),
        to_number=Count("pk", filter=Q(number__isnull=True)),
        unanswered=Count("pk", filter=Q(merged_into__isnull=True, answer_kind="")),
    )
    votes = list(conference.vote_items.active().order_by("order", "pk"))
    open_votes = [v.title for v in votes if v.status == VoteStatus.OPEN]
    draft_votes = [v.title for v in votes if v.status == VoteStatus.DRAFT]
    resolutions = [v for v in votes if v.is_resolution and v.status == VoteStatus.CLOSED]
    resolution_passed = any(bool(v.passed) for v in resolutions) if resolutions else None
    preview = ClosingPreview(
        quorum=state,
        unmarked_names=unmarked,
        absent_without_reason=absent_no_reason,
        absent_without_reason_count=no_reason.count() if absent_no_reason else 0,
        opinions=opinions["total"],
        to_number=opinions["to_number"],
        unanswered=opinions["unanswered"],
        open_votes=open_votes,
        draft_votes=draft_votes,
        resolution_passed=resolution_passed,
    )
    preview.problems = _problems(conference, preview)
    return preview


def _problems(conference: Conference, preview: ClosingPreview) -> list[str]:
    state = preview.quorum
    problems: list[str] = []
    if conference.status == ConferenceStatus.PREPARING:
        problems.append(_("Hội nghị chưa họp (đang chuẩn bị)."))
    if state.summoned == 0:
        problems.append(_("Chưa triệu tập ai."))
    elif not state.reached:
        problems.append(
            _("Chưa đủ túc số: có mặt %(present)s/%(summoned)s, cần ít nhất %(needed)s.")
            % {"present": state.present, "summoned": state.summoned, "needed": state.needed}
        )
    if state.unmarked:
        problems.append(
            _(
                "%(n)s người chưa được điểm danh: sau khi kết thúc, biên bản ghi họ là chưa "
                "điểm danh và không sửa được nữa."
            )
            % {"n": state.unmarked}
        )
    if preview.absent_without_reason_count:
        problems.append(
            _("%(n)s người vắng chưa ghi lý do.") % {"n": preview.absent_without_reason_count}
        )
    for title in preview.open_votes:
        problems.append(
            _("Biểu quyết “%(title)s” đang mở: hãy kết thúc trước, sau khi đóng hội nghị "
              "không ai bỏ phiếu được nữa.")
            % {"title": title}
        )  # fmt: skip
    for title in preview.draft_votes:
        problems.append(_("Nội dung “%(title)s” chưa được biểu quyết.") % {"title": title})
    if preview.resolution_passed is None:
        problems.append(_("Chưa biểu quyết thông qua nghị quyết hội nghị."))
    elif not preview.resolution_passed:
        problems.append(_("Nghị quyết hội nghị không được thông qua."))
    return problems
