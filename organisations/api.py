"""The school's units in the JSON API (mounted by the `api` app, see core.endpoints)."""

from typing import Any

from ninja import Router, Schema

from core.endpoints import FAILS, register
from core.requests import ApiRequest
from organisations.membership import membership_of
from organisations.models import Organisation


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    parent_id: int | None


def school_id(request: ApiRequest) -> int | None:
    """The school of the token's owner (None for someone who belongs to none)."""
    return membership_of(request.auth).school_id


router = register("/", Router(tags=["đơn vị"]))


@router.get("/units", response={200: list[UnitOut], **FAILS})
def units(request: ApiRequest) -> Any:
    school = school_id(request)
    if school is None:
        return []
    return list(Organisation.objects.active().filter(school_id=school).order_by("order", "name"))
