"""What an irreversible planning action will do, read before it is confirmed: issuing a plan,
closing an amendment, archiving a plan, an area, a target or a task.

Each review says what will happen (counts, who is affected, what gets locked), the problems
found first (tasks without a lead unit, targets without a value, texts of a copied plan that
still name the old year…), whether the action is possible at all, and whether and how it can
be undone. Queries only; the action itself is the service's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.clock import today
from core.errors import DomainError
from planning import numbering, services
from planning.models import (
    Direction,
    Plan,
    PlanAmendment,
    Target,
    Task,
    TaskBasis,
    TaskCoordination,
    TaskKind,
    WorkArea,
)

# How many rows a finding lists before "và N mục khác".
SHOWN = 12


@dataclass
class Item:
    label: str
    url: str = ""
    excerpt: str = ""


@dataclass
class Finding:
    """One kind of problem, with the rows it concerns (the first SHOWN of them)."""

    text: str
    items: list[Item] = field(default_factory=list)
    more: int = 0


@dataclass
class Review:
    title: str
    action: str  # the confirming button
    facts: list[tuple[str, str]] = field(default_factory=list)
    affected: list[str] = field(default_factory=list)
    consequences: list[str] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    old_year: list[Item] = field(default_factory=list)
    refusal: str = ""  # set when the action cannot be done now
    undo: str = ""
    back: str = ""
    button: str = "btn-danger"  # the confirming button's colour: red for what takes away

    @property
    def problem_count(self) -> int:
        return sum(len(p.items) + p.more for p in self.problems) + len(self.old_year)


def _finding(text: str, items: list[Item]) -> Finding:
    return Finding(text, items[:SHOWN], max(0, len(items) - SHOWN))


def _task_url(task: Task | Any) -> str:
    return reverse("planning:task_detail", args=[task.pk])


def _target_url(target: Target) -> str:
    return reverse("planning:target_detail", args=[target.pk])


def _task_label(task: Task) -> str:
    return f"{task.code}. {task.title}" if task.code else task.title


def _target_label(target: Target) -> str:
    return f"{target.code}. {target.name}" if target.code else target.name


def refusal_of(check: Callable[[], object]) -> str:
    """What the user is told if `check()` refuses (a domain error), else ""."""
    try:
        check()
    except DomainError as error:
        return str(error)
    return ""


# Texts that still name the old year ------------------------------------------------------------


def old_year_pattern(source_start: int, new_start: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(the new school year, written any way, to ignore; the old year's calendar years).

    A plan copied from 2023–2024 to 2024–2025 still names the old year when it says "2023",
    "năm học 2023-2024" or "năm 2024" (what happened in 2024 then happens in 2025 now); its own
    label "2024–2025" is not a mention of the old year."""
    new = re.compile(rf"(?<!\d){new_start}\s*[-–—/]\s*{new_start + 1}(?!\d)")
    years = "|".join(str(y) for y in (source_start, source_start + 1) if y < new_start + 1)
    old = re.compile(rf"(?<!\d)(?:{years})(?!\d)")
    return new, old


def _excerpt(text: str, start: int, end: int, width: int = 50) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")


def find_old_year(
    texts: Iterable[tuple[str, str, str]], source_start: int, new_start: int
) -> list[Item]:
    """The (label, url, text) whose text names the old year, with an excerpt around the mention."""
    new, old = old_year_pattern(source_start, new_start)
    found = []
    for label, url, text in texts:
        if not text:
            continue
        blanked = new.sub(lambda m: " " * len(m.group(0)), text)
        match = old.search(blanked)
        if match:
            found.append(Item(label, url, _excerpt(text, match.start(), match.end())))
    return found


def _plan_texts(plan: Plan, tasks: list[Task], targets: list[Target]) -> list[tuple[str, str, str]]:
    plan_url = reverse("planning:plan_detail", args=[plan.pk])
    edit_url = reverse("planning:plan_edit", args=[plan.pk])
    texts = [
        (_("Tên kế hoạch"), edit_url, plan.title),
        (_("Chủ đề, định hướng năm học"), edit_url, plan.theme),
    ]
    for link in plan.basis_links.select_related("document"):
        document = link.document
        texts.append(
            (
                _("Căn cứ: %(symbol)s") % {"symbol": document.symbol},
                reverse("planning:plan_bases", args=[plan.pk]),
                document.summary,
            )
        )
    for area in plan.areas.active():
        texts.append((_("Lĩnh vực: %(name)s") % {"name": area.name}, plan_url, area.name))
    for target in targets:
        texts.append(
            (_("Chỉ tiêu %(label)s") % {"label": target.code}, _target_url(target), target.name)
        )
    for task in tasks:
        url = _task_url(task)
        label = _("Nhiệm vụ %(code)s") % {"code": task.code}
        texts.append((label, url, task.title))
        texts.append((label + " " + _("(nội dung)"), url, task.description))
    for coordination in (
        TaskCoordination.objects.active()
        .filter(task__plan=plan, task__archived_at__isnull=True)
        .select_related("task")
    ):
        texts.append(
            (
                _("Nhiệm vụ %(code)s (phần việc phối hợp)") % {"code": coordination.task.code},
                _task_url(coordination.task),
                coordination.duty,
            )
        )
    # A document several tasks cite is one line, naming them all.
    cited: dict[int, tuple[Any, list[Task]]] = {}
    for basis in (
        TaskBasis.objects.active()
        .filter(task__plan=plan, task__archived_at__isnull=True)
        .select_related("task", "document")
        .order_by("pk")
    ):
        cited.setdefault(basis.document_id, (basis.document, []))[1].append(basis.task)
    for document, citing in cited.values():
        texts.append(
            (
                _("Căn cứ của nhiệm vụ %(codes)s: %(symbol)s")
                % {"codes": ", ".join(t.code for t in citing), "symbol": document.symbol},
                _task_url(citing[0]),
                document.summary,
            )
        )
    return texts


# Issuing -----------------------------------------------------------------------------------------


def _count_line(tasks: list[Task]) -> str:
    kinds = {kind: sum(1 for t in tasks if t.kind == kind) for kind in TaskKind.values}
    return _("%(tasks)s nhiệm vụ, %(solutions)s giải pháp, %(activities)s hoạt động") % {
        "tasks": kinds[TaskKind.TASK],
        "solutions": kinds[TaskKind.SOLUTION],
        "activities": kinds[TaskKind.ACTIVITY],
    }


def _unmeasurable(target: Target) -> bool:
    if target.direction == Direction.BOOLEAN:
        return False
    if target.direction == Direction.RANGE:
        return target.range_min is None or target.range_max is None
    return target.target_value is None


def plan_findings(plan: Plan, tasks: list[Task], targets: list[Target]) -> list[Finding]:
    """What should be put right before the plan is issued (nothing here forbids issuing)."""
    school_tasks = [t for t in tasks if t.owner_unit_id is None]
    checks = [
        (
            _("Nhiệm vụ chưa có đơn vị chủ trì"),
            [Item(_task_label(t), _task_url(t)) for t in school_tasks if t.lead_unit_id is None],
        ),
        (
            _("Nhiệm vụ chưa có hạn hoàn thành"),
            [Item(_task_label(t), _task_url(t)) for t in tasks if t.due_date is None],
        ),
        (
            _("Nhiệm vụ có hạn hoàn thành ngoài năm học %(year)s") % {"year": plan.year_label},
            [
                Item(_task_label(t), _task_url(t))
                for t in tasks
                if t.due_date and not plan.starts_on <= t.due_date <= plan.ends_on
            ],
        ),
        (
            _("Chỉ tiêu chưa có giá trị chỉ tiêu"),
            [Item(_target_label(t), _target_url(t)) for t in targets if _unmeasurable(t)],
        ),
        (
            _("Chỉ tiêu chưa có giá trị năm trước (năm học trước chưa đo được)"),
            [
                Item(_target_label(t), _target_url(t))
                for t in targets
                if t.carried_from_id is not None and t.baseline is None
            ],
        ),
    ]
    return [_finding(text, items) for text, items in checks if items]


def issue_review(plan: Plan) -> Review:
    tasks = numbering.tree_order(
        plan.tasks.active().select_related("lead_unit", "person_in_charge")
    )
    targets = sorted(plan.targets.active().select_related("area"), key=numbering.target_reading_key)
    school_tasks = [t for t in tasks if t.owner_unit_id is None]
    lead_units = {t.lead_unit_id: t.lead_unit for t in school_tasks if t.lead_unit is not None}
    coordinating = set(
        TaskCoordination.objects.active()
        .filter(task__plan=plan, task__archived_at__isnull=True)
        .values_list("unit_id", flat=True)
    )
    people = {t.person_in_charge_id for t in tasks if t.person_in_charge_id}
    on = today()
    due_passed = sum(1 for t in tasks if t.due_date and t.due_date < on and not t.completed_on)
    review = Review(
        title=_("Ban hành: %(title)s") % {"title": plan.title},
        action=_("Ban hành kế hoạch"),
        back=reverse("planning:plan_detail", args=[plan.pk]),
        facts=[
            (_("Nhiệm vụ của trường"), _count_line(school_tasks)),
            (_("Nhiệm vụ riêng của các đơn vị"), str(len(tasks) - len(school_tasks))),
            (_("Chỉ tiêu"), str(len(targets))),
            (_("Lĩnh vực công tác"), str(plan.areas.active().count())),
            (_("Văn bản căn cứ"), str(plan.basis_links.count())),
        ],
        affected=[
            ngettext(
                "%(count)s đơn vị chủ trì: %(names)s",
                "%(count)s đơn vị chủ trì: %(names)s",
                len(lead_units),
            )
            % {
                "count": len(lead_units),
                "names": ", ".join(
                    sorted(str(u.short_name or u.name) for u in lead_units.values())
                ),
            },
            _("%(count)s đơn vị phối hợp") % {"count": len(coordinating - set(lead_units))},
            _("%(count)s người phụ trách nhiệm vụ") % {"count": len(people)},
        ],
        consequences=[
            _(
                "Kế hoạch, lĩnh vực, chỉ tiêu, nhiệm vụ, đơn vị phối hợp và căn cứ bị khóa: "
                "mọi thay đổi sau đó cần một đợt sửa đổi, bổ sung có ghi lý do, và được ghi "
                "vào lịch sử."
            ),
            _(
                "Các đơn vị và người phụ trách báo cáo tiến độ trên kế hoạch này; hạn hoàn thành "
                "bắt đầu được tính."
            ),
            ngettext(
                "%(count)s nhiệm vụ đã qua hạn hoàn thành sẽ hiện “quá hạn” ngay khi ban hành.",
                "%(count)s nhiệm vụ đã qua hạn hoàn thành sẽ hiện “quá hạn” ngay khi ban hành.",
                due_passed,
            )
            % {"count": due_passed}
            if due_passed
            else _("Chưa có nhiệm vụ nào quá hạn."),
            _("Sau khi ban hành, Ban giám hiệu lấy số văn bản và tải Kế hoạch (.docx) để ký."),
        ],
        problems=plan_findings(plan, tasks, targets),
        refusal=refusal_of(lambda: _check_issuable(plan, tasks)),
        undo=_(
            "Không thể hủy ban hành. Muốn thay đổi kế hoạch đã ban hành, mở “Sửa đổi, bổ sung” "
            "(ghi lý do), sửa, rồi kết thúc đợt sửa đổi."
        ),
    )
    if plan.copied_from_id is not None:
        source = Plan.objects.get(pk=plan.copied_from_id)
        review.old_year = find_old_year(
            _plan_texts(plan, tasks, targets), source.start_year, plan.start_year
        )
    return review


def _check_issuable(plan: Plan, tasks: list[Task]) -> None:
    if plan.is_archived:
        raise services.PlanLocked(_("Kế hoạch đã được lưu trữ, không thể ban hành."))
    if plan.is_issued:
        raise services.PlanningError(_("Kế hoạch đã được ban hành."))
    if not tasks:
        raise services.PlanningError(_("Kế hoạch chưa có nhiệm vụ nào, chưa thể ban hành."))


# Closing an amendment ----------------------------------------------------------------------------


def amendment_close_review(plan: Plan, amendment: PlanAmendment | None) -> Review:
    review = Review(
        title=_("Kết thúc đợt sửa đổi, bổ sung kế hoạch"),
        action=_("Kết thúc sửa đổi"),
        back=reverse("planning:plan_detail", args=[plan.pk]),
        undo=_(
            "Có thể mở một đợt sửa đổi, bổ sung mới bất cứ lúc nào (ghi lý do); đợt này vẫn "
            "được ghi trong lịch sử."
        ),
    )
    if amendment is None:
        review.refusal = _("Không có đợt sửa đổi nào đang mở.")
        return review
    reason = str(amendment)
    plan_tasks = Task.objects.filter(plan=plan).values("pk")
    histories: list[Any] = [
        Plan.history.filter(id=plan.pk),
        WorkArea.history.filter(plan_id=plan.pk),
        Target.history.filter(plan_id=plan.pk),
        Task.history.filter(plan_id=plan.pk),
        TaskCoordination.history.filter(task_id__in=plan_tasks),
        TaskBasis.history.filter(task_id__in=plan_tasks),
    ]
    changes = sum(rows.filter(history_change_reason=reason).count() for rows in histories)
    tasks = list(plan.tasks.active())
    targets = list(plan.targets.active())
    review.facts = [
        (_("Đợt sửa đổi"), str(amendment)),
        (_("Số thay đổi ghi trong đợt"), str(changes)),
    ]
    review.consequences = [
        _("Kế hoạch được khóa lại: không sửa được nữa cho đến đợt sửa đổi sau."),
        _(
            "Nếu Kế hoạch đã có số văn bản, cần lấy số mới cho Kế hoạch sửa đổi, bổ sung "
            "(nút “Lấy số văn bản”)."
        ),
    ]
    review.problems = plan_findings(plan, tasks, targets)
    return review


# Archiving ---------------------------------------------------------------------------------------


def archive_review(obj: Plan | WorkArea | Target | Task) -> Review:
    """What archiving one of the plan's objects does. Archived rows are never deleted."""
    if isinstance(obj, Plan):
        return _plan_archive_review(
            obj,
            _(
                "Không có gì bị xóa: nội dung và lịch sử vẫn được lưu. Có thể khôi phục tại mục "
                "“Kế hoạch đã lưu trữ” của trang danh sách kế hoạch."
            ),
        )
    kept = _(
        "Không có gì bị xóa: nội dung và lịch sử vẫn được lưu. Có thể khôi phục tại trang "
        "“Đã lưu trữ” của kế hoạch."
    )
    plan = obj.plan
    back = reverse("planning:plan_detail", args=[plan.pk])
    refusal = (
        _("Mục này đã được lưu trữ.")
        if obj.is_archived
        else refusal_of(lambda: services.ensure_editable(plan))
    )
    amendment = services.open_amendment_of(plan) if plan.is_issued else None
    note = (
        _("Thay đổi được ghi vào đợt sửa đổi đang mở: %(amendment)s.") % {"amendment": amendment}
        if amendment
        else ""
    )
    if isinstance(obj, Task):
        return _task_archive_review(obj, back, refusal, note, kept)
    if isinstance(obj, Target):
        tasks = list(obj.tasks.active())
        return Review(
            title=_("Lưu trữ chỉ tiêu %(label)s") % {"label": _target_label(obj)},
            action=_("Lưu trữ chỉ tiêu"),
            back=_target_url(obj),
            facts=[
                (_("Nhiệm vụ gắn với chỉ tiêu"), str(len(tasks))),
                (_("Đơn vị được giao chỉ tiêu"), str(obj.allocations.count())),
            ],
            consequences=[
                c
                for c in (
                    _(
                        "Chỉ tiêu không còn trong kế hoạch, bảng điều hành, Excel và Kế hoạch (.docx)."
                    ),
                    _("Số %(code)s không được dùng lại cho chỉ tiêu mới khi nó còn là số cuối.")
                    % {"code": obj.code}
                    if obj.code
                    else "",
                    note,
                )
                if c
            ],
            problems=[
                _finding(
                    _("Các nhiệm vụ này vẫn ghi gắn với chỉ tiêu đã lưu trữ"),
                    [Item(_task_label(t), _task_url(t)) for t in tasks],
                )
            ]
            if tasks
            else [],
            refusal=refusal,
            undo=kept,
        )
    targets = list(obj.targets.active())
    tasks = list(obj.tasks.active())
    return Review(
        title=_("Lưu trữ lĩnh vực %(name)s") % {"name": obj.name},
        action=_("Lưu trữ lĩnh vực"),
        back=back,
        facts=[(_("Chỉ tiêu thuộc lĩnh vực"), str(len(targets))), (_("Nhiệm vụ"), str(len(tasks)))],
        consequences=[c for c in (_("Lĩnh vực không còn trong kế hoạch."), note) if c],
        problems=[
            _finding(
                _("Chỉ tiêu và nhiệm vụ này sẽ thành “chưa xếp lĩnh vực”"),
                [Item(_target_label(t), _target_url(t)) for t in targets]
                + [Item(_task_label(t), _task_url(t)) for t in tasks],
            )
        ]
        if targets or tasks
        else [],
        refusal=refusal,
        undo=kept,
    )


def _task_archive_review(task: Task, back: str, refusal: str, note: str, kept: str) -> Review:
    children = list(task.children.active())
    serving = list(task.unit_tasks.active())
    if children and not refusal:
        refusal = _("Hãy lưu trữ các nhiệm vụ con trước.")
    problems = []
    if children:
        problems.append(
            _finding(
                _("Nhiệm vụ con còn trong kế hoạch"),
                [Item(_task_label(t), _task_url(t)) for t in children],
            )
        )
    if serving:
        problems.append(
            _finding(
                _("Nhiệm vụ của đơn vị đang phục vụ nhiệm vụ này (vẫn giữ liên kết)"),
                [Item(_task_label(t), _task_url(t)) for t in serving],
            )
        )
    return Review(
        title=_("Lưu trữ nhiệm vụ %(label)s") % {"label": _task_label(task)},
        action=_("Lưu trữ nhiệm vụ"),
        back=_task_url(task),
        facts=[
            (_("Đơn vị chủ trì"), str(task.lead_unit or "—")),
            (_("Đơn vị phối hợp"), str(task.coordinations.active().count())),
            (_("Nhiệm vụ con"), str(len(children))),
        ],
        affected=[
            _("Người phụ trách: %(name)s") % {"name": task.person_in_charge}
            if task.person_in_charge
            else _("Chưa có người phụ trách")
        ],
        consequences=[
            c
            for c in (
                _(
                    "Nhiệm vụ không còn trong cây nhiệm vụ, bảng điều hành, Excel và Kế hoạch "
                    "(.docx); báo cáo tiến độ đã gửi vẫn được giữ."
                ),
                note,
            )
            if c
        ],
        problems=problems,
        refusal=refusal,
        undo=kept,
    )


def _plan_archive_review(plan: Plan, kept: str) -> Review:
    refusal = ""
    if plan.is_issued:
        refusal = _("Không thể lưu trữ kế hoạch đã ban hành.")
    elif plan.is_archived:
        refusal = _("Kế hoạch đã được lưu trữ.")
    return Review(
        title=_("Lưu trữ kế hoạch %(title)s") % {"title": plan.title},
        action=_("Lưu trữ kế hoạch"),
        back=reverse("planning:plan_detail", args=[plan.pk]),
        facts=[
            (_("Nhiệm vụ"), str(plan.tasks.active().count())),
            (_("Chỉ tiêu"), str(plan.targets.active().count())),
            (_("Lĩnh vực công tác"), str(plan.areas.active().count())),
        ],
        consequences=[
            _("Dự thảo không còn trong danh sách kế hoạch, tìm kiếm và bảng điều hành."),
            _("Năm học %(year)s được trống: có thể tạo hoặc sao một kế hoạch khác cho năm học này.")
            % {"year": plan.year_label},
        ],
        refusal=refusal,
        undo=kept,
    )
