"""A school merged into another (sáp nhập) or moved under another body (chuyển cơ quan chủ
quản), by a decision the Sở registers.

`merge_school` does it all in one transaction, or nothing: the decision registered in the
recording body's register (or found there) and sent to both schools' registers; the succession
in the organisation tree, with the decision's number and date; the old school's units matched to
the new school's; then each domain's step (organisations.merging: staff, planning: open tasks,
students: enrolled students); the record of what moved (`SchoolChange`). With `dry_run` the same
work is done and rolled back, so the preview shows exactly what would move, or the error that
would stop it.

Who may (province.rules): the officer of a body that directs the old school (its leadership or
clerk) and the site's administrator; never the school itself, whose merger is decided above it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from core.audit import stamp
from core.clock import school_year_of
from core.errors import DomainError
from documents.models import Document, DocumentType
from documents.services import find_registered, register_document, send_document
from organisations import merging
from organisations.models import (
    TOP_KINDS,
    Organisation,
    OrganisationKind,
    Succession,
    SuccessionKind,
)
from province import notices
from province.models import DIRECTING_KINDS, ChangeKind, DirectedSchool, SchoolChange


class MergerError(DomainError):
    """A merger or a move refused; the message is for the user."""


@dataclass(frozen=True)
class Decision:
    """The decision as typed: it is registered as a Quyết định (QĐ) of its issuer."""

    number: str
    issuer_code: str
    issued_on: dt.date
    issuer_name: str = ""
    summary: str = ""


@dataclass(frozen=True)
class NewSchool:
    name: str
    short_name: str = ""
    abbreviation: str = ""


@dataclass
class Outcome:
    change: SchoolChange | None
    successor_name: str
    moved: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    # What the steps were given and left (who moved): read by the notices, not shown.
    handover: merging.Handover | None = field(default=None, repr=False)


@dataclass(frozen=True)
class PreviewLine:
    key: str
    label: str
    count: int


def receiving_year_for(effective_on: dt.date) -> int:
    """The school year whose plan receives the carried tasks: the one in progress on the
    effective day, except that a merger effective in August counts towards the year opening in
    September (mergers take effect between two years)."""
    return school_year_of(effective_on, opens_in=8)


def preview(school: Organisation, effective_on: dt.date) -> list[PreviewLine]:
    """How many rows each step would move, and how many units there are to match."""
    with scopes_disabled():
        return _preview(school, effective_on)


def _preview(school: Organisation, effective_on: dt.date) -> list[PreviewLine]:
    lines = [
        PreviewLine(step.key, str(step.label), step.count(school, effective_on))
        for step in merging.steps()
    ]
    lines.append(PreviewLine("units", _("Đơn vị trực thuộc"), len(merging.units_to_map(school))))
    return lines


def _locked(school: Organisation) -> Organisation:
    """The school's row, locked for the transaction and read afresh: two mergers of it recorded
    at once run one after the other (the second is refused by `_check_school`), and what the
    merger saves of the school starts from its row as it is, not as the page loaded it."""
    return Organisation._base_manager.select_for_update().get(pk=school.pk)


def _check_school(school: Organisation) -> None:
    if school.kind != OrganisationKind.SCHOOL:
        raise MergerError(_("Chỉ sáp nhập hoặc chuyển được một trường."))
    if school.is_archived:
        raise MergerError(_("Trường đã được lưu trữ."))
    succession = merging.absorbed_by(school.pk)
    if (
        succession is not None
        or SchoolChange._base_manager.filter(school=school, kind=ChangeKind.MERGER).exists()
    ):
        raise MergerError(
            _("Trường này đã được sáp nhập: không thực hiện sáp nhập lần thứ hai.")
            if succession is None
            else merging.notice(succession) + " " + _("Không thực hiện sáp nhập lần thứ hai.")
        )


def _check_body(body: Organisation | None, school: Organisation) -> None:
    if body is None:
        return
    if body.kind not in DIRECTING_KINDS:
        raise MergerError(_("Chỉ cơ quan quản lý trường mới ghi nhận được việc sáp nhập."))
    if not DirectedSchool._base_manager.filter(
        body=body, school=school, archived_at__isnull=True
    ).exists():
        raise MergerError(_("Trường không thuộc danh sách trường do cơ quan chỉ đạo."))


def _register_decision(
    decision: Decision, *, owner: Organisation, recipients: list[Organisation], by: User
) -> Document:
    """The decision in the owner's register (found there when already registered), and in the
    registers of the schools it concerns."""
    number = decision.number.strip()
    issuer_code = decision.issuer_code.strip()
    if not number or not issuer_code:
        raise MergerError(_("Cần ghi số và ký hiệu cơ quan ban hành của quyết định."))
    if decision.issued_on is None:
        raise MergerError(_("Cần ghi ngày ban hành quyết định."))
    document = Document(
        school=owner,
        doc_type=DocumentType.objects.filter(code="QĐ").first(),
        number=number,
        issuer_code=issuer_code,
        issued_on=decision.issued_on,
        issuer_name=decision.issuer_name.strip(),
        summary=decision.summary.strip() or _("Về việc sáp nhập trường"),
    )
    document.refresh_symbol()
    existing = find_registered(document)
    if existing is not None:
        document = existing
    else:
        register_document(document, by=by)
    send_document(document, [school for school in recipients if school.pk != owner.pk], by=by)
    return document


def merge_school(
    school: Organisation,
    *,
    into: Organisation | None = None,
    new_school: NewSchool | None = None,
    decision: Decision,
    effective_on: dt.date,
    unit_map: dict[int, int | None] | None = None,
    receiving_year: int | None = None,
    body: Organisation | None,
    by: User,
    dry_run: bool = False,
) -> Outcome:
    """Merge `school` into `into` (an existing school) or into a school created for it
    (`new_school`), all or nothing; `unit_map` says which new unit each old unit becomes (None,
    or a unit left out: one of the same name, created when the new school has none)."""
    # Across both schools on purpose: the request runs in the recording body's scope.
    with scopes_disabled(), transaction.atomic():
        outcome = _merge(
            _locked(school),
            into=into,
            new_school=new_school,
            decision=decision,
            effective_on=effective_on,
            unit_map=unit_map,
            receiving_year=receiving_year,
            body=body,
            by=by,
        )
        if dry_run:
            outcome.change = None
            outcome.dry_run = True
            transaction.set_rollback(True)
        elif outcome.change is not None and outcome.handover is not None:
            notices.school_merged(outcome.change, outcome.handover, by=by)
    return outcome


def _merge(
    school: Organisation,
    *,
    into: Organisation | None,
    new_school: NewSchool | None,
    decision: Decision,
    effective_on: dt.date,
    unit_map: dict[int, int | None] | None,
    receiving_year: int | None,
    body: Organisation | None,
    by: User,
) -> Outcome:
    if effective_on is None:
        raise MergerError(_("Cần ghi ngày sáp nhập có hiệu lực."))
    _check_school(school)
    _check_body(body, school)
    successor = _successor(school, into, new_school, effective_on, by)
    document = _register_decision(
        decision, owner=body or successor, recipients=[school, successor], by=by
    )
    reason = _("Sáp nhập %(old)s vào %(new)s theo Quyết định số %(symbol)s") % {
        "old": school.short_name or school.name,
        "new": successor.short_name or successor.name,
        "symbol": document.symbol,
    }
    succession = _succession(school, successor, document, effective_on, reason, by)
    chosen = merging.default_unit_map(school, successor)
    chosen.update(unit_map or {})
    units, created = merging.resolve_units(
        school, successor, chosen, effective_on=effective_on, reason=reason, by=by
    )
    year = receiving_year or receiving_year_for(effective_on)
    handover = merging.Handover(
        old=school,
        new=successor,
        effective_on=effective_on,
        units=units,
        reason=reason,
        by=by,
        receiving_year=year,
    )
    for step in merging.steps():
        handover.moved[step.key] = step.move(handover)
    moved = {**handover.moved, "units_created": created}
    if body is not None:
        _redirect(body, school, successor, by, reason)
    change = SchoolChange(
        body=body,
        kind=ChangeKind.MERGER,
        school=school,
        successor=successor,
        succession=succession,
        decision=document,
        effective_on=effective_on,
        receiving_year=year,
        unit_map={str(old): new.pk for old, new in units.items() if old != school.pk},
        moved=moved,
        recorded_at=timezone.now(),
        recorded_by=by,
    )
    stamp(change, by, reason)
    change.save()
    return Outcome(change=change, successor_name=successor.name, moved=moved, handover=handover)


def _successor(
    school: Organisation,
    into: Organisation | None,
    new_school: NewSchool | None,
    effective_on: dt.date,
    by: User,
) -> Organisation:
    if into is not None:
        if into.kind != OrganisationKind.SCHOOL or into.is_archived:
            raise MergerError(_("Trường tiếp nhận phải là một trường đang hoạt động."))
        if into.pk == school.pk:
            raise MergerError(_("Trường không thể sáp nhập vào chính nó."))
        if merging.absorbed_by(into.pk) is not None:
            raise MergerError(
                _("%(school)s đã sáp nhập vào trường khác, không tiếp nhận được.")
                % {"school": into.name}
            )
        return into
    if new_school is None or not new_school.name.strip():
        raise MergerError(_("Hãy chọn trường tiếp nhận hoặc ghi tên trường mới."))
    created = Organisation(
        name=new_school.name.strip(),
        short_name=new_school.short_name.strip(),
        abbreviation=new_school.abbreviation.strip(),
        kind=OrganisationKind.SCHOOL,
        parent=school.parent,
        place=school.place,
        valid_from=effective_on,
    )
    stamp(created, by)
    created.save()
    return created


def _succession(
    school: Organisation,
    successor: Organisation,
    document: Document,
    effective_on: dt.date,
    reason: str,
    by: User,
) -> Succession:
    """The tree's succession: the one already noted for these two schools (e.g. recorded when
    the tree was drawn), completed with the decision, else a new one."""
    others = Succession.objects.filter(predecessor=school, kind=SuccessionKind.MERGED).exclude(
        successor=successor
    )
    if others.exists():
        raise MergerError(
            _("Trường đã được ghi nhận sáp nhập vào %(other)s.")
            % {"other": others.select_related("successor").first().successor.name}  # type: ignore[union-attr]
        )
    succession = Succession.objects.filter(
        predecessor=school, successor=successor, kind=SuccessionKind.MERGED
    ).first() or Succession(predecessor=school, successor=successor, kind=SuccessionKind.MERGED)
    succession.effective_on = effective_on
    succession.decision_symbol = document.symbol
    succession.decision_date = document.issued_on
    succession.carried_out_at = timezone.now()
    stamp(succession, by, reason)
    succession.save()
    last_day = effective_on - dt.timedelta(days=1)
    if school.valid_to is None or school.valid_to > last_day:
        school.valid_to = last_day
        stamp(school, by, reason)
        school.save()
    return succession


def _redirect(
    body: Organisation, school: Organisation, successor: Organisation, by: User, reason: str
) -> None:
    """The body directs the new school in the old one's place (the old entry is archived, kept)."""
    entry = DirectedSchool._base_manager.filter(body=body, school=school).first()
    level = entry.level if entry is not None else ""
    if entry is not None and not entry.is_archived:
        stamp(entry, by, reason)
        entry.archive()
    if level and not DirectedSchool._base_manager.filter(body=body, school=successor).exists():
        added = DirectedSchool(body=body, school=successor, level=level)
        stamp(added, by, reason)
        added.save()


def move_school(
    school: Organisation,
    *,
    new_parent: Organisation,
    decision: Decision,
    effective_on: dt.date,
    body: Organisation | None,
    by: User,
) -> SchoolChange:
    """The school comes under another body (chuyển cơ quan chủ quản): its parent changes with
    the decision in the history; it keeps its people, plans and tasks. The new body directs it;
    the recording body, if it is another one, no longer does."""
    with scopes_disabled(), transaction.atomic():
        return _move(
            _locked(school), new_parent=new_parent, decision=decision, effective_on=effective_on,
            body=body, by=by,
        )  # fmt: skip


def _move(
    school: Organisation,
    *,
    new_parent: Organisation,
    decision: Decision,
    effective_on: dt.date,
    body: Organisation | None,
    by: User,
) -> SchoolChange:
    _check_school(school)
    _check_body(body, school)
    if new_parent.kind not in TOP_KINDS or new_parent.kind == OrganisationKind.SCHOOL:
        raise MergerError(_("Cơ quan chủ quản mới phải là một cơ quan quản lý (Sở, UBND…)."))
    if new_parent.pk == school.parent_id:
        raise MergerError(_("Trường đã trực thuộc cơ quan này."))
    document = _register_decision(decision, owner=body or new_parent, recipients=[school], by=by)
    reason = _("Chuyển về %(body)s theo Quyết định số %(symbol)s") % {
        "body": new_parent.name,
        "symbol": document.symbol,
    }
    former = school.parent
    school.parent = new_parent
    stamp(school, by, reason)
    school.save()
    if new_parent.kind in DIRECTING_KINDS:
        entry = (
            DirectedSchool._base_manager.filter(school=school, archived_at__isnull=True)
            .exclude(body=new_parent)
            .first()
        )
        if not DirectedSchool._base_manager.filter(body=new_parent, school=school).exists():
            added = DirectedSchool(
                body=new_parent, school=school, level=entry.level if entry else "college"
            )
            stamp(added, by, reason)
            added.save()
    if body is not None and body.pk != new_parent.pk:
        for entry in DirectedSchool._base_manager.filter(
            body=body, school=school, archived_at__isnull=True
        ):
            stamp(entry, by, reason)
            entry.archive()
    change = SchoolChange(
        body=body,
        kind=ChangeKind.MOVE,
        school=school,
        former_parent=former,
        new_parent=new_parent,
        decision=document,
        effective_on=effective_on,
        recorded_at=timezone.now(),
        recorded_by=by,
    )
    stamp(change, by, reason)
    change.save()
    return change
