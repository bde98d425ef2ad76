"""First drafts of a report's narrative parts, written from what the units reported.

Leadership (or the unit head) edits them before issuing. Drafts carry no figures: figures are
computed from the data whenever the report is shown, so they never go stale in the text.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models.functions import Coalesce

from core.text import format_date
from planning.models import WorkArea
from planning.status import RunState
from reports.figures import cell_q, report_tasks
from reports.models import ReportKind, ReportPeriod
from tracking.models import CheckIn, CheckInRole

NO_AREA = "Chưa xếp lĩnh vực"


def _checkins(report: Any) -> list[dict[str, Any]]:
    tasks = report_tasks(report)
    rows = (
        CheckIn.objects.filter(
            task__in=tasks, reported_on__gte=report.period_start, reported_on__lte=report.cutoff
        )
        .order_by("reported_on", "pk")
        .values(
            "task_id", "task__code", "task__title", "task__area__name", "unit__name", "unit__short_name", "role",
            "reported_on", "done", "difficulties", "proposals",
        )
    )  # fmt: skip
    return [dict(row) for row in rows]


def _grouped(rows: list[dict[str, Any]], field: str, group: str) -> dict[str, dict[str, list[str]]]:
    """{group: {text: [units…]}}, each text once, in the order first reported."""
    result: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for row in rows:
        text = (row[field] or "").strip()
        if not text:
            continue
        key = row[group] or NO_AREA
        units = result[key].setdefault(text, [])
        unit = row["unit__short_name"] or row["unit__name"]
        if unit not in units:
            units.append(unit)
    return result


def situation(report: Any) -> str:
    plan = report.plan
    school = plan.school.name
    who = report.unit.name if report.unit_id else school
    editor = "Trưởng đơn vị" if report.unit_id else "Ban giám hiệu"
    return "\n".join([
        f"Thực hiện {plan.title}, trong {report.period_label} (từ ngày {format_date(report.period_start)} "
        f"đến ngày {format_date(report.cutoff)}), {who} đã triển khai các nhiệm vụ được giao; "
        "kết quả cụ thể như sau.",
        f"1. Thuận lợi: ({editor} bổ sung: sự quan tâm chỉ đạo của cấp trên, đội ngũ, cơ sở vật chất…)",
        "2. Khó khăn: (tổng hợp từ phần tồn tại, hạn chế dưới đây)",
    ])  # fmt: skip


def shortcomings(rows: list[dict[str, Any]], editor: str = "Ban giám hiệu") -> str:
    lines = []
    for area, texts in _grouped(rows, "difficulties", "task__area__name").items():
        lines.append(f"{area}:")
        lines.extend(f"- {text} ({', '.join(units)})" for text, units in texts.items())
    if not lines:
        return "Chưa có đơn vị báo cáo khó khăn, vướng mắc đến ngày tính số liệu."
    lines.append(f"Nguyên nhân: ({editor} bổ sung nguyên nhân khách quan, chủ quan)")
    return "\n".join(lines)


def proposals(rows: list[dict[str, Any]]) -> str:
    lines = []
    for area, texts in _grouped(rows, "proposals", "task__area__name").items():
        lines.append(f"{area}:")
        lines.extend(f"- {text} ({', '.join(units)})" for text, units in texts.items())
    return "\n".join(lines) or "Không có đề xuất, kiến nghị."


def _code_key(code: str) -> tuple[Any, ...]:
    """Natural order of task codes: 2 < 10, 1.2 < 1.10."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in (code or "").split(".") if p)


def area_comments(report: Any, rows: list[dict[str, Any]]) -> dict[str, str]:
    """Per area, what the lead units said they did: the latest report on each task."""
    latest: dict[int, dict[str, Any]] = {}
    for row in rows:
        if row["role"] == CheckInRole.LEAD:
            latest[row["task_id"]] = row
    by_area: dict[str, list[str]] = defaultdict(list)
    for row in sorted(latest.values(), key=lambda r: _code_key(r["task__code"])):
        code = f"{row['task__code']}. " if row["task__code"] else ""
        by_area[row["task__area__name"] or NO_AREA].append(
            f"- {code}{row['task__title']}: {row['done'].strip()}"
        )
    comments = {}
    for area in WorkArea.objects.filter(plan_id=report.plan_id).active():
        if area.name in by_area:
            comments[str(area.pk)] = "\n".join(by_area[area.name])
    return comments


def direction(report: Any) -> str:
    """The tasks still open at the cut-off: overdue first, then those within their deadline."""
    tasks = (
        report_tasks(report)
        .filter(run_state=RunState.ACTIVE)
        .annotate(baseline=Coalesce("original_due_date", "due_date"))
        .select_related("lead_unit")
    )
    overdue = list(tasks.filter(cell_q("open_overdue", report.cutoff)).order_by("baseline", "pk"))
    open_ = list(tasks.filter(cell_q("open_in_time", report.cutoff)).order_by("order", "pk"))
    next_period = (
        "học kỳ II" if report.period == ReportPeriod.SEMESTER else f"năm học {report.plan.start_year + 1}–{report.plan.start_year + 2}"
    )  # fmt: skip
    lines = [f"Trong {next_period}, tập trung thực hiện:"]

    def line(task: Any) -> str:
        code = f"{task.code}. " if task.code else ""
        unit = f" ({task.lead_unit})" if task.lead_unit_id else ""
        due = f", hạn {format_date(task.baseline)}" if task.baseline else ""
        return f"- {code}{task.title}{unit}{due}"

    if overdue:
        lines.append("1. Khẩn trương hoàn thành các nhiệm vụ đã quá hạn:")
        lines.extend(line(task) for task in overdue)
    if open_:
        lines.append(
            f"{2 if overdue else 1}. "
            + (
                "Tiếp tục thực hiện các nhiệm vụ đang triển khai:"
                if report.kind != ReportKind.YEAR
                else "Chuyển sang năm học mới các nhiệm vụ chưa hoàn thành:"
            )
        )
        lines.extend(line(task) for task in open_)
    if len(lines) == 1:
        lines.append("- Duy trì kết quả đạt được; (bổ sung nhiệm vụ trọng tâm kỳ tới)")
    return "\n".join(lines)


def draft(report: Any) -> dict[str, Any]:
    """All narrative parts of a new report."""
    rows = _checkins(report)
    return {
        "situation": situation(report),
        "area_comments": area_comments(report, rows),
        "shortcomings": shortcomings(rows, "Trưởng đơn vị" if report.unit_id else "Ban giám hiệu"),
        "direction": direction(report),
        "proposals": proposals(rows),
    }
