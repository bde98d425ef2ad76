"""Every list as an .xlsx: tasks, targets, check-ins, the document register, people.

Each export is built from one fixed set of queries (select_related/prefetch_related), whatever
the number of rows, and written with the write-only writer of core.sheets. The task and target
sheets are also the import format of a plan (sheets/plan_import.py): their headers are the
import's columns, and the import ignores the columns it does not read (status, progress …).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from core.sheets import Out, SheetWriter
from documents.models import Document
from organisations.membership import subtree_ids
from organisations.models import Organisation, Person, Position
from planning.models import Plan, Target, Task, TaskCoordination
from planning.status import Rag, task_status
from tracking.models import CheckIn
from tracking.target_figures import rag_of

# Column headers shared with the import (sheets/plan_import.py) --------------------------------

TASK_SHEET = "Nhiệm vụ"
TARGET_SHEET = "Chỉ tiêu"

TASK_HEADERS = {
    "code": "Số thứ tự",
    "parent": "Thuộc nhiệm vụ",
    "kind": "Cấp",
    "title": "Tên nhiệm vụ",
    "description": "Nội dung",
    "area": "Lĩnh vực",
    "lead_unit": "Đơn vị chủ trì",
    "coordinating": "Đơn vị phối hợp",
    "person": "Người phụ trách",
    "start_date": "Ngày bắt đầu",
    "due_date": "Hạn hoàn thành",
    "completed_on": "Ngày hoàn thành",
    "weight": "Trọng số",
    "target": "Chỉ tiêu",
    "owner_unit": "Kế hoạch đơn vị",
    "serves": "Phục vụ nhiệm vụ",
    "order": "Thứ tự",
}
TASK_READ_ONLY = {"status": "Trạng thái", "progress": "Tiến độ (%)"}

TARGET_HEADERS = {
    "code": "Mã",
    "name": "Chỉ tiêu",
    "area": "Lĩnh vực",
    "unit_of_measure": "Đơn vị tính",
    "direction": "Chiều đánh giá",
    "baseline": "Giá trị năm trước",
    "target_value": "Giá trị chỉ tiêu",
    "range_min": "Cận dưới",
    "range_max": "Cận trên",
    "amber_threshold": "Ngưỡng vàng",
    "red_threshold": "Ngưỡng đỏ",
    "responsible_unit": "Đơn vị chịu trách nhiệm",
    "is_recurring": "Thường niên",
    "order": "Thứ tự",
}
TARGET_READ_ONLY = {"actual": "Giá trị thực hiện", "actual_on": "Ngày đo", "rag": "Đánh giá"}
YES, NO = "Có", "Không"

UNIT_SEPARATOR = "; "


def unit_name(unit: Organisation | None) -> str:
    return unit.name if unit is not None else ""


def target_ref(target: Target | None) -> str:
    if target is None:
        return ""
    return target.code or target.name


# Tasks ----------------------------------------------------------------------------------------


def tasks_for_export(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Everything a task row shows, in two queries (tasks and their coordinating units)."""
    return tasks.select_related(
        "parent", "area", "lead_unit", "person_in_charge", "target", "owner_unit", "serves"
    ).prefetch_related(
        Prefetch(
            "coordinations",
            queryset=TaskCoordination.objects.active().select_related("unit"),
            to_attr="active_coordinations",
        )
    )


def tree_order(tasks: Iterable[Task]) -> list[Task]:
    """Parents before their children, siblings by (order, pk): the plan read top to bottom."""
    items = list(tasks)
    ids = {t.pk for t in items}
    children: dict[int | None, list[Task]] = {}
    for task in items:
        parent = task.parent_id if task.parent_id in ids else None
        children.setdefault(parent, []).append(task)
    for group in children.values():
        group.sort(key=lambda t: (t.owner_unit_id or 0, t.order, t.pk))
    ordered: list[Task] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        task = stack.pop()
        ordered.append(task)
        stack.extend(reversed(children.get(task.pk, [])))
    return ordered


def task_columns() -> list[Out]:
    widths = {"title": 50, "description": 40, "coordinating": 40, "lead_unit": 28, "code": 10}
    dates = {"start_date", "due_date", "completed_on"}
    numbers = {"weight", "order"}
    columns = [
        Out(
            _(header),
            widths.get(key),
            "date" if key in dates else "number" if key in numbers else "text",
        )
        for key, header in TASK_HEADERS.items()
    ]
    columns += [Out(_(TASK_READ_ONLY["status"]), 26), Out(_(TASK_READ_ONLY["progress"]), 12)]
    return columns


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


# Targets --------------------------------------------------------------------------------------


def targets_for_export(plan: Plan, unit: Organisation | None = None) -> QuerySet[Target]:
    targets = plan.targets.active().select_related("area", "responsible_unit")
    if unit is not None:
        targets = targets.filter(responsible_unit__in=subtree_ids({unit.pk}, plan.school_id))
    return targets.order_by("order", "pk")


def target_columns() -> list[Out]:
    numbers = {
        "baseline", "target_value", "range_min", "range_max", "amber_threshold", "red_threshold",
        "order",
    }  # fmt: skip
    widths = {"name": 50, "responsible_unit": 28, "direction": 20}
    columns = [
        Out(_(header), widths.get(key), "number" if key in numbers else "text")
        for key, header in TARGET_HEADERS.items()
    ]
    columns += [
        Out(_(TARGET_READ_ONLY["actual"]), 14, "number"),
        Out(_(TARGET_READ_ONLY["actual_on"]), 12, "date"),
        Out(_(TARGET_READ_ONLY["rag"]), 18),
    ]
    return columns


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


# Documents ------------------------------------------------------------------------------------


def documents_workbook(documents: QuerySet[Document]) -> bytes:
    columns = [
        Out(_("Số, ký hiệu"), 22),
        Out(_("Loại văn bản"), 16),
        Out(_("Ngày ban hành"), 12, "date"),
        Out(_("Cơ quan ban hành"), 32),
        Out(_("Trích yếu"), 60),
        Out(_("Chức vụ người ký"), 20),
        Out(_("Hệ thống"), 12),
        Out(_("Số nhiệm vụ thực hiện"), 12, "number"),
    ]

    def rows() -> Iterator[list[Any]]:
        for d in documents.iterator(chunk_size=2000):
            issuer = d.issuer_name or (d.issuer.name if d.issuer else "")
            yield [
                d.symbol, d.doc_type.name if d.doc_type else "", d.issued_on, issuer,
                d.summary, d.signer_title, d.get_system_display(), getattr(d, "task_count", 0),
            ]  # fmt: skip

    book = SheetWriter()
    book.sheet(_("Sổ văn bản"), columns, rows())
    return book.to_bytes()


# People ---------------------------------------------------------------------------------------


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
                UNIT_SEPARATOR.join(pos.title for pos in positions),
                UNIT_SEPARATOR.join(pos.organisation.name for pos in positions),
                UNIT_SEPARATOR.join(str(pos.get_role_display()) for pos in positions),
                p.email,
                p.phone,
            ]

    book = SheetWriter()
    book.sheet(_("Nhân sự"), columns, rows())
    return book.to_bytes()
