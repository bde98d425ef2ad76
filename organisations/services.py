"""Changes to the organisation tree and its people, each recorded in the history."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from core.audit import stamp
from core.errors import DomainError
from core.versioning import claim_version
from organisations.models import (
    Organisation,
    OrganisationName,
    Person,
    Position,
    Succession,
    SuccessionKind,
)


class OrganisationError(DomainError):
    pass


@transaction.atomic
def save_organisation(org: Organisation, *, by: User | None) -> Organisation:
    ancestor = org.parent
    while ancestor is not None:
        if org.pk and ancestor.pk == org.pk:
            raise OrganisationError(_("Một đơn vị không thể trực thuộc chính nó."))
        ancestor = ancestor.parent
    stamp(org, by)
    org.save()
    return org


@transaction.atomic
def rename_organisation(
    org: Organisation, *, name: str, short_name: str, effective_on: dt.date, by: User
) -> Organisation:
    """Rename a unit, keeping the former name with the dates it was used."""
    previous_end = effective_on - dt.timedelta(days=1)
    last = org.former_names.order_by("-valid_to").first()
    former = OrganisationName(
        organisation=org,
        name=org.name,
        short_name=org.short_name,
        valid_from=(last.valid_to + dt.timedelta(days=1)) if last else org.valid_from,
        valid_to=previous_end,
    )
    stamp(former, by)
    former.save()
    org.name = name
    org.short_name = short_name
    stamp(org, by, _("Đổi tên từ ngày %(day)s") % {"day": effective_on.strftime("%d/%m/%Y")})
    org.save()
    return org


@transaction.atomic
def record_succession(
    predecessor: Organisation,
    successor: Organisation,
    *,
    kind: str = SuccessionKind.MERGED,
    effective_on: dt.date,
    note: str = "",
    by: User,
) -> Succession:
    """A merger or split: the predecessor stops the day before; its history stays with it."""
    if predecessor.pk == successor.pk:
        raise OrganisationError(_("Đơn vị trước và sau phải khác nhau."))
    succession = Succession(
        predecessor=predecessor,
        successor=successor,
        kind=kind,
        effective_on=effective_on,
        note=note,
    )
    stamp(succession, by)
    succession.save()
    if kind == SuccessionKind.MERGED and predecessor.valid_to is None:
        predecessor.valid_to = effective_on - dt.timedelta(days=1)
        stamp(predecessor, by, str(succession))
        predecessor.save()
    return succession


@transaction.atomic
def save_person(person: Person, *, by: User | None, expected_version: int | None = None) -> Person:
    """Add a person or save an edit; an edit opened before someone else's save is refused."""
    claim_version(person, expected_version)
    stamp(person, by)
    person.save()
    return person


@transaction.atomic
def add_position(position: Position, *, by: User | None) -> Position:
    if position.organisation.school_id != position.person.school_id:
        raise OrganisationError(_("Chức vụ phải thuộc một đơn vị của trường."))
    if position.valid_from and position.valid_to and position.valid_from > position.valid_to:
        raise OrganisationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
    stamp(position, by)
    position.save()
    return position


@transaction.atomic
def end_position(position: Position, *, on: dt.date, by: User) -> Position:
    """Positions end; they are not deleted, so the past stays true."""
    if position.valid_from and on < position.valid_from:
        raise OrganisationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
    position.valid_to = on
    stamp(position, by, _("Thôi giữ chức vụ"))
    position.save()
    return position


def people_list(school_id: int | None, params: Any) -> QuerySet[Person]:
    """The school's people as the list page and its Excel export show them: search (?q=),
    each with their current positions, sorted the Vietnamese way (given name first)."""
    people = (
        Person.objects.active()
        .filter(school_id=school_id)
        .prefetch_related(
            Prefetch(
                "positions",
                queryset=Position.objects.current().select_related("organisation"),
                to_attr="current_positions",
            )
        )
    )
    query = (params.get("q") or "").strip()
    if query:
        people = people.search(query)
    return people.order_by("sort_key")


# Accounts -------------------------------------------------------------------------------------

# No 0/O, 1/l/I: the temporary password is read aloud or copied from a screen.
_TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


security_log = logging.getLogger("trongtam.security")


def _check_account(person: Person, by: User) -> None:
    if person.user is None:
        raise OrganisationError(_("Người này chưa có tài khoản đăng nhập."))
    if person.user.is_superuser and not getattr(by, "is_superuser", False):
        raise OrganisationError(_("Chỉ quản trị hệ thống mới đổi được tài khoản quản trị."))


def unlock_login(person: Person, *, by: User) -> int:
    """Lift the lock that wrong passwords put on a colleague's login (django-axes), at once
    rather than after the cool-off. Returns the number of failure records cleared."""
    from axes.handlers.proxy import AxesProxyHandler

    _check_account(person, by)
    assert person.user is not None
    security_log.info("login unlocked: %s by %s", person.user.get_username(), by)
    return AxesProxyHandler.reset_attempts(username=person.user.get_username())


@transaction.atomic
def reset_password(person: Person, *, by: User) -> str:
    """Give a colleague a new random password, to be handed over once and changed by them;
    their sessions elsewhere end and any login lock is lifted."""
    from django.utils.crypto import get_random_string

    _check_account(person, by)
    user = person.user
    assert user is not None
    security_log.info("temporary password given: %s by %s", user.get_username(), by)
    temporary = get_random_string(12, _TEMPORARY_ALPHABET)
    user.set_password(temporary)
    user.save(update_fields=["password"])
    unlock_login(person, by=by)
    return temporary
