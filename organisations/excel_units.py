"""The units sheet of the people import (organisations/excel.py): units matched by code, else by name;
a parent named by code, name or short name, possibly a unit created further down the sheet;
cycles refused. Reads only; `import_people` writes.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from core.sheets.reading import ReadResult, value_key
from core.sheets.rows import Row, check_unique
from core.sheets.sheet import Column
from core.text import normalise
from organisations.models import Organisation, OrganisationKind

UNIT_COLUMNS = [
    Column("code", "Mã đơn vị", aliases=("Mã",)),
    Column("name", "Tên đơn vị", required=True),
    Column("short_name", "Tên viết tắt"),
    Column("abbreviation", "Ký hiệu trong văn bản"),
    Column("kind", "Loại đơn vị", required=True, aliases=("Loại",)),
    Column("parent", "Đơn vị cấp trên", aliases=("Trực thuộc",)),
    Column("order", "Thứ tự"),
]
# Bodies above the school are not units of it.
UNIT_KINDS = [
    (value, label)
    for value, label in OrganisationKind.choices
    if value
    not in (
        OrganisationKind.SCHOOL,
        OrganisationKind.MINISTRY,
        OrganisationKind.DEPARTMENT,
        OrganisationKind.PEOPLES_COMMITTEE,
        OrganisationKind.EDUCATION_OFFICE,
    )
]
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")

# A unit as the import sees it: ("org", pk) for one already in the school, ("row", n) for one
# created by row n of the units sheet.
Node = tuple[str, int]


# The sheet ----------------------------------------------------------------------------------------


def unit_kind_label(kind: str) -> str:
    return str(dict(OrganisationKind.choices).get(kind, kind))


class Units:
    def __init__(self, school: Organisation, existing: list[Organisation]) -> None:
        self.school = school
        self.by_pk = {o.pk: o for o in existing}
        self.by_code: dict[str, Organisation] = {}
        self.by_name: dict[str, list[Organisation]] = {}
        self.by_any: dict[str, list[Organisation]] = {}
        for org in existing:
            if org.code:
                self.by_code[value_key(org.code)] = org
            self.by_name.setdefault(value_key(org.name), []).append(org)
            for text in {org.code, org.name, org.short_name}:
                if text:
                    self.by_any.setdefault(value_key(text), []).append(org)
        # The units sheet's rows, by each of their names: filled by `read`.
        self.in_file: dict[str, list[Node]] = {}
        self.parents: dict[Node, Node | None] = {
            ("org", o.pk): (("org", o.parent_id) if o.parent_id in self.by_pk else None)
            for o in existing
        }

    def node_of(self, org: Organisation | None, number: int) -> Node:
        return ("org", org.pk) if org is not None else ("row", number)

    def resolve(self, row: Row, key: str, text: str) -> Node | None:
        """The unit a cell names: one of the sheet's rows first, else one of the school."""
        folded = value_key(text)
        nodes = list(dict.fromkeys(self.in_file.get(folded, [])))
        if not nodes:
            nodes = [("org", o.pk) for o in dict.fromkeys(self.by_any.get(folded, []))]
        if len(nodes) > 1:
            row.error(key, _("Có nhiều đơn vị “%(v)s”: hãy ghi mã đơn vị.") % {"v": text})
            return None
        if not nodes:
            row.error(key, _("Không có đơn vị “%(v)s” trong trường.") % {"v": text})
            return None
        return nodes[0]

    def label(self, node: Node | None, rows: dict[int, Row]) -> str:
        if node is None:
            return ""
        if node[0] == "org":
            org = self.by_pk[node[1]]
            return org.code or org.name
        row = rows[node[1]]
        return str(row.result.values.get("code") or row.result.values.get("name") or "")

    def read(self, sheet: Any, result: ReadResult) -> None:
        rows: dict[int, Row] = {}
        for row in sheet.rows():
            rows[row.row] = row
            result.add(row.result)
            self._read_row(sheet, row)
        check_unique(((r, r.result.values.get("code", "")) for r in rows.values()), "code")
        check_unique(((r, r.result.values.get("name", "")) for r in rows.values()), "name")
        claimed: dict[int, int] = {}
        for row in rows.values():
            org = row.result.values.get("existing")
            if org is not None:
                if org.pk in claimed and not row.has_error("name"):
                    row.error(
                        "name", _("Trùng đơn vị với dòng %(row)d.") % {"row": claimed[org.pk]}
                    )
                claimed.setdefault(org.pk, row.row)
        for row in rows.values():
            values = row.result.values
            node = self.node_of(values.get("existing"), row.row)
            for text in (values.get("code"), values.get("name"), values.get("short_name")):
                if text:
                    self.in_file.setdefault(value_key(text), []).append(node)
        for row in rows.values():
            values = row.result.values
            node = self.node_of(values.get("existing"), row.row)
            parent_text = values.get("parent_text", "")
            parent: Node | None = ("org", self.school.pk)
            if parent_text:
                parent = self.resolve(row, "parent", parent_text)
            if parent == node:
                row.error("parent", _("Một đơn vị không thể trực thuộc chính nó."))
                parent = None
            values["parent"] = parent
            if parent is not None:
                self.parents[node] = parent
        for row in rows.values():
            node = self.node_of(row.result.values.get("existing"), row.row)
            if not row.has_error("parent") and self._in_cycle(node):
                row.error(
                    "parent", _("Vòng lặp: đơn vị này lại trực thuộc đơn vị cấp dưới của nó.")
                )
        for row in rows.values():
            self._decide(row, rows)

    def _read_row(self, sheet: Any, row: Row) -> None:
        values = row.result.values
        code = row.text("code", max_length=50)
        if code and not _SLUG.match(code):
            row.error(
                "code",
                _("Mã chỉ gồm chữ không dấu, chữ số, dấu gạch ngang (ví dụ: pdt, to-toan)."),
            )
        name = normalise(row.text("name", required=True, max_length=255))
        values.update(code=code, name=name, parent_text=row.text("parent"))
        for key, limit in (("short_name", 100), ("abbreviation", 50)):
            if sheet.has(key):
                values[key] = normalise(row.text(key, max_length=limit))
        values["kind"] = row.choice("kind", [(v, str(lb)) for v, lb in UNIT_KINDS], required=True)
        if sheet.has("order"):
            values["order"] = row.integer("order", minimum=0)
        row.result.label = name
        existing = self.by_code.get(value_key(code)) if code else None
        if existing is None and name:
            named = [o for o in self.by_name.get(value_key(name), []) if o.pk != self.school.pk]
            if code:
                named = [o for o in named if not o.code]
            if len(named) > 1:
                row.error("name", _("Có nhiều đơn vị tên này: hãy ghi mã đơn vị."))
            elif named:
                existing = named[0]
        if existing is not None and existing.pk == self.school.pk:
            row.error("name", _("Dòng này là chính nhà trường: không nhập ở đây."))
            existing = None
        values["existing"] = existing

    def _in_cycle(self, start: Node) -> bool:
        seen = {start}
        node = self.parents.get(start)
        while node is not None:
            if node in seen:
                return node == start
            seen.add(node)
            node = self.parents.get(node)
        return False

    def _decide(self, row: Row, rows: dict[int, Row]) -> None:
        if row.result.errors:
            row.result.action = ""
            return
        values = row.result.values
        org: Organisation | None = values["existing"]
        if org is None:
            row.result.action = "create"
            return
        changes = row.result.changes
        header = row.sheet.header

        def compare(key: str, old: Any, new: Any, shown_old: str = "", shown_new: str = "") -> None:
            if new is not None and old != new:
                changes.append((header(key), shown_old or str(old or ""), shown_new or str(new)))

        if values["code"]:
            compare("code", org.code, values["code"])
            compare("name", org.name, values["name"])
        for key in ("short_name", "abbreviation", "order"):
            if key in values:
                compare(key, getattr(org, key), values[key])
        compare(
            "kind",
            org.kind,
            values["kind"],
            unit_kind_label(org.kind),
            unit_kind_label(values["kind"]),
        )
        old_parent = ("org", org.parent_id) if org.parent_id else None
        if values["parent"] != old_parent:
            changes.append(
                (
                    header("parent"),
                    self.label(old_parent, rows)
                    if old_parent and old_parent[1] in self.by_pk
                    else "",
                    self.label(values["parent"], rows),
                )
            )
        row.result.action = "update" if changes else "unchanged"
