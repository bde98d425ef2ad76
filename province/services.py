"""What a body above the schools does with its directives: register one and send it down (to all
its schools, to those of a level, or to a list), and see which schools have built tasks on it.

The counts of the schools' tasks are read across schools on purpose (`uptake`): one number per
school, never a plan or a person, and the tasks' titles only from a school that chose to share them
(DocumentReceipt.shares_tasks): the body sees the province's figures and nothing of a school's
drafts or staff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from core.errors import DomainError
from documents.models import Document, DocumentReceipt
from documents.services import register_document, send_document, withdraw_document
from organisations.models import Organisation
from planning.models import TaskBasis
from province import notices
from province.models import DIRECTING_KINDS, Audience, DirectedSchool, Dispatch, SchoolLevel


class ProvinceError(DomainError):
    """A rule of sending directives refused; the message is for the user."""


def directed_schools(body_id: int) -> QuerySet[DirectedSchool]:
    """The schools the body directs, current ones only, by level then name."""
    return (
        DirectedSchool.objects.active()
        .filter(body_id=body_id, school__archived_at__isnull=True)
        .select_related("school")
    )


def recipients(
    body: Organisation,
    audience: str,
    *,
    level: str = "",
    schools: Iterable[Organisation] = (),
) -> list[Organisation]:
    """The schools a sending addresses: every school the body directs, those of one level, or a
    list chosen among them (a school it does not direct is refused, not skipped)."""
    directed = directed_schools(body.pk)
    if audience == Audience.ALL:
        chosen = directed
    elif audience == Audience.LEVEL:
        if level not in SchoolLevel.values:
            raise ProvinceError(_("Hãy chọn cấp học, loại trường nhận văn bản."))
        chosen = directed.filter(level=level)
    elif audience == Audience.LIST:
        wanted = {school.pk for school in schools}
        if not wanted:
            raise ProvinceError(_("Hãy chọn ít nhất một trường nhận văn bản."))
        chosen = directed.filter(school_id__in=wanted)
        if len(chosen) != len(wanted):
            raise ProvinceError(_("Chỉ gửi được đến các trường do cơ quan mình chỉ đạo."))
    else:
        raise ProvinceError(_("Hãy chọn nơi nhận văn bản."))
    found = [entry.school for entry in chosen]
    if not found:
        raise ProvinceError(_("Không có trường nào thuộc diện nhận văn bản này."))
    return found


def require_directing(body: Organisation) -> None:
    if body.kind not in DIRECTING_KINDS:
        raise ProvinceError(_("Chỉ cơ quan cấp trên của trường mới gửi văn bản chỉ đạo."))


@transaction.atomic
def send_directive(
    document: Document,
    audience: str,
    *,
    level: str = "",
    schools: Sequence[Organisation] = (),
    by: User,
    at: dt.datetime | None = None,
) -> Dispatch:
    """Send one of the body's documents down: each school addressed that has not had it yet
    finds it in its own register, and its leadership is told (after commit)."""
    body = document.school
    require_directing(body)
    if Document._base_manager.select_for_update().get(pk=document.pk).is_withdrawn:
        raise ProvinceError(_("Văn bản đã được thu hồi, không gửi thêm được."))
    addressed = recipients(body, audience, level=level, schools=schools)
    receipts = send_document(document, addressed, by=by, at=at)
    dispatch = Dispatch.objects.create(
        document=document,
        audience=audience,
        level=level if audience == Audience.LEVEL else "",
        recipient_count=len(receipts),
        sent_at=at or timezone.now(),
        sent_by=by,
    )
    notices.directive_received(document, receipts, by=by)
    return dispatch


@transaction.atomic
def issue_directive(
    document: Document,
    audience: str,
    *,
    level: str = "",
    schools: Sequence[Organisation] = (),
    by: User,
    at: dt.datetime | None = None,
) -> Dispatch:
    """Register a directive in the body's own register and send it down, all or nothing."""
    require_directing(document.school)
    register_document(document, by=by)
    return send_directive(document, audience, level=level, schools=schools, by=by, at=at)


def directives(body_id: int) -> QuerySet[Document]:
    """The body's documents it has sent down, newest first, with how many schools received
    each."""
    return (
        Document.objects.active()
        .filter(school_id=body_id, receipts__isnull=False)
        .select_related("doc_type")
        .annotate(recipient_count=Count("receipts", distinct=True))
        .order_by("-issued_on", "symbol", "pk")
    )


def _linked_tasks(documents: Iterable[Document] | QuerySet[Document]) -> QuerySet[TaskBasis]:
    """Current links of current tasks of current plans of a school that received the document
    (a school's own copy typed before it was sent is another document: not counted)."""
    # Across every school on purpose: only counts leave this module (see its docstring).
    return TaskBasis._base_manager.filter(
        document__in=documents if isinstance(documents, QuerySet) else list(documents),
        archived_at__isnull=True,
        task__archived_at__isnull=True,
        task__plan__archived_at__isnull=True,
        task__plan__school__received_documents__document_id=F("document_id"),
    )


def acted_on_counts(documents: Sequence[Document]) -> dict[int, int]:
    """For each document, the number of recipient schools that have built tasks on it."""
    rows = (
        _linked_tasks(documents)
        .values("document_id")
        .annotate(schools=Count("task__plan__school_id", distinct=True))
    )
    return {row["document_id"]: row["schools"] for row in rows}


@dataclass(frozen=True)
class Uptake:
    """One recipient school's figures for a directive: the count of its tasks built on it."""

    school: Organisation
    level: str
    received_at: dt.datetime
    task_count: int
    # The tasks' codes and titles, only when the school shares them (DocumentReceipt.shares_tasks).
    shared_tasks: tuple[str, ...] = ()

    @property
    def acted(self) -> bool:
        return self.task_count > 0

    @property
    def level_label(self) -> str:
        return str(dict(SchoolLevel.choices).get(self.level, ""))


def uptake(document: Document) -> list[Uptake]:
    """Every school the directive was sent to, with the number of its tasks linked to it."""
    counts = dict(
        _linked_tasks([document])
        .values("task__plan__school_id")
        .annotate(tasks=Count("task_id", distinct=True))
        .values_list("task__plan__school_id", "tasks")
    )
    levels = dict(
        DirectedSchool.objects.filter(body_id=document.school_id).values_list("school_id", "level")
    )
    receipts = list(DocumentReceipt.objects.filter(document=document).select_related("school"))
    sharing = [receipt.school_id for receipt in receipts if receipt.shares_tasks]
    shared: dict[int | None, list[str]] = {}
    if sharing:
        for school_id, code, title in (
            _linked_tasks([document])
            .filter(task__plan__school_id__in=sharing)
            .order_by("task__plan__school_id", "task__plan__start_year", "task__order", "task_id")
            .values_list("task__plan__school_id", "task__code", "task__title")
            .distinct()
        ):
            shared.setdefault(school_id, []).append(f"{code}. {title}" if code else title)
    return [
        Uptake(
            school=receipt.school,
            level=levels.get(receipt.school_id, ""),
            received_at=receipt.sent_at,
            task_count=counts.get(receipt.school_id, 0),
            shared_tasks=tuple(shared.get(receipt.school_id, ())),
        )
        for receipt in receipts
    ]


@dataclass(frozen=True)
class SchoolFigures:
    """One school the body directs: how many of the body's directives it received, and on how
    many of them it has built tasks."""

    entry: DirectedSchool
    received: int
    acted: int


def school_figures(body_id: int) -> list[SchoolFigures]:
    """Every school the body directs, with its figures for the body's directives."""
    entries = list(directed_schools(body_id))
    received = dict(
        DocumentReceipt.objects.filter(document__school_id=body_id, document__archived_at=None)
        .values("school_id")
        .annotate(n=Count("document_id", distinct=True))
        .values_list("school_id", "n")
    )
    acted = dict(
        _linked_tasks(Document.objects.active().filter(school_id=body_id))
        .values("task__plan__school_id")
        .annotate(n=Count("document_id", distinct=True))
        .values_list("task__plan__school_id", "n")
    )
    return [
        SchoolFigures(
            entry=entry,
            received=received.get(entry.school_id, 0),
            acted=acted.get(entry.school_id, 0),
        )
        for entry in entries
    ]


def acted_on(document: Document) -> int:
    """How many recipient schools have built tasks on the directive."""
    return acted_on_counts([document]).get(document.pk, 0)


def correctable(document: Document) -> bool:
    """A directive is corrected in place only while no school has acted on it (built a task on
    it) and it is not withdrawn: past that, it is withdrawn and a new one issued."""
    return not document.is_withdrawn and acted_on(document) == 0


@transaction.atomic
def correct_directive(
    document: Document, *, reason: str, by: User, expected_version: int | None = None
) -> Document:
    """Save a correction (đính chính) of a sent directive's summary or file, as typed on the
    form (`document` carries the new values): versioned, kept in its history with the reason,
    and the recipients' leadership and clerks told. A form opened before another save is refused
    (EditConflict, 409) and writes nothing."""
    require_directing(document.school)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ProvinceError(_("Hãy ghi lý do đính chính."))
    # Locked: a withdrawal or a sending waits for the correction, and the other way round.
    current = Document._base_manager.select_for_update().get(pk=document.pk)
    if current.is_withdrawn:
        raise ProvinceError(_("Văn bản đã được thu hồi, không đính chính được."))
    if acted_on(current):
        raise ProvinceError(
            _(
                "Đã có trường xây dựng nhiệm vụ trên văn bản này: không đính chính được nữa. "
                "Hãy thu hồi văn bản và ban hành văn bản mới."
            )
        )
    register_document(document, by=by, expected_version=expected_version)
    update_change_reason(document, _("Đính chính: %(reason)s") % {"reason": reason})
    notices.directive_changed(document, by=by, withdrawn=False, reason=reason)
    return document


@transaction.atomic
def withdraw_directive(document: Document, *, reason: str, by: User) -> Document:
    """Withdraw (thu hồi) a sent directive: not deleted; each school's register shows it
    withdrawn with the reason, the tasks built on it keep their links (marked), no school can
    link a new task to it, it is sent no further; the recipients' leadership and clerks are
    told."""
    require_directing(document.school)
    withdrawn = withdraw_document(document, reason=reason, by=by)
    notices.directive_changed(withdrawn, by=by, withdrawn=True, reason=withdrawn.withdrawal_reason)
    return withdrawn
