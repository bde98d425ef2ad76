"""Who may see and change the dossiers and courses (django-rules permissions of training).

The dossiers, the courses and their figures are the school's: every member sees them (an
organisation above the school sees figures only, as for students). The leadership and the
training office (Phòng Đào tạo, chosen per school: `TrainingOffice`) keep them. The participants'
names and birth dates are personal data (NĐ 13/2023/NĐ-CP): only those who keep the courses see
them.
"""

from __future__ import annotations

from typing import Any

import rules
from django.contrib.auth.models import AnonymousUser, User
from django_scopes import scopes_disabled

from organisations.membership import membership_of
from organisations.permissions import in_same_school, is_admin, leads_school, school_id_of
from training.models import TrainingOffice

_OFFICE_ATTR = "_training_office"


def training_office_id(user: Any, school_id: int | None) -> int | None:
    """The school's training office, read once per request (kept on the user)."""
    if school_id is None:
        return None
    cached: dict[int, int | None] = getattr(user, _OFFICE_ATTR, None) or {}
    if school_id not in cached:
        with scopes_disabled():
            cached[school_id] = (
                TrainingOffice.objects.filter(school_id=school_id)
                .values_list("office_id", flat=True)
                .first()
            )
        setattr(user, _OFFICE_ATTR, cached)
    return cached[school_id]


@rules.predicate
def in_training_office(user: User | AnonymousUser, obj: Any) -> bool:
    membership = membership_of(user)
    school_id = school_id_of(obj)
    if obj is None or not membership.in_school(school_id):
        return False
    office = training_office_id(user, school_id)
    return office is not None and (
        office in membership.unit_ids or office in membership.headed_unit_ids
    )


keeps_training = leads_school | in_training_office

rules.add_perm("training.view_figures", is_admin | in_same_school)
rules.add_perm("training.manage", keeps_training)
rules.add_perm("training.view_participants", keeps_training)
rules.add_perm("training.set_office", leads_school)
