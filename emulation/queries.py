"""Questions asked of the emulation cycle by its pages and by the home page ("Việc của tôi"):
the campaign running, how far it has gone, what waits for a person. Each answer costs a fixed
number of queries whatever the number of people, through the request's scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from core.audit import Change, HistoryEntry, author
from emulation.facts import evidence_day
from emulation.models import (
    Appeal,
    AppealStatus,
    Campaign,
    CampaignStatus,
    CampaignTarget,
    CampaignUnit,
    CouncilVote,
    DossierStatus,
    Evaluation,
    Registration,
    RegistrationStatus,
    Stage,
    UpwardDossier,
    VoteStatus,
)
from organisations.membership import Membership
from organisations.models import Organisation
from planning.queries import units_answered_for
from tracking.target_figures import TargetState, target_states


def current_campaign() -> Campaign | None:
    """The campaign the school is running: the latest launched one, else the latest draft."""
    campaigns = Campaign.objects.active()
    return campaigns.filter(status=CampaignStatus.OPEN).first() or campaigns.first()


def top_units(school_id: int) -> list[Organisation]:
    """The units right under the school: the ones registering and evaluated."""
    return list(Organisation.objects.active().filter(parent_id=school_id).order_by("order", "name"))


@dataclass
class Progress:
    registrations: int = 0
    collective: int = 0
    evaluations: int = 0
    stages: dict[str, int] = field(default_factory=dict)
    lists_submitted: int = 0
    reviews_submitted: int = 0

    @property
    def self_assessed(self) -> int:
        return self.evaluations - self.stages.get(Stage.PENDING, 0)

    @property
    def proposed(self) -> int:
        return sum(
            count
            for stage, count in self.stages.items()
            if stage in (Stage.UNIT_REVIEWED, Stage.LEADERSHIP_REVIEWED, Stage.DECIDED)
        )


def progress(campaign: Campaign) -> Progress:
    """Counts for the campaign page: three queries."""
    counts = (
        Registration.objects.active()
        .filter(campaign=campaign)
        .aggregate(
            people=Count("pk", filter=Q(person__isnull=False)),
            units=Count("pk", filter=Q(person__isnull=True)),
        )
    )
    stages = dict(
        Evaluation.objects.active()
        .filter(campaign=campaign)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    parts = CampaignUnit.objects.filter(campaign=campaign).aggregate(
        lists=Count("pk", filter=Q(registrations_submitted_at__isnull=False)),
        reviews=Count("pk", filter=Q(reviews_submitted_at__isnull=False)),
    )
    return Progress(
        registrations=counts["people"] or 0,
        collective=counts["units"] or 0,
        evaluations=sum(stages.values()),
        stages=stages,
        lists_submitted=parts["lists"] or 0,
        reviews_submitted=parts["reviews"] or 0,
    )


# The home page ----------------------------------------------------------------------------------


@dataclass
class EmulationWork:
    """What the emulation cycle asks of the person today."""

    campaign: Campaign | None = None
    register: bool = False  # the registration window is open and the person has not registered
    returned: bool = False  # their registration came back to be redone
    self_assess: bool = False  # the self-assessment window is open and they have not assessed
    reviews: int = 0  # evaluations waiting for the person's review
    lists: int = 0  # units they head whose registration list waits to be sent
    unit_ids: list[int] = field(default_factory=list)
    vote: bool = False  # the council's ballot is open, they are present and have not voted
    appeals: int = 0  # appeals waiting for a leader's answer

    @property
    def total(self) -> int:
        return (
            int(self.register)
            + int(self.returned)
            + int(self.self_assess)
            + self.reviews
            + self.lists
            + int(self.vote)
            + self.appeals
        )


def work_of(membership: Membership, *, on: dt.date) -> EmulationWork:
    """Six queries at most, whatever the school's size."""
    campaign = Campaign.objects.active().filter(status=CampaignStatus.OPEN).first()
    work = EmulationWork(campaign=campaign)
    person = membership.person
    if campaign is None or person is None:
        return work
    mine = Registration.objects.active().filter(campaign=campaign, person=person).first()
    work.returned = mine is not None and mine.status == RegistrationStatus.RETURNED
    work.register = mine is None and campaign.registration_open_on(on)
    if campaign.self_assessment_open_on(on):
        evaluation = (
            Evaluation.objects.active()
            .filter(campaign=campaign, person=person)
            .only("stage")
            .first()
        )
        work.self_assess = evaluation is None or evaluation.stage == Stage.PENDING
    headed = units_answered_for(membership)
    waiting = Q(pk__in=[])
    if headed:
        waiting |= Q(subunit__in=headed, stage=Stage.SELF_ASSESSED)
        waiting |= Q(unit__in=headed, stage__in=[Stage.SELF_ASSESSED, Stage.GROUP_REVIEWED])
    if membership.is_leadership:
        waiting |= Q(
            is_manager=True,
            leadership_level__isnull=True,
            stage__in=[Stage.SELF_ASSESSED, Stage.GROUP_REVIEWED, Stage.UNIT_REVIEWED],
        )
    work.reviews = (
        Evaluation.objects.active()
        .filter(campaign=campaign)
        .exclude(person=person)
        .filter(waiting)
        .count()
    )
    if headed:
        work.unit_ids = _lists_waiting(campaign, headed)
        work.lists = len(work.unit_ids)
    work.vote = (
        CouncilVote.objects.active()
        .filter(campaign=campaign, status=VoteStatus.OPEN, present__person=person)
        .exclude(casts__person=person)
        .exists()
    )
    if membership.is_leadership:
        work.appeals = (
            Appeal.objects.active()
            .filter(campaign=campaign, status=AppealStatus.PENDING)
            .exclude(evaluation__person=person)
            .count()
        )
    return work


def _lists_waiting(campaign: Campaign, headed: Iterable[Any]) -> list[int]:
    """The units the person heads whose registrations wait to be sent (one query)."""
    sent = CampaignUnit.objects.filter(
        campaign=campaign, registrations_submitted_at__isnull=False
    ).values("unit_id")
    return sorted(
        set(
            Registration.objects.active()
            .filter(campaign=campaign, unit__in=list(headed))
            .exclude(unit__in=sent)
            .values_list("unit_id", flat=True)
        )
    )


# The targets a campaign's criteria name ------------------------------------------------------


def criteria_targets(campaign: Campaign) -> list[TargetState]:
    """The targets of the school plan the campaign's criteria name, in their order, each with
    its value and status from tracking as the evidence reads them: today while the year runs,
    as measured by the campaign's last day after it (emulation.facts.evidence_day)."""
    plan = campaign.plan
    if plan is None:
        return []
    order = list(
        CampaignTarget.objects.filter(campaign=campaign).values_list("target_id", flat=True)
    )
    if not order:
        return []
    on, past = evidence_day(campaign, plan)
    states = {state.target.pk: state for state in target_states(plan, on=on if past else None)}
    return [states[target_id] for target_id in order if target_id in states]


def target_link_history(campaign: Campaign) -> list[HistoryEntry]:
    """Each target named or no longer named by the campaign's criteria: who, when, which."""
    with scopes_disabled():
        records = list(
            CampaignTarget.history.filter(campaign_id=campaign.pk)
            .select_related("history_user", "target")
            .prefetch_related("history_user__people")
            .order_by("-history_date")
        )
    entries = []
    for record in records:
        if record.history_type == "~":
            continue  # the order changed
        name = str(record.target)
        added = record.history_type == "+"
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=author(record),
                action=_("Gắn chỉ tiêu") if added else _("Bỏ chỉ tiêu"),
                reason=record.history_change_reason or "",
                changes=[
                    Change(
                        field=str(_("Chỉ tiêu trong tiêu chí thi đua")),
                        old="—" if added else name,
                        new=name if added else "—",
                    )
                ],
            )
        )
    return entries


def dossiers_waiting(body_id: int) -> int:
    """The schools' dossiers sent to the body (the Sở) that wait for it to accept or return them:
    one query. The dossiers belong to the schools, so they are read past the scope, by body, as
    the list of dossiers received reads them (services.upward.received_dossiers)."""
    return UpwardDossier._base_manager.filter(
        body_id=body_id, archived_at=None, status=DossierStatus.SUBMITTED
    ).count()
