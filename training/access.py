"""The school a training page is about (the signed-in member's own, with the permission asked
for on it), and the permission names the pages use."""

from __future__ import annotations

from core.requests import SignedInRequest
from organisations.models import Organisation
from students.access import member_school

FIGURES = "training.view_figures"
MANAGE = "training.manage"
NAMES = "training.view_participants"


def school_for(request: SignedInRequest, perm: str = FIGURES) -> Organisation:
    return member_school(request, perm, figures=FIGURES)
