"""Emulation's models: the dated rule sets (`rule_sets`), the campaign with its council and units
(`campaigns`), the year's cycle per person and unit (`cycle`), the council's secret ballot and
the appeals (`council`), the principal's decision and the bonus scales (`decisions`), and what
lasts beyond one campaign (`records`)."""

from emulation.models.campaigns import (
    TITLE_CHOICES,
    Campaign,
    CampaignStatus,
    CampaignTarget,
    CampaignUnit,
    CouncilBase,
    CouncilMember,
    CouncilRole,
)
from emulation.models.council import (
    ITEM_ORDER,
    Appeal,
    AppealStatus,
    CouncilBallot,
    CouncilBallotBox,
    CouncilBallotCast,
    CouncilItem,
    CouncilVote,
    ItemKind,
    VoteStatus,
)
from emulation.models.cycle import (
    DISCIPLINE_CHOICES,
    LEVEL_CHOICES,
    STAGE_ORDER,
    Evaluation,
    Registration,
    RegistrationStatus,
    ReviewStep,
    Stage,
)
from emulation.models.decisions import BaseSalary, BonusScale, Decision
from emulation.models.records import (
    SCOPE_CHOICES,
    Initiative,
    InitiativeAuthor,
    InitiativeKind,
    TitleHistory,
    TitleSource,
)
from emulation.models.rule_sets import NATIONAL_ONLY, SCHOOL_STRICTER, RuleSet

__all__ = [
    "DISCIPLINE_CHOICES",
    "ITEM_ORDER",
    "LEVEL_CHOICES",
    "NATIONAL_ONLY",
    "SCHOOL_STRICTER",
    "SCOPE_CHOICES",
    "STAGE_ORDER",
    "TITLE_CHOICES",
    "Appeal",
    "AppealStatus",
    "BaseSalary",
    "BonusScale",
    "Campaign",
    "CampaignStatus",
    "CampaignTarget",
    "CampaignUnit",
    "CouncilBallot",
    "CouncilBallotBox",
    "CouncilBallotCast",
    "CouncilBase",
    "CouncilItem",
    "CouncilMember",
    "CouncilRole",
    "CouncilVote",
    "Decision",
    "Evaluation",
    "Initiative",
    "InitiativeAuthor",
    "InitiativeKind",
    "ItemKind",
    "Registration",
    "RegistrationStatus",
    "ReviewStep",
    "RuleSet",
    "Stage",
    "TitleHistory",
    "TitleSource",
    "VoteStatus",
]
