"""Units and people from Excel: a workbook with the sheets “Đơn vị” and “Cán bộ, viên chức”.

`read_people` checks every row against the school and says per row what would be created,
changed or left alone (writes nothing); `import_people` writes all of it through the
organisations services, or nothing. `export_people` writes the school as it is, in the same
format, so a file exported, edited and imported back changes only what was edited.
`people_workbook` is the people list's export (with the list's search).

Units are matched by code, else by name; a unit's parent is named by code, name or short name
(diacritics ignored) and may be a unit created further down the same sheet. People are matched
by e-mail, else by their exact name; one row per position (a person with two posts takes two
rows). Positions missing from the file are left as they are: ending one is done on its page.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import stamp
from core.sheets.reading import BadWorkbook, ReadResult, header_key, open_workbook, value_key
from core.sheets.rows import Row
from core.sheets.sheet import Column, open_sheet
from core.sheets.writing import Out, SheetWriter
from core.text import format_date, normalise
from organisations import services
from organisations.excel_units import UNIT_COLUMNS, Node, Units, unit_kind_label
from organisations.models import Organisation, Person, Position, Role

UNIT_SHEET = "Đơn vị"
PEOPLE_SHEET = "Cán bộ, viên chức"

PEOPLE_COLUMNS = [
    Column("full_name", "Họ và tên", required=True),
    Column("honorific", "Học hàm, học vị"),
    Column("email", "Thư điện tử", aliases=("Email", "E-mail")),
    Column("phone", "Điện thoại"),
    Column("unit", "Đơn vị"),
    Column("title", "Chức vụ"),
    Column("role", "Quyền trong hệ thống", aliases=("Quyền",)),
    Column("valid_from", "Từ ngày"),
]


@dataclass
class PeopleRead:
    """What the workbook would do: one result per sheet (a sheet may be absent)."""

    units: ReadResult
    people: ReadResult

    @property
    def ok(self) -> bool:
        return self.units.ok and self.people.ok

    @property
    def errors(self) -> list[tuple[int, str, str]]:
        return self.units.errors + self.people.errors

    @property
    def changed(self) -> bool:
        return self.units.changed or self.people.changed

    def combined(self) -> ReadResult:
        """Both sheets as one result for the preview page: each row and error names its sheet."""
        merged = ReadResult(title=_("Đơn vị và cán bộ"))
        for sheet, result in ((UNIT_SHEET, self.units), (PEOPLE_SHEET, self.people)):
            merged.problems.extend(result.problems)
            for row in result.rows:
                merged.add(
                    replace(
                        row,
                        label=f"{sheet}: {row.label}",
                        errors=[(f"{sheet} › {column}", message) for column, message in row.errors],
                    )
                )
        return merged


def read_people(school: Organisation, data: bytes) -> PeopleRead:
    """Check both sheets against the school; writes nothing. BadWorkbook if the file is unusable."""
    titles = {header_key(ws.title) for ws in open_workbook(data).worksheets}
    has_units = header_key(UNIT_SHEET) in titles
    has_people = header_key(PEOPLE_SHEET) in titles
    if not has_units and not has_people:
        raise BadWorkbook(
            _("Không thấy trang tính “%(units)s” hay “%(people)s”: hãy dùng tệp mẫu.")
            % {"units": UNIT_SHEET, "people": PEOPLE_SHEET}
        )
    existing = list(Organisation.objects.active().filter(school_id=school.pk))
    units = Units(school, existing)
    read = PeopleRead(
        units=ReadResult(title=_("Đơn vị")), people=ReadResult(title=_("Cán bộ, viên chức"))
    )
    if has_units:
        units.read(open_sheet(data, UNIT_COLUMNS, sheet=UNIT_SHEET), read.units)
    if has_people:
        _People(school, units).read(
            open_sheet(data, PEOPLE_COLUMNS, sheet=PEOPLE_SHEET), read.people
        )
    return read


# People ---------------------------------------------------------------------------------------


class _People:
    def __init__(self, school: Organisation, units: Units) -> None:
        self.school = school
        self.units = units
        self.today = timezone.localdate()
        people = list(
            Person.objects.active().filter(school_id=school.pk).prefetch_related("positions")
        )
        self.by_email: dict[str, Person] = {}
        self.by_name: dict[str, list[Person]] = {}
        for person in people:
            if person.email:
                self.by_email.setdefault(person.email.strip().lower(), person)
            self.by_name.setdefault(normalise(person.full_name).lower(), []).append(person)
        self.first: dict[str, Row] = {}  # person key -> the row that describes the person
        self.named: dict[str, str] = {}  # lower-case name -> key of a person given by e-mail
        self.slots: dict[tuple[str, Node, str], int] = {}

    def read(self, sheet: Any, result: ReadResult) -> None:
        for row in sheet.rows():
            result.add(row.result)
            self._read_row(sheet, row)

    def _read_row(self, sheet: Any, row: Row) -> None:
        values = row.result.values
        full_name = normalise(row.text("full_name", required=True, max_length=150))
        email = row.text("email", max_length=254).lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row.error("email", _("“%(v)s” không phải địa chỉ thư điện tử.") % {"v": email})
        fields: dict[str, str] = {"full_name": full_name}
        for name, limit in (("honorific", 30), ("phone", 30)):
            if sheet.has(name):
                fields[name] = row.text(name, max_length=limit)
        if sheet.has("email"):
            fields["email"] = email
        unit_text = row.text("unit")
        title = normalise(row.text("title", max_length=150))
        role = row.choice("role", [(v, str(lb)) for v, lb in Role.choices])
        valid_from = row.date("valid_from")
        row.result.label = full_name + (f" — {title}" if title else "")
        if email:
            key = f"email:{email}"
            self.named.setdefault(full_name.lower(), key)
        else:
            key = self.named.get(full_name.lower(), f"name:{full_name.lower()}")
        values["person_key"] = key
        first = self.first.get(key)
        if first is not None:
            # A further post of a person already described: blank cells mean “as above”.
            described = first.result.values["fields"]
            for name, value in fields.items():
                if value and value != described.get(name):
                    row.error(
                        name, _("Khác với dòng %(row)d của cùng người này.") % {"row": first.row}
                    )
            values["person"] = first.result.values.get("person")
        else:
            self.first[key] = row
            values["fields"] = fields
            values["person"] = self._match(row, email, full_name)
            values["by_email"] = bool(email) and email in self.by_email
        unit: Node | None = None
        if unit_text:
            unit = self.units.resolve(row, "unit", unit_text)
            if not title:
                row.error("title", _("Cần ghi chức vụ trong đơn vị."))
        elif title or role or valid_from:
            row.error("unit", _("Cần ghi đơn vị của chức vụ."))
        if unit is not None and title:
            slot = (key, unit, value_key(title))
            if slot in self.slots:
                row.error("title", _("Trùng chức vụ với dòng %(row)d.") % {"row": self.slots[slot]})
            self.slots.setdefault(slot, row.row)
        values.update(unit=unit, title=title, role=role, valid_from=valid_from)
        self._decide(row, first is None)

    def _match(self, row: Row, email: str, full_name: str) -> Person | None:
        if email and email in self.by_email:
            return self.by_email[email]
        same = self.by_name.get(full_name.lower(), [])
        if email:
            same = [p for p in same if not p.email]
        if len(same) > 1:
            row.error(
                "full_name",
                _("Trường có %(n)d người tên này: hãy ghi thư điện tử để phân biệt.")
                % {"n": len(same)},
            )
            return None
        return same[0] if same else None

    def _current_position(self, person: Person, org_pk: int, title: str) -> Position | None:
        for position in person.positions.all():
            if (
                position.organisation_id == org_pk
                and value_key(position.title) == value_key(title)
                and (position.valid_to is None or position.valid_to >= self.today)
            ):
                return position
        return None

    def _decide(self, row: Row, describes_person: bool) -> None:
        values = row.result.values
        values["person_changes"] = []
        values["position"] = None
        if row.result.errors:
            return
        person: Person | None = values["person"]
        header = row.sheet.header
        created = person is None and describes_person
        if person is not None and describes_person:
            for name, value in values["fields"].items():
                old = getattr(person, name) or ""
                if name == "full_name" and not values["by_email"]:
                    continue  # found by this very name
                if name == "email":
                    old = old.strip().lower()
                if value != old:
                    values["person_changes"].append((header(name), old, value))
        changes = row.result.changes
        changes.extend(values["person_changes"])
        unit: Node | None = values["unit"]
        if unit is not None:
            position = (
                self._current_position(person, unit[1], values["title"])
                if person is not None and unit[0] == "org"
                else None
            )
            values["position"] = position
            if position is None:
                created = True
            else:
                role = values["role"]
                if role and role != position.role:
                    labels = dict(Role.choices)
                    changes.append((header("role"), str(labels[position.role]), str(labels[role])))
                if values["valid_from"] and values["valid_from"] != position.valid_from:
                    changes.append(
                        (
                            header("valid_from"),
                            format_date(position.valid_from),
                            format_date(values["valid_from"]),
                        )
                    )
        row.result.action = "create" if created else ("update" if changes else "unchanged")


# Writing --------------------------------------------------------------------------------------


@transaction.atomic
def import_people(school: Organisation, data: bytes, *, by: User) -> PeopleRead:
    """Write every row of both sheets, or nothing when any row has an error."""
    read = read_people(school, data)
    if not read.ok:
        raise BadWorkbook(_("Tệp còn %(n)d lỗi: chưa ghi gì.") % {"n": len(read.errors)})
    reason = _("Nhập từ Excel")
    today = timezone.localdate()
    orgs: dict[Node, Organisation] = {
        ("org", o.pk): o for o in Organisation.objects.filter(school_id=school.pk)
    }
    pending = [r for r in read.units.rows if r.action in ("create", "update")]
    while pending:
        ready = [r for r in pending if r.values["parent"] in orgs or r.values["parent"] is None]
        if not ready:  # cannot happen: cycles are errors of the dry run
            raise BadWorkbook(_("Vòng lặp giữa các đơn vị: chưa ghi gì."))
        for result in ready:
            values = result.values
            org = values["existing"] or Organisation(school=school)
            try:
                if org.pk and values["code"] and values["name"] != org.name:
                    services.rename_organisation(
                        org,
                        name=values["name"],
                        short_name=values.get("short_name", org.short_name),
                        effective_on=today,
                        by=by,
                    )
                if not org.pk:
                    org.name = values["name"]
                org.code = values["code"] or org.code
                org.kind = values["kind"]
                org.parent = orgs[values["parent"]] if values["parent"] else school
                for key in ("short_name", "abbreviation", "order"):
                    if values.get(key) is not None:
                        setattr(org, key, values[key])
                stamp(org, by, reason)
                services.save_organisation(org, by=by)
            except services.OrganisationError as error:
                raise BadWorkbook(
                    _("Dòng %(row)d: %(error)s Chưa ghi gì.") % {"row": result.row, "error": error}
                ) from error
            orgs[("row", result.row)] = org
            orgs[("org", org.pk)] = org
        pending = [r for r in pending if r not in ready]
    for result in read.units.rows:
        if result.action == "unchanged":
            orgs[("row", result.row)] = result.values["existing"]
    people: dict[str, Person] = {}
    for result in read.people.rows:
        values = result.values
        key = values["person_key"]
        person = people.get(key)
        if person is None:
            person = values["person"] or Person(school=school)
            if person.pk is None or values["person_changes"]:
                for name, value in values["fields"].items():
                    if name != "full_name" or person.pk is None or values["by_email"]:
                        setattr(person, name, value)
                stamp(person, by, reason)
                services.save_person(person, by=by)
            people[key] = person
        if values["unit"] is None:
            continue
        position = values["position"] or Position(
            person=person,
            organisation=orgs[values["unit"]],
            title=values["title"],
            role=values["role"] or Role.MEMBER,
        )
        if position.pk and result.action == "unchanged":
            continue
        position.role = values["role"] or position.role
        position.valid_from = values["valid_from"] or position.valid_from
        try:
            stamp(position, by, reason)
            services.add_position(position, by=by)
        except services.OrganisationError as error:
            raise BadWorkbook(
                _("Dòng %(row)d: %(error)s Chưa ghi gì.") % {"row": result.row, "error": error}
            ) from error
    return read


def export_people(school: Organisation) -> bytes:
    """The school's units and people in the import format (one row per current position)."""
    units = list(Organisation.objects.active().filter(school_id=school.pk).exclude(pk=school.pk))
    children: dict[int | None, list[Organisation]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[Organisation] = []
    stack = list(reversed(children.get(school.pk, [])))
    ids = {u.pk for u in units}
    stack += [u for u in units if u.parent_id not in ids and u.parent_id != school.pk]
    seen: set[int] = set()
    while stack:
        unit = stack.pop()
        if unit.pk in seen:
            continue
        seen.add(unit.pk)
        ordered.append(unit)
        stack.extend(reversed(children.get(unit.pk, [])))
    by_pk = {u.pk: u for u in units}
    by_pk[school.pk] = school

    def ref(org: Organisation | None) -> str:
        return (org.code or org.name) if org is not None else ""

    book = SheetWriter()
    book.sheet(
        UNIT_SHEET,
        [Out(c.header) for c in UNIT_COLUMNS],
        [
            [u.code, u.name, u.short_name, u.abbreviation, unit_kind_label(u.kind),
             ref(by_pk.get(u.parent_id)) if u.parent_id != school.pk else "", u.order]
            for u in ordered
        ],
    )  # fmt: skip
    today = timezone.localdate()
    roles = dict(Role.choices)
    lines: list[list[Any]] = []
    people = (
        Person.objects.active()
        .filter(school_id=school.pk)
        .prefetch_related("positions__organisation")
    )
    for person in people:
        base: list[Any] = [person.full_name, person.honorific, person.email, person.phone]
        current = [p for p in person.positions.all() if p.valid_to is None or p.valid_to >= today]
        if not current:
            lines.append([*base, "", "", "", None])
        for position in current:
            lines.append(
                [*base, ref(position.organisation), position.title, str(roles[position.role]),
                 position.valid_from]
            )  # fmt: skip
    book.sheet(
        PEOPLE_SHEET,
        [Out(c.header, kind="date" if c.key == "valid_from" else "text") for c in PEOPLE_COLUMNS],
        lines,
    )
    return book.to_bytes()


# The people list --------------------------------------------------------------------------

LIST_SEPARATOR = "; "


def people_workbook(people: QuerySet[Person]) -> bytes:
    columns = [
        Out(_("Họ và tên"), 28),
        Out(_("Danh xưng"), 12),
        Out(_("Chức vụ"), 40),
        Out(_("Đơn vị"), 40),
        Out(_("Quyền trong hệ thống"), 24),
        Out(_("Thư điện tử"), 28),
        Out(_("Điện thoại"), 14),
    ]

    def rows() -> Iterator[list[Any]]:
        for p in people:
            positions: Sequence[Position] = getattr(p, "current_positions", [])
            yield [
                p.full_name,
                p.honorific,
                LIST_SEPARATOR.join(pos.title for pos in positions),
                LIST_SEPARATOR.join(pos.organisation.name for pos in positions),
                LIST_SEPARATOR.join(str(pos.get_role_display()) for pos in positions),
                p.email,
                p.phone,
            ]

    book = SheetWriter()
    book.sheet(_("Nhân sự"), columns, rows())
    return book.to_bytes()
