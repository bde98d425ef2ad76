"""Bringing archived plan data back: a plan, a work area, a target or a task (with the archived
tasks above it), and what a plan holds in its archive.

Archiving never deletes (planning.services.archive_plan_object); restoring undoes it under the
same rules: an issued plan changes only inside its open amendment, whose text each history
record then carries; a plan's objects come back only while the plan itself is not archived. A
number given to another task or target meanwhile is not given twice: the one coming back takes
the next free number of its branch (planning/numbering.py), and says so.

Saving the rows bumps the plan's figures version on commit (planning.figures_cache, connected in
planning.apps), so every cached page of the plan shows them again. Archiving tells nobody, and
neither does restoring.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import Archiving, archivings, stamp
from planning import numbering, services
from planning.models import Plan, Target, Task, WorkArea
from planning.progress import refresh_derived_progress
from planning.services import PlanLocked, PlanningError


@dataclass(frozen=True)
class Renumbered:
    """An object coming back under another number than the one it left with."""

    label: str  # what it is ("nhiệm vụ", "chỉ tiêu")
    old: str
    new: str
    parent_moved: bool = False  # its parent's number changed, not its own branch's

    def __str__(self) -> str:
        if self.parent_moved:
            return _("Số %(old)s đổi thành %(new)s theo số mới của nhiệm vụ cấp trên.") % {
                "old": self.old,
                "new": self.new,
            }
        return _("Số %(old)s nay đã thuộc %(what)s khác: %(what)s được đánh số mới là %(new)s.") % {
            "old": self.old,
            "what": self.label,
            "new": self.new,
        }


@dataclass
class TaskRestore:
    """What restoring a task brings back: the archived tasks above it (top first), the task,
    and the numbers they come back with (by id, only those that change)."""

    chain: list[Task]
    codes: dict[int, str] = field(default_factory=dict)
    renumbered: list[Renumbered] = field(default_factory=list)

    @property
    def ancestors(self) -> list[Task]:
        return self.chain[:-1]


def _not_archived() -> PlanningError:
    return PlanningError(_("Mục này không ở trạng thái lưu trữ (có thể vừa được khôi phục)."))


def amendment_for(plan: Plan) -> str | None:
    """The amendment text the restore must carry, as for archiving; refused on an archived plan
    with what to do first."""
    if plan.is_archived:
        raise PlanLocked(_("Kế hoạch đang được lưu trữ: hãy khôi phục kế hoạch trước."))
    return services.ensure_editable(plan)


def _reason(amendment: str | None) -> str:
    return amendment or _("Khôi phục từ lưu trữ")


# What comes back ---------------------------------------------------------------------------------


def archived_ancestors(task: Task) -> list[Task]:
    """The archived tasks above a task, nearest first, up to the first one still in the plan."""
    found: list[Task] = []
    seen = {task.pk}
    parent = task.parent
    while parent is not None and parent.is_archived and parent.pk not in seen:
        found.append(parent)
        seen.add(parent.pk)
        parent = parent.parent
    return found


def _sibling_codes(task: Task) -> list[str]:
    return list(
        Task.objects.active()
        .filter(plan=task.plan_id, parent=task.parent_id, owner_unit=task.owner_unit_id)
        .exclude(pk=task.pk)
        .exclude(code="")
        .values_list("code", flat=True)
    )


def task_restore(task: Task) -> TaskRestore:
    """The numbers a task and its archived ancestors come back with (queries only).

    Top down: a task whose number another task of its branch took meanwhile takes the branch's
    next free number; a task under one renumbered so keeps its own number under the new one
    ("3.2" under "3", renumbered "5", comes back as "5.2")."""
    result = TaskRestore(chain=[*reversed(archived_ancestors(task)), task])
    for item in result.chain:
        code = item.code
        parent = item.parent
        parent_code = parent.code if parent is not None else None
        if parent is not None and parent.pk in result.codes:
            parent_code = result.codes[parent.pk]
            if parent.code and code.startswith(f"{parent.code}."):
                code = f"{parent_code}{code[len(parent.code) :]}"
                result.renumbered.append(Renumbered(_("nhiệm vụ"), item.code, code, True))
        elif parent_code and code and not code.startswith(f"{parent_code}."):
            # The task above (in the tree) was renumbered while this one was archived: it comes
            # back under the number its parent has now ("1.1" under "2" is "2.1").
            code = f"{parent_code}.{code.rsplit('.', 1)[-1]}"
            result.renumbered.append(Renumbered(_("nhiệm vụ"), item.code, code, True))
        siblings = _sibling_codes(item)
        if code and code in siblings:
            prefix = None
            if parent is None and item.owner_unit is not None:
                prefix = numbering.unit_prefix(item.owner_unit.code, siblings)
            taken = code
            code = numbering.task_code(
                parent_code=parent_code,
                unit_prefix=prefix,
                number=numbering.next_free(siblings),
            )
            result.renumbered.append(Renumbered(_("nhiệm vụ"), taken, code))
        if code != item.code:
            result.codes[item.pk] = code
    return result


def target_code_on_restore(target: Target) -> str:
    """The number a target comes back with: its own, unless another target took it."""
    if not target.code:
        return target.code
    taken = (
        Target.objects.active()
        .filter(plan=target.plan_id, code=target.code)
        .exclude(pk=target.pk)
        .exists()
    )
    return services.next_target_code(target) if taken else target.code


def plan_in_the_way(plan: Plan) -> Plan | None:
    """The plan now in use for the same school year, which keeps an archived one from coming
    back (a school has one plan per school year)."""
    return (
        Plan.objects.active()
        .filter(school=plan.school_id, start_year=plan.start_year)
        .exclude(pk=plan.pk)
        .first()
    )


def check_plan_restorable(plan: Plan) -> None:
    if not plan.is_archived:
        raise _not_archived()
    other = plan_in_the_way(plan)
    if other is not None:
        raise PlanningError(
            _(
                "Năm học %(year)s đã có kế hoạch “%(title)s” đang dùng. Muốn khôi phục kế hoạch "
                "này, hãy lưu trữ kế hoạch đó trước."
            )
            % {"year": plan.year_label, "title": other.title}
        )


# The services ------------------------------------------------------------------------------------


@transaction.atomic
def restore_plan(plan: Plan, *, by: User) -> Plan:
    """An archived plan (always a draft: an issued one cannot be archived) comes back."""
    check_plan_restorable(plan)
    archived_at, plan.archived_at = plan.archived_at, None
    stamp(plan, by, _reason(None))
    try:
        with transaction.atomic():
            plan.save(update_fields=["archived_at"])
    except IntegrityError:
        # Another plan of the year came back or was made meanwhile (one active plan a year):
        # say which, as when it was there before.
        plan.archived_at = archived_at
        check_plan_restorable(plan)
        raise
    return plan


@transaction.atomic
def restore_area(area: WorkArea, *, by: User) -> WorkArea:
    """A work area comes back, and with it the place of its targets and tasks on the plan."""
    if not area.is_archived:
        raise _not_archived()
    amendment = amendment_for(area.plan)
    area.archived_at = None
    stamp(area, by, _reason(amendment))
    area.save(update_fields=["archived_at"])
    return area


@transaction.atomic
def restore_target(target: Target, *, by: User) -> list[Renumbered]:
    """A target comes back; under the next free number if its own was given to another."""
    if not target.is_archived:
        raise _not_archived()
    amendment = amendment_for(target.plan)
    code = target_code_on_restore(target)
    renumbered = [Renumbered(_("chỉ tiêu"), target.code, code)] if code != target.code else []
    target.code = code
    target.archived_at = None
    stamp(target, by, _reason(amendment))
    target.save(update_fields=["archived_at", "code"])
    return renumbered


def check_ancestors(ancestors: list[Task], may_restore: Callable[[Task], bool]) -> None:
    """Each archived task above comes back under the rule of archiving it (planning/rules.py):
    refused if the user may not restore one of them."""
    for ancestor in ancestors:
        if not may_restore(ancestor):
            raise PlanningError(
                _(
                    "Nhiệm vụ cấp trên “%(parent)s” đang được lưu trữ và bạn không có quyền khôi "
                    "phục nó. Hãy nhờ Ban giám hiệu khôi phục nhiệm vụ cấp trên trước."
                )
                % {"parent": ancestor}
            )


@transaction.atomic
def restore_task(
    task: Task,
    *,
    by: User,
    with_parents: bool = False,
    may_restore: Callable[[Task], bool] | None = None,
) -> TaskRestore:
    """A task comes back into the tree where its number puts it, renumbered if its number was
    given to another task of its branch. A task under an archived task cannot stand alone:
    with `with_parents` the archived tasks above it come back too (each one the user
    `may_restore`, when given), else it is refused."""
    if not task.is_archived:
        raise _not_archived()
    amendment = amendment_for(task.plan)
    restoring = task_restore(task)
    if restoring.ancestors and not with_parents:
        raise PlanningError(
            _(
                "Nhiệm vụ cấp trên “%(parent)s” đang được lưu trữ. Hãy khôi phục cùng nhiệm vụ "
                "cấp trên, hoặc khôi phục nhiệm vụ cấp trên trước."
            )
            % {"parent": restoring.ancestors[-1]}
        )
    if may_restore is not None:
        check_ancestors(restoring.ancestors, may_restore)
    for item in restoring.chain:
        item.code = restoring.codes.get(item.pk, item.code)
        item.archived_at = None
        stamp(item, by, _reason(amendment))
        item.save(update_fields=["archived_at", "code"])
        services.place_by_number(item)
    # The progress derived from sub-tasks counts the task again, up the tree.
    refresh_derived_progress(restoring.chain[-1].parent_id)
    return restoring


def restore_object(
    obj: Any, *, by: User, may_restore: Callable[[Task], bool] | None = None
) -> list[Renumbered]:
    """Restore what the confirmation page showed (a task with the archived tasks above it, as
    the page said), and return what was renumbered."""
    if isinstance(obj, Plan):
        restore_plan(obj, by=by)
        return []
    if isinstance(obj, WorkArea):
        restore_area(obj, by=by)
        return []
    if isinstance(obj, Target):
        return restore_target(obj, by=by)
    if isinstance(obj, Task):
        return restore_task(obj, by=by, with_parents=True, may_restore=may_restore).renumbered
    raise PlanningError(_("Không khôi phục được loại dữ liệu này."))


# What a plan holds in its archive ----------------------------------------------------------------


@dataclass(frozen=True)
class ArchivedRow:
    obj: Any
    archiving: Archiving


@dataclass
class Archived:
    areas: list[ArchivedRow]
    targets: list[ArchivedRow]
    tasks: list[ArchivedRow]

    @property
    def count(self) -> int:
        return len(self.areas) + len(self.targets) + len(self.tasks)


def archived_rows(objects: list[Any]) -> list[ArchivedRow]:
    found = archivings(objects)
    # The reason archive_plan_object records outside an amendment says nothing more.
    plain = _("Lưu trữ")
    return [
        ArchivedRow(
            obj,
            found[obj.pk] if found[obj.pk].reason != plain else replace(found[obj.pk], reason=""),
        )
        for obj in objects
    ]


def archived_of(
    plan: Plan, *, areas_and_targets: bool, unit_ids: frozenset[int] | None
) -> Archived:
    """The plan's archived areas and targets (when asked) and tasks (of these units' own plans
    only, when `unit_ids` is given), in reading order, with who archived them: a fixed number of
    queries whatever their number."""
    tasks = Task.objects.filter(plan=plan, archived_at__isnull=False).select_related(
        "parent", "owner_unit", "lead_unit"
    )
    if unit_ids is not None:
        tasks = tasks.filter(owner_unit__in=unit_ids)
    task_list = numbering.tree_order(tasks)
    for task in task_list:
        task.plan = plan  # the rules read the task's school: no query per row
    areas: list[WorkArea] = []
    targets: list[Target] = []
    if areas_and_targets:
        areas = list(WorkArea.objects.filter(plan=plan, archived_at__isnull=False))
        targets = sorted(
            Target.objects.filter(plan=plan, archived_at__isnull=False).select_related("area"),
            key=numbering.target_reading_key,
        )
    return Archived(
        areas=archived_rows(areas), targets=archived_rows(targets), tasks=archived_rows(task_list)
    )


def archived_count(plan: Plan, *, areas_and_targets: bool, unit_ids: frozenset[int] | None) -> int:
    """How many of the plan's rows `archived_of` would list, in one query."""
    tasks = Task.objects.filter(plan=plan, archived_at__isnull=False)
    if unit_ids is not None:
        tasks = tasks.filter(owner_unit__in=unit_ids)
    if not areas_and_targets:
        return tasks.count()
    # A compound query may not order its parts (SQLite): each part drops its default ordering.
    return (
        tasks.order_by()
        .values_list("pk")
        .union(
            WorkArea.objects.filter(plan=plan, archived_at__isnull=False)
            .order_by()
            .values_list("pk"),
            Target.objects.filter(plan=plan, archived_at__isnull=False)
            .order_by()
            .values_list("pk"),
            all=True,
        )
        .count()
    )
