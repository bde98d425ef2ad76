"""The hall: conference kinds and their rules, the conference, who is summoned, the agenda."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Archivable
from core.scopes import ScopedArchivableManager
from core.text import format_number
from core.versioning import Versioned
from organisations.models import Organisation, Person


class PassBase(models.TextChoices):
    ATTENDEES = "attendees", _("Số người tham dự")
    SUMMONED = "summoned", _("Số người được triệu tập")
    VOTES = "votes", _("Số phiếu biểu quyết")


class ConferenceKindQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> ConferenceKindQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class ConferenceKind(models.Model):
    """A kind of conference with its quorum and vote rules, dated, with the text that set them."""

    code = models.SlugField(_("mã"), max_length=50)
    name = models.CharField(_("loại hội nghị"), max_length=255)
    quorum_numerator = models.PositiveSmallIntegerField(_("túc số: tử số"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("túc số: mẫu số"), default=3)
    pass_share = models.DecimalField(
        _("tỷ lệ tán thành phải vượt"), max_digits=4, decimal_places=3, default=Decimal("0.5")
    )
    pass_base = models.CharField(
        _("tính trên"), max_length=10, choices=PassBase.choices, default=PassBase.ATTENDEES
    )
    legal_basis = models.TextField(_("văn bản quy định"))
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()
    objects = ConferenceKindQuerySet.as_manager()

    class Meta:
        verbose_name = _("loại hội nghị")
        verbose_name_plural = _("loại hội nghị")
        ordering = ["name", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="conference_kind_version")
        ]

    def __str__(self) -> str:
        return self.name

    def quorum_needed(self, summoned: int) -> int:
        """The fewest attendees for a valid conference (≥ numerator/denominator of those summoned)."""
        if not self.quorum_numerator or not self.quorum_denominator:
            return 0
        return -(-summoned * self.quorum_numerator // self.quorum_denominator)

    @property
    def quorum_label(self) -> str:
        return f"{self.quorum_numerator}/{self.quorum_denominator}"

    @property
    def pass_label(self) -> str:
        """ "50%" """
        return f"{format_number(self.pass_share * 100)}%"

    def passes(self, yes: int, base: int) -> bool:
        """Strictly more than the share of the base (> 50% of attendees by default)."""
        return base > 0 and Decimal(yes) > self.pass_share * Decimal(base)


class ConferenceStatus(models.TextChoices):
    PREPARING = "preparing", _("Đang chuẩn bị")
    IN_SESSION = "in_session", _("Đang họp")
    CLOSED = "closed", _("Đã kết thúc")


class Conference(Versioned, Archivable):
    school = models.ForeignKey(
        Organisation, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="conferences"
    )
    kind = models.ForeignKey(
        ConferenceKind, verbose_name=_("loại hội nghị"), on_delete=models.PROTECT
    )
    title = models.CharField(_("tên hội nghị"), max_length=500)
    held_on = models.DateField(_("ngày họp"))
    starts_at = models.TimeField(_("giờ bắt đầu"), null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    plan = models.ForeignKey(
        "planning.Plan",
        verbose_name=_("kế hoạch được bàn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conferences",
    )
    secretary = models.ForeignKey(
        Person,
        verbose_name=_("thư ký hội nghị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=ConferenceStatus.choices,
        default=ConferenceStatus.PREPARING,
    )
    article_text = models.TextField(_("bài tin (đã biên tập)"), blank=True)
    article_published_at = models.DateTimeField(_("đăng tin lúc"), null=True, blank=True)
    # When the session last opened: the self check-in links name it, so a link shown in an
    # earlier session (or before a close and reopening) no longer marks anyone present.
    session_opened_at = models.DateTimeField(
        _("phiên họp mở lúc"), null=True, blank=True, editable=False
    )
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("school")

    class Meta:
        verbose_name = _("hội nghị")
        verbose_name_plural = _("hội nghị")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def search_source(self) -> list[str]:
        return [self.title, self.place]

    @property
    def is_closed(self) -> bool:
        return self.status == ConferenceStatus.CLOSED

    @property
    def in_session(self) -> bool:
        return self.status == ConferenceStatus.IN_SESSION and not self.is_archived

    @property
    def accepts_opinions(self) -> bool:
        return not self.is_closed and not self.is_archived


class ConferenceChair(Archivable):
    """One of the presidium (chủ tọa): the principal, often jointly with the trade-union chair."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="chairs")
    person = models.ForeignKey(
        Person, verbose_name=_("người chủ trì"), on_delete=models.PROTECT, related_name="+"
    )
    capacity = models.CharField(_("chức vụ"), max_length=255, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("conference__school")

    class Meta:
        verbose_name = _("chủ tọa")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.person} – {self.capacity}" if self.capacity else str(self.person)


class InviteeGroup(Archivable):
    """A group summoned to the conference, named as the papers name it ("Ban chấp hành Đảng ủy")."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("thành phần"), max_length=255)
    counts_for_quorum = models.BooleanField(
        _("tính vào túc số"),
        default=True,
        help_text=_("Bỏ chọn với khách mời, đại biểu học sinh, sinh viên."),
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("conference__school")

    class Meta:
        verbose_name = _("thành phần tham dự")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Attendance(models.TextChoices):
    UNKNOWN = "", _("Chưa điểm danh")
    PRESENT = "present", _("Có mặt")
    ABSENT = "absent", _("Vắng")


class Invitation(Archivable):
    """One person summoned, in the first group that names them; attendance is taken on the day."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="invitations")
    group = models.ForeignKey(
        InviteeGroup, verbose_name=_("thành phần"), on_delete=models.PROTECT, related_name="members"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="invitations"
    )
    # People outside the staff register (student representatives, guests) are named only.
    name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    attendance = models.CharField(
        _("điểm danh"), max_length=10, choices=Attendance.choices, blank=True, default=""
    )
    absence_reason = models.CharField(_("lý do vắng"), max_length=255, blank=True)
    marked_at = models.DateTimeField(null=True, blank=True)
    # Marked present by the attendee from their own phone (the hall's link); the secretary's
    # correction clears it.
    self_marked = models.BooleanField(_("tự điểm danh"), default=False)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("conference__school")

    class Meta:
        verbose_name = _("người được triệu tập")
        ordering = ["group__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "person"],
                condition=Q(person__isnull=False, archived_at__isnull=True),
                name="one_invitation_per_person",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.person.full_name if self.person_id and self.person else self.name


class AgendaKind(models.TextChoices):
    OPENING = "opening", _("Khai mạc")
    REPORT = "report", _("Báo cáo, trình bày")
    SPEECH = "speech", _("Phát biểu, tham luận")
    DISCUSSION = "discussion", _("Điều hành thảo luận")
    ANSWERS = "answers", _("Trả lời ý kiến")
    VOTE = "vote", _("Biểu quyết")
    EMULATION = "emulation", _("Phát động thi đua")
    CONCLUSION = "conclusion", _("Kết luận")
    OTHER = "other", _("Khác")


class AgendaItem(Archivable):
    """Who presents what. The title reads as what the presenter did ("Triển khai nhiệm vụ…")."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="agenda_items"
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    kind = models.CharField(_("loại"), max_length=12, choices=AgendaKind.choices)
    title = models.CharField(_("nội dung"), max_length=500)
    presenter = models.ForeignKey(
        Person,
        verbose_name=_("người trình bày"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    presenter_label = models.CharField(
        _("hoặc tập thể trình bày"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Các đồng chí trong Ban Giám hiệu"),
    )
    presenter_title = models.CharField(
        _("chức vụ khi trình bày"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Phó Bí thư Đảng ủy, Phó Hiệu trưởng"),
    )
    summary = models.TextField(_("tóm tắt nội dung"), blank=True)
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("conference__school")

    class Meta:
        verbose_name = _("mục chương trình")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def presenter_name(self) -> str:
        return self.presenter.full_name if self.presenter_id and self.presenter else ""
