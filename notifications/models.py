"""What people are told: in-app notifications (each of a kind, with a link), and how each person
wants each kind by e-mail (at once, in a daily digest, or not at all).

Every app tells people through `notifications.services.notify`; this app sits right above
`organisations`, so planning and everything above it may use it. A notification may point back to
what caused it (`source`, e.g. a tracking reminder) without this app knowing that model.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What happened; each person chooses, kind by kind, how it reaches them by e-mail."""

    EXTENSION_REQUESTED = "extension_requested", _("Đề nghị gia hạn nhiệm vụ")
    EXTENSION_DECIDED = "extension_decided", _("Kết quả xem xét đề nghị gia hạn")
    PROPOSAL_MADE = "proposal_made", _("Đơn vị đề xuất điều chỉnh chỉ tiêu")
    PROPOSAL_DECIDED = "proposal_decided", _("Kết quả xem xét đề xuất chỉ tiêu")
    OPINION_ANSWERED = "opinion_answered", _("Ý kiến tham góp được trả lời")
    OPINION_FORWARDED = "opinion_forwarded", _("Ý kiến chuyển đơn vị giải quyết")
    REPORT_TO_REVIEW = "report_to_review", _("Báo cáo chờ xem xét")
    REPORT_RETURNED = "report_returned", _("Báo cáo bị trả lại để chỉnh sửa")
    REPORT_ISSUED = "report_issued", _("Báo cáo được ban hành")
    PLAN_ISSUED = "plan_issued", _("Kế hoạch được ban hành")
    PLAN_AMENDED = "plan_amended", _("Kế hoạch được sửa đổi, bổ sung")
    ASSIGNMENT_APPLIED = "assignment_applied", _("Áp dụng phân công giảng dạy")
    SHEET_IMPORTED = "sheet_imported", _("Đơn vị nhập phiếu báo cáo tiến độ")
    EMULATION_CAMPAIGN = "emulation_campaign", _("Phát động phong trào thi đua, mở đợt tự đánh giá")
    EMULATION_REGISTRATION = "emulation_registration", _("Đăng ký thi đua và danh sách của đơn vị")
    EMULATION_REVIEW = "emulation_review", _("Tự đánh giá, nhận xét, xếp loại thi đua")
    EMULATION_COUNCIL = "emulation_council", _("Hội đồng thi đua bỏ phiếu, công khai kết quả")
    EMULATION_APPEAL = "emulation_appeal", _("Kiến nghị về kết quả thi đua và trả lời")
    EMULATION_DECISION = (
        "emulation_decision",
        _("Quyết định công nhận danh hiệu, tờ trình cấp trên"),
    )
    DIRECTIVE_RECEIVED = "directive_received", _("Văn bản chỉ đạo của cấp trên gửi đến")
    REPORT_REQUESTED = (
        "report_requested",
        _("Cấp trên yêu cầu báo cáo; báo cáo được nộp, bị trả lại"),
    )
    SCHOOL_MERGED = "school_merged", _("Sáp nhập trường: quyết định được thực hiện")
    REMINDER = "reminder", _("Nhắc việc (sắp đến hạn, thiếu báo cáo, quá hạn)")
    GENERAL = "general", _("Thông báo khác")


class Delivery(models.TextChoices):
    """How a kind of notification reaches a person by e-mail."""

    IMMEDIATE = "immediate", _("Gửi thư ngay")
    DIGEST = "digest", _("Gộp vào thư tổng hợp hằng ngày")
    OFF = "off", _("Không gửi thư (chỉ xem trong ứng dụng)")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: Any) -> NotificationQuerySet:
        return self.filter(user=user)

    def unread_for(self, user: Any) -> NotificationQuerySet:
        """The user's unread notifications, newest first (the navbar, the home page)."""
        return self.filter(user=user, read_at__isnull=True).order_by("-created_at", "-pk")


class Notification(models.Model):
    """An in-app notice with a link; e-mail, when sent, carries the same words."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(
        max_length=40, choices=NotificationKind.choices, default=NotificationKind.GENERAL
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    # What caused it, when something did (a tracking reminder): any model, known to its own app.
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    # How its e-mail goes, decided from the user's preferences when it was made.
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            models.Index(fields=["source_type", "source_id"], name="notification_source"),
        ]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """A person's choice for one kind; without a row, the kind is e-mailed at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    delivery = models.CharField(
        _("thư điện tử"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )

    class Meta:
        verbose_name = _("lựa chọn nhận thông báo")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"


class DigestLog(models.Model):
    """One daily digest sent to a user: at most one per user and day, whoever runs the job."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    on = models.DateField()
    count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "on"], name="one_digest_a_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.on}"
