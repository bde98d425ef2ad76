"""Excel in and out for teaching load: the semester's sections, the assignment, the statements.

Import is validate-first: `read_sections` reports, per row, what would be created or changed and
every error with its row and column; `import_sections` then writes all rows or none.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import stamp
from core.sheets.reading import BadWorkbook, ReadResult, RowResult
from core.sheets.sheet import Column, open_sheet
from core.sheets.writing import SheetWriter
from core.text import fold, parse_number
from organisations.models import Organisation
from workload import norms, services
from workload.models import ActivityKind, Lecturer, Section, Term

__all__ = ["BadWorkbook", "ReadResult", "RowResult", "import_sections", "read_sections"]

MAX_ROWS = 20_000

COLUMNS = {
    "code": "Mã lớp học phần",
    "course": "Học phần",
    "group": "Tổ bộ môn",
    "kind": "Loại hoạt động",
    "units": "Số tiết",
    "class_size": "Sĩ số",
    "open_to": "Mở cho tổ",
    "only": "Chỉ giảng viên",
    "manual": "Phân công thủ công",
}
REQUIRED = ["code", "course", "group", "kind", "units", "class_size"]
SHEET_COLUMNS = [Column(key, label, required=key in REQUIRED) for key, label in COLUMNS.items()]


def _key(value: Any) -> str:
    return fold(str(value or "")).strip()


def read_sections(term: Term, data: bytes) -> ReadResult:
    """Check every row of the uploaded sheet against the semester; writes nothing."""
    services.ensure_open_school(term.school_id)
    sheet = open_sheet(data, SHEET_COLUMNS, max_rows=MAX_ROWS)
    position = sheet.positions
    rules = services.rules_for(term)
    groups = _index(
        Organisation.objects.active().filter(school_id=term.school_id),
        ("code", "name", "short_name"),
    )
    kinds = _index(ActivityKind.objects.filter(rules=rules), ("code", "name"))
    lecturers = _index(Lecturer.objects.filter(group__school_id=term.school_id), ("code",))
    existing = {
        s.code: s
        for s in Section.objects.active()
        .filter(term=term)
        .prefetch_related("open_to_groups", "only_lecturers")
    }
    bands = services.size_bands(rules)
    results: list[RowResult] = []
    seen: dict[str, int] = {}
    for line in sheet.rows():
        number = line.row
        cell = {name: line.raw.get(name) for name in position}
        result = RowResult(
            row=number, label=str(cell["code"] or "").strip(), errors=line.result.errors
        )
        results.append(result)

        def error(name: str, message: str, result: RowResult = result) -> None:
            result.errors.append((COLUMNS[name], message))

        for name in REQUIRED:
            if cell[name] in (None, "") and not any(c == COLUMNS[name] for c, _m in result.errors):
                error(name, _("Ô bắt buộc đang trống."))
        if result.label in seen:
            error("code", _("Trùng mã với dòng %(row)d.") % {"row": seen[result.label]})
        seen.setdefault(result.label, number)
        group = groups.get(_key(cell["group"])) if cell["group"] else None
        if cell["group"] and group is None:
            error("group", _("Không có tổ bộ môn “%(v)s” trong trường.") % {"v": cell["group"]})
        kind = kinds.get(_key(cell["kind"])) if cell["kind"] else None
        if cell["kind"] and kind is None:
            error(
                "kind",
                _("Không có loại hoạt động “%(v)s” trong bảng quy đổi.") % {"v": cell["kind"]},
            )
        units = _number(cell["units"], "units", error)
        size = _number(cell["class_size"], "class_size", error)
        if size is not None and (size != size.to_integral_value() or size < 1):
            error("class_size", _("Sĩ số phải là số nguyên dương."))
            size = None
        if units is not None and units <= 0:
            error("units", _("Số tiết phải lớn hơn 0."))
            units = None
        open_to = _list(cell.get("open_to"), groups, "open_to", error)
        only = _list(cell.get("only"), lecturers, "only", error)
        manual = lecturers.get(_key(cell.get("manual"))) if cell.get("manual") else None
        if cell.get("manual") and manual is None:
            error("manual", _("Không có giảng viên mã “%(v)s”.") % {"v": cell["manual"]})
        if result.errors:
            continue
        assert group and kind and units is not None and size is not None
        hours = norms.section_hours(
            units, kind.hours_per_unit, int(size), bands, applies_class_size=kind.applies_class_size
        )
        result.values = {
            "course": str(cell["course"]).strip(), "group": group, "kind": kind, "units": units,
            "class_size": int(size), "hours": hours, "open_to": open_to, "only": only, "manual": manual,
        }  # fmt: skip
        current = existing.get(result.label)
        result.action = (
            "create"
            if current is None
            else ("unchanged" if _same(current, result.values) else "update")
        )
    return ReadResult(rows=results)


def _index(queryset: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    index: dict[str, Any] = {}
    for obj in queryset:
        for name in fields:
            value = getattr(obj, name)
            if value:
                index.setdefault(_key(value), obj)
    return index


def _number(value: Any, name: str, error: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        error(name, _("Cần một số."))
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    try:
        return parse_number(str(value))
    except (ValueError, InvalidOperation):
        error(name, _("“%(v)s” không phải là số (viết 1.234,5 hoặc 1234.5).") % {"v": value})
        return None


def _list(value: Any, index: dict[str, Any], name: str, error: Any) -> list[Any]:
    found = []
    for part in str(value or "").replace(";", ",").split(","):
        if not part.strip():
            continue
        item = index.get(_key(part))
        if item is None:
            error(name, _("Không tìm thấy “%(v)s”.") % {"v": part.strip()})
        else:
            found.append(item)
    return found


def _same(section: Section, values: dict[str, Any]) -> bool:
    return (
        section.course == values["course"]
        and section.group_id == values["group"].pk
        and section.kind_id == values["kind"].pk
        and section.units == values["units"]
        and section.class_size == values["class_size"]
        and section.manual_to_id == (values["manual"].pk if values["manual"] else None)
        and {g.pk for g in section.open_to_groups.all()} == {g.pk for g in values["open_to"]}
        and {lec.pk for lec in section.only_lecturers.all()} == {lec.pk for lec in values["only"]}
    )


@transaction.atomic
def import_sections(term: Term, data: bytes, *, by: User) -> ReadResult:
    """Write every row, or nothing when any row has an error."""
    result = read_sections(term, data)
    result.refuse_unless_ok()
    existing = {s.code: s for s in Section.objects.active().filter(term=term)}
    for row in result.rows:
        if row.action == "unchanged":
            continue
        values = row.values
        section = existing.get(row.label) or Section(term=term, code=row.label)
        section.course = values["course"]
        section.group = values["group"]
        section.kind = values["kind"]
        section.units = values["units"]
        section.class_size = values["class_size"]
        section.hours = values["hours"]
        section.manual_to = values["manual"]
        if section.pk is None and values["manual"] is not None:
            section.assigned_to = values["manual"]
        stamp(section, by, _("Nhập từ Excel"))
        section.save()
        section.open_to_groups.set(values["open_to"])
        section.only_lecturers.set(values["only"])
    return result


# Export ---------------------------------------------------------------------------------------


def template_workbook() -> bytes:
    """An empty sheet with the expected headers, for the training office to fill in."""
    workbook = SheetWriter(write_only=False)
    workbook.sheet("Lớp học phần", list(COLUMNS.values()), [])
    return workbook.to_bytes()


def assignment_workbook(term: Term) -> bytes:
    sections = (
        Section.objects.active()
        .filter(term=term)
        .select_related("group", "kind", "assigned_to__person", "locked_to", "manual_to")
        .prefetch_related("open_to_groups", "only_lecturers")
    )
    rows = [
        [
            s.code, s.course, s.group.code or s.group.name, s.kind.code, float(s.units), s.class_size,
            ", ".join(g.code or g.name for g in s.open_to_groups.all()),
            ", ".join(lec.code for lec in s.only_lecturers.all()),
            s.manual_to.code if s.manual_to else "", float(s.hours),
            s.assigned_to.code if s.assigned_to else "", s.assigned_to.person.full_name if s.assigned_to else "",
            "x" if s.locked_to_id else "",
        ]
        for s in sections
    ]  # fmt: skip
    workbook = SheetWriter(write_only=False)
    header = [*COLUMNS.values(), "Giờ chuẩn", "Mã giảng viên", "Giảng viên", "Đã chốt"]
    workbook.sheet("Phân công", header, rows)
    return workbook.to_bytes()


def statements_workbook(term: Term, only: Lecturer | None = None) -> bytes:
    """Bản kê giờ chuẩn: a summary sheet and one sheet per lecturer with each section."""
    rows = [r for r in services.lecturer_rows(term) if only is None or r.lecturer.pk == only.pk]
    by_lecturer: dict[int | None, list[Section]] = {}
    for section in (
        Section.objects.active()
        .filter(term=term, assigned_to__isnull=False)
        .select_related("kind", "group")
    ):
        by_lecturer.setdefault(section.assigned_to_id, []).append(section)
    workbook = SheetWriter(write_only=False)
    summary = [
        [
            r.lecturer.code, r.lecturer.person.full_name, str(r.lecturer.group), r.lecturer.title,
            float(r.target.annual_norm), float(r.target.share), float(r.target.availability),
            float(r.target.target), float(r.target.max_load), float(r.load),
            float(r.load - r.target.target), float(r.other_load),
        ]
        for r in rows
    ]  # fmt: skip
    workbook.sheet(
        "Tổng hợp",
        ["Mã GV", "Họ và tên", "Tổ bộ môn", "Chức danh", "Định mức năm", "Tỷ lệ giảng dạy (%)",
         "Tỷ lệ làm việc", "Giờ chuẩn phải dạy", "Tối đa", "Giờ đã phân công", "Chênh lệch",
         "Học kỳ còn lại"],
        summary,
    )  # fmt: skip
    for r in rows:
        title = f"{r.lecturer.code} {r.lecturer.person.given_name}"  # SheetWriter dedups titles
        sections = by_lecturer.get(r.lecturer.pk, [])
        lines: list[list[Any]] = [
            [s.code, s.course, s.kind.name, float(s.units), s.class_size, float(s.hours)]
            for s in sections
        ]
        lines.append(
            ["", _("Cộng"), "", "", "", float(sum((s.hours for s in sections), Decimal(0)))]
        )
        workbook.sheet(
            title,
            ["Mã lớp HP", "Học phần", "Hoạt động", "Số tiết", "Sĩ số", "Giờ chuẩn"],
            lines,
        )
    return workbook.to_bytes()
