"""Every change of the residence data is a named, atomic action here: terms, buildings and
rooms, a term's allocations (a place, a move, a departure), off-campus declarations and
inspections. A rule that refuses raises ResidenceError with the Vietnamese message shown."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import stamp
from core.clock import today
from core.errors import DomainError
from organisations import merging
from residence.models import (
    Allocation,
    Building,
    Declaration,
    Gender,
    Housing,
    Inspection,
    InspectionKind,
    Room,
    Source,
    Term,
)
from students import feeds, versions
from students.models import Status, Student


class ResidenceError(DomainError):
    pass


def ensure_open_school(school_id: int | None) -> None:
    """A school merged into another keeps its residence records as history: nothing is added or
    changed, by the school or by a student's link (organisations.merging)."""
    merging.ensure_open_school(
        school_id, what=_("thông tin nội trú, ngoại trú"), error=ResidenceError
    )


@transaction.atomic
def save_term(term: Term, *, by: User) -> Term:
    ensure_open_school(term.school_id)
    if term.ends_on < term.starts_on:
        raise ResidenceError(_("Ngày kết thúc học kỳ trước ngày bắt đầu."))
    if term.declare_until < term.declare_from:
        raise ResidenceError(_("Hạn khai báo ngoại trú kết thúc trước khi bắt đầu."))
    clash = Term.objects.filter(school_id=term.school_id, name=term.name)
    if term.pk:
        clash = clash.exclude(pk=term.pk)
    if clash.exists():
        raise ResidenceError(_("Đã có học kỳ “%(name)s”.") % {"name": term.name})
    stamp(term, by)
    term.save()
    versions.changed(term.school_id)  # the residence pages' figures (beds, terms)
    return term


def _check_occupants(rooms: Q, gender: str, where: str) -> None:
    """A room or building given to one gender keeps no one of the other living in it (this
    term's or a coming term's places)."""
    if gender not in (Gender.MALE, Gender.FEMALE):
        return
    other = (
        Allocation.objects.filter(rooms, left_on__isnull=True, term__ends_on__gte=today())
        .exclude(student__gender__in=["", gender])
        .select_related("student", "room")
        .order_by("room__name", "bed")
        .first()
    )
    if other is not None:
        raise ResidenceError(
            _(
                "%(where)s đang có %(who)s (%(gender)s, phòng %(room)s): không dành riêng cho "
                "%(new)s khi chưa chuyển người này đi."
            )
            % {
                "where": where,
                "who": other.student.full_name,
                "gender": other.student.get_gender_display().lower(),
                "room": other.room.name,
                "new": Gender(gender).label.lower(),
            }
        )


@transaction.atomic
def save_building(building: Building, *, by: User) -> Building:
    ensure_open_school(building.school_id)
    if building.pk:
        # Rooms of no gender of their own follow the building's.
        _check_occupants(
            Q(room__building=building, room__gender=""), building.gender, str(building)
        )
    stamp(building, by)
    building.save()
    versions.changed(building.school_id)  # the residence pages' figures (beds, terms)
    return building


@transaction.atomic
def save_room(room: Room, *, by: User) -> Room:
    ensure_open_school(room.building.school_id)
    clash = Room.objects.active().filter(building=room.building, name=room.name)
    if room.pk:
        clash = clash.exclude(pk=room.pk)
        highest = (
            Allocation.objects.filter(room=room, left_on__isnull=True)
            .order_by("-bed")
            .values_list("bed", flat=True)
            .first()
        )
        if highest and highest > room.capacity:
            raise ResidenceError(
                _("Giường số %(bed)d đang có người ở: không giảm số giường dưới mức đó.")
                % {"bed": highest}
            )
    if clash.exists():
        raise ResidenceError(_("Nhà này đã có phòng %(name)s.") % {"name": room.name})
    if room.pk:
        _check_occupants(Q(room=room), room.gender_for, _("Phòng %(name)s") % {"name": room.name})
    stamp(room, by)
    room.save()
    versions.changed(room.building.school_id)  # the residence pages' figures (beds, terms)
    return room


def _check_student(term: Term, student: Student) -> None:
    if student.school_id != term.school_id or student.is_archived:
        raise ResidenceError(_("Người học không thuộc trường này."))
    if student.status != Status.STUDYING:
        raise ResidenceError(_("%(who)s không ở tình trạng đang học.") % {"who": student.full_name})


def check_gender(student: Student, room: Room) -> None:
    """A room for men or for women takes only students of that gender (a student whose gender
    the list does not give is not refused: the office checks)."""
    room_gender = room.gender_for
    if (
        student.gender
        and room_gender in (Gender.MALE, Gender.FEMALE)
        and student.gender != room_gender
    ):
        raise ResidenceError(
            _("Phòng %(room)s dành cho %(room_gender)s: không xếp %(who)s (%(gender)s).")
            % {
                "room": room,
                "room_gender": Gender(room_gender).label.lower(),
                "who": student.full_name,
                "gender": student.get_gender_display().lower(),
            }
        )


def free_bed(room: Room, term: Term, taken: set[int] | None = None) -> int | None:
    """The lowest free bed of the room in the term (beds in `taken` also count as taken)."""
    used = set(
        Allocation.objects.filter(term=term, room=room, left_on__isnull=True).values_list(
            "bed", flat=True
        )
    ) | (taken or set())
    return next((bed for bed in range(1, room.capacity + 1) if bed not in used), None)


def check_place(term: Term, student: Student, room: Room, bed: int | None) -> int:
    """The bed the student would get (refused: another school's room, a room full, a bed
    taken or out of range, a student already placed in the term)."""
    _check_student(term, student)
    if room.building.school_id != term.school_id or room.is_archived:
        raise ResidenceError(_("Phòng không thuộc ký túc xá của trường."))
    check_gender(student, room)
    current = (
        Allocation.objects.filter(term=term, student=student, left_on__isnull=True)
        .select_related("room__building")
        .first()
    )
    if current is not None:
        raise ResidenceError(
            _("%(who)s đang ở phòng %(room)s, giường %(bed)d: hãy chuyển phòng thay vì xếp thêm.")
            % {"who": student.full_name, "room": current.room, "bed": current.bed}
        )
    if bed is None:
        found = free_bed(room, term)
        if found is None:
            raise ResidenceError(_("Phòng %(room)s đã đủ người.") % {"room": room})
        return found
    if not 1 <= bed <= room.capacity:
        raise ResidenceError(
            _("Phòng %(room)s chỉ có giường 1 đến %(n)d.") % {"room": room, "n": room.capacity}
        )
    if Allocation.objects.filter(term=term, room=room, bed=bed, left_on__isnull=True).exists():
        raise ResidenceError(
            _("Giường %(bed)d phòng %(room)s đã có người.") % {"bed": bed, "room": room}
        )
    return bed


@transaction.atomic
def allocate(
    term: Term,
    student: Student,
    room: Room,
    *,
    priority: str,
    moved_in_on: dt.date,
    bed: int | None = None,
    note: str = "",
    by: User,
) -> Allocation:
    ensure_open_school(term.school_id)
    bed = check_place(term, student, room, bed)
    allocation = Allocation(
        term=term,
        student=student,
        room=room,
        bed=bed,
        priority=priority,
        moved_in_on=moved_in_on,
        note=note,
    )
    stamp(allocation, by, _("Xếp chỗ ở"))
    allocation.save()
    feeds.refresh(term.school_id, by=by)  # targets measured by the dormitory's occupancy
    return allocation


@transaction.atomic
def leave(allocation: Allocation, *, on: dt.date, by: User, reason: str = "") -> Allocation:
    ensure_open_school(allocation.term.school_id)
    if allocation.left_on is not None:
        raise ResidenceError(_("Người học đã rời phòng này."))
    if on < allocation.moved_in_on:
        raise ResidenceError(_("Ngày rời phòng trước ngày vào ở."))
    allocation.left_on = on
    stamp(allocation, by, reason or _("Rời ký túc xá"))
    allocation.save(update_fields=["left_on"])
    feeds.refresh(allocation.term.school_id, by=by)
    return allocation


@transaction.atomic
def move(
    allocation: Allocation, room: Room, *, on: dt.date, bed: int | None = None, by: User
) -> Allocation:
    """Move the student to another room (or bed) from `on`: the old place ends that day."""
    leave(allocation, on=on, by=by, reason=_("Chuyển phòng"))
    return allocate(
        allocation.term,
        allocation.student,
        room,
        priority=allocation.priority,
        moved_in_on=on,
        bed=bed,
        note=allocation.note,
        by=by,
    )


DECLARED_FIELDS = ("housing", "address", "ward", "province", "landlord", "landlord_phone", "phone")


def clean_declaration(values: dict[str, Any]) -> dict[str, str]:
    """The declared values trimmed and checked (a rented room names its landlord)."""
    data = {key: str(values.get(key) or "").strip() for key in DECLARED_FIELDS}
    if data["housing"] not in Housing.values:
        raise ResidenceError(_("Hãy chọn hình thức ở."))
    for key, label in (
        ("address", _("Địa chỉ")),
        ("ward", _("Phường/xã")),
        ("province", _("Tỉnh/thành phố")),
    ):
        if not data[key]:
            raise ResidenceError(_("%(label)s là bắt buộc.") % {"label": label})
    if data["housing"] == Housing.RENTED and not (data["landlord"] and data["landlord_phone"]):
        raise ResidenceError(_("Thuê nhà, phòng trọ: hãy ghi tên và điện thoại chủ nhà."))
    for key, size in (("address", 255), ("ward", 100), ("province", 100), ("landlord", 150)):
        if len(data[key]) > size:
            raise ResidenceError(_("Nội dung quá dài."))
    for key in ("landlord_phone", "phone"):
        digits = data[key].replace(" ", "").replace(".", "").replace("+", "")
        if data[key] and (
            not (digits.isascii() and digits.isdigit()) or not 8 <= len(digits) <= 15
        ):
            raise ResidenceError(_("Số điện thoại không hợp lệ."))
    return data


@transaction.atomic
def declare(
    term: Term,
    student: Student,
    values: dict[str, Any],
    *,
    source: str,
    by: User | None,
    today: dt.date,
) -> Declaration:
    """The student's address for the term (replaces an earlier one; a student declares only in
    the term's window, the school at any time)."""
    ensure_open_school(term.school_id)
    _check_student(term, student)
    if source == Source.LINK and not term.window_open(today):
        raise ResidenceError(
            _("Đã hết hạn khai báo (%(a)s – %(b)s): hãy liên hệ giáo viên chủ nhiệm.")
            % {"a": f"{term.declare_from:%d/%m/%Y}", "b": f"{term.declare_until:%d/%m/%Y}"}
        )
    data = clean_declaration(values)
    declaration = Declaration.objects.filter(term=term, student=student).first() or Declaration(
        term=term, student=student
    )
    for key, value in data.items():
        setattr(declaration, key, value)
    declaration.declared_at = timezone.now()
    declaration.source = source
    stamp(declaration, by, str(Source(source).label))
    declaration.save()
    feeds.refresh(term.school_id, by=by)  # targets measured by the declaration rate
    return declaration


@transaction.atomic
def record_inspection(inspection: Inspection, *, by: User) -> Inspection:
    ensure_open_school(inspection.term.school_id)
    if inspection.kind == InspectionKind.ROOM:
        if (
            inspection.room is None
            or inspection.room.building.school_id != inspection.term.school_id
        ):
            raise ResidenceError(_("Hãy chọn phòng được kiểm tra."))
        inspection.student = None
    else:
        student = inspection.student
        if student is None or student.school_id != inspection.term.school_id:
            raise ResidenceError(_("Hãy chọn người học được thăm."))
        inspection.room = None
    if not inspection.term.starts_on <= inspection.visited_on <= inspection.term.ends_on:
        raise ResidenceError(_("Ngày kiểm tra ngoài học kỳ."))
    inspection.created_by = by
    stamp(inspection, by)
    inspection.save()
    return inspection
