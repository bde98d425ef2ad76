"""Import a plan's targets and task tree from Excel (the format of tracking.excel.plan_workbook).

Validate first: `read_plan` reads the sheets “Chỉ tiêu” and “Nhiệm vụ” (either may be left out),
checks every row and says, per row, whether it creates, updates or leaves unchanged a target or a
task, with every error as (row, sheet › column, message); it writes nothing. `import_plan` reads
the same bytes again and writes every change or none, through planning.services (so an issued
plan changes only inside an open amendment, and every change is in the history with the reason
“Nhập từ Excel”). Re-importing the same file changes nothing and writes no history.

Rows are matched to the plan's data by their key: a target by its code (or its name when it has
no code), a task by its number (“Số thứ tự”) within the school plan or a unit's plan. The
hierarchy is the “Thuộc nhiệm vụ” column (the parent's number, in the file or in the plan); units
are found by code, name, short name or abbreviation, ignoring diacritics and case. Targets and
tasks of the plan that the file does not mention are left as they are.

One module of about 600 lines on purpose: the dry run and the write share the row classes and
every check, so what the preview promises is exactly what the confirm step writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from core.sheets.reading import BadWorkbook, ReadResult, RowResult, open_workbook, value_key
from core.sheets.rows import Lookup, Row
from core.sheets.sheet import Column, open_sheet
from core.text import format_date, format_number
from organisations.models import Organisation, Person
from planning import services
from planning.excel import (
    NO,
    TARGET_HEADERS,
    TARGET_SHEET,
    TASK_HEADERS,
    TASK_SHEET,
    UNIT_SEPARATOR,
    YES,
    target_ref,
)
from planning.forms import TargetForm
from planning.models import Direction, Plan, Target, Task, TaskCoordination, TaskKind, WorkArea

MAX_ROWS = 5_000
REASON = "Nhập từ Excel"

TARGET_COLUMNS = [
    Column(key, header, required=key in ("name", "unit_of_measure"))
    for key, header in TARGET_HEADERS.items()
]
TASK_COLUMNS = [
    Column(key, header, required=key in ("code", "title"), aliases=_aliases)
    for key, header in TASK_HEADERS.items()
    for _aliases in [{"code": ("STT", "Số TT"), "lead_unit": ("Chủ trì",)}.get(key, ())]
]

TARGET_FIELDS = [
    "code", "name", "area", "unit_of_measure", "direction", "baseline", "target_value",
    "range_min", "range_max", "amber_threshold", "red_threshold", "responsible_unit",
    "is_recurring", "order",
]  # fmt: skip
TASK_FIELDS = [
    "parent", "kind", "title", "description", "area", "lead_unit", "person_in_charge",
    "start_date", "due_date", "completed_on", "weight", "target", "serves", "order",
]  # fmt: skip
TASK_FIELD_HEADER = {**TASK_HEADERS, "person_in_charge": TASK_HEADERS["person"]}


@dataclass
class TargetRow:
    line: RowResult
    key: str
    existing: Target | None
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class TaskRow:
    line: RowResult
    key: tuple[int, str]  # (owner unit id or 0, number)
    existing: Task | None
    values: dict[str, Any] = field(default_factory=dict)
    parent_code: str = ""
    serves_code: str = ""
    target_ref: Any = None  # a Target, or the key of a target row of the file
    coordinating: list[Organisation] = field(default_factory=list)


@dataclass
class NewArea:
    """A work area the file names and the plan does not have yet: created on import."""

    name: str

    def __str__(self) -> str:
        return _("%(name)s (lĩnh vực mới)") % {"name": self.name}


@dataclass
class PlanRead:
    result: ReadResult
    targets: list[TargetRow]
    tasks: list[TaskRow]
    reason: str = ""
    new_areas: dict[str, NewArea] = field(default_factory=dict)

    def area(self, row: Row, areas: Lookup) -> Any:
        """The row's work area; a name the plan does not know becomes a new area."""
        if not row.present("area"):
            return None
        text = row.text("area", max_length=255)
        if areas.knows(text):
            return row.lookup("area", areas)
        return self.new_areas.setdefault(value_key(text), NewArea(text))


def _shown(value: Any) -> str:
    """A value as the preview shows it."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _(YES) if value else _(NO)
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return format_number(value)
    if hasattr(value, "strftime"):
        return format_date(value)
    if isinstance(value, Task):
        return value.code
    if isinstance(value, Target):
        return target_ref(value)
    if isinstance(value, Organisation):
        return value.name
    if isinstance(value, Person):
        return value.full_name
    if hasattr(value, "name") and not isinstance(value, NewArea):
        return str(value.name)
    return str(value)


def _prefix(line: RowResult, sheet: str) -> None:
    line.errors = [(f"{sheet} › {column}" if column else sheet, m) for column, m in line.errors]


def read_plan(plan: Plan, data: bytes) -> PlanRead:
    """Check the whole file against the plan; writes nothing."""
    workbook = open_workbook(data, max_rows=MAX_ROWS)
    titles = {value_key(title): title for title in workbook.sheetnames}
    has_targets = value_key(TARGET_SHEET) in titles
    has_tasks = value_key(TASK_SHEET) in titles
    if not has_targets and not has_tasks:
        raise BadWorkbook(
            _(
                "Không thấy trang tính “%(tasks)s” hay “%(targets)s”; tệp có: %(have)s. "
                "Hãy dùng tệp tải từ kế hoạch (nút “Tải Excel”) làm mẫu."
            )
            % {
                "tasks": _(TASK_SHEET),
                "targets": _(TARGET_SHEET),
                "have": ", ".join(f"“{t}”" for t in workbook.sheetnames),
            }
        )
    result = ReadResult(title=str(plan))
    read = PlanRead(result=result, targets=[], tasks=[])
    units = Lookup(
        Organisation.objects.active().units_of(Organisation(pk=plan.school_id)),
        ("code", "name", "short_name", "abbreviation"),
        _("đơn vị"),
    )
    areas = Lookup(plan.areas.active(), ("code", "name"), _("lĩnh vực"))
    if has_targets:
        _read_targets(plan, data, read, units, areas, workbook)
    if has_tasks:
        _read_tasks(plan, data, read, units, areas, workbook)
    try:
        read.reason = services.ensure_editable(plan) or ""
    except services.PlanningError as error:
        if result.changed:  # an issued plan takes no change outside an amendment
            result.problems.append(str(error))
    return read


# Targets --------------------------------------------------------------------------------------


def _target_key(code: str, name: str) -> str:
    return "code:" + value_key(code) if code else "name:" + value_key(name)


def _read_targets(
    plan: Plan, data: bytes, read: PlanRead, units: Lookup, areas: Lookup, workbook: Any
) -> None:
    sheet = open_sheet(
        data, TARGET_COLUMNS, sheet=_(TARGET_SHEET), max_rows=MAX_ROWS, workbook=workbook
    )
    existing: dict[str, Target] = {}
    for target in plan.targets.active():
        existing.setdefault(_target_key(target.code, target.name), target)
        if target.code:
            existing.setdefault(_target_key("", target.name), target)
    seen: dict[str, int] = {}
    directions = [(value, str(label)) for value, label in Direction.choices]
    for position, row in enumerate(sheet.rows(), start=1):
        code = row.text("code", max_length=20)
        name = row.text("name", required=True, max_length=500)
        key = _target_key(code, name)
        current = existing.get(key)
        values: dict[str, Any] = {
            "code": code,
            "name": name,
            "area": read.area(row, areas),
            "unit_of_measure": row.text("unit_of_measure", required=True, max_length=50),
            "direction": row.choice("direction", directions) or Direction.HIGHER,
            "responsible_unit": row.lookup("responsible_unit", units),
        }
        for name_ in ("baseline", "target_value", "range_min", "range_max"):
            values[name_] = row.number(name_)
        values["amber_threshold"] = row.number("amber_threshold")
        values["red_threshold"] = row.number("red_threshold")
        recurring = row.choice("is_recurring", [(True, _(YES)), (False, _(NO)), (True, "x")])
        values["is_recurring"] = (
            recurring if recurring is not None else (current.is_recurring if current else True)
        )
        order = row.integer("order", minimum=0)
        values["order"] = order if order is not None else (current.order if current else position)
        line = row.result
        line.label = _("Chỉ tiêu %(code)s %(name)s") % {"code": code, "name": name}
        if key in seen and name:
            row.error("code" if code else "name", _("Trùng với dòng %(row)d.") % {"row": seen[key]})
        seen.setdefault(key, row.row)
        if not line.errors:
            _validate_target(plan, row, values, current)
        if not line.errors:
            _decide(line, current, values, TARGET_FIELDS, TARGET_HEADERS)
        _prefix(line, _(TARGET_SHEET))
        read.result.add(line)
        read.targets.append(TargetRow(line=line, key=key, existing=current, values=values))


def _validate_target(plan: Plan, row: Row, values: dict[str, Any], current: Target | None) -> None:
    """The target form's own rules (range, thresholds, digits), so Excel and the page agree."""
    data = {
        name: ("" if value is None else value.pk if hasattr(value, "pk") else value)
        for name, value in values.items()
    }
    if isinstance(values["area"], NewArea):
        data["area"] = ""
    data["is_recurring"] = "on" if values["is_recurring"] else ""
    data["strategic_goal"] = (
        current.strategic_goal_id if current and current.strategic_goal_id else ""
    )
    for name in ("baseline", "target_value", "range_min", "range_max", "amber_threshold",
                 "red_threshold"):  # fmt: skip
        data[name] = "" if values[name] is None else str(values[name])
    form = TargetForm(data=data, instance=Target(plan=plan), plan=plan)
    if form.is_valid():
        return
    for name, messages in form.errors.items():
        key = name if name in TARGET_HEADERS else "name"
        for message in messages:
            row.error(key, str(message))


def _decide(
    line: RowResult,
    current: Any,
    values: dict[str, Any],
    fields: list[str],
    headers: dict[str, str],
) -> None:
    if current is None:
        line.action = "create"
        line.changes = [
            (_(headers[name]), "", _shown(values[name]))
            for name in fields
            if name in values and values[name] not in (None, "", [])
        ][:6]
        return
    line.changes = []
    for name in fields:
        if name not in values:
            continue
        old = getattr(current, name)
        new = values[name]
        if _differs(old, new):
            line.changes.append((_(headers[name]), _shown(old), _shown(new)))
    line.action = "update" if line.changes else "unchanged"


def _differs(old: Any, new: Any) -> bool:
    if hasattr(old, "pk") or hasattr(new, "pk"):
        return getattr(old, "pk", None) != getattr(new, "pk", None) or (
            new is not None and getattr(new, "pk", None) is None
        )
    if old in (None, "") and new in (None, ""):
        return False
    return bool(old != new)


# Tasks ----------------------------------------------------------------------------------------


def _read_tasks(
    plan: Plan, data: bytes, read: PlanRead, units: Lookup, areas: Lookup, workbook: Any
) -> None:
    sheet = open_sheet(
        data, TASK_COLUMNS, sheet=_(TASK_SHEET), max_rows=MAX_ROWS, workbook=workbook
    )
    tasks = list(
        Task.objects.active()
        .filter(plan=plan)
        .select_related("parent", "serves", "target", "area", "lead_unit", "person_in_charge")
        .prefetch_related(
            _coordinations_prefetch(),
        )
    )
    existing: dict[tuple[int, str], Task] = {}
    duplicated: set[tuple[int, str]] = set()
    for task in tasks:
        key = (task.owner_unit_id or 0, task.code.strip())
        if key in existing:
            duplicated.add(key)
        existing.setdefault(key, task)
    people = Lookup(
        Person.objects.active().filter(school_id=plan.school_id), ("full_name", "email"),
        _("người"),
    )  # fmt: skip
    file_targets = {row.key: row for row in read.targets if not row.line.errors}
    file_target_names: dict[str, str] = {}
    for row_ in read.targets:
        if row_.values.get("code"):
            file_target_names.setdefault(value_key(row_.values["code"]), row_.key)
        if row_.values.get("name"):
            file_target_names.setdefault(value_key(row_.values["name"]), row_.key)
    targets = Lookup(plan.targets.active(), ("code", "name"), _("chỉ tiêu"))
    kinds = [(value, str(label)) for value, label in TaskKind.choices]
    rows: list[tuple[Row, TaskRow]] = []
    seen: dict[tuple[int, str], int] = {}
    for row in sheet.rows():
        code = row.text("code", required=True, max_length=20)
        title = row.text("title", required=True, max_length=1000)
        owner = row.lookup("owner_unit", units)
        key = (owner.pk if owner else 0, code)
        current = existing.get(key)
        line = row.result
        line.label = f"{code}. {title}" if code else title
        if key in duplicated:
            row.error(
                "code",
                _(
                    "Kế hoạch có nhiều nhiệm vụ số “%(code)s”: hãy sửa số thứ tự trong kế hoạch trước."
                )
                % {"code": code},
            )
        if code and key in seen:
            row.error("code", _("Trùng với dòng %(row)d.") % {"row": seen[key]})
        seen.setdefault(key, row.row)
        lead = row.lookup("lead_unit", units)
        coordinating = row.lookups("coordinating", units)
        if lead is not None and any(u.pk == lead.pk for u in coordinating):
            row.error("coordinating", _("Đơn vị chủ trì không đồng thời là đơn vị phối hợp."))
        start = row.date("start_date")
        due = row.date("due_date")
        if start and due and start > due:
            row.error("due_date", _("Ngày bắt đầu phải trước hạn hoàn thành."))
        weight = row.number("weight", minimum=0, maximum=Decimal("9999.99"))
        if weight is not None and weight != weight.quantize(Decimal("0.01")):
            row.error("weight", _("Trọng số có tối đa 2 chữ số thập phân."))
        order = row.integer("order", minimum=0)
        target: Any = None
        if row.present("target"):
            text = row.text("target")
            target = file_target_names.get(value_key(text))
            if target is None or target not in file_targets:
                target = row.lookup("target", targets)
        values: dict[str, Any] = {
            "kind": row.choice("kind", kinds) or (current.kind if current else TaskKind.TASK),
            "title": title,
            "description": row.text("description", max_length=20_000)
            if row.present("description")
            else "",
            "area": read.area(row, areas),
            "lead_unit": lead,
            "person_in_charge": row.lookup("person", people),
            "start_date": start,
            "due_date": due,
            "completed_on": row.date("completed_on"),
            "weight": weight if weight is not None else (current.weight if current else Decimal(1)),
            "order": order if order is not None else (current.order if current else row.row),
        }
        item = TaskRow(
            line=line,
            key=key,
            existing=current,
            values=values,
            parent_code=row.text("parent", max_length=20),
            serves_code=row.text("serves", max_length=20),
            target_ref=target,
            coordinating=coordinating,
        )
        if owner is not None and not item.serves_code:
            row.error(
                "serves",
                _("Nhiệm vụ của kế hoạch đơn vị phải ghi nhiệm vụ của trường mà nó phục vụ."),
            )
        if owner is None and item.serves_code:
            row.error("serves", _("Chỉ nhiệm vụ của kế hoạch đơn vị mới ghi cột này."))
        rows.append((row, item))
    _resolve_links(rows, existing)
    for _row, item in rows:
        if not item.line.errors:
            _decide_task(item, file_targets)
        _prefix(item.line, _(TASK_SHEET))
        read.result.add(item.line)
        read.tasks.append(item)


def _coordinations_prefetch() -> Any:
    from django.db.models import Prefetch

    return Prefetch(
        "coordinations",
        queryset=TaskCoordination.objects.active().select_related("unit"),
        to_attr="active_coordinations",
    )


def _resolve_links(rows: list[tuple[Row, TaskRow]], existing: dict[tuple[int, str], Task]) -> None:
    """Parents and served tasks: a number in the file (same plan part) or in the plan."""
    in_file = {item.key: item for _row, item in rows}
    for row, item in rows:
        owner_id = item.key[0]
        if item.parent_code:
            parent_key = (owner_id, item.parent_code)
            if parent_key == item.key:
                row.error("parent", _("Một nhiệm vụ không thể nằm dưới chính nó."))
            elif parent_key not in in_file and parent_key not in existing:
                row.error(
                    "parent",
                    _("Không có nhiệm vụ số “%(code)s” trong tệp hay trong kế hoạch.")
                    % {"code": item.parent_code},
                )
        if item.serves_code:
            serves_key = (0, item.serves_code)
            if serves_key not in in_file and serves_key not in existing:
                row.error(
                    "serves",
                    _("Không có nhiệm vụ số “%(code)s” của trường.") % {"code": item.serves_code},
                )
    # Loops, through the file's parents first and the plan's for tasks the file leaves alone.
    for row, item in rows:
        seen = {item.key}
        key = (item.key[0], item.parent_code) if item.parent_code else None
        while key is not None:
            if key in seen:
                row.error("parent", _("Một nhiệm vụ không thể nằm dưới chính nó."))
                break
            seen.add(key)
            if key in in_file:
                other = in_file[key]
                key = (other.key[0], other.parent_code) if other.parent_code else None
            elif key in existing and existing[key].parent is not None:
                parent = existing[key].parent
                assert parent is not None
                key = (parent.owner_unit_id or 0, parent.code.strip())
            else:
                key = None


def _decide_task(item: TaskRow, file_targets: dict[str, TargetRow]) -> None:
    current = item.existing
    line = item.line
    if current is None:
        line.action = "create"
        shown = [
            (_(TASK_HEADERS["parent"]), "", item.parent_code),
            (_(TASK_HEADERS["lead_unit"]), "", _shown(item.values["lead_unit"])),
            (
                _(TASK_HEADERS["coordinating"]),
                "",
                UNIT_SEPARATOR.join(u.name for u in item.coordinating),
            ),
            (_(TASK_HEADERS["due_date"]), "", _shown(item.values["due_date"])),
        ]
        line.changes = [change for change in shown if change[2]]
        return
    changes: list[tuple[str, str, str]] = []
    old_parent = current.parent.code.strip() if current.parent else ""
    if old_parent != item.parent_code:
        changes.append((_(TASK_HEADERS["parent"]), old_parent, item.parent_code))
    old_serves = current.serves.code.strip() if current.serves else ""
    if old_serves != item.serves_code:
        changes.append((_(TASK_HEADERS["serves"]), old_serves, item.serves_code))
    ref = item.target_ref
    if isinstance(ref, str):
        from_file = file_targets[ref]
        new_target: Any = from_file.existing
        target_changed = new_target is None or current.target_id != new_target.pk
        new_text = str(from_file.values.get("code") or from_file.values.get("name"))
    else:
        target_changed = _differs(current.target, ref)
        new_text = _shown(ref)
    if target_changed:
        changes.append((_(TASK_HEADERS["target"]), _shown(current.target), new_text))
    for name, new in item.values.items():
        old = getattr(current, name)
        if _differs(old, new):
            changes.append((_(TASK_FIELD_HEADER[name]), _shown(old), _shown(new)))
    old_units = [c.unit for c in getattr(current, "active_coordinations", [])]
    if [u.pk for u in old_units] != [u.pk for u in item.coordinating]:
        changes.append(
            (
                _(TASK_HEADERS["coordinating"]),
                UNIT_SEPARATOR.join(u.name for u in old_units),
                UNIT_SEPARATOR.join(u.name for u in item.coordinating),
            )
        )
    line.changes = changes
    line.action = "update" if changes else "unchanged"


# Writing --------------------------------------------------------------------------------------


@transaction.atomic
def import_plan(plan: Plan, data: bytes, *, by: User) -> ReadResult:
    """Read the file again and write every change, or nothing when any row has an error."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    read = read_plan(plan, data)
    result = read.result
    result.refuse_unless_ok()
    reason = f"{read.reason} — {_(REASON)}" if read.reason else _(REASON)
    try:
        areas = _write_areas(read, plan, by, reason)
        rows: list[TargetRow | TaskRow] = [*read.targets, *read.tasks]
        for row in rows:
            if isinstance(row.values.get("area"), NewArea):
                row.values["area"] = areas[value_key(row.values["area"].name)]
        targets = _write_targets(read, plan, by, reason)
        _write_tasks(read, plan, by, reason, targets)
    except services.PlanningError as error:
        raise BadWorkbook(_("Không ghi được: %(error)s Chưa ghi gì.") % {"error": error}) from error
    return result


def _write_areas(read: PlanRead, plan: Plan, by: User, reason: str) -> dict[str, WorkArea]:
    written: dict[str, WorkArea] = {}
    last = plan.areas.active().order_by("-order").values_list("order", flat=True).first() or 0
    for offset, (key, new) in enumerate(read.new_areas.items(), start=1):
        area = WorkArea(plan=plan, name=new.name, order=last + offset)
        written[key] = services.save_plan_object(area, by=by, reason=reason)
    return written


def _write_targets(read: PlanRead, plan: Plan, by: User, reason: str) -> dict[str, Target]:
    written: dict[str, Target] = {}
    for row in read.targets:
        target = row.existing
        if row.line.action in ("create", "update"):
            target = target or Target(plan=plan)
            for name in TARGET_FIELDS:
                setattr(target, name, row.values[name])
            services.save_plan_object(target, by=by, reason=reason)
        assert target is not None
        written[row.key] = target
    return written


def _write_tasks(
    read: PlanRead, plan: Plan, by: User, reason: str, targets: dict[str, Target]
) -> None:
    existing = {
        (t.owner_unit_id or 0, t.code.strip()): t
        for t in Task.objects.active().filter(plan=plan).prefetch_related(_coordinations_prefetch())
    }
    pending = {item.key: item for item in read.tasks}
    written: dict[tuple[int, str], Task] = {}

    def task_for(key: tuple[int, str]) -> Task | None:
        return written.get(key) or (existing.get(key) if key not in pending else None)

    owners = {
        u.pk: u for u in Organisation.objects.filter(pk__in={key[0] for key in pending if key[0]})
    }
    while pending:
        progressed = False
        for key, item in list(pending.items()):
            parent_key = (key[0], item.parent_code) if item.parent_code else None
            serves_key = (0, item.serves_code) if item.serves_code else None
            if (parent_key and parent_key in pending) or (serves_key and serves_key in pending):
                continue
            del pending[key]
            progressed = True
            task = existing.get(key)
            if item.line.action in ("create", "update"):
                task = task or Task(plan=plan, code=key[1], owner_unit=owners.get(key[0]))
                for name, value in item.values.items():
                    setattr(task, name, value)
                task.parent = task_for(parent_key) if parent_key else None
                task.serves = task_for(serves_key) if serves_key else None
                ref = item.target_ref
                task.target = targets[ref] if isinstance(ref, str) else ref
                services.save_plan_object(task, by=by, reason=reason)
                old = [c.unit_id for c in getattr(task, "active_coordinations", [])]
                if old != [u.pk for u in item.coordinating]:
                    duties = {c.unit_id: c.duty for c in getattr(task, "active_coordinations", [])}
                    services.set_coordinations(
                        task, [(u, duties.get(u.pk, "")) for u in item.coordinating], by=by
                    )
            assert task is not None
            written[key] = task
        if not progressed:  # a loop the reading step missed: refuse rather than guess
            raise services.PlanningError(_("Các nhiệm vụ trong tệp nằm dưới nhau thành vòng."))
