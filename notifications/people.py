"""Who is concerned: the leadership of a school, the heads of a unit (or of the nearest unit above
it that has one), the user behind a staff record. Read across scopes, by explicit filters."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django_scopes import scopes_disabled

from organisations.models import Organisation, Person, Position, Role


def _users(positions: Iterable[Position]) -> list[Any]:
    return [p.person.user for p in positions if p.person.user is not None]


def _current() -> Any:
    return Position.objects.current(timezone.localdate()).filter(
        person__user__isnull=False, person__archived_at__isnull=True
    )


def leadership_of(school_id: int) -> list[Any]:
    """The users who lead the school (Ban giám hiệu)."""
    with scopes_disabled():
        return _users(
            _current()
            .filter(person__school_id=school_id, role=Role.LEADERSHIP)
            .select_related("person__user")
            .order_by("pk")
        )


def heads_of(unit_id: int | None) -> list[Any]:
    """The heads (and deputies) of the unit, or of the nearest unit above it that has some;
    nobody for the school itself."""
    with scopes_disabled():
        seen: set[int] = set()
        while unit_id is not None and unit_id not in seen:
            seen.add(unit_id)
            unit = Organisation.objects.filter(pk=unit_id).values("parent_id", "school_id").first()
            if unit is None or unit["school_id"] in (None, unit_id):
                return []
            heads = _users(
                _current()
                .filter(organisation_id=unit_id)
                .filter(Q(role=Role.HEAD) | Q(role=Role.DEPUTY))
                .select_related("person__user")
                .order_by("pk")
            )
            if heads:
                return heads
            unit_id = unit["parent_id"]
        return []


def heads_of_units(school_id: int) -> list[Any]:
    """Every unit head and deputy of the school."""
    with scopes_disabled():
        return _users(
            _current()
            .filter(person__school_id=school_id, role__in=[Role.HEAD, Role.DEPUTY])
            .select_related("person__user")
            .order_by("pk")
        )


def user_of(person: Person | None) -> Any:
    return person.user if person is not None else None
