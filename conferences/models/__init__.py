"""Conferences: the hall (kinds, invitees, agenda, attendance), opinions, votes and their outcomes.

Links to the plan live here, never in planning's models: an opinion or a conclusion points to
the task it became.
"""

from conferences.models.hall import (
    AgendaItem,
    AgendaKind,
    Attendance,
    Conference,
    ConferenceChair,
    ConferenceKind,
    ConferenceKindQuerySet,
    ConferenceStatus,
    Invitation,
    InviteeGroup,
    PassBase,
)
from conferences.models.opinions import (
    AnswerKind,
    Ballot,
    BallotBox,
    BallotCast,
    Opinion,
    OpinionHistory,
    OpinionQuerySet,
    VoteChoice,
    VoteItem,
    VoteMethod,
    VoteStatus,
)
from conferences.models.outcomes import (
    Conclusion,
    EmulationLaunch,
    EmulationPledge,
    Photo,
    photo_upload_to,
)
from conferences.models.reopenings import ConferenceReopening

__all__ = [
    "AgendaItem",
    "AgendaKind",
    "AnswerKind",
    "Attendance",
    "Ballot",
    "BallotBox",
    "BallotCast",
    "Conclusion",
    "Conference",
    "ConferenceChair",
    "ConferenceKind",
    "ConferenceKindQuerySet",
    "ConferenceReopening",
    "ConferenceStatus",
    "EmulationLaunch",
    "EmulationPledge",
    "Invitation",
    "InviteeGroup",
    "Opinion",
    "OpinionHistory",
    "OpinionQuerySet",
    "PassBase",
    "Photo",
    "VoteChoice",
    "VoteItem",
    "VoteMethod",
    "VoteStatus",
    "photo_upload_to",
]
