"""The year as it runs: check-ins with evidence, target readings, deadline extensions, reminders.

Nothing here is deleted: check-ins and extensions are records of what was said and decided.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scopes import ScopedManager
from notifications.models import Notification
from organisations.models import Organisation
from planning.models import Target, Task


class Confidence(models.TextChoices):
    HIGH = "high", _("Chắc chắn hoàn thành")
    MEDIUM = "medium", _("Có thể hoàn thành")
    LOW = "low", _("Khó hoàn thành")


class CheckInRole(models.TextChoices):
    LEAD = "lead", _("Báo cáo của đơn vị chủ trì")
    COORDINATING = "coordinating", _("Báo cáo phối hợp")


class CheckIn(models.Model):
    """One report on a task: what was done, difficulties, proposals, and where it stands."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="checkins")
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị báo cáo"),
        on_delete=models.PROTECT,
        related_name="checkins",
    )
    role = models.CharField(_("loại báo cáo"), max_length=15, choices=CheckInRole.choices)
    reported_on = models.DateField(_("ngày báo cáo"))
    progress = models.PositiveSmallIntegerField(
        _("tiến độ (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    actual_value = models.DecimalField(
        _("giá trị chỉ tiêu đạt được"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    done = models.TextField(_("kết quả đã thực hiện"))
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    confidence = models.CharField(
        _("khả năng hoàn thành"), max_length=10, choices=Confidence.choices
    )
    # Reported within the check-in period (ReminderPolicy): the units' punctuality measure.
    on_time = models.BooleanField(_("báo cáo đúng hạn"), default=True)
    # A coordinating unit's contribution, once the lead unit has consolidated it into its report.
    consolidated_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
        editable=False,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()
    objects = ScopedManager("task__plan__school")

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["-reported_on", "-pk"]
        indexes = [
            models.Index(fields=["task", "reported_on"], name="checkin_task_day"),
            models.Index(fields=["unit", "reported_on"], name="checkin_unit_day"),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} – {self.unit} – {self.reported_on:%d/%m/%Y}"


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    """A name nobody can guess, and nothing of what the user called the file."""
    return f"evidence/{secrets.token_hex(2)}/{secrets.token_urlsafe(24)}.bin"


class Evidence(models.Model):
    """A file (minh chứng) attached to a check-in, served only through a permission-checked view."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    objects = ScopedManager("checkin__task__plan__school")

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class TargetReading(models.Model):
    """A measured value of a target on a day: the target's history over the year."""

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="readings")
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=2)
    measured_on = models.DateField(_("ngày đo"))
    checkin = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.PROTECT, related_name="readings"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_sample = models.BooleanField(default=False, editable=False)
    objects = ScopedManager("target__plan__school")

    class Meta:
        verbose_name = _("số liệu chỉ tiêu")
        ordering = ["measured_on", "pk"]
        indexes = [models.Index(fields=["target", "measured_on"], name="reading_target_day")]

    def __str__(self) -> str:
        return f"{self.target}: {self.value} ({self.measured_on:%d/%m/%Y})"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Chờ Ban giám hiệu xem xét")
    APPROVED = "approved", _("Đã đồng ý gia hạn")
    REJECTED = "rejected", _("Không đồng ý gia hạn")


class Extension(models.Model):
    """A request to move a task's deadline (gia hạn), and leadership's decision."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="extensions")
    previous_due = models.DateField(_("hạn trước khi gia hạn"), null=True, blank=True)
    requested_due = models.DateField(_("hạn đề nghị"))
    reason = models.TextField(_("lý do"))
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_note = models.TextField(_("ý kiến của Ban giám hiệu"), blank=True)

    history = HistoricalRecords()
    objects = ScopedManager("task__plan__school")

    class Meta:
        verbose_name = _("gia hạn")
        verbose_name_plural = _("gia hạn")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status="pending"),
                name="one_pending_extension_per_task",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task.code}: {self.previous_due} → {self.requested_due}"


class ReminderPolicy(models.Model):
    """A school's reminder rules: data the school edits, not constants in code."""

    school = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="reminder_policy"
    )
    days_before_due = models.CharField(
        _("nhắc trước hạn (ngày)"),
        max_length=50,
        default="7,1",
        help_text=_("Các số ngày trước hạn, cách nhau bởi dấu phẩy. Ví dụ: 7,1"),
    )
    checkin_period_days = models.PositiveSmallIntegerField(
        _("chu kỳ báo cáo (ngày)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    repeat_every_days = models.PositiveSmallIntegerField(
        _("nhắc lại sau (ngày)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("Khi còn thiếu báo cáo hoặc nhiệm vụ quá hạn"),
    )
    escalate_to_head_after = models.PositiveSmallIntegerField(
        _("báo trưởng đơn vị từ lần nhắc thứ"),
        default=2,
        validators=[MinValueValidator(1)],
    )
    escalate_to_leadership_after = models.PositiveSmallIntegerField(
        _("báo Ban giám hiệu từ lần nhắc thứ"),
        default=3,
        validators=[MinValueValidator(1)],
    )
    send_email = models.BooleanField(_("gửi kèm thư điện tử"), default=True)

    history = HistoricalRecords()
    objects = ScopedManager("school")

    class Meta:
        verbose_name = _("quy tắc nhắc việc")

    def __str__(self) -> str:
        return f"{self.school}: {self.days_before_due} / {self.checkin_period_days}"

    @property
    def days_before(self) -> list[int]:
        return sorted(
            {int(part) for part in self.days_before_due.split(",") if part.strip().isdigit()},
            reverse=True,
        )


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    CHECKIN_MISSING = "checkin_missing", _("Chưa báo cáo tiến độ")
    OVERDUE = "overdue", _("Quá hạn")


class EscalationLevel(models.TextChoices):
    PERSON = "person", _("Người phụ trách")
    HEAD = "head", _("Trưởng đơn vị")
    LEADERSHIP = "leadership", _("Ban giám hiệu")


class Reminder(models.Model):
    """One reminder about one task, of one kind, on one day: never sent twice."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    on = models.DateField()
    level = models.CharField(max_length=12, choices=EscalationLevel.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # The notifications it sent (notifications.Notification.source): `reminder__on=…` filters them.
    notifications = GenericRelation(
        Notification,
        content_type_field="source_type",
        object_id_field="source_id",
        related_query_name="reminder",
    )
    objects = ScopedManager("task__plan__school")

    class Meta:
        verbose_name = _("lần nhắc việc")
        ordering = ["-on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "kind", "on"], name="reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.task.code} {self.kind} {self.on}"
