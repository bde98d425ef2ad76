"""What the emulation pages share: fetching a campaign or a unit's part with its permission."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from core.permissions import get_authorised, require
from emulation.models import Campaign, CampaignUnit, Evaluation
from organisations.models import Organisation

VIEW = "emulation.view_campaign"
MANAGE = "emulation.manage_campaign"


def authorised_campaign(request: HttpRequest, pk: int, perm: str | None = None) -> Campaign:
    """The campaign if the user may see it (404 otherwise) and, if asked, do `perm` (403)."""
    return get_authorised(
        request.user, Campaign.objects.active().select_related("school__parent"), VIEW, perm, pk=pk
    )


def unit_part(request: HttpRequest, campaign: Campaign, unit_pk: int, perm: str) -> CampaignUnit:
    """A unit of the campaign's school (one right under it) and its part in the campaign, if the
    user may do `perm` there (403 otherwise); unsaved until something is recorded for it."""
    unit = get_object_or_404(
        Organisation.objects.active(), pk=unit_pk, parent_id=campaign.school_id
    )
    part = CampaignUnit.objects.filter(campaign=campaign, unit=unit).first() or CampaignUnit(
        campaign=campaign, unit=unit
    )
    part.campaign = campaign
    part.unit = unit
    require(request.user, perm, part)
    return part


def authorised_evaluation(
    request: HttpRequest,
    pk: int,
    perm: str | None = None,
    *,
    view: str | None = "emulation.view_evaluation",
) -> Evaluation:
    """An evaluation the user may see (the person's own, or one they review) and, if asked, act
    on: another school's is 404, a colleague's 403 (a draft is not shown to colleagues).
    `view=None` asks only `perm`, for a page that shows nothing of the levels and comments."""
    evaluation = get_authorised(
        request.user,
        Evaluation.objects.active()
        .filter(campaign__archived_at=None)
        .select_related(
            "campaign__school__parent",
            "person",
            "unit",
            "subunit",
            "group_reviewed_by",
            "unit_reviewed_by",
            "leadership_reviewed_by",
        ),
        VIEW,
        view,
        pk=pk,
    )
    if perm is not None:
        require(request.user, perm, evaluation)
    return evaluation
