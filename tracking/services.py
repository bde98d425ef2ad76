"""Every change of a task's progress is a named, atomic action here: views, the API, commands,
the demo and tests call these.

Dates come in as `on=` arguments, so that tests freeze the clock without patching it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import stamp
from core.errors import DomainError
from organisations.membership import person_record
from organisations.models import Organisation
from planning.models import ProgressMode, Task
from planning.progress import refresh_derived_progress
from planning.services import ensure_open_school
from planning.status import RunState
from tracking import notices, sources
from tracking.evidence import MAX_FILES, BadEvidence, clean_name, sniff
from tracking.models import (
    CheckIn,
    CheckInRole,
    Confidence,
    Evidence,
    Extension,
    ExtensionStatus,
    ReminderPolicy,
    TargetReading,
)


class TrackingError(DomainError):
    """A rule of tracking was broken; the message is shown to the user as is."""


class StaleTask(TrackingError):
    """Someone else changed the task since the form was opened (optimistic concurrency)."""

    status = 409

    def __init__(self, task: Task) -> None:
        self.task = task
        latest = task.checkins.select_related("submitted_by", "unit").first()
        self.latest = latest
        who = ""
        if latest is not None and latest.submitted_by is not None:
            person = person_record(latest.submitted_by)
            who = str(person) if person else latest.submitted_by.get_username()
        message = _(
            "Nhiệm vụ vừa được người khác cập nhật trong lúc bạn nhập liệu"
            "%(who)s. Hãy xem tiến độ mới nhất bên dưới rồi gửi lại."
        ) % {"who": f" ({who})" if who else ""}
        super().__init__(message)


@dataclass(frozen=True)
class Upload:
    """A file as received: its name and its bytes (read once, checked before anything is saved)."""

    name: str
    data: bytes


def policy_for(school_id: int) -> ReminderPolicy:
    policy, _created = ReminderPolicy.objects.get_or_create(school_id=school_id)
    return policy


def checkin_expected_by(
    *, last_report: dt.date | None, start: dt.date | None, period_days: int
) -> dt.date | None:
    """The day by which the next check-in is due: one period after the last one (or the start)."""
    since = last_report or start
    return since + dt.timedelta(days=period_days) if since else None


def lead_unit_id_of(task: Task) -> int:
    """Who reports for the task: its lead unit, else the unit owning it, else the school itself."""
    return task.lead_unit_id or task.owner_unit_id or task.plan.school_id


def _lock(task: Task, expected_version: int | None) -> Task:
    fresh: Task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("plan", "target")
        .get(pk=task.pk)
    )
    # A school merged into another keeps its tasks as they were on the merger's day.
    ensure_open_school(fresh.plan.school_id)
    if expected_version is not None and fresh.version != expected_version:
        raise StaleTask(fresh)
    return fresh


def _check_text(value: str, label: str, *, required: bool = False, limit: int = 10_000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise TrackingError(_("Cần ghi %(field)s.") % {"field": label})
    if len(value) > limit:
        raise TrackingError(
            _("%(field)s dài quá %(limit)s ký tự.") % {"field": label.capitalize(), "limit": limit}
        )
    return value


@dataclass(frozen=True)
class CheckInData:
    progress: int
    done: str
    confidence: str
    difficulties: str = ""
    proposals: str = ""
    actual_value: Decimal | None = None


def check_file_count(count: int) -> None:
    """At most MAX_FILES evidence files a check-in; the API checks before reading any."""
    if count > MAX_FILES:
        raise TrackingError(_("Tối đa %(n)s tệp minh chứng mỗi lần báo cáo.") % {"n": MAX_FILES})


def submit_checkin(
    task: Task,
    *,
    by: User | None,
    unit: Organisation,
    data: CheckInData,
    on: dt.date,
    files: Sequence[Upload] = (),
    expected_version: int | None = None,
    consolidate: Sequence[int] = (),
    is_sample: bool = False,
) -> CheckIn:
    """Record a check-in with its evidence, all or nothing.

    The lead unit's report (by the person in charge or a head of the lead unit) moves the task's
    entered progress, completes it at 100%, records the target's actual value and consolidates
    the coordinating units' contributions named in `consolidate`. A coordinating unit's report is
    its contribution only. Files are checked by content before anything is written, and stored
    files are removed again if the transaction does not commit.
    """
    if not 0 <= data.progress <= 100:
        raise TrackingError(_("Tiến độ phải từ 0 đến 100%."))
    if data.confidence not in Confidence.values:
        raise TrackingError(_("Khả năng hoàn thành không hợp lệ."))
    done = _check_text(data.done, _("kết quả đã thực hiện"), required=True)
    difficulties = _check_text(data.difficulties, _("khó khăn, vướng mắc"))
    proposals = _check_text(data.proposals, _("đề xuất, kiến nghị"))
    check_file_count(len(files))
    kinds = []
    for upload in files:
        try:
            kinds.append(sniff(upload.data, upload.name))
        except BadEvidence as error:
            raise TrackingError(str(error)) from error

    saved: list[Any] = []
    try:
        with transaction.atomic():
            checkin = _record_checkin(
                task, by=by, unit=unit, data=data, on=on, expected_version=expected_version,
                consolidate=consolidate, is_sample=is_sample,
                texts=(done, difficulties, proposals),
            )  # fmt: skip
            for upload, kind in zip(files, kinds, strict=True):
                evidence = Evidence(
                    checkin=checkin,
                    original_name=clean_name(upload.name),
                    content_type=kind.content_type,
                    size=len(upload.data),
                    sha256=hashlib.sha256(upload.data).hexdigest(),
                )
                evidence.file.save("upload", ContentFile(upload.data), save=False)
                saved.append(evidence.file)
                evidence.save()
    except BaseException:
        for stored in saved:
            stored.storage.delete(stored.name)
        raise
    return checkin


def _record_checkin(
    task: Task,
    *,
    by: User | None,
    unit: Organisation,
    data: CheckInData,
    on: dt.date,
    expected_version: int | None,
    consolidate: Sequence[int],
    is_sample: bool,
    texts: tuple[str, str, str],
) -> CheckIn:
    if unit.pk == lead_unit_id_of(task):
        role = CheckInRole.LEAD
    elif task.coordinations.active().filter(unit=unit).exists():
        role = CheckInRole.COORDINATING
    else:
        raise TrackingError(_("Đơn vị này không chủ trì hay phối hợp thực hiện nhiệm vụ."))
    fresh = _lock(task, expected_version if role == CheckInRole.LEAD else None)
    if fresh.run_state == RunState.CANCELLED:
        raise TrackingError(_("Nhiệm vụ đã hủy bỏ, không nhận báo cáo."))
    if data.actual_value is not None and fresh.target_id is None:
        raise TrackingError(_("Nhiệm vụ không gắn chỉ tiêu nên không nhập giá trị chỉ tiêu."))
    if data.actual_value is not None:
        refuse_typed_reading(fresh.target)
    policy = policy_for(fresh.plan.school_id)
    last = fresh.checkins.filter(role=role, unit=unit).order_by("-reported_on").first()
    expected_by = checkin_expected_by(
        last_report=last.reported_on if last else None,
        start=fresh.start_date or fresh.plan.starts_on,
        period_days=policy.checkin_period_days,
    )
    done, difficulties, proposals = texts
    checkin = CheckIn(
        task=fresh,
        unit=unit,
        role=role,
        reported_on=on,
        progress=data.progress,
        actual_value=data.actual_value,
        done=done,
        difficulties=difficulties,
        proposals=proposals,
        confidence=data.confidence,
        on_time=expected_by is None or on <= expected_by,
        submitted_by=by if getattr(by, "is_authenticated", False) else None,
        is_sample=is_sample,
    )
    stamp(checkin, by)
    checkin.save()
    if role == CheckInRole.COORDINATING:
        return checkin

    if consolidate:
        contributions = CheckIn.objects.filter(
            pk__in=consolidate,
            task=fresh,
            role=CheckInRole.COORDINATING,
            consolidated_into__isnull=True,
        )
        contributions.update(consolidated_into=checkin)
    fresh.progress = data.progress
    if data.progress == 100 and fresh.completed_on is None:
        fresh.completed_on = on
    stamp(fresh, by, _("Báo cáo tiến độ ngày %(day)s") % {"day": on.strftime("%d/%m/%Y")})
    fresh.save()
    if data.actual_value is not None and fresh.target is not None:
        record_target_value(
            fresh.target, data.actual_value, on=on, by=by, checkin=checkin, is_sample=is_sample
        )
    if fresh.parent_id:
        refresh_derived_progress(fresh.parent_id)
    task.version = fresh.version
    return checkin


def refuse_typed_reading(target: Any) -> None:
    """A target fed by figures kept elsewhere takes no typed value (tracking.sources)."""
    source = sources.source_of(target)
    if source is not None:
        raise TrackingError(
            _(
                "Chỉ tiêu “%(target)s” lấy số liệu tự động từ %(source)s (%(url)s): "
                "không nhập tay giá trị chỉ tiêu; hãy cập nhật số liệu gốc."
            )
            % {"target": target.name, "source": source.label, "url": source.url}
        )


@transaction.atomic
def record_target_value(
    target: Any,
    value: Decimal,
    *,
    on: dt.date,
    by: User | None,
    checkin: CheckIn | None = None,
    is_sample: bool = False,
) -> TargetReading:
    """A measured value of a target; the latest one becomes the target's actual value."""
    reading = TargetReading.objects.create(
        target=target,
        value=value,
        measured_on=on,
        checkin=checkin,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
        is_sample=is_sample,
    )
    if target.actual_on is None or on >= target.actual_on:
        target.actual_value = value
        target.actual_on = on
        stamp(target, by, _("Cập nhật giá trị thực hiện"))
        target.save(update_fields=["actual_value", "actual_on"])
    return reading


@transaction.atomic
def update_tracking(
    task: Task,
    *,
    by: User,
    progress_mode: str,
    run_state: str,
    reason: str = "",
    expected_version: int | None = None,
) -> Task:
    """Choose how progress is measured, or pause, resume or cancel a task (with a reason)."""
    if progress_mode not in ProgressMode.values or run_state not in RunState.values:
        raise TrackingError(_("Giá trị không hợp lệ."))
    fresh = _lock(task, expected_version)
    reason = _check_text(reason, _("lý do"), limit=1000)
    if run_state != fresh.run_state and run_state != RunState.ACTIVE and not reason:
        raise TrackingError(_("Cần ghi lý do tạm dừng hoặc hủy bỏ nhiệm vụ."))
    fresh.progress_mode = progress_mode
    fresh.run_state = run_state
    stamp(fresh, by, reason or _("Cập nhật cách theo dõi tiến độ"))
    fresh.save()
    if progress_mode == ProgressMode.DERIVED:
        refresh_derived_progress(fresh.pk)
    if fresh.parent_id:
        refresh_derived_progress(fresh.parent_id)
    fresh.refresh_from_db()
    return fresh


# Deadline extensions --------------------------------------------------------------------------


@transaction.atomic
def request_extension(
    task: Task, *, new_due: dt.date, reason: str, by: User, on: dt.date
) -> Extension:
    fresh = _lock(task, None)
    reason = _check_text(reason, _("lý do gia hạn"), required=True, limit=2000)
    if fresh.completed_on is not None:
        raise TrackingError(_("Nhiệm vụ đã hoàn thành, không cần gia hạn."))
    if fresh.due_date is None:
        raise TrackingError(_("Nhiệm vụ chưa có hạn hoàn thành."))
    if new_due <= fresh.due_date:
        raise TrackingError(_("Hạn mới phải sau hạn hiện tại (%(due)s).") % {
            "due": fresh.due_date.strftime("%d/%m/%Y")
        })  # fmt: skip
    if new_due < on:
        raise TrackingError(_("Hạn mới không được trước ngày hôm nay."))
    if fresh.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise TrackingError(_("Đã có một đề nghị gia hạn đang chờ Ban giám hiệu xem xét."))
    extension = Extension(
        task=fresh, previous_due=fresh.due_date, requested_due=new_due, reason=reason,
        requested_by=by,
    )  # fmt: skip
    stamp(extension, by)
    extension.save()
    notices.extension_requested(extension, by=by)
    return extension


@transaction.atomic
def decide_extension(
    extension: Extension, *, accept: bool, note: str = "", by: User, on: dt.date
) -> Extension:
    """Leadership approves (the deadline moves, the original is kept) or rejects a request."""
    extension = (
        Extension.objects.select_for_update(of=("self",))
        .select_related("task")
        .get(pk=extension.pk)
    )
    if extension.status != ExtensionStatus.PENDING:
        raise TrackingError(_("Đề nghị gia hạn này đã được xem xét."))
    extension.status = ExtensionStatus.APPROVED if accept else ExtensionStatus.REJECTED
    extension.decided_by = by
    extension.decided_on = on
    extension.decision_note = _check_text(note, _("ý kiến"), limit=2000)
    stamp(extension, by)
    extension.save()
    if accept:
        task = _lock(extension.task, None)
        if task.original_due_date is None:
            task.original_due_date = task.due_date
        task.due_date = extension.requested_due
        stamp(
            task,
            by,
            _("Gia hạn đến %(due)s: %(reason)s")
            % {"due": extension.requested_due.strftime("%d/%m/%Y"), "reason": extension.reason},
        )
        task.save()
    notices.extension_decided(extension, by=by)
    return extension


@transaction.atomic
def save_policy(policy: ReminderPolicy, *, by: User) -> ReminderPolicy:
    if policy.escalate_to_leadership_after < policy.escalate_to_head_after:
        raise TrackingError(_("Báo Ban giám hiệu phải sau (hoặc cùng lúc) báo trưởng đơn vị."))
    stamp(policy, by)
    policy.save()
    return policy
