"""One audit trail: django-simple-history on every plan object, read back here for the pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from core.text import format_date, format_number


def stamp(obj: models.Model, by: User | None, reason: str | None = None) -> None:
    """Name who made the next save of `obj`, and why, for its history record.

    Inside a request the middleware already knows the user; commands and jobs have no request.
    """
    if by is not None and getattr(by, "is_authenticated", False):
        obj._history_user = by  # type: ignore[attr-defined]  # read by simple_history on save
    if reason:
        obj._change_reason = reason  # type: ignore[attr-defined]  # read by simple_history on save


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: Any
    who: str
    action: str
    reason: str
    changes: list[Change]


_ACTIONS = {"+": "Tạo mới", "~": "Sửa", "-": "Xóa"}
# `version` only counts saves (core.versioning); it means nothing to a reader.
_HIDDEN_FIELDS = {"search_text", "sort_key", "symbol", "version"}


def _display(record: Any, field_name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    field = record.instance_type._meta.get_field(field_name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        related = field.related_model._default_manager.filter(pk=value).first()  # type: ignore[union-attr]  # a loaded model's related_model is a class, never the lazy name
        return str(related) if related else f"#{value}"
    if field.name == "archived_at":
        return _("Đã lưu trữ")
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, Decimal | float):
        return format_number(value)
    return str(value)


def author(record: Any) -> str:
    """Who made a history record: the person's name, else the login, else the system."""
    user = record.history_user
    if user is None:
        return _("Hệ thống")
    # The user's staff records (organisations.Person, one per organisation, prefetched by
    # history_entries): the oldest names them.
    people = getattr(user, "people", None)
    records = list(people.all()) if people is not None else []
    person = min(records, key=lambda record: record.pk) if records else None
    return str(person) if person else user.get_username()


def changes_between(older: Any, newer: Any) -> list[Change]:
    """Field-by-field differences between two history records of one object, as shown."""
    changes = []
    for change in newer.diff_against(older).changes:
        if change.field in _HIDDEN_FIELDS:
            continue
        label = capfirst(str(newer.instance_type._meta.get_field(change.field).verbose_name))
        changes.append(
            Change(
                field=label,
                old=_display(newer, change.field, change.old),
                new=_display(newer, change.field, change.new),
            )
        )
    return changes


def history_entries(obj: models.Model, limit: int = 30) -> list[HistoryEntry]:
    """The latest changes of an object, newest first, with field-by-field differences."""
    # The authors' staff records in one query, whichever organisation they are in.
    with scopes_disabled():
        records = list(
            obj.history.select_related("history_user")  # type: ignore[attr-defined]  # simple_history adds `history` to each concrete model, unseen by mypy
            .prefetch_related("history_user__people")
            .order_by("-history_date")[: limit + 1]
        )
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[Change] = []
        if previous is not None and record.history_type == "~":
            changes = changes_between(previous, record)
            if not changes and not record.history_change_reason:
                continue
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=author(record),
                action=_ACTIONS.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


@dataclass(frozen=True)
class Archiving:
    """When an archived object was archived, and by whom and why if its history says so."""

    when: Any
    who: str
    reason: str


def archivings(objects: Sequence[Any]) -> dict[int, Archiving]:
    """How each of these archived objects (of one model) was archived, read from their history
    in two queries whatever their number: the record that set its current `archived_at`. An
    object archived without a history record (an UPDATE by hand) is told by its date alone."""
    archived = {obj.pk: obj.archived_at for obj in objects if obj.archived_at is not None}
    if not archived:
        return {}
    model = type(objects[0])
    # The authors' staff records, whichever organisation they are in (as history_entries).
    with scopes_disabled():
        records = list(
            model.history.filter(id__in=archived, archived_at__isnull=False)
            .select_related("history_user")
            .prefetch_related("history_user__people")
            .order_by("history_date", "history_id")
        )
    found: dict[int, Archiving] = {}
    for record in records:
        if record.id not in found and record.archived_at == archived[record.id]:
            found[record.id] = Archiving(
                when=record.archived_at,
                who=author(record),
                reason=record.history_change_reason or "",
            )
    for pk, when in archived.items():
        found.setdefault(pk, Archiving(when=when, who="", reason=""))
    return found
