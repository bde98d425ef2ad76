"""A unit's reporting sheet (bảng báo cáo tiến độ): out to the unit, back in as check-ins.

`reporting_workbook` lists, one row each, the plan's tasks the unit leads or coordinates, with
read-only columns (locked when the sheet is protected) and the columns to fill, pre-filled with
the unit's latest report on the task so that only what moved needs typing. `read_report` checks a
filled-in sheet (writes nothing); `import_report` records one check-in per changed row through
tracking.services.submit_checkin, all or nothing. A row equal to the unit's latest check-in on
the task, or left blank, records nothing: importing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.sheets.reading import BadWorkbook, ReadResult
from core.sheets.rows import Row, check_unique
from core.sheets.sheet import Column, open_sheet
from core.sheets.writing import Out, SheetWriter
from core.text import format_date, format_number
from organisations.models import Organisation
from planning.excel import tree_order
from planning.models import Plan, Task, TaskCoordination
from planning.status import RunState
from tracking import notices, services, sources
from tracking.models import CheckIn, Confidence

SHEET = "Báo cáo tiến độ"
COLUMNS = [
    Column("task_id", "Mã nhiệm vụ (không sửa)", required=True, aliases=("Mã nhiệm vụ",)),
    Column("code", "Số thứ tự"),
    Column("title", "Nhiệm vụ"),
    Column("role", "Vai trò của đơn vị"),
    Column("due_date", "Hạn hoàn thành"),
    Column("current", "Tiến độ hiện tại (%)"),
    Column("target", "Chỉ tiêu"),
    Column("progress", "Tiến độ (%)", required=True),
    Column("actual_value", "Giá trị chỉ tiêu đạt được"),
    Column("done", "Kết quả đã thực hiện", required=True),
    Column("difficulties", "Khó khăn, vướng mắc"),
    Column("proposals", "Đề xuất, kiến nghị"),
    Column("confidence", "Khả năng hoàn thành", required=True),
]
FILLED = ("progress", "actual_value", "done", "difficulties", "proposals", "confidence")
WIDTHS = {"task_id": 10, "code": 9, "title": 50, "role": 11, "due_date": 12, "current": 11,
          "target": 28, "progress": 10, "actual_value": 14, "done": 45, "difficulties": 30,
          "proposals": 30, "confidence": 22}  # fmt: skip
TEXT_LIMIT = 10_000
READ_ONLY_FILL = PatternFill("solid", fgColor="F2F2F2")


def unit_tasks(plan: Plan, unit: Organisation) -> list[Task]:
    """The plan's tasks the unit reports on: those it leads (or owns without a lead unit) and
    those it coordinates; cancelled and archived ones left out."""
    tasks = list(
        Task.objects.active()
        .filter(plan=plan)
        .exclude(run_state=RunState.CANCELLED)
        .filter(
            Q(lead_unit=unit)
            | Q(lead_unit__isnull=True, owner_unit=unit)
            | Q(coordinations__unit=unit, coordinations__archived_at__isnull=True)
        )
        .select_related("plan", "target")
        .distinct()
        .order_by("order", "pk")
    )
    # The plan's reading order (parents before sub-tasks), even where a parent is not the unit's.
    whole = (
        Task.objects.active().filter(plan=plan).only("pk", "parent_id", "owner_unit_id", "order")
    )
    position = {task.pk: index for index, task in enumerate(tree_order(whole))}
    return sorted(tasks, key=lambda task: position.get(task.pk, len(position)))


def task_counts(plan: Plan) -> dict[int, int]:
    """How many tasks each unit reports on in the plan (two queries, whatever the size)."""
    tasks: dict[int, set[int]] = {}
    for pk, lead, owner in (
        Task.objects.active()
        .filter(plan=plan)
        .exclude(run_state=RunState.CANCELLED)
        .values_list("pk", "lead_unit_id", "owner_unit_id")
    ):
        unit_id = lead or owner
        if unit_id:
            tasks.setdefault(unit_id, set()).add(pk)
    for task_id, unit_id in (
        TaskCoordination.objects.active()
        .filter(task__plan=plan, task__archived_at__isnull=True)
        .exclude(task__run_state=RunState.CANCELLED)
        .values_list("task_id", "unit_id")
    ):
        tasks.setdefault(unit_id, set()).add(task_id)
    return {unit_id: len(ids) for unit_id, ids in tasks.items()}


def latest_checkins(unit: Organisation, tasks: list[Task]) -> dict[int, CheckIn]:
    """The unit's latest check-in on each task (one query)."""
    latest: dict[int, CheckIn] = {}
    for checkin in CheckIn.objects.filter(unit=unit, task__in=[t.pk for t in tasks]).order_by(
        "task_id", "-reported_on", "-pk"
    ):
        latest.setdefault(checkin.task_id, checkin)
    return latest


def _target_text(task: Task) -> str:
    target = task.target
    if target is None:
        return ""
    if target.target_value is None:
        return target.name
    return f"{target.name} ({format_number(target.target_value)} {target.unit_of_measure})"


def _role_label(task: Task, unit: Organisation) -> str:
    return _("Chủ trì") if services.lead_unit_id_of(task) == unit.pk else _("Phối hợp")


def reporting_workbook(plan: Plan, unit: Organisation, *, on: dt.date) -> bytes:
    """The unit's sheet: one row per task, read-only columns locked, the rest to fill in."""
    tasks = unit_tasks(plan, unit)
    latest = latest_checkins(unit, tasks)
    confidences = dict(Confidence.choices)
    rows: list[list[Any]] = []
    for task in tasks:
        last = latest.get(task.pk)
        rows.append(
            [
                task.pk, task.code, task.title, _role_label(task, unit), task.due_date,
                task.effective_progress, _target_text(task),
                last.progress if last else None,
                last.actual_value if last and last.actual_value is not None else None,
                last.done if last else "", last.difficulties if last else "",
                last.proposals if last else "",
                str(confidences[last.confidence]) if last else "",
            ]
        )  # fmt: skip
    book = SheetWriter(write_only=False)
    kinds = {"due_date": "date", "task_id": "number", "current": "number", "progress": "number",
             "actual_value": "number"}  # fmt: skip
    sheet = book.sheet(
        SHEET, [Out(c.header, WIDTHS[c.key], kinds.get(c.key, "text")) for c in COLUMNS], rows
    )
    _protect(sheet, tasks, len(rows))
    info = book.workbook.create_sheet(_("Hướng dẫn"))
    for line in [
        [_("Đơn vị"), unit.name],
        [_("Kế hoạch"), plan.title],
        [_("Xuất ngày"), format_date(on)],
        [_("Cách điền"), _(
            "Chỉ điền các cột không tô xám. Tiến độ là số từ 0 đến 100; giá trị chỉ tiêu chỉ ghi "
            "với nhiệm vụ có chỉ tiêu; kết quả đã thực hiện và khả năng hoàn thành là bắt buộc "
            "với dòng có báo cáo. Để trống cả dòng nếu kỳ này không báo cáo nhiệm vụ đó. Dòng "
            "không đổi so với lần báo cáo trước sẽ không tạo báo cáo mới."
        )],
    ]:  # fmt: skip
        book.append(info, line)
    info.column_dimensions["A"].width = 14
    info.column_dimensions["B"].width = 100
    for cell in info["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return book.to_bytes()


def _protect(sheet: Any, tasks: list[Task], count: int) -> None:
    """Lock the read-only columns (sheet protection without a password: it guards against slips,
    not people) and offer lists and ranges where a value has a fixed shape."""
    letters = {c.key: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    last = count + 1
    for row_index in range(2, last + 1):
        for index, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=row_index, column=index)
            if column.key in FILLED:
                if column.key == "actual_value" and tasks[row_index - 2].target_id is None:
                    cell.fill = READ_ONLY_FILL
                    continue
                cell.protection = Protection(locked=False)
                if column.key in ("done", "difficulties", "proposals"):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.fill = READ_ONLY_FILL
                if column.key == "title":
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    progress = DataValidation(
        type="whole", operator="between", formula1="0", formula2="100", allow_blank=True,
        errorTitle=_("Tiến độ"), error=_("Tiến độ là số nguyên từ 0 đến 100."), showErrorMessage=True,
    )  # fmt: skip
    actual = DataValidation(
        type="decimal", operator="greaterThanOrEqual", formula1="-1000000000", allow_blank=True,
        errorTitle=_("Giá trị chỉ tiêu"), error=_("Cần một số."), showErrorMessage=True,
    )  # fmt: skip
    labels = ",".join(str(label) for _v, label in Confidence.choices)
    confidence = DataValidation(
        type="list", formula1=f'"{labels}"', allow_blank=True, showErrorMessage=True,
        errorTitle=_("Khả năng hoàn thành"), error=_("Chọn một giá trị trong danh sách."),
    )  # fmt: skip
    if count:
        for validation, key in (
            (progress, "progress"),
            (actual, "actual_value"),
            (confidence, "confidence"),
        ):
            validation.add(f"{letters[key]}2:{letters[key]}{last}")
            sheet.add_data_validation(validation)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False


def read_report(plan: Plan, unit: Organisation, data: bytes, *, by: User) -> ReadResult:
    """Check the filled-in sheet against the unit's tasks and latest reports; writes nothing."""
    sheet = open_sheet(data, COLUMNS, sheet=SHEET, max_rows=5_000)
    tasks = {t.pk: t for t in unit_tasks(plan, unit)}
    latest = latest_checkins(unit, list(tasks.values()))
    result = ReadResult(title=_("Báo cáo tiến độ"))
    rows: list[Row] = []
    fed = sources.sources_for(t.target_id for t in tasks.values() if t.target_id)
    for row in sheet.rows():
        rows.append(row)
        result.add(row.result)
        _read_row(row, tasks, latest, by, fed)
    check_unique(((r, str(r.result.values.get("task_id") or "")) for r in rows), "task_id")
    for row in rows:
        if row.result.errors:
            row.result.action = ""
    return result


def _read_row(
    row: Row,
    tasks: dict[int, Task],
    latest: dict[int, CheckIn],
    by: User,
    fed: dict[int, sources.Source],
) -> None:
    values = row.result.values
    task_id = row.integer("task_id", required=True)
    task = tasks.get(task_id) if task_id is not None else None
    values["task_id"] = task_id
    if task_id is not None and task is None:
        row.error(
            "task_id",
            _("Không có nhiệm vụ mã %(id)s mà đơn vị chủ trì hay phối hợp trong kế hoạch này.")
            % {"id": task_id},
        )
    row.result.label = str(task) if task else str(row.raw.get("title") or "")
    if not any(row.present(key) for key in FILLED):
        row.result.label += _(" (để trống: kỳ này không báo cáo)")
        row.result.action = "unchanged"
        values["skip"] = True
        return
    if isinstance(row.raw.get("progress"), str):
        row.raw["progress"] = row.raw["progress"].strip().removesuffix("%")  # "50%" is 50
    progress = row.integer("progress", required=True, minimum=0)
    if progress is not None and progress > 100:
        row.error("progress", _("Tiến độ phải từ 0 đến 100%."))
    actual = row.number("actual_value")
    done = row.text("done", required=True, max_length=TEXT_LIMIT)
    difficulties = row.text("difficulties", max_length=TEXT_LIMIT)
    proposals = row.text("proposals", max_length=TEXT_LIMIT)
    confidence = row.choice(
        "confidence", [(v, str(label)) for v, label in Confidence.choices], required=True
    )
    if task is None:
        return
    if actual is not None:
        if task.target_id is None:
            row.error("actual_value", _("Nhiệm vụ không gắn chỉ tiêu: để trống ô này."))
        elif task.target_id in fed:
            row.error(
                "actual_value",
                _("Chỉ tiêu lấy số liệu tự động từ %(source)s: để trống ô này.")
                % {"source": fed[task.target_id].label},
            )
        elif abs(actual) >= Decimal("1e12") or actual != actual.quantize(Decimal("0.01")):
            row.error("actual_value", _("Giá trị ghi tối đa 2 chữ số thập phân."))
    if not by.has_perm("tracking.checkin_task", task):
        row.error("task_id", _("Bạn không được báo cáo nhiệm vụ này."))
    if row.result.errors:
        return
    assert progress is not None and confidence is not None
    report = services.CheckInData(
        progress=progress, done=done, confidence=confidence, difficulties=difficulties,
        proposals=proposals, actual_value=actual,
    )  # fmt: skip
    values["task"] = task
    values["data"] = report
    last = latest.get(task.pk)
    if last is not None and _same(last, report):
        row.result.action = "unchanged"
        return
    row.result.action = "create"
    header = row.sheet.header
    before = _as_data(last) if last else None
    for key in FILLED:
        old = getattr(before, key) if before else None
        new = getattr(report, key)
        if old != new and (old or new):
            row.result.changes.append((header(key), _shown(key, old), _shown(key, new)))


def _shown(key: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if key == "confidence":
        return str(dict(Confidence.choices).get(value, value))
    if isinstance(value, Decimal | int):
        return format_number(value)
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"


def _as_data(checkin: CheckIn) -> services.CheckInData:
    return services.CheckInData(
        progress=checkin.progress, done=checkin.done, confidence=checkin.confidence,
        difficulties=checkin.difficulties, proposals=checkin.proposals,
        actual_value=checkin.actual_value,
    )  # fmt: skip


def _same(checkin: CheckIn, data: services.CheckInData) -> bool:
    def money(value: Decimal | None) -> Decimal | None:
        return value.quantize(Decimal("0.01")) if value is not None else None

    old = _as_data(checkin)
    return (
        old.progress == data.progress
        and old.done.strip() == data.done.strip()
        and old.difficulties.strip() == data.difficulties.strip()
        and old.proposals.strip() == data.proposals.strip()
        and old.confidence == data.confidence
        and money(old.actual_value) == money(data.actual_value)
    )


@transaction.atomic
def import_report(
    plan: Plan, unit: Organisation, data: bytes, *, by: User, on: dt.date
) -> ReadResult:
    """One check-in per changed row, dated `on`; nothing at all when any row has an error."""
    result = read_report(plan, unit, data, by=by)
    result.refuse_unless_ok()
    for row in result.rows:
        if row.action != "create":
            continue
        try:
            services.submit_checkin(
                row.values["task"], by=by, unit=unit, data=row.values["data"], on=on
            )
        except services.TrackingError as error:
            raise BadWorkbook(
                _("Dòng %(row)d: %(error)s Chưa ghi gì.") % {"row": row.row, "error": error}
            ) from error
    created = sum(1 for row in result.rows if row.action == "create")
    if created:
        notices.sheet_imported(plan, unit, created, by=by)
    return result
