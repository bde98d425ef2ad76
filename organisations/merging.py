"""A school merged into another (sáp nhập): what moves, and what the old school is afterwards.

The merger is recorded by the body above the schools (province.mergers: the decision, the unit
mapping, who recorded it); what moves is a list of steps each domain registers here (the way
papers and API routers plug in), run in order inside the recording transaction:

- organisations (this module): the old school's units are matched to units of the new one (the
  mapping the user gave; by default a unit of the same name, created when missing); each person
  with a current position gets a staff record at the new school (the one they already have, if
  any), their positions end the day before the merger and start again on its day in the matched
  unit, with the same title and role;
- planning (planning.handover): open tasks of the old school's current plan are carried into the
  new school's plan, each linked to the task it came from;
- students (students.handover): studying students move into the matching cohorts and programmes
  of the new school, their old records closed with a change "Chuyển theo sáp nhập trường".

Nothing is deleted or rewritten: the old school's rows stay where they were, scoped to the old
school, and become its history. Once the merger is carried out (`Succession.carried_out_at`) the
old school takes no new data in any domain (`ensure_open_school`, called by each domain's write
services: plans and tasks, check-ins, emulation, students, residence, training, the register of
văn bản, workload) and its pages say where it went (`notice`); reading stays open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import stamp
from core.errors import DomainError
from core.text import fold, format_date
from organisations.models import (
    Organisation,
    Person,
    Position,
    Succession,
    SuccessionKind,
)
from organisations.services import OrganisationError


@dataclass
class Handover:
    """What every step is given, and what it leaves for the steps after it."""

    old: Organisation
    new: Organisation
    effective_on: dt.date
    # Every unit of the old school (and the old school itself) → its unit in the new school.
    units: dict[int, Organisation]
    # The history reason each written row carries ("Sáp nhập vào … theo Quyết định số …").
    reason: str
    by: User
    # The school year whose plan receives the carried tasks (planning.handover).
    receiving_year: int
    # Old staff record id → the new school's record of the same person (the staff step fills it).
    people: dict[int, Person] = field(default_factory=dict)
    # Step key → how many rows it moved.
    moved: dict[str, int] = field(default_factory=dict)

    @property
    def last_day(self) -> dt.date:
        """The old school's last day: positions there end on it."""
        return self.effective_on - dt.timedelta(days=1)


@dataclass(frozen=True)
class Step:
    """One domain's share of a merger: how many rows would move (for the preview), and the move,
    which returns how many did."""

    key: str
    label: str | Promise
    order: int
    count: Callable[[Organisation, dt.date], int]
    move: Callable[[Handover], int]


_STEPS: dict[str, Step] = {}


def register(step: Step) -> None:
    """Called from a domain's AppConfig.ready(); registering a key again replaces it."""
    _STEPS[step.key] = step


def steps() -> list[Step]:
    return sorted(_STEPS.values(), key=lambda step: step.order)


# The old school afterwards ----------------------------------------------------------------------


def carried_out_mergers() -> QuerySet[Succession]:
    """The mergers carried out (a school into another): their predecessors are history only."""
    return Succession.objects.filter(kind=SuccessionKind.MERGED, carried_out_at__isnull=False)


def absorbed_by(school_id: int | None) -> Succession | None:
    """The carried-out merger of the school into another, if it was merged: the school is then
    history only."""
    if school_id is None:
        return None
    return (
        carried_out_mergers().filter(predecessor_id=school_id).select_related("successor").first()
    )


def notice(succession: Succession) -> str:
    """ "Trường đã sáp nhập vào … theo Quyết định số … ngày …": what the old school's pages say."""
    text = _("%(old)s đã sáp nhập vào %(new)s") % {
        "old": succession.predecessor.name,
        "new": succession.successor.name,
    }
    if succession.decision_label:
        text += _(" theo %(decision)s") % {"decision": succession.decision_label}
    text += _(", từ ngày %(day)s.") % {"day": format_date(succession.effective_on)}
    return str(text)


def locked_message(succession: Succession, what: str | Promise | None = None) -> str:
    """What a write in the old school is told: where it went, and that `what` (by default its
    plans and tasks) is kept as history and neither added to nor changed."""
    if what is None:
        what = gettext_lazy("kế hoạch, nhiệm vụ")
    return str(
        _("%(notice)s Dữ liệu của trường được giữ làm lịch sử, không lập hay sửa %(what)s.")
        % {"notice": notice(succession), "what": what}
    )


class SchoolMerged(OrganisationError):
    """A write in a school merged into another: its data are history only."""


def ensure_open_school(
    school_id: int | None,
    *,
    what: str | Promise | None = None,
    error: type[DomainError] = SchoolMerged,
) -> None:
    """Refuse a write in a school merged into another (`absorbed_by`): its rows stay as history,
    readable, but nothing is added or changed. Every domain's write services call it where the
    school is known, raising their own error class (`error`) so their pages show the message;
    `what` names the domain's data in the message ("hồ sơ thi đua", "văn bản"…)."""
    succession = absorbed_by(school_id)
    if succession is not None:
        raise error(locked_message(succession, what))


# Units ---------------------------------------------------------------------------------------


def units_to_map(old: Organisation) -> list[Organisation]:
    """The old school's units still in use, parents before their children."""
    units = list(
        Organisation.objects.active()
        .filter(school=old)
        .exclude(pk=old.pk)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=old.valid_to or dt.date.min))
    )
    by_parent: dict[int | None, list[Organisation]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)
    ordered: list[Organisation] = []
    stack = list(reversed(by_parent.get(old.pk, [])))
    seen: set[int] = set()
    while stack:
        unit = stack.pop()
        if unit.pk in seen:
            continue
        seen.add(unit.pk)
        ordered.append(unit)
        stack.extend(reversed(by_parent.get(unit.pk, [])))
    # A unit whose parent is outside the list (archived) comes last, under the school.
    ordered.extend(unit for unit in units if unit.pk not in seen)
    return ordered


def _name_key(name: str) -> str:
    return " ".join(fold(name).split())


def default_unit_map(old: Organisation, new: Organisation | None) -> dict[int, int | None]:
    """Each old unit → the new school's unit of the same name, or None (one will be created)."""
    existing: dict[str, int] = {}
    if new is not None and new.pk is not None:
        for unit in Organisation.objects.active().units_of(new):
            existing.setdefault(_name_key(unit.name), unit.pk)
    return {unit.pk: existing.get(_name_key(unit.name)) for unit in units_to_map(old)}


def resolve_units(
    old: Organisation,
    new: Organisation,
    chosen: Mapping[int, int | None],
    *,
    effective_on: dt.date,
    reason: str,
    by: User,
) -> tuple[dict[int, Organisation], int]:
    """The mapping made real: each old unit's unit in the new school (the one chosen, or a new
    one of the same name under its parent's match), every old unit linked to it by a succession
    and ended the day before. Returns the mapping (the old school → the new one included) and how
    many units were created. A chosen unit outside the new school is refused."""
    new_units = {unit.pk: unit for unit in Organisation.objects.active().units_of(new)}
    mapping: dict[int, Organisation] = {old.pk: new}
    created = 0
    last_day = effective_on - dt.timedelta(days=1)
    for unit in units_to_map(old):
        target_id = chosen.get(unit.pk)
        if target_id is not None:
            if target_id not in new_units:
                raise OrganisationError(
                    _("Đơn vị nhận “%(unit)s” không thuộc %(school)s.")
                    % {"unit": unit.name, "school": new.name}
                )
            target = new_units[target_id]
        else:
            parent = mapping.get(unit.parent_id or old.pk, new)
            code = unit.code
            if code and Organisation.objects.filter(school=new, code=code).exists():
                code = ""
            target = Organisation(
                name=unit.name,
                short_name=unit.short_name,
                abbreviation=unit.abbreviation,
                code=code,
                kind=unit.kind,
                parent=parent,
                place=unit.place,
                valid_from=effective_on,
                order=unit.order,
            )
            stamp(target, by, reason)
            target.save()
            created += 1
        mapping[unit.pk] = target
        succession = Succession(
            predecessor=unit,
            successor=target,
            kind=SuccessionKind.MERGED,
            effective_on=effective_on,
        )
        stamp(succession, by, reason)
        succession.save()
        if unit.valid_to is None or unit.valid_to > last_day:
            unit.valid_to = last_day
            stamp(unit, by, reason)
            unit.save()
    return mapping, created


# Staff ---------------------------------------------------------------------------------------


def _staff_positions(old: Organisation, last_day: dt.date) -> Iterable[Position]:
    return (
        Position.objects.current(on=last_day)
        .filter(person__school=old, person__archived_at__isnull=True)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=last_day))
        .select_related("person")
        .order_by("person__sort_key", "person_id", "order", "pk")
    )


def count_staff(old: Organisation, effective_on: dt.date) -> int:
    last_day = effective_on - dt.timedelta(days=1)
    return len({position.person_id for position in _staff_positions(old, last_day)})


def move_staff(handover: Handover) -> int:
    """Each person holding a position on the old school's last day: a staff record at the new
    school (theirs, when they already work there too), their positions ended on the last day and
    started on the merger's day in the matched unit. Returns how many people moved."""
    new, by, reason = handover.new, handover.by, handover.reason
    for position in _staff_positions(handover.old, handover.last_day):
        person = position.person
        moved = handover.people.get(person.pk)
        if moved is None:
            moved = _record_at(person, new, by=by, reason=reason)
            handover.people[person.pk] = moved
        position.valid_to = handover.last_day
        stamp(position, by, reason)
        position.save()
        started = Position(
            person=moved,
            organisation=handover.units.get(position.organisation_id, new),
            title=position.title,
            role=position.role,
            valid_from=handover.effective_on,
            order=position.order,
        )
        stamp(started, by, reason)
        started.save()
    return len(handover.people)


def _record_at(person: Person, school: Organisation, *, by: User, reason: str) -> Person:
    if person.user_id is not None:
        existing = Person.objects.filter(user_id=person.user_id, school=school).first()
        if existing is not None:
            if existing.is_archived:
                existing.archived_at = None
                stamp(existing, by, reason)
                existing.save()
            return existing
    record = Person(
        full_name=person.full_name,
        honorific=person.honorific,
        school=school,
        user_id=person.user_id,
        email=person.email,
        phone=person.phone,
        is_sample=person.is_sample,
    )
    stamp(record, by, reason)
    record.save()
    return record


register(
    Step(
        key="staff",
        label=gettext_lazy("Cán bộ, viên chức đang giữ chức vụ"),
        order=10,
        count=count_staff,
        move=move_staff,
    )
)
