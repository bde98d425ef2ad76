"""The plan's Excel format: sheet names and column headers of targets and tasks, shared by the
exports (tracking/excel.py, which add the read-only status columns) and the import
(planning/excel_import.py, which ignores the columns it does not read: status, progress …).

Also the queries that load what a task or target row shows, in a fixed number of queries.
"""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet
from django.utils.translation import gettext as _

from core.sheets.writing import Out
from organisations.membership import subtree_ids
from organisations.models import Organisation
from planning.models import Plan, Target, Task, TaskCoordination
from planning.numbering import tree_order as tree_order  # the exports' reading order

# Column headers shared with the import (planning/excel_import.py) -----------------------------

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
        "plan", "parent", "area", "lead_unit", "person_in_charge", "target", "owner_unit", "serves"
    ).prefetch_related(
        Prefetch(
            "coordinations",
            queryset=TaskCoordination.objects.active().select_related("unit"),
            to_attr="active_coordinations",
        )
    )


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


# Targets --------------------------------------------------------------------------------------


def targets_for_export(plan: Plan, unit: Organisation | None = None) -> QuerySet[Target]:
    targets = plan.targets.active().select_related("area", "responsible_unit")
    if unit is not None:
        targets = targets.filter(responsible_unit__in=subtree_ids({unit.pk}, plan.school_id))
    # The reading order of the page and the paper (planning.numbering.target_reading_key).
    return targets.order_by(F("area__order").asc(nulls_last=True), "area_id", "order", "pk")


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
