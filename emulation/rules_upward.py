"""Who may see and act on the dossiers a school sends above it and on the Sở's campaigns.

A dossier: the school's leadership (who send it) and clerks see it, and the members of the body it
was sent to; the body's leadership and officers (clerks) accept, return and record the decision; a
plain member of the Sở only reads. The school's staff see none of it (their own result reaches
them in their titles); another school never finds it (404).

A campaign of the Sở: its members see it, its leadership and officers launch and send it; every
member of a school it was sent to sees it, the school's leadership answers it.
"""

from __future__ import annotations

from typing import Any

import rules

from emulation.models import ProvinceCampaign, ProvinceCampaignRecipient
from emulation.rules import clerk, leads
from organisations.membership import membership_of
from organisations.permissions import is_admin, is_clerk, is_leadership
from province.rules import works_above_schools


@rules.predicate
def in_receiving_body(user: Any, obj: Any) -> bool:
    """A member of the body the dossier was sent to (or that launched the campaign)."""
    body_id = getattr(obj, "body_id", None)
    return body_id is not None and membership_of(user).in_school(body_id)


@rules.predicate
def in_recipient_school(user: Any, campaign: Any) -> bool:
    """A member of a school the Sở's campaign was sent to."""
    school_id = membership_of(user).school_id
    if not isinstance(campaign, ProvinceCampaign) or school_id is None:
        return False
    return ProvinceCampaignRecipient._base_manager.filter(
        campaign=campaign, school_id=school_id
    ).exists()


@rules.predicate
def leads_own_school(user: Any) -> bool:
    """Leads the school the user works in (not a body above schools)."""
    return membership_of(user).is_leadership and not works_above_schools(user)


body_officer = works_above_schools & in_receiving_body & (is_leadership | is_clerk)

# Dossiers: `leads` and `clerk` read the dossier's school (emulation.rules.school_of).
rules.add_perm(
    "emulation.view_dossier", is_admin | leads | clerk | (works_above_schools & in_receiving_body)
)
rules.add_perm("emulation.resubmit_dossier", leads)
rules.add_perm("emulation.answer_dossier", body_officer)
# The list of dossiers: the body's members (received) or the school's leadership and clerks.
rules.add_perm("emulation.list_dossiers", works_above_schools | is_admin | is_leadership | is_clerk)

# The Sở's campaigns.
rules.add_perm(
    "emulation.launch_province_campaign", works_above_schools & (is_leadership | is_clerk)
)
rules.add_perm(
    "emulation.view_province_campaign",
    is_admin | (works_above_schools & in_receiving_body) | in_recipient_school,
)
rules.add_perm("emulation.send_province_campaign", body_officer)
rules.add_perm("emulation.take_up_province_campaign", leads_own_school & in_recipient_school)
