"""The demo's emulation between the school and the Sở GD&ĐT Lạng Sơn (the data file's "province";
sample data): called by emulation/demo.py with its clock, through the services, each step on its
day.

- 15/9/2023: the Sở's officer (`sogddt`) launches the sector's campaign of the year to every
  school the Sở directs; on 28/9 the principal answers with the school's own campaign, launched
  at the conference of 26/9 (linked, not a second campaign).
- 14/6/2024, after the tờ trình of 12/6: the principal sends the Sở the dossier of Hà Văn Long's
  CSTĐ cấp tỉnh and the Minister's Bằng khen; on 21/6 the Sở returns it (the province-scope
  initiative's decision and the certified report missing); on 26/6 the school sends version 2
  with the achievements completed; on 28/6 the Sở accepts it, and on 15/8 records the decision:
  CSTĐ cấp tỉnh awarded (written into his 2023–2024 titles), the Bằng khen not (the Bộ's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from django.contrib.auth.models import User

from emulation.models import Campaign, DossierItem, ProvinceCampaign
from emulation.services import province_campaigns as campaign_services
from emulation.services import upward as services
from province.models import Audience

Clock = Callable[[dt.datetime], AbstractContextManager[None]]
Moment = Callable[[dt.date, int], dt.datetime]


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def load_province_campaign(
    campaign: Campaign,
    spec: dict[str, Any],
    *,
    officer: User,
    principal: User,
    clock: Clock,
    moment: Moment,
) -> ProvinceCampaign:
    launched_on = _day(spec["launched_on"])
    sector = ProvinceCampaign(
        body=services.bodies_of(campaign.school_id)[0],
        start_year=campaign.start_year,
        name=spec["name"],
        slogan=spec["slogan"],
        targets=spec["targets"],
        titles=spec["titles"],
        registration_closes=_day(spec["registration_closes"]),
        launched_on=launched_on,
        is_sample=True,
    )
    at = moment(launched_on, 60)
    with clock(at):
        campaign_services.launch_province_campaign(sector, Audience.ALL, by=officer, at=at)
    with clock(moment(_day(spec["taken_up_on"]), 120)):
        campaign_services.take_up(sector, campaign.school, by=principal)
    return sector


def load_dossier(
    campaign: Campaign,
    spec: dict[str, Any],
    *,
    officer: User,
    principal: User,
    clock: Clock,
    moment: Moment,
) -> None:
    body = services.bodies_of(campaign.school_id)[0]
    chosen = [p for p in services.proposals(campaign) if p.kind in spec["kinds"]]
    keys = [proposal.key for proposal in chosen]
    with clock(moment(_day(spec["sent_on"]), 90)):
        dossier = services.submit_dossier(
            campaign, body, keys=keys, letter=spec["letter"], by=principal
        )
    with clock(moment(_day(spec["returned_on"]), 120)):
        services.return_dossier(dossier, reason=spec["reason"], by=officer)
    with clock(moment(_day(spec["resent_on"]), 60)):
        services.resubmit_dossier(
            dossier,
            keys=keys,
            achievements={p.key: spec["achievements"][p.kind] for p in chosen},
            letter=spec["letter_again"],
            by=principal,
        )
    with clock(moment(_day(spec["accepted_on"]), 30)):
        services.accept_dossier(dossier, by=officer)
    decision = spec["decision"]
    dossier.refresh_from_db()
    items = DossierItem.objects.filter(version_id=dossier.current_id)
    with clock(moment(_day(decision["on"]), 120)):
        services.decide_dossier(
            dossier,
            symbol=decision["symbol"],
            on=_day(decision["on"]),
            issuer=decision["issuer"],
            outcomes={
                item.pk: (
                    bool(decision["outcomes"][item.kind][0]),
                    decision["outcomes"][item.kind][1],
                )
                for item in items
            },
            by=officer,
        )
