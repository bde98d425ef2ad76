"""Emulation's models: the dated rule sets (`rule_sets`), the campaign with its council and units
(`campaigns`), the year's cycle per person and unit (`cycle`), and what lasts beyond one campaign
(`records`)."""

from emulation.models.campaigns import (
    TITLE_CHOICES,
    Campaign,
    CampaignStatus,
    CampaignUnit,
    CouncilMember,
    CouncilRole,
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
    "LEVEL_CHOICES",
    "NATIONAL_ONLY",
    "SCHOOL_STRICTER",
    "SCOPE_CHOICES",
    "STAGE_ORDER",
    "TITLE_CHOICES",
    "Campaign",
    "CampaignStatus",
    "CampaignUnit",
    "CouncilMember",
    "CouncilRole",
    "Evaluation",
    "Initiative",
    "InitiativeAuthor",
    "InitiativeKind",
    "Registration",
    "RegistrationStatus",
    "ReviewStep",
    "RuleSet",
    "Stage",
    "TitleHistory",
    "TitleSource",
]
