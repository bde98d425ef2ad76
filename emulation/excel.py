"""Emulation in Excel: the registration sheet (a unit's list, or every unit's on a sheet each) and
the titles of past years, imported upload → dry run → confirm (core.sheets.flow).

The titles sheet has one row per person (or per unit, with no name) and school year: "Năm học"
("2022-2023"), "Họ và tên" and/or "Thư điện tử" to find the person, "Đơn vị" (the unit; for a
collective title the unit is who gets it), "Danh hiệu" ("LĐTT, CSTĐCS", names or abbreviations,
diacritics optional), "Xếp loại" (HTXS, HTT, HT, KHT), "Quyết định", "Ghi chú". A row whose person
and year are already recorded updates them; rows missing from the file are left as they are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import stamp
from core.sheets.reading import ReadResult, value_key
from core.sheets.rows import Lookup, Row
from core.sheets.sheet import Column, open_sheet
from core.sheets.writing import Out, SheetWriter
from emulation.engine import Level, SchoolYear, Title
from emulation.models import BY_DECISION, Campaign, Registration, TitleHistory, TitleSource
from organisations.models import Organisation, Person

# Registrations ----------------------------------------------------------------------------------

REGISTRATION_HEADERS = [
    Out("STT", 6),
    Out("Họ và tên", 28),
    Out("Đơn vị", 24),
    Out("Danh hiệu đăng ký", 22),
    Out("Nội dung cam kết", 60),
    Out("Trạng thái", 18),
    Out("Ý kiến của trưởng đơn vị", 30),
]


def registrations_workbook(campaign: Campaign, units: Sequence[Organisation] | None) -> bytes:
    """One sheet per unit (every unit with a registration when `units` is None): the unit's
    collective registration first, then its people by name. Two queries."""
    rows = (
        Registration.objects.active()
        .filter(campaign=campaign)
        .select_related("person", "unit")
        .order_by("unit__order", "unit__name", "person__sort_key", "pk")
    )
    if units is not None:
        rows = rows.filter(unit__in=list(units))
    by_unit: dict[int, list[Registration]] = {}
    names: dict[int, Organisation] = {unit.pk: unit for unit in units or []}
    for registration in rows:
        by_unit.setdefault(registration.unit_id, []).append(registration)
        names[registration.unit_id] = registration.unit
    book = SheetWriter()
    order = [unit.pk for unit in units] if units is not None else list(by_unit)
    for unit_id in order:
        unit = names[unit_id]
        lines = sorted(by_unit.get(unit_id, []), key=lambda r: r.person_id is not None)
        book.sheet(
            unit.short_name or unit.name,
            REGISTRATION_HEADERS,
            [
                [
                    number,
                    r.person.full_name if r.person else _("Tập thể %(unit)s") % {"unit": unit.name},
                    unit.name,
                    ", ".join(r.titles),
                    r.commitments,
                    r.get_status_display(),
                    r.head_note,
                ]
                for number, r in enumerate(lines, start=1)
            ],
        )
    if not order:
        book.sheet(_("Đăng ký thi đua"), REGISTRATION_HEADERS, [])
    return book.to_bytes()


# Titles of past years ---------------------------------------------------------------------------

TITLES_SHEET = "Danh hiệu các năm"
TITLE_COLUMNS = [
    Column("year", "Năm học", required=True),
    Column("name", "Họ và tên"),
    Column("email", "Thư điện tử", aliases=("Email", "E-mail")),
    Column("unit", "Đơn vị"),
    Column("titles", "Danh hiệu", required=True),
    Column("level", "Xếp loại"),
    Column("decision", "Quyết định", aliases=("Số quyết định",)),
    Column("note", "Ghi chú"),
]
_TITLE_KEYS = {
    **{value_key(title.value): title for title in Title},
    **{value_key(title.label): title for title in Title},
    **{value_key(title.label.split(" (")[0]): title for title in Title},
}


def parse_titles(text: str) -> tuple[list[Title], list[str]]:
    """ "LĐTT, CSTĐCS" (names or abbreviations, diacritics optional) → titles, and what was not
    understood."""
    found: list[Title] = []
    unknown: list[str] = []
    for part in re.split(r"[,;\n]", text or ""):
        key = value_key(part)
        if not key or key in ("-", "khong", "0"):
            continue
        title = _TITLE_KEYS.get(key)
        if title is None:
            unknown.append(part.strip())
        elif title not in found:
            found.append(title)
    return [title for title in Title if title in found], unknown


def _level(row: Row) -> str | None:
    text = row.text("level").upper().replace(" ", "")
    if not text:
        return None
    try:
        return Level(text).value
    except ValueError:
        row.error("level", _("Xếp loại là HTXS, HTT, HT hoặc KHT."))
        return None


def read_titles(school: Organisation, data: bytes) -> ReadResult:
    """Check every row against the school's people and units; writes nothing."""
    sheet = open_sheet(data, TITLE_COLUMNS, sheet=TITLES_SHEET)
    people = list(Person.objects.filter(school=school))
    by_name = Lookup(people, ["full_name"], _("người"))
    by_email = Lookup([p for p in people if p.email], ["email"], _("người có thư điện tử"))
    units = Lookup(
        Organisation.objects.active().units_of(school),
        ["code", "name", "short_name"],
        _("đơn vị"),
    )
    existing = {
        (row.person_id, row.unit_id if row.person_id is None else None, row.start_year): row
        for row in TitleHistory.objects.active().filter(school=school)
    }
    result = ReadResult(title=_("Danh hiệu các năm"))
    seen: dict[tuple[Any, ...], int] = {}
    for row in sheet.rows():
        result.add(row.result)
        year_text = row.text("year", required=True)
        start: int | None = None
        if year_text:
            try:
                start = SchoolYear.parse(year_text.replace("–", "-")).start
            except ValueError:
                row.error("year", _("Năm học viết dạng 2022-2023."))
        person = None
        if row.present("email"):
            person = row.lookup("email", by_email)
        elif row.present("name"):
            person = row.lookup("name", by_name)
        unit = row.lookup("unit", units) if row.present("unit") else None
        if person is None and unit is None and not row.result.errors:
            row.error("name", _("Hãy ghi họ và tên (cá nhân) hoặc đơn vị (tập thể)."))
        found = _key(person, unit, start)
        by_decision = existing.get(found) if found is not None else None
        if found is not None and by_decision is not None and by_decision.source in BY_DECISION:
            # Written by a decision (the school's on the system, or the level above's, whose
            # titles may be named freely: a Bằng khen): read back as it is, never changed here.
            row.result.label = f"{year_text} · {by_decision}"
            if _as_written(by_decision) != _as_read(row):
                row.error(
                    "titles",
                    _(
                        "Danh hiệu năm này ghi theo quyết định (%(decision)s): không sửa bằng "
                        "tệp Excel; hãy điều chỉnh bằng quyết định."
                    )
                    % {"decision": by_decision.decision or by_decision.higher_decision or "—"},
                )
                continue
            seen[found] = row.row
            row.result.action = "unchanged"
            continue
        titles, unknown = parse_titles(row.text("titles", required=True))
        if unknown:
            row.error("titles", _("Không rõ danh hiệu: %(v)s.") % {"v": ", ".join(unknown)})
        if person is not None and any(not title.is_individual for title in titles):
            row.error("titles", _("Cá nhân chỉ nhận danh hiệu cá nhân."))
        if person is None and unit is not None and any(title.is_individual for title in titles):
            row.error("titles", _("Đơn vị chỉ nhận danh hiệu tập thể."))
        level = _level(row)
        if person is None and level:
            row.error("level", _("Xếp loại chỉ ghi cho cá nhân."))
        decision = row.text("decision", max_length=255)
        note = row.text("note", max_length=2000)
        who = person.full_name if person else (unit.name if unit else "")
        row.result.label = f"{year_text} · {who}: {', '.join(t.value for t in titles) or '—'}"
        if row.result.errors or start is None:
            continue
        key = (person.pk if person else None, None if person else unit.pk, start)  # type: ignore[union-attr]  # one of them is set
        if key in seen:
            row.error("year", _("Trùng với dòng %(row)d.") % {"row": seen[key]})
            continue
        seen[key] = row.row
        values = {
            "person": person,
            "unit": unit if unit is not None else None,
            "start_year": start,
            "titles": [title.value for title in titles],
            "level": level,
            "decision": decision,
            "note": note,
        }
        row.result.values = values
        current = existing.get(key)
        if current is None:
            row.result.action = "create"
        else:
            changes = _changes(current, values)
            row.result.changes = changes
            row.result.action = "update" if changes else "unchanged"
    if not result.rows:
        result.problems.append(_("Trang tính không có dòng dữ liệu nào."))
    return result


def _key(
    person: Person | None, unit: Organisation | None, start: int | None
) -> tuple[int | None, int | None, int] | None:
    """A row's key among the school's titles: (person, None, year) or (None, unit, year)."""
    if start is None:
        return None
    if person is not None:
        return (person.pk, None, start)
    if unit is not None:
        return (None, unit.pk, start)
    return None


def _as_written(current: TitleHistory) -> tuple[str, ...]:
    """A row as the export writes it (titles_workbook)."""
    return (", ".join(current.titles), current.level or "", current.decision or "", current.note)


def _as_read(row: Row) -> tuple[str, ...]:
    return (
        row.text("titles"),
        row.text("level").upper().replace(" ", ""),
        row.text("decision"),
        row.text("note"),
    )


def _changes(current: TitleHistory, values: dict[str, Any]) -> list[tuple[str, str, str]]:
    changes = []
    for key, header in (
        ("titles", "Danh hiệu"),
        ("level", "Xếp loại"),
        ("decision", "Quyết định"),
        ("note", "Ghi chú"),
    ):
        old, new = getattr(current, key), values[key]
        if key == "titles":
            old, new = ", ".join(old), ", ".join(new)
        if (old or "") != (new or ""):
            changes.append((header, str(old or ""), str(new or "")))
    unit = values["unit"]
    if values["person"] is not None and unit is not None and current.unit_id != unit.pk:
        changes.append(("Đơn vị", str(current.unit or ""), unit.name))
    return changes


@transaction.atomic
def import_titles(school: Organisation, data: bytes, *, by: User) -> ReadResult:
    """Write every row, or nothing when any row has an error."""
    result = read_titles(school, data)
    result.refuse_unless_ok()
    existing = {
        (row.person_id, row.unit_id if row.person_id is None else None, row.start_year): row
        for row in TitleHistory.objects.active().filter(school=school)
    }
    for line in result.rows:
        if line.action not in ("create", "update"):
            continue
        values = line.values
        person, unit = values["person"], values["unit"]
        key = (person.pk if person else None, None if person else unit.pk, values["start_year"])
        row = existing.get(key) or TitleHistory(
            school=school, person=person, start_year=values["start_year"]
        )
        if unit is not None:
            row.unit = unit
        row.titles = values["titles"]
        row.level = values["level"]
        row.decision = values["decision"]
        row.note = values["note"]
        row.source = TitleSource.IMPORTED
        stamp(row, by, _("Nhập từ Excel"))
        row.save()
    return result


def titles_workbook(school: Organisation) -> bytes:
    """The school's titles of past years in the import's format: the sample file, filled in."""
    rows = (
        TitleHistory.objects.active()
        .filter(school=school)
        .select_related("person", "unit")
        .order_by("-start_year", "person__sort_key", "pk")
    )
    book = SheetWriter()
    book.sheet(
        TITLES_SHEET,
        [
            Out(column.header, 24 if column.key in ("name", "unit") else None)
            for column in TITLE_COLUMNS
        ],
        [
            [
                row.year_label.replace("–", "-"),
                row.person.full_name if row.person else "",
                row.person.email if row.person else "",
                row.unit.name if row.unit else "",
                ", ".join(row.titles),
                row.level or "",
                row.decision,
                row.note,
            ]
            for row in rows
        ],
    )
    return book.to_bytes()
