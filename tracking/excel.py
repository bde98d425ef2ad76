"""A plan's lists as .xlsx: the whole plan, tasks, targets (with their status, progress and
evaluation) and check-ins.

Each export is built from one fixed set of queries (select_related/prefetch_related), whatever
the number of rows, and written with the write-only writer of core.sheets.writing. The task and
target sheets are also the import format of a plan (planning/excel.py, planning/excel_import.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.sheets.writing import Out, SheetWriter
from planning.excel import (
    NO,
    TARGET_SHEET,
    TASK_SHEET,
    UNIT_SEPARATOR,
    YES,
    target_columns,
    target_ref,
    targets_for_export,
    task_columns,
    tasks_for_export,
    tree_order,
    unit_name,
)
from planning.models import Plan, Target, Task
from planning.status import Rag, task_status
from tracking.models import CheckIn
from tracking.target_figures import rag_of

# Tasks and targets ----------------------------------------------------------------------------


def task_rows(tasks: Iterable[Task], on: dt.date) -> Iterator[list[Any]]:
    for task in tasks:
        info = task_status(task, on)
        coordinations = getattr(task, "active_coordinations", None)
        if coordinations is None:
            coordinations = list(task.coordinations.active().select_related("unit"))
        yield [
            task.code,
            task.parent.code if task.parent else "",
            task.get_kind_display(),
            task.title,
            task.description,
            task.area.name if task.area else "",
            unit_name(task.lead_unit),
            UNIT_SEPARATOR.join(c.unit.name for c in coordinations),
            task.person_in_charge.full_name if task.person_in_charge else "",
            task.start_date,
            task.due_date,
            task.completed_on,
            task.weight,
            target_ref(task.target),
            unit_name(task.owner_unit),
            task.serves.code if task.serves else "",
            task.order,
            str(info.status.label),
            task.effective_progress,
        ]


def target_rows(targets: Iterable[Target]) -> Iterator[list[Any]]:
    for target in targets:
        rag = rag_of(target)
        yield [
            target.code,
            target.name,
            target.area.name if target.area else "",
            target.unit_of_measure,
            target.get_direction_display(),
            target.baseline,
            target.target_value,
            target.range_min,
            target.range_max,
            target.amber_threshold,
            target.red_threshold,
            unit_name(target.responsible_unit),
            _(YES) if target.is_recurring else _(NO),
            target.order,
            target.actual_value,
            target.actual_on,
            str(Rag(rag).label) if rag else "",
        ]


def plan_workbook(plan: Plan, on: dt.date) -> bytes:
    """The whole plan: its targets and its task tree, in the import's format."""
    book = SheetWriter()
    book.sheet(_(TARGET_SHEET), target_columns(), target_rows(targets_for_export(plan)))
    tasks = tasks_for_export(Task.objects.active().filter(plan=plan))
    book.sheet(_(TASK_SHEET), task_columns(), task_rows(tree_order(tasks), on))
    return book.to_bytes()


def tasks_workbook(tasks: QuerySet[Task], on: dt.date) -> bytes:
    book = SheetWriter()
    book.sheet(_(TASK_SHEET), task_columns(), task_rows(tree_order(tasks_for_export(tasks)), on))
    return book.to_bytes()


def targets_workbook(targets: QuerySet[Target]) -> bytes:
    book = SheetWriter()
    book.sheet(_(TARGET_SHEET), target_columns(), target_rows(targets))
    return book.to_bytes()


# Check-ins ------------------------------------------------------------------------------------


def checkins_workbook(tasks: QuerySet[Task]) -> bytes:
    checkins = (
        CheckIn.objects.filter(task__in=tasks.values("pk"))
        .select_related("task", "unit", "submitted_by")
        .order_by("-reported_on", "-submitted_at", "-pk")
    )
    columns = [
        Out(_("Ngày báo cáo"), 12, "date"),
        Out(_("Số thứ tự"), 10),
        Out(_("Nhiệm vụ"), 45),
        Out(_("Đơn vị báo cáo"), 28),
        Out(_("Loại báo cáo"), 24),
        Out(_("Tiến độ (%)"), 10, "number"),
        Out(_("Giá trị chỉ tiêu đạt được"), 14, "number"),
        Out(_("Kết quả đã thực hiện"), 50),
        Out(_("Khó khăn, vướng mắc"), 40),
        Out(_("Đề xuất, kiến nghị"), 40),
        Out(_("Khả năng hoàn thành"), 22),
        Out(_("Báo cáo đúng hạn"), 10),
        Out(_("Người gửi"), 18),
        Out(_("Thời điểm gửi"), 17, "date"),
    ]

    def rows() -> Iterator[list[Any]]:
        for c in checkins.iterator(chunk_size=2000):
            yield [
                c.reported_on, c.task.code, c.task.title, unit_name(c.unit), c.get_role_display(),
                c.progress, c.actual_value, c.done, c.difficulties, c.proposals,
                c.get_confidence_display(), _(YES) if c.on_time else _(NO),
                c.submitted_by.get_username() if c.submitted_by else "", c.submitted_at,
            ]  # fmt: skip

    book = SheetWriter()
    book.sheet(_("Báo cáo tiến độ"), columns, rows())
    return book.to_bytes()
