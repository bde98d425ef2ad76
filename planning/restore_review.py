"""What restoring an archived plan, area, target or task will do, read before it is confirmed,
on the same page as archiving (planning/review.py): what comes back, the problems found (the
archived tasks above a task, which come back with it; a number given to another meanwhile; an
area or target still archived), whether it is possible now, and how to undo it.

Queries only; the restoring itself is planning.restoring's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.audit import archivings
from core.templatetags.vn import vn_datetime
from planning import restoring, services
from planning.models import Plan, Target, Task, WorkArea
from planning.review import SHOWN, Finding, Item, Review, refusal_of

KINDS: dict[str, Any] = {"plan": Plan, "area": WorkArea, "target": Target, "task": Task}


def kind_of(obj: Any) -> str:
    return next(kind for kind, model in KINDS.items() if isinstance(obj, model))


def restore_url(obj: Any) -> str:
    return reverse("planning:restore", args=[kind_of(obj), obj.pk])


def _finding(text: str, items: list[Item]) -> Finding:
    return Finding(text, items[:SHOWN], max(0, len(items) - SHOWN))


def _target_label(target: Target) -> str:
    return f"{target.code}. {target.name}" if target.code else target.name


def _label(obj: Any) -> str:
    return _target_label(obj) if isinstance(obj, Target) else str(obj)


def _archived_facts(obj: Any) -> list[tuple[str, str]]:
    """When it was archived, and by whom and why if the history says so."""
    archiving = archivings([obj]).get(obj.pk)
    if archiving is None:
        return []
    facts = [(_("Lưu trữ lúc"), vn_datetime(archiving.when))]
    if archiving.who:
        facts.append((_("Người lưu trữ"), archiving.who))
    if archiving.reason and archiving.reason != _("Lưu trữ"):
        facts.append((_("Ghi trong lịch sử"), archiving.reason))
    return facts


def _in_amendment(plan: Plan) -> str:
    amendment = services.open_amendment_of(plan) if plan.is_issued else None
    if amendment is None:
        return ""
    return _("Thay đổi được ghi vào đợt sửa đổi đang mở: %(amendment)s.") % {"amendment": amendment}


def _undo() -> str:
    return _("Có thể lưu trữ lại bất cứ lúc nào (nút “Lưu trữ…”); mọi lần đều ghi trong lịch sử.")


def _archived_page(plan: Plan) -> str:
    return reverse("planning:archived", args=[plan.pk])


def restore_review(obj: Any, *, may_restore: Callable[[Task], bool]) -> Review:
    """The review of restoring `obj`; `may_restore` says whether the user may restore a task
    (the archived tasks above one come back with it, each under the rule of archiving)."""
    if isinstance(obj, Plan):
        return _plan_review(obj)
    if isinstance(obj, Task):
        return _task_review(obj, may_restore)
    plan = obj.plan
    refusal = (
        _("Mục này không ở trạng thái lưu trữ (có thể vừa được khôi phục).")
        if not obj.is_archived
        else refusal_of(lambda: restoring.amendment_for(plan))
    )
    note = _in_amendment(plan)
    if isinstance(obj, Target):
        return _target_review(obj, refusal, note)
    targets = obj.targets.active().count()
    tasks = obj.tasks.active().count()
    return Review(
        title=_("Khôi phục lĩnh vực %(name)s") % {"name": obj.name},
        action=_("Khôi phục lĩnh vực"),
        button="btn-primary",
        back=_archived_page(plan),
        facts=[
            *_archived_facts(obj),
            (_("Chỉ tiêu còn gắn với lĩnh vực"), str(targets)),
            (_("Nhiệm vụ còn gắn với lĩnh vực"), str(tasks)),
        ],
        consequences=[
            c
            for c in (
                _("Lĩnh vực trở lại kế hoạch, với các chỉ tiêu và nhiệm vụ còn gắn với nó."),
                note,
            )
            if c
        ],
        refusal=refusal,
        undo=_undo(),
    )


def _target_review(target: Target, refusal: str, note: str) -> Review:
    code = restoring.target_code_on_restore(target) if not refusal else target.code
    renumbered = (
        str(restoring.Renumbered(_("chỉ tiêu"), target.code, code)) if code != target.code else ""
    )
    area = target.area
    problems = []
    if area is not None and area.is_archived:
        problems.append(
            _finding(
                _(
                    "Lĩnh vực của chỉ tiêu đang được lưu trữ: chỉ tiêu hiện ở “Chưa xếp lĩnh "
                    "vực” cho đến khi lĩnh vực được khôi phục"
                ),
                [Item(area.name, restore_url(area))],
            )
        )
    return Review(
        title=_("Khôi phục chỉ tiêu %(label)s") % {"label": _target_label(target)},
        action=_("Khôi phục chỉ tiêu"),
        button="btn-primary",
        back=_archived_page(target.plan),
        facts=[
            *_archived_facts(target),
            (_("Lĩnh vực"), str(area or "—")),
            (_("Nhiệm vụ gắn với chỉ tiêu"), str(target.tasks.active().count())),
        ],
        consequences=[
            c
            for c in (
                _("Chỉ tiêu trở lại kế hoạch, bảng điều hành, Excel và Kế hoạch (.docx)."),
                renumbered,
                note,
            )
            if c
        ],
        problems=problems,
        refusal=refusal,
        undo=_undo(),
    )


def _task_review(task: Task, may_restore: Callable[[Task], bool]) -> Review:
    plan = task.plan
    if not task.is_archived:
        refusal = _("Mục này không ở trạng thái lưu trữ (có thể vừa được khôi phục).")
    else:
        refusal = refusal_of(lambda: restoring.amendment_for(plan))
    result = restoring.task_restore(task) if task.is_archived else restoring.TaskRestore([task])
    ancestors = result.ancestors
    refusal = refusal or refusal_of(lambda: restoring.check_ancestors(ancestors, may_restore))
    problems = []
    if ancestors:
        problems.append(
            _finding(
                _("Nhiệm vụ cấp trên đang được lưu trữ: được khôi phục cùng"),
                [Item(str(t), reverse("planning:task_detail", args=[t.pk])) for t in ancestors],
            )
        )
    for item in result.chain:
        for label, related in (
            (_("Lĩnh vực của nhiệm vụ %(code)s đang được lưu trữ"), item.area),
            (_("Chỉ tiêu gắn với nhiệm vụ %(code)s đang được lưu trữ"), item.target),
            (_("Nhiệm vụ của trường mà nhiệm vụ %(code)s phục vụ đang được lưu trữ"), item.serves),
        ):
            if related is not None and related.is_archived:
                problems.append(
                    _finding(
                        label % {"code": result.codes.get(item.pk, item.code)},
                        [Item(_label(related), restore_url(related))],
                    )
                )
    children = task.children.filter(archived_at__isnull=False).count()
    consequences = [
        _(
            "Nhiệm vụ trở lại cây nhiệm vụ, bảng điều hành, Excel và Kế hoạch (.docx), cùng các "
            "báo cáo tiến độ đã gửi."
        ),
        *(_("Nhiệm vụ cấp trên “%(task)s” cũng được khôi phục.") % {"task": t} for t in ancestors),
        *(str(r) for r in result.renumbered),
        ngettext(
            "%(count)s nhiệm vụ con vẫn ở trạng thái lưu trữ; khôi phục từng nhiệm vụ tại trang "
            "“Đã lưu trữ” nếu cần.",
            "%(count)s nhiệm vụ con vẫn ở trạng thái lưu trữ; khôi phục từng nhiệm vụ tại trang "
            "“Đã lưu trữ” nếu cần.",
            children,
        )
        % {"count": children}
        if children
        else "",
        _in_amendment(plan),
    ]
    action = (
        ngettext(
            "Khôi phục nhiệm vụ và %(count)s nhiệm vụ cấp trên",
            "Khôi phục nhiệm vụ và %(count)s nhiệm vụ cấp trên",
            len(ancestors),
        )
        % {"count": len(ancestors)}
        if ancestors
        else _("Khôi phục nhiệm vụ")
    )
    return Review(
        title=_("Khôi phục nhiệm vụ %(label)s") % {"label": task},
        action=action,
        button="btn-primary",
        back=_archived_page(plan),
        facts=[
            *_archived_facts(task),
            (_("Đơn vị chủ trì"), str(task.lead_unit or "—")),
            (_("Thuộc nhiệm vụ"), str(task.parent or "—")),
        ],
        affected=[_("Kế hoạch của %(unit)s") % {"unit": task.owner_unit}]
        if task.owner_unit
        else [],
        consequences=[c for c in consequences if c],
        problems=problems,
        refusal=refusal,
        undo=_undo(),
    )


def _plan_review(plan: Plan) -> Review:
    return Review(
        title=_("Khôi phục kế hoạch %(title)s") % {"title": plan.title},
        action=_("Khôi phục kế hoạch"),
        button="btn-primary",
        back=reverse("planning:plan_list"),
        facts=[
            *_archived_facts(plan),
            (_("Trạng thái"), plan.get_status_display()),
            (_("Nhiệm vụ"), str(plan.tasks.active().count())),
            (_("Chỉ tiêu"), str(plan.targets.active().count())),
            (_("Lĩnh vực công tác"), str(plan.areas.active().count())),
        ],
        consequences=[
            _(
                "Kế hoạch trở lại danh sách kế hoạch, tìm kiếm và bảng điều hành, với các lĩnh "
                "vực, chỉ tiêu và nhiệm vụ nó có khi được lưu trữ."
            ),
        ],
        refusal=refusal_of(lambda: restoring.check_plan_restorable(plan)),
        undo=_(
            "Có thể lưu trữ lại dự thảo (nút “Lưu trữ dự thảo…” trên trang kế hoạch); mọi lần "
            "đều ghi trong lịch sử."
        ),
    )


def seen_of(obj: Any) -> int:
    """What the confirmation is made against: the versions of everything that comes back (a
    task's archived parents too), so that any change since asks to look again."""
    if isinstance(obj, Task) and obj.is_archived:
        return sum(t.version for t in restoring.task_restore(obj).chain)
    return int(obj.version)
