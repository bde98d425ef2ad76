"""Excel in and out for residence: a term's dormitory allocations and off-campus declarations
come in through the shared import flow (core.sheets: dry run, errors by row and column, all rows
or none, a second import of the same file changes nothing); every list goes out.

A row names its student as the students app does (code, else name and date of birth: its
`Directory`). A student placed twice (in the file, or already in another room) is refused: a
move is made on the room's page, where the old place ends on a date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from core.sheets.reading import ReadResult
from core.sheets.rows import Lookup, Row
from core.sheets.sheet import Column, open_sheet
from core.sheets.writing import Out, SheetWriter
from core.text import format_date
from residence import links, services
from residence.figures import placed
from residence.models import (
    Allocation,
    Declaration,
    DeclarationLink,
    Housing,
    Priority,
    Room,
    Source,
    Term,
)
from students import feeds
from students.excel import Directory
from students.models import Student

MAX_ROWS = 20_000
ALLOCATIONS_SHEET = "Xếp chỗ nội trú"
DECLARATIONS_SHEET = "Khai báo ngoại trú"

CODE = Column("code", "Mã người học", aliases=("Mã sinh viên", "Mã SV", "Mã HSSV"))
NAME = Column("name", "Họ và tên", aliases=("Họ tên",))
BIRTH = Column("birth", "Ngày sinh")
ALLOCATION_COLUMNS = [
    CODE,
    NAME,
    BIRTH,
    Column("building", "Nhà", required=True, aliases=("Khu", "Nhà/khu")),
    Column("room", "Phòng", required=True),
    Column("bed", "Giường"),
    Column("priority", "Diện ưu tiên", required=True),
    Column("moved_in", "Ngày vào ở", required=True),
]
DECLARATION_COLUMNS = [
    CODE,
    NAME,
    BIRTH,
    Column("housing", "Hình thức ở", required=True),
    Column("address", "Địa chỉ", required=True, aliases=("Số nhà, đường, thôn/tổ",)),
    Column("ward", "Phường/xã", required=True, aliases=("Phường xã",)),
    Column("province", "Tỉnh/thành phố", required=True, aliases=("Tỉnh",)),
    Column("landlord", "Chủ nhà"),
    Column("landlord_phone", "Điện thoại chủ nhà"),
    Column("phone", "Điện thoại", aliases=("Điện thoại người học",)),
]


def _choices(choices: Sequence[tuple[str, Any]]) -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in choices]


def _student(row: Row, directory: Directory) -> Student | None:
    code = row.text("code", max_length=30) if row.sheet.has("code") else ""
    name = row.text("name", max_length=150) if row.sheet.has("name") else ""
    birth = row.date("birth") if row.sheet.has("birth") and row.present("birth") else None
    if not code and not (name and birth):
        row.error("code", _("Hãy ghi mã người học, hoặc họ tên và ngày sinh."))
        return None
    student, reported = directory.find(row, code, name, birth)
    if student is None and not reported:
        row.error(
            "code" if code else "name",
            _("Không có người học “%(who)s” trong danh sách của trường.")
            % {"who": code or f"{name} {format_date(birth)}"},
        )
    row.result.label = f"{student.code or '—'} {student.full_name}" if student else code or name
    return student


def _once(row: Row, student: Student, seen: dict[int, int]) -> bool:
    if student.pk in seen:
        row.error(
            "code",
            _("Người học đã có ở dòng %(row)d: mỗi người một chỗ.") % {"row": seen[student.pk]},
        )
        return False
    seen[student.pk] = row.row
    return True


# Allocations -------------------------------------------------------------------------------


def read_allocations(term: Term, data: bytes) -> ReadResult:
    """Check every place of the file against the term's rooms and places; writes nothing."""
    services.ensure_open_school(term.school_id)
    sheet = open_sheet(data, ALLOCATION_COLUMNS, sheet=ALLOCATIONS_SHEET, max_rows=MAX_ROWS)
    directory = Directory(term.school_id)
    rooms = list(
        Room.objects.active()
        .filter(building__school_id=term.school_id, building__archived_at__isnull=True)
        .select_related("building")
    )
    buildings = Lookup({r.building.pk: r.building for r in rooms}.values(), ["name"], _("nhà"))
    by_place = {(r.building_id, r.name.strip().casefold()): r for r in rooms}
    current = {a.student_id: a for a in placed(term).select_related("room__building")}
    taken = Counter((a.room_id, a.bed) for a in current.values())
    result = ReadResult(title=_("Xếp chỗ ở nội trú"))
    seen: dict[int, int] = {}
    wanted: dict[tuple[int, int], int] = {}
    pending: list[tuple[Row, Room]] = []
    for row in sheet.rows():
        result.add(row.result)
        student = _student(row, directory)
        building = row.lookup("building", buildings, required=True)
        room_name = row.text("room", required=True, max_length=30)
        bed = row.integer("bed", minimum=1) if row.present("bed") else None
        priority = row.choice("priority", _choices(Priority.choices), required=True)
        moved_in = row.date("moved_in", required=True)
        room = by_place.get((building.pk, room_name.casefold())) if building else None
        if building is not None and room_name and room is None:
            row.error(
                "room", _("Nhà %(b)s không có phòng “%(r)s”.") % {"b": building, "r": room_name}
            )
        if student is None or room is None or not _once(row, student, seen):
            continue
        if student.status != "studying":
            row.error("code", _("Người học không ở tình trạng đang học."))
        now = current.get(student.pk)
        try:
            if now is None or now.room_id != room.pk:  # a place already held is not made again
                services.check_gender(student, room)
        except services.ResidenceError as error:
            row.error("room", str(error))
        if bed is not None and bed > room.capacity:
            row.error(
                "bed", _("Phòng %(r)s chỉ có %(n)d giường.") % {"r": room, "n": room.capacity}
            )
        if now is not None and now.room_id != room.pk:
            row.error(
                "room",
                _("Người học đang ở phòng %(r)s: chuyển phòng trên trang của phòng.")
                % {"r": now.room},
            )
        if row.result.errors or priority is None or moved_in is None:
            continue
        row.result.values = {
            "student": student,
            "room": room,
            "bed": bed,
            "priority": priority,
            "moved_in_on": moved_in,
        }
        if now is not None:
            changes = []
            if bed is not None and bed != now.bed:
                changes.append(("Giường", str(now.bed), str(bed)))
            if priority != now.priority:
                changes.append(
                    ("Diện ưu tiên", now.get_priority_display(), str(Priority(priority).label))
                )
            if changes and bed is not None and bed != now.bed:
                row.error("bed", _("Đổi giường trên trang của phòng (chuyển chỗ)."))
                continue
            row.result.values["allocation"] = now
            row.result.changes = changes
            row.result.action = "update" if changes else "unchanged"
            continue
        if bed is not None:
            key = (room.pk, bed)
            if taken[key] or key in wanted:
                where = (
                    _("dòng %(row)d") % {"row": wanted[key]} if key in wanted else _("người đang ở")
                )
                row.error(
                    "bed",
                    _("Giường %(b)d phòng %(r)s đã có %(w)s.") % {"b": bed, "r": room, "w": where},
                )
                continue
            wanted[key] = row.row
        row.result.action = "create"
        pending.append((row, room))
    # Beds left blank get the lowest free ones; a room over its beds is refused.
    for row, room in pending:
        if row.result.values["bed"] is not None:
            continue
        used = {b for (r, b), n in taken.items() if r == room.pk and n} | {
            b for (r, b) in wanted if r == room.pk
        }
        free = next((b for b in range(1, room.capacity + 1) if b not in used), None)
        if free is None:
            row.error("room", _("Phòng %(r)s đã đủ %(n)d người.") % {"r": room, "n": room.capacity})
            row.result.action = ""
            continue
        wanted[(room.pk, free)] = row.row
        row.result.values["bed"] = free
    if not result.rows:
        result.problems.append(_("Trang tính không có dòng dữ liệu nào."))
    return result


@transaction.atomic
def import_allocations(term: Term, data: bytes, *, by: User) -> ReadResult:
    result = read_allocations(term, data)
    result.refuse_unless_ok()
    with feeds.batch(by=by):  # the fed targets once, after every row
        _allocate_rows(term, result, by=by)
    return result


def _allocate_rows(term: Term, result: ReadResult, *, by: User) -> None:
    for line in result.rows:
        values = dict(line.values)
        if line.action == "update":
            allocation: Allocation = values["allocation"]
            allocation.priority = values["priority"]
            allocation.save(update_fields=["priority"])
        elif line.action == "create":
            services.allocate(
                term,
                values["student"],
                values["room"],
                priority=values["priority"],
                moved_in_on=values["moved_in_on"],
                bed=values["bed"],
                by=by,
            )


# Declarations ------------------------------------------------------------------------------


def read_declarations(term: Term, data: bytes) -> ReadResult:
    services.ensure_open_school(term.school_id)
    sheet = open_sheet(data, DECLARATION_COLUMNS, sheet=DECLARATIONS_SHEET, max_rows=MAX_ROWS)
    directory = Directory(term.school_id)
    existing = {d.student_id: d for d in Declaration.objects.filter(term=term)}
    boarders = set(placed(term).values_list("student_id", flat=True))
    result = ReadResult(title=_("Khai báo ngoại trú"))
    seen: dict[int, int] = {}
    for row in sheet.rows():
        result.add(row.result)
        student = _student(row, directory)
        housing = row.choice("housing", _choices(Housing.choices), required=True)
        values: dict[str, Any] = {"housing": housing}
        for key, size in (
            ("address", 255),
            ("ward", 100),
            ("province", 100),
            ("landlord", 150),
            ("landlord_phone", 30),
            ("phone", 30),
        ):
            values[key] = row.text(
                key, required=key in ("address", "ward", "province"), max_length=size
            )
        if student is None or not _once(row, student, seen):
            continue
        if student.pk in boarders:
            row.error("code", _("Người học đang ở ký túc xá trong học kỳ này."))
        if row.result.errors or housing is None:
            continue
        try:
            clean = services.clean_declaration(values)
        except services.ResidenceError as error:
            row.error("housing", str(error))
            continue
        row.result.values = {"student": student, "values": clean}
        old = existing.get(student.pk)
        if old is None:
            row.result.action = "create"
            continue
        changes = [
            (str(DECLARATION_HEADERS[key]), str(getattr(old, key)), value)
            for key, value in clean.items()
            if getattr(old, key) != value
        ]
        row.result.changes = changes
        row.result.action = "update" if changes else "unchanged"
    if not result.rows:
        result.problems.append(_("Trang tính không có dòng dữ liệu nào."))
    return result


DECLARATION_HEADERS = {c.key: c.header for c in DECLARATION_COLUMNS}


@transaction.atomic
def import_declarations(term: Term, data: bytes, *, by: User, today: dt.date) -> ReadResult:
    result = read_declarations(term, data)
    result.refuse_unless_ok()
    with feeds.batch(by=by):  # the fed targets once, after every row
        _declare_rows(term, result, by=by, today=today)
    return result


def _declare_rows(term: Term, result: ReadResult, *, by: User, today: dt.date) -> None:
    for line in result.rows:
        if line.action in ("create", "update"):
            services.declare(
                term,
                line.values["student"],
                line.values["values"],
                source=Source.IMPORT,
                by=by,
                today=today,
            )


# Export ------------------------------------------------------------------------------------


def template_workbook(kind: str) -> bytes:
    workbook = SheetWriter(write_only=False)
    if kind == "allocations":
        workbook.sheet(ALLOCATIONS_SHEET, [c.header for c in ALLOCATION_COLUMNS], [])
        workbook.sheet(
            "Danh mục", ["Diện ưu tiên"], [[str(label)] for _v, label in Priority.choices]
        )
    else:
        workbook.sheet(DECLARATIONS_SHEET, [c.header for c in DECLARATION_COLUMNS], [])
        workbook.sheet("Danh mục", ["Hình thức ở"], [[str(label)] for _v, label in Housing.choices])
    return workbook.to_bytes()


def rooms_workbook(rows: Iterable[tuple[Room, int, int]]) -> bytes:
    workbook = SheetWriter()
    workbook.sheet(
        "Phòng ở",
        ["Nhà", "Phòng", "Tầng", "Dành cho", "Số giường", "Đang ở", "Còn trống"],
        (
            [
                r.building.name,
                r.name,
                r.floor,
                r.get_gender_display() or r.building.get_gender_display(),
                r.capacity,
                n,
                free,
            ]
            for r, n, free in rows
        ),
    )
    return workbook.to_bytes()


def allocations_workbook(allocations: Any) -> bytes:
    workbook = SheetWriter()
    workbook.sheet(
        ALLOCATIONS_SHEET,
        [*(c.header for c in ALLOCATION_COLUMNS), "Lớp", Out("Ngày rời phòng", kind="date")],
        (
            [
                a.student.code,
                a.student.full_name,
                a.student.birth_date,
                a.room.building.name,
                a.room.name,
                a.bed,
                a.get_priority_display(),
                a.moved_in_on,
                a.student.cohort.code,
                a.left_on,
            ]
            for a in allocations.iterator(chunk_size=2000)
        ),
    )
    return workbook.to_bytes()


def declarations_workbook(rows: Iterable[tuple[Student, Declaration | None]]) -> bytes:
    """Every off-campus student with their declaration (blank: not declared yet)."""
    workbook = SheetWriter()
    workbook.sheet(
        DECLARATIONS_SHEET,
        [
            *(c.header for c in DECLARATION_COLUMNS),
            "Lớp",
            Out("Khai báo lúc", kind="date"),
            "Nguồn",
        ],
        (
            [
                s.code,
                s.full_name,
                s.birth_date,
                *(
                    [
                        d.get_housing_display(),
                        d.address,
                        d.ward,
                        d.province,
                        d.landlord,
                        d.landlord_phone,
                        d.phone,
                        s.cohort.code,
                        d.declared_at,
                        d.get_source_display(),
                    ]
                    if d
                    else ["", "", "", "", "", "", "", s.cohort.code, None, "Chưa khai báo"]
                ),
            ]
            for s, d in rows
        ),
    )
    return workbook.to_bytes()


def links_workbook(term: Term, lines: Iterable[DeclarationLink], base_url: str) -> bytes:
    """A class's links and codes for the adviser to hand out."""
    workbook = SheetWriter()
    workbook.sheet(
        "Mã khai báo",
        [
            "Mã người học",
            "Họ và tên",
            "Lớp",
            Out("Đường dẫn", 60),
            "Mã khai báo",
            Out("Hạn khai báo", kind="date"),
        ],
        (
            [
                link.student.code,
                link.student.full_name,
                link.student.cohort.code,
                base_url.replace("TOKEN", links.token(link)),
                links.code(link),
                term.declare_until,
            ]
            for link in lines
        ),
    )
    return workbook.to_bytes()
