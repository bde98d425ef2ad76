"""Opinions (ý kiến tham góp): submitted named or anonymous, merged, answered, turned into tasks.

Anonymous means that nothing links the opinion to its author: no author column, no user on its
history records (see models.OpinionHistory), no time of submission finer than the day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conferences import notices
from conferences.models import AnswerKind, Conference, ConferenceStatus, Opinion
from conferences.services.common import ConferenceError, change_plan, ensure_open
from core.audit import stamp
from core.text import fold
from organisations.models import Organisation, Person
from planning import services as plan_services
from planning.models import Target, Task, TaskKind


@transaction.atomic
def submit_opinion(
    conference: Conference,
    *,
    author: Person | None,
    anonymous: bool,
    topic: str,
    content: str,
    task: Task | None = None,
    target: Target | None = None,
    is_sample: bool = False,
) -> Opinion:
    """Record an opinion. With `anonymous`, the author is forgotten here and now."""
    ensure_open(conference)
    if not conference.accepts_opinions:
        raise ConferenceError(_("Hội nghị đã kết thúc, không nhận thêm ý kiến."))
    if not topic.strip() or not content.strip():
        raise ConferenceError(_("Cần ghi vấn đề và nội dung ý kiến."))
    if not anonymous and author is None:
        raise ConferenceError(_("Ý kiến có tên cần người góp ý."))
    if author is not None and author.school_id != conference.school_id:
        raise ConferenceError(_("Người góp ý phải thuộc trường."))
    for linked in (task, target):
        if linked is not None and (
            conference.plan_id is None or linked.plan_id != conference.plan_id
        ):
            raise ConferenceError(
                _("Nhiệm vụ, chỉ tiêu phải thuộc kế hoạch được bàn tại hội nghị.")
            )
    # No number yet: numbers given on arrival would date an anonymous opinion between named
    # ones. The secretary numbers the opinions received when grouping them (number_opinions).
    opinion = Opinion(
        conference=conference,
        author=None if anonymous else author,
        is_anonymous=anonymous,
        topic=topic.strip(),
        content=content.strip(),
        task=task,
        target=target,
        during_session=conference.status == ConferenceStatus.IN_SESSION,
        is_sample=is_sample,
    )
    if anonymous:
        # The history record keeps only the day, so that its time cannot be matched with who
        # was using the site at that moment.
        opinion._history_date = _day_start()  # type: ignore[attr-defined]  # read by simple_history
    else:
        stamp(opinion, author.user if author is not None else None)
    opinion.save()
    return opinion


def _numbering_key(opinion: Opinion) -> tuple[int, int, str, int]:
    """By what the opinion is about (task, target, topic), then by its random id: never by time."""
    task_order = opinion.task.order if opinion.task is not None else 10**9
    return (task_order, opinion.target_id or 0, fold(opinion.topic), opinion.pk)


@transaction.atomic
def number_opinions(conference: Conference, *, by: User) -> int:
    """Number the opinions received since the last numbering, after those already numbered.

    Within one numbering the order is by subject, so a number says which batch an opinion came
    in, not when. Called by the secretary, and before grouping, answering or closing.
    """
    ensure_open(conference)
    # Lock the conference so that two numberings do not give the same number twice.
    Conference.objects.select_for_update().filter(pk=conference.pk).first()
    last = conference.opinions.aggregate(m=models.Max("number"))["m"] or 0
    fresh = sorted(
        conference.opinions.active().filter(number__isnull=True).select_related("task"),
        key=_numbering_key,
    )
    for number, opinion in enumerate(fresh, start=last + 1):
        opinion.number = number
        if opinion.is_anonymous:
            # The record of this numbering must not name the secretary next to a time that
            # could be matched; only the day is kept, as for its creation.
            opinion._history_date = _day_start()
        else:
            stamp(opinion, by, _("Đánh số ý kiến"))
        opinion.save(update_fields=["number"])
    return len(fresh)


def _day_start() -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))


@transaction.atomic
def merge_opinion(duplicate: Opinion, *, into: Opinion, by: User) -> Opinion:
    """The secretary groups a duplicate under the opinion that will be answered for both."""
    ensure_open(duplicate.conference)
    if duplicate.pk == into.pk or duplicate.conference_id != into.conference_id:
        raise ConferenceError(_("Chỉ gộp hai ý kiến khác nhau của cùng hội nghị."))
    if duplicate.number is None or into.number is None:
        number_opinions(duplicate.conference, by=by)
        duplicate.refresh_from_db()
        into.refresh_from_db()
    if into.merged_into_id:
        raise ConferenceError(_("Ý kiến được gộp vào đã là ý kiến trùng của ý kiến khác."))
    if duplicate.is_answered:
        raise ConferenceError(_("Ý kiến đã được trả lời, không gộp được."))
    for child in duplicate.duplicates.all():
        child.merged_into = into
        stamp(child, by, _("Gộp vào ý kiến số %(n)s") % {"n": into.number})
        child.save()
    duplicate.merged_into = into
    stamp(duplicate, by, _("Gộp vào ý kiến số %(n)s") % {"n": into.number})
    duplicate.save()
    return duplicate


@transaction.atomic
def unmerge_opinion(opinion: Opinion, *, by: User) -> Opinion:
    ensure_open(opinion.conference)
    opinion.merged_into = None
    stamp(opinion, by, _("Tách khỏi nhóm ý kiến trùng"))
    opinion.save()
    return opinion


@dataclass(frozen=True)
class NewTask:
    """A task to create in the plan from an accepted opinion or a conclusion."""

    title: str
    lead_unit: Organisation
    due_date: dt.date
    parent: Task | None = None
    coordinating: Sequence[tuple[Organisation, str]] = field(default_factory=tuple)
    description: str = ""


def create_task(
    conference: Conference, spec: NewTask, *, origin: str, by: User, start: dt.date | None = None
) -> Task:
    """Create a task in the conference's plan through planning's services (amendment if issued)."""
    plan = conference.plan
    if plan is None:
        raise ConferenceError(_("Hội nghị chưa gắn với kế hoạch năm học nào."))
    if spec.parent is not None and spec.parent.plan_id != plan.pk:
        raise ConferenceError(_("Nhiệm vụ cấp trên phải thuộc kế hoạch được bàn tại hội nghị."))
    if spec.lead_unit.school_id != plan.school_id:
        raise ConferenceError(_("Đơn vị chủ trì phải thuộc trường."))

    def action() -> Task:
        parent = spec.parent
        kind = TaskKind.TASK
        if parent is not None:
            kind = TaskKind.SOLUTION if parent.kind == TaskKind.TASK else TaskKind.ACTIVITY
        task = Task(
            plan=plan,
            parent=parent,
            kind=kind,
            title=spec.title.strip(),
            description=spec.description.strip() or origin,
            area=parent.area if parent is not None else None,
            lead_unit=spec.lead_unit,
            start_date=start if start and start <= spec.due_date else None,
            due_date=spec.due_date,
            order=(parent.children.count() if parent is not None else plan.tasks.count()) + 1,
        )
        amendment = plan_services.open_amendment_of(plan)
        reason = f"{amendment} — {origin}" if amendment else origin
        plan_services.save_plan_object(task, by=by, reason=reason)
        plan_services.set_coordinations(task, list(spec.coordinating), by=by)
        return task

    return change_plan(plan, conference, by=by, action=action)


@transaction.atomic
def answer_opinion(
    opinion: Opinion,
    *,
    kind: str,
    answer: str,
    by: User,
    forwarded_to: Organisation | None = None,
    existing_task: Task | None = None,
    new_task: NewTask | None = None,
) -> Opinion:
    """The leadership answers in writing: accepted (a task), explained, or forwarded to a unit."""
    conference = opinion.conference
    ensure_open(conference)
    if opinion.number is None:
        number_opinions(conference, by=by)
        opinion.refresh_from_db()
    if opinion.merged_into_id:
        raise ConferenceError(
            _("Ý kiến này đã gộp vào ý kiến số %(n)s; hãy trả lời ý kiến đó.")
            % {"n": opinion.merged_into.number}  # type: ignore[union-attr]  # merged_into_id is set
        )
    if kind not in (AnswerKind.ACCEPTED, AnswerKind.EXPLAINED, AnswerKind.FORWARDED):
        raise ConferenceError(_("Hãy chọn hình thức trả lời."))
    if not answer.strip():
        raise ConferenceError(_("Cần trả lời bằng văn bản."))
    opinion.forwarded_to = None
    if kind == AnswerKind.FORWARDED:
        if forwarded_to is None or forwarded_to.school_id != conference.school_id:
            raise ConferenceError(_("Hãy chọn đơn vị của trường được chuyển giải quyết."))
        opinion.forwarded_to = forwarded_to
    if kind == AnswerKind.ACCEPTED:
        if new_task is not None:
            if opinion.resulting_task_id:
                raise ConferenceError(_("Ý kiến đã thành một nhiệm vụ của kế hoạch."))
            origin = _("Tiếp thu ý kiến số %(n)s (%(topic)s) tại %(title)s") % {
                "n": opinion.number,
                "topic": opinion.topic,
                "title": conference.title,
            }
            opinion.resulting_task = create_task(
                conference, new_task, origin=origin, by=by, start=conference.held_on
            )
        elif existing_task is not None:
            if existing_task.plan_id != conference.plan_id:
                raise ConferenceError(_("Nhiệm vụ phải thuộc kế hoạch được bàn tại hội nghị."))
            opinion.resulting_task = existing_task
        elif not opinion.resulting_task_id:
            raise ConferenceError(
                _(
                    "Ý kiến được tiếp thu cần trở thành một nhiệm vụ mới hoặc gắn với nhiệm vụ được sửa."
                )
            )
    elif opinion.resulting_task_id and kind != AnswerKind.ACCEPTED:
        raise ConferenceError(_("Ý kiến đã thành nhiệm vụ; không đổi sang hình thức khác."))
    opinion.answer_kind = kind
    opinion.answer = answer.strip()
    opinion.answered_by = by
    opinion.answered_at = timezone.now()
    stamp(opinion, by, _("Trả lời ý kiến"))
    opinion.save()
    notices.opinion_answered(opinion, by=by)
    return opinion
