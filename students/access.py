"""Which school a page of the students' domain (and of residence, above it) is about: the
signed-in member's own, with the permission asked for on it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from core.permissions import require
from core.requests import SignedInRequest
from organisations.membership import membership_of
from organisations.models import Organisation


def member_school(request: SignedInRequest, perm: str, *, figures: str) -> Organisation:
    """The member's school, if they hold `perm` on it. Figures (`figures`) may be seen from an
    organisation above the school's level; anything else needs a school: a Sở or a Phòng keeps
    no students of its own."""
    school_id = membership_of(request.user).school_id
    if school_id is None:
        raise PermissionDenied
    school = get_object_or_404(Organisation, pk=school_id)
    require(request.user, perm, school)
    if perm != figures and not school.is_school:
        raise PermissionDenied
    return school
