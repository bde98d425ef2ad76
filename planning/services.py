"""Every change to a plan is a named, atomic action here: views, commands and tests call these.

An issued plan is locked: its objects change only while an amendment (sửa đổi, bổ sung) is open,
and each change then carries the amendment in its history record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import stamp
from core.errors import DomainError
from core.models import Archivable
from core.versioning import Versioned, claim_version
from documents.models import Document
from documents.services import in_register
from organisations import merging
from organisations.models import Organisation
from planning import figures_cache, notices, numbering
from planning.models import (
    ORDER_STEP,
    Plan,
    PlanAmendment,
    PlanBasis,
    PlanStatus,
    ProposalStatus,
    Target,
    TargetAllocation,
    Task,
    TaskBasis,
    TaskCoordination,
    UnitPlan,
    UnitPlanStatus,
    WorkArea,
)
from planning.progress import refresh_derived_progress
from planning.tree import code_key

M = TypeVar("M", bound=models.Model)


class PlanningError(DomainError):
    """A rule of planning was broken; the message is shown to the user as is."""


class PlanLocked(PlanningError):
    pass


def open_amendment_of(plan: Plan) -> PlanAmendment | None:
    return plan.amendments.filter(closed_at__isnull=True).first()


def ensure_open_school(school_id: int) -> None:
    """A school merged into another keeps its plans as history: nothing is added or changed."""
    merging.ensure_open_school(school_id, error=PlanLocked)


def ensure_editable(plan: Plan) -> str | None:
    """Raise if the plan is locked; return the amendment text changes must carry, if any."""
    ensure_open_school(plan.school_id)
    if plan.is_archived:
        raise PlanLocked(_("Kế hoạch đã được lưu trữ, không thể sửa."))
    if not plan.is_issued:
        return None
    amendment = open_amendment_of(plan)
    if amendment is None:
        raise PlanLocked(
            _(
                "Kế hoạch đã ban hành. Muốn thay đổi, Ban giám hiệu cần mở một đợt "
                "sửa đổi, bổ sung (ghi rõ lý do)."
            )
        )
    return str(amendment)


def _plan_of(obj: models.Model) -> Plan:
    if isinstance(obj, Plan):
        return obj
    if isinstance(obj, TargetAllocation):
        return obj.target.plan
    if isinstance(obj, TaskCoordination | TaskBasis):
        return obj.task.plan
    # Every other plan object has a `plan` foreign key.
    plan: Plan = obj.plan  # type: ignore[attr-defined]  # see the comment above
    return plan


@transaction.atomic
def save_plan_object(
    obj: M, *, by: User, reason: str | None = None, expected_version: int | None = None
) -> M:
    """Create or update a plan, area, target or task, respecting the plan's lock.

    `expected_version` is the version the editor's form was opened at: if anyone saved the
    object since, EditConflict is raised and nothing is written."""
    if isinstance(obj, Versioned):
        claim_version(obj, expected_version)
    amendment = ensure_editable(_plan_of(obj))
    if isinstance(obj, Task):
        _check_task(obj)
        if obj.pk is None and not obj.order:
            obj.order = _next_order(obj)
        if not obj.code:
            obj.code = next_task_code(obj)
    if isinstance(obj, Target) and not obj.code:
        obj.code = next_target_code(obj)
    stamp(obj, by, reason or amendment)
    obj.save()
    return obj


def _check_task(task: Task) -> None:
    if task.start_date and task.due_date and task.start_date > task.due_date:
        raise PlanningError(_("Ngày bắt đầu phải trước hạn hoàn thành."))
    parent = task.parent
    seen = {task.pk}
    while parent is not None:
        if parent.pk in seen:
            raise PlanningError(_("Một nhiệm vụ không thể nằm dưới chính nó."))
        if parent.plan_id != task.plan_id:
            raise PlanningError(_("Nhiệm vụ cấp trên phải thuộc cùng kế hoạch."))
        seen.add(parent.pk)
        parent = parent.parent


def place_by_number(task: Task) -> None:
    """Put a task among its siblings where its number (số thứ tự: 1, 1.2, 1.10) says, so that the
    tree always reads in the order of the numbers people see; the stored `order` only follows.

    The number is the one ordering field people edit (the task form has no other); a sibling whose
    number disagreed with its place moves to where its number puts it.
    """
    siblings = list(
        Task.objects.active()
        .filter(plan=task.plan_id, parent=task.parent_id, owner_unit=task.owner_unit_id)
        .only("pk", "code", "order")
    )
    siblings.sort(key=lambda t: (code_key(t), t.order, t.pk))
    for position, sibling in enumerate(siblings, start=1):
        if sibling.order != position * ORDER_STEP:
            Task.objects.filter(pk=sibling.pk).update(order=position * ORDER_STEP)
            # update() sends no signal: the sibling's place in the lists changes all the same.
            figures_cache.changed(plan_id=task.plan_id, tasks=[sibling.pk])
            if sibling.pk == task.pk:
                task.order = position * ORDER_STEP


def next_task_code(task: Task) -> str:
    """The next free number in the task's branch (planning/numbering.py)."""
    siblings = list(
        Task.objects.active()
        .filter(plan=task.plan_id, parent=task.parent_id, owner_unit=task.owner_unit_id)
        .exclude(pk=task.pk)
        .values_list("code", flat=True)
    )
    prefix = None
    if task.parent is None and task.owner_unit is not None:
        prefix = numbering.unit_prefix(task.owner_unit.code, siblings)
    return numbering.task_code(
        parent_code=task.parent.code if task.parent is not None else None,
        unit_prefix=prefix,
        number=numbering.next_free(siblings),
    )


def next_target_code(target: Target) -> str:
    """The next free target number of the plan, in the style its targets use ("CT07")."""
    codes = list(
        Target.objects.active()
        .filter(plan=target.plan_id)
        .exclude(pk=target.pk)
        .exclude(code="")
        .values_list("code", flat=True)
    )
    prefix, width = numbering.target_style(codes)
    return numbering.target_code(prefix, width, numbering.next_free(codes))


def _next_order(task: Task) -> int:
    """A new task goes after its siblings."""
    highest = (
        Task.objects.active()
        .filter(plan=task.plan_id, parent=task.parent_id, owner_unit=task.owner_unit_id)
        .aggregate(m=models.Max("order"))["m"]
    )
    return ORDER_STEP if highest is None else highest + ORDER_STEP


@transaction.atomic
def archive_plan_object(obj: Archivable, *, by: User) -> None:
    """Plan data is never deleted: it is archived and stays in the history (and comes back with
    planning.restoring)."""
    if obj.is_archived:
        raise PlanningError(_("Mục này đã được lưu trữ."))
    amendment = ensure_editable(_plan_of(obj)) if not isinstance(obj, Plan) else None
    if isinstance(obj, Plan) and obj.is_issued:
        raise PlanLocked(_("Không thể lưu trữ kế hoạch đã ban hành."))
    if isinstance(obj, Task) and obj.children.active().exists():
        raise PlanningError(_("Hãy lưu trữ các nhiệm vụ con trước."))
    stamp(obj, by, amendment or _("Lưu trữ"))
    obj.archive()
    if isinstance(obj, Task):
        # The parent's progress derived from its sub-tasks no longer counts this one.
        refresh_derived_progress(obj.parent_id)


@transaction.atomic
def create_plan(
    *, school: Organisation, start_year: int, title: str, theme: str = "", by: User
) -> Plan:
    ensure_open_school(school.pk)
    if Plan.objects.active().filter(school=school, start_year=start_year).exists():
        raise PlanningError(_("Trường đã có kế hoạch cho năm học này."))
    plan = Plan(school=school, start_year=start_year, title=title, theme=theme)
    stamp(plan, by)
    plan.save()
    return plan


@transaction.atomic
def set_plan_bases(plan: Plan, documents: Sequence[Document], *, by: User) -> None:
    """The plan cites exactly these documents, in this order."""
    reason = ensure_editable(plan)
    wanted = [doc.pk for doc in documents]
    cited = set(plan.basis_links.values_list("document_id", flat=True))
    withdrawn = (
        Document._base_manager.filter(pk__in=set(wanted) - cited, withdrawn_at__isnull=False)
        .order_by("pk")
        .first()
    )
    if withdrawn is not None:  # one the plan already cites stays, marked where it is shown
        raise PlanningError(
            _("Văn bản %(symbol)s đã bị cơ quan ban hành thu hồi, không làm căn cứ được nữa.")
            % {"symbol": withdrawn.symbol}
        )
    for link in plan.basis_links.all():
        if link.document_id not in wanted:
            stamp(link, by, reason)
            link.delete()  # a link, not user data: its history keeps the deletion
    existing = {link.document_id: link for link in plan.basis_links.all()}
    for order, pk in enumerate(wanted):
        link = existing.get(pk) or PlanBasis(plan=plan, document_id=pk)
        if link.pk is None or link.order != order:
            link.order = order
            stamp(link, by, reason)
            link.save()


def add_plan_bases(plan: Plan, documents: Sequence[Document], *, by: User) -> None:
    """The plan also cites these documents, after the ones it already cites."""
    current = [link.document for link in plan.basis_links.select_related("document")]
    set_plan_bases(plan, current + [d for d in documents if d not in current], by=by)


def add_task_bases(task: Task, documents: Sequence[Document], *, by: User) -> None:
    """The task also cites these documents (each once)."""
    linked = set(task.basis_links.active().values_list("document_id", flat=True))
    for document in documents:
        if document.pk not in linked:
            link_basis(task, document, by=by)
            linked.add(document.pk)


@transaction.atomic
def issue_plan(plan: Plan, *, by: User, on: dt.date | None = None) -> Plan:
    ensure_open_school(plan.school_id)
    if plan.is_issued:
        raise PlanningError(_("Kế hoạch đã được ban hành."))
    if not plan.tasks.active().exists():
        raise PlanningError(_("Kế hoạch chưa có nhiệm vụ nào, chưa thể ban hành."))
    plan.status = PlanStatus.ISSUED
    plan.issued_on = on or timezone.localdate()
    plan.issued_by = by
    stamp(plan, by, _("Ban hành kế hoạch"))
    plan.save()
    notices.plan_issued(plan, by=by)
    return plan


@transaction.atomic
def open_amendment(plan: Plan, *, reason: str, by: User) -> PlanAmendment:
    ensure_open_school(plan.school_id)
    if not plan.is_issued:
        raise PlanningError(_("Kế hoạch đang là dự thảo, có thể sửa trực tiếp."))
    if open_amendment_of(plan) is not None:
        raise PlanningError(_("Đang có một đợt sửa đổi chưa kết thúc."))
    if not reason.strip():
        raise PlanningError(_("Cần ghi lý do sửa đổi, bổ sung."))
    number = (plan.amendments.aggregate(m=models.Max("number"))["m"] or 0) + 1
    amendment = PlanAmendment(plan=plan, number=number, reason=reason.strip(), opened_by=by)
    stamp(amendment, by)
    amendment.save()
    return amendment


@transaction.atomic
def close_amendment(amendment: PlanAmendment, *, by: User) -> PlanAmendment:
    if not amendment.is_open:
        raise PlanningError(_("Đợt sửa đổi này đã kết thúc."))
    amendment.closed_at = timezone.now()
    amendment.closed_by = by
    stamp(amendment, by)
    amendment.save()
    notices.plan_amended(amendment, by=by)
    return amendment


@transaction.atomic
def set_coordinations(task: Task, rows: Iterable[tuple[Organisation, str]], *, by: User) -> None:
    """The task's coordinating units become exactly `rows` (unit, duty line)."""
    reason = ensure_editable(task.plan)
    wanted: dict[int, tuple[Organisation, str]] = {}
    for unit, duty in rows:
        if unit.pk == task.lead_unit_id:
            raise PlanningError(_("Đơn vị chủ trì không đồng thời là đơn vị phối hợp."))
        wanted[unit.pk] = (unit, duty.strip())
    current = {c.unit_id: c for c in task.coordinations.active()}
    for unit_id, coordination in current.items():
        if unit_id not in wanted:
            stamp(coordination, by, reason)
            coordination.archive()
    for order, (unit_id, (unit, duty)) in enumerate(wanted.items()):
        coordination = current.get(unit_id) or TaskCoordination(task=task, unit=unit)
        if coordination.pk is None or coordination.duty != duty or coordination.order != order:
            coordination.duty = duty
            coordination.order = order
            stamp(coordination, by, reason)
            coordination.save()


@transaction.atomic
def link_basis(task: Task, document: Document, *, clause: str = "", by: User) -> TaskBasis:
    reason = ensure_editable(task.plan)
    if not in_register(document, task.plan.school_id):
        raise PlanningError(_("Văn bản không thuộc sổ văn bản của trường."))
    # Read locked: a withdrawal or a correction of the issuer's waits, and the link is made on
    # the document as it stands.
    document = Document._base_manager.select_for_update().get(pk=document.pk)
    if document.is_withdrawn:
        raise PlanningError(
            _("Văn bản %(symbol)s đã bị cơ quan ban hành thu hồi, không làm căn cứ được nữa.")
            % {"symbol": document.symbol}
        )
    link = TaskBasis(task=task, document=document, clause=clause.strip())
    stamp(link, by, reason)
    link.save()
    return link


@transaction.atomic
def unlink_basis(link: TaskBasis, *, by: User) -> None:
    reason = ensure_editable(link.task.plan)
    stamp(link, by, reason)
    link.archive()


@transaction.atomic
def copy_plan(source: Plan, *, start_year: int, by: User) -> Plan:
    """Draft next year's plan from this one, starting clean.

    Areas are copied; recurring targets and unfinished tasks (with their sub-tasks, coordinating
    units and bases) are carried over, each linked to where it came from. Dates move by the
    number of years between the two plans. The copy is numbered afresh, without gaps, in the
    source's reading order. Nothing measured comes along: a target's actual value of the source
    year becomes its baseline ("năm trước"), its actual is empty; tasks start with no progress,
    no completion, no check-in. Texts naming the old year are flagged on the issuing page
    (planning/review.py).
    """
    if start_year <= source.start_year:
        raise PlanningError(_("Năm học mới phải sau năm học của kế hoạch nguồn."))
    shift = start_year - source.start_year
    plan = create_plan(
        school=source.school,
        start_year=start_year,
        title=source.title.replace(source.year_label, f"{start_year}–{start_year + 1}"),
        theme=source.theme,
        by=by,
    )
    plan.copied_from = source
    plan.save(update_fields=["copied_from"])
    reason = _("Sao từ kế hoạch năm học %(year)s") % {"year": source.year_label}
    # A document its issuer withdrew is no basis for a new year.
    set_plan_bases(
        plan,
        [
            link.document
            for link in source.basis_links.select_related("document")
            if not link.document.is_withdrawn
        ],
        by=by,
    )

    areas: dict[int, WorkArea] = {}
    for area in source.areas.active():
        copy = WorkArea(plan=plan, code=area.code, name=area.name, order=area.order)
        stamp(copy, by, reason)
        copy.save()
        areas[area.pk] = copy

    targets = _copy_targets(source, plan, areas, by, reason)

    # Unfinished tasks, in the source's reading order: parents before children, school tasks
    # before the units' own. A task whose parent is not carried becomes a root of its branch.
    everything = list(source.tasks.active().select_related("owner_unit"))
    unfinished = {t.pk for t in everything if t.completed_on is None}
    copied: dict[int, Task] = {}
    used: dict[tuple[int | None, int | None], int] = {}
    prefixes: dict[int, str] = {}
    late_serves: list[tuple[Task, int]] = []
    for task in numbering.tree_order(everything):
        if task.pk not in unfinished:
            continue
        parent = copied.get(task.parent_id) if task.parent_id else None
        branch = (parent.pk if parent else None, None if parent else task.owner_unit_id)
        used[branch] = number = used.get(branch, 0) + 1
        prefix = None
        if parent is None and task.owner_unit is not None:
            if task.owner_unit_id not in prefixes:
                roots = [t.code for t in everything if t.owner_unit_id == task.owner_unit_id]
                prefixes[task.owner_unit_id] = numbering.unit_prefix(task.owner_unit.code, roots)
            prefix = prefixes[task.owner_unit_id]
        code = numbering.task_code(
            parent_code=parent.code if parent else None, unit_prefix=prefix, number=number
        )
        new = _copy_task(
            task, plan, parent, code, number, copied, areas, targets, shift, by, reason
        )
        copied[task.pk] = new
        if task.serves_id and task.serves_id in unfinished and new.serves_id is None:
            late_serves.append((new, task.serves_id))
    for new, serves_id in late_serves:  # a unit task serving one read after it (unusual)
        new.serves = copied[serves_id]
        stamp(new, by, reason)
        new.save()
    return plan


def _copy_targets(
    source: Plan, plan: Plan, areas: dict[int, WorkArea], by: User, reason: str
) -> dict[int, Target]:
    """The recurring targets, renumbered in reading order; last year's actual is the baseline."""
    recurring = sorted(
        source.targets.active().filter(is_recurring=True).select_related("area"),
        key=numbering.target_reading_key,
    )
    prefix, width = numbering.target_style(t.code for t in recurring if t.code)
    copies: dict[int, Target] = {}
    for number, target in enumerate(recurring, start=1):
        old_pk = target.pk
        target.pk = None
        target.id = None
        target._state.adding = True
        target.version = 1
        target.plan = plan
        target.area = areas.get(target.area_id) if target.area_id else None
        target.carried_from_id = old_pk
        target.code = numbering.target_code(prefix, width, number)
        target.order = number - 1
        # What was measured last year is where this year starts from; unmeasured, it is unknown
        # (the old baseline is two years old): the issuing page asks for it.
        target.baseline = target.actual_value
        target.actual_value = None
        target.actual_on = None
        target.is_sample = False
        stamp(target, by, reason)
        target.save()
        copies[old_pk] = target
    return copies


def _shift(day: dt.date | None, years: int) -> dt.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _copy_task(
    task: Task,
    plan: Plan,
    parent: Task | None,
    code: str,
    number: int,
    copied: dict[int, Task],
    areas: dict[int, WorkArea],
    targets: dict[int, Target],
    shift: int,
    by: User,
    reason: str,
) -> Task:
    coordinations = list(task.coordinations.active())
    # A document its issuer withdrew is no basis for the new year's task.
    bases = list(task.basis_links.active().filter(document__withdrawn_at__isnull=True))
    # A fresh task: no progress, completion, extension, pause or cancellation comes along.
    new = Task(
        plan=plan,
        parent=parent,
        kind=task.kind,
        code=code,
        title=task.title,
        description=task.description,
        area=areas.get(task.area_id) if task.area_id else None,
        lead_unit_id=task.lead_unit_id,
        person_in_charge_id=task.person_in_charge_id,
        start_date=_shift(task.start_date, shift),
        due_date=_shift(task.due_date, shift),
        weight=task.weight,
        progress_mode=task.progress_mode,
        target=targets.get(task.target_id) if task.target_id else None,
        owner_unit_id=task.owner_unit_id,
        serves=copied.get(task.serves_id) if task.serves_id else None,
        carried_from=task,
        order=number - 1,
    )
    stamp(new, by, reason)
    new.save()
    for coordination in coordinations:
        row = TaskCoordination(
            task=new, unit_id=coordination.unit_id, duty=coordination.duty, order=coordination.order
        )
        stamp(row, by, reason)
        row.save()
    for basis in bases:
        link = TaskBasis(task=new, document_id=basis.document_id, clause=basis.clause)
        stamp(link, by, reason)
        link.save()
    return new


# Units' plans ---------------------------------------------------------------------------------


def unit_plan_for(plan: Plan, unit: Organisation) -> UnitPlan:
    unit_plan, _created = UnitPlan.objects.get_or_create(plan=plan, unit=unit)
    return unit_plan


@transaction.atomic
def approve_unit_plan(unit_plan: UnitPlan, *, by: User) -> UnitPlan:
    unit_plan.status = UnitPlanStatus.APPROVED
    unit_plan.approved_by = by
    unit_plan.approved_on = timezone.localdate()
    stamp(unit_plan, by, _("Trưởng đơn vị duyệt kế hoạch đơn vị"))
    unit_plan.save()
    return unit_plan


@transaction.atomic
def allocate_target(
    target: Target, unit: Organisation, value: Decimal, *, by: User
) -> TargetAllocation:
    reason = ensure_editable(target.plan)
    if unit.school_id != target.plan.school_id:
        raise PlanningError(_("Đơn vị không thuộc trường."))
    allocation = TargetAllocation.objects.filter(target=target, unit=unit).first()
    if allocation is None:
        allocation = TargetAllocation(target=target, unit=unit, value=value)
    allocation.value = value
    stamp(allocation, by, reason)
    allocation.save()
    return allocation


@transaction.atomic
def propose_allocation(
    allocation: TargetAllocation, *, value: Decimal, reason: str, by: User
) -> TargetAllocation:
    """The unit asks for another value of its share; leadership decides."""
    if not reason.strip():
        raise PlanningError(_("Cần ghi lý do đề xuất điều chỉnh."))
    if allocation.proposal_status == ProposalStatus.PENDING:
        raise PlanningError(_("Đề xuất trước đó đang chờ Ban giám hiệu xem xét."))
    allocation.proposed_value = value
    allocation.proposal_reason = reason.strip()
    allocation.proposal_status = ProposalStatus.PENDING
    allocation.decision_note = ""
    allocation.decided_by = None
    allocation.decided_at = None
    stamp(allocation, by, _("Đơn vị đề xuất điều chỉnh chỉ tiêu"))
    allocation.save()
    notices.proposal_made(allocation, by=by)
    return allocation


@transaction.atomic
def decide_allocation(
    allocation: TargetAllocation, *, accept: bool, note: str = "", by: User
) -> TargetAllocation:
    if allocation.proposal_status != ProposalStatus.PENDING:
        raise PlanningError(_("Không có đề xuất nào đang chờ xem xét."))
    reason = _("Chấp nhận đề xuất của đơn vị") if accept else _("Không chấp nhận đề xuất")
    if accept:
        amendment = ensure_editable(allocation.target.plan)
        if amendment:
            reason = f"{reason} ({amendment})"
        allocation.value = allocation.proposed_value  # type: ignore[assignment]  # a pending proposal has a value
    allocation.proposal_status = ProposalStatus.ACCEPTED if accept else ProposalStatus.REJECTED
    allocation.decision_note = note.strip()
    allocation.decided_by = by
    allocation.decided_at = timezone.now()
    stamp(allocation, by, reason)
    allocation.save()
    notices.proposal_decided(allocation, accepted=accept, by=by)
    return allocation


@transaction.atomic
def save_strategic_goal(goal: Any, *, by: User, expected_version: int | None = None) -> Any:
    """Strategic goals span several plans, so no single plan's lock applies to them."""
    claim_version(goal, expected_version)
    stamp(goal, by)
    goal.save()
    return goal
