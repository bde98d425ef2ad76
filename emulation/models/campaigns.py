"""The year's emulation campaign (phong trào thi đua), its council and each unit's part in it.

A campaign belongs to a school and a school year: the school's own, launched by its leadership
(often at the staff conference, `conferences.EmulationLaunch`), or one launched by the level
above (a Sở, the Bộ) that the school receives and follows (`received_from`). One active campaign
per school and year: the year's registrations, evaluations and titles hang from it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Archivable
from core.scopes import ScopedArchivableManager, ScopedManager
from core.text import school_year_label
from core.versioning import Versioned
from emulation.council_rule import PassRule, Quorum
from emulation.engine import SchoolYear, Title
from organisations.models import Organisation, Person

TITLE_CHOICES = [(title.value, title.label) for title in Title]


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    OPEN = "open", _("Đã phát động")
    CLOSED = "closed", _("Đã kết thúc")


class CouncilBase(models.TextChoices):
    """What the council's vote share is counted on."""

    MEMBERS = "members", _("Tổng số thành viên Hội đồng")  # council_rule.MEMBERS
    PRESENT = "present", _("Số thành viên có mặt")  # council_rule.PRESENT


class Campaign(Versioned, Archivable):
    school = models.ForeignKey(
        Organisation,
        verbose_name=_("trường"),
        on_delete=models.PROTECT,
        related_name="emulation_campaigns",
    )
    start_year = models.PositiveSmallIntegerField(
        _("năm học bắt đầu"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    plan = models.ForeignKey(
        "planning.Plan",
        verbose_name=_("kế hoạch năm học"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="emulation_campaigns",
        editable=False,
    )
    name = models.CharField(
        _("tên phong trào"),
        max_length=500,
        help_text=_("Ví dụ: Phong trào thi đua năm học 2023–2024"),
    )
    slogan = models.CharField(_("chủ đề, khẩu hiệu"), max_length=500, blank=True)
    period_start = models.DateField(_("thời gian thi đua: từ ngày"))
    period_end = models.DateField(_("thời gian thi đua: đến ngày"))
    launched_on = models.DateField(_("ngày phát động"), null=True, blank=True)
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    launch = models.ForeignKey(
        "conferences.EmulationLaunch",
        verbose_name=_("phát động tại hội nghị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    received_from = models.ForeignKey(
        Organisation,
        verbose_name=_("cấp trên phát động"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Phong trào do cấp trên (Sở, Bộ…) phát động, trường hưởng ứng và thực hiện."),
    )
    province_campaign = models.ForeignKey(
        "emulation.ProvinceCampaign",
        verbose_name=_("hưởng ứng phong trào của cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="school_campaigns",
        editable=False,
    )
    basis = models.ForeignKey(
        "documents.Document",
        verbose_name=_("văn bản phát động, hướng dẫn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    titles = models.JSONField(_("danh hiệu xét"), default=list, blank=True)
    criteria = models.TextField(_("nội dung, tiêu chí thi đua"), blank=True)
    registration_opens = models.DateField(_("đăng ký thi đua: từ ngày"))
    registration_closes = models.DateField(_("đăng ký thi đua: đến ngày"))
    self_assessment_opens = models.DateField(_("tự đánh giá: từ ngày"))
    self_assessment_closes = models.DateField(_("tự đánh giá: đến ngày"))
    group_review_by = models.DateField(_("tổ, bộ môn nhận xét trước ngày"), null=True, blank=True)
    unit_review_by = models.DateField(_("đơn vị họp xét trước ngày"), null=True, blank=True)
    council_meets_on = models.DateField(_("Hội đồng thi đua họp ngày"), null=True, blank=True)
    council_decision = models.CharField(
        _("quyết định thành lập Hội đồng"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Quyết định số 215/QĐ-CĐSP ngày 10/10/2023"),
    )
    # How the council's secret ballot passes a case (the school's quy chế decides: the law fixes
    # no share for the school's own council; NĐ 91/2017 Art. 45 asked 90% of all members of
    # the councils above). Copied onto each ballot when it opens, so the rule published with
    # the tally is the one that was applied.
    council_pass_numerator = models.PositiveSmallIntegerField(
        _("tỷ lệ phiếu đồng ý: tử số"), default=1, validators=[MinValueValidator(1)]
    )
    council_pass_denominator = models.PositiveSmallIntegerField(
        _("tỷ lệ phiếu đồng ý: mẫu số"), default=2, validators=[MinValueValidator(1)]
    )
    council_pass_strict = models.BooleanField(
        _("phải vượt tỷ lệ"),
        default=True,
        help_text=_("Chọn: phải trên tỷ lệ (quá bán); bỏ chọn: từ tỷ lệ trở lên."),
    )
    council_pass_base = models.CharField(
        _("tính trên"),
        max_length=10,
        choices=CouncilBase.choices,
        default=CouncilBase.MEMBERS,
    )
    council_quorum_numerator = models.PositiveSmallIntegerField(
        _("phiên họp hợp lệ khi có mặt: tử số"), default=2, validators=[MinValueValidator(1)]
    )
    council_quorum_denominator = models.PositiveSmallIntegerField(
        _("phiên họp hợp lệ khi có mặt: mẫu số"), default=3, validators=[MinValueValidator(1)]
    )
    # The results published with the tally, and the days staff may send an appeal (kiến nghị)
    # before the principal decides.
    appeals_open = models.DateField(_("nhận kiến nghị: từ ngày"), null=True, blank=True)
    appeals_close = models.DateField(_("nhận kiến nghị: đến ngày"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=CampaignStatus.choices,
        default=CampaignStatus.DRAFT,
        editable=False,
    )
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("school")

    class Meta:
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        ordering = ["-start_year", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "start_year"],
                condition=Q(archived_at__isnull=True),
                name="one_active_emulation_campaign_per_school_year",
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end"))
                & Q(registration_opens__lte=models.F("registration_closes"))
                & Q(self_assessment_opens__lte=models.F("self_assessment_closes")),
                name="emulation_campaign_windows_in_order",
                violation_error_message=_(
                    "Mỗi khoảng thời gian (thi đua, đăng ký, tự đánh giá) phải có ngày bắt đầu "
                    "trước ngày kết thúc."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def search_source(self) -> list[str]:
        return [self.name, self.slogan, self.year_label]

    @property
    def year(self) -> SchoolYear:
        return SchoolYear(self.start_year)

    @property
    def year_label(self) -> str:
        return school_year_label(self.start_year)

    @property
    def is_open(self) -> bool:
        return self.status == CampaignStatus.OPEN and not self.is_archived

    @property
    def open_titles(self) -> list[Title]:
        return [title for title in Title if title.value in (self.titles or [])]

    @property
    def individual_titles(self) -> list[Title]:
        return [title for title in self.open_titles if title.is_individual]

    @property
    def collective_titles(self) -> list[Title]:
        return [title for title in self.open_titles if not title.is_individual]

    def registration_open_on(self, day: dt.date) -> bool:
        return self.is_open and self.registration_opens <= day <= self.registration_closes

    def self_assessment_open_on(self, day: dt.date) -> bool:
        return self.is_open and self.self_assessment_opens <= day <= self.self_assessment_closes

    def timetable(self) -> list[tuple[str, dt.date | None, dt.date | None]]:
        """The steps of the year with their dates, in order, for the campaign page."""
        return [
            (str(_("Phát động")), self.launched_on, None),
            (str(_("Đăng ký thi đua")), self.registration_opens, self.registration_closes),
            (str(_("Tự đánh giá")), self.self_assessment_opens, self.self_assessment_closes),
            (str(_("Tổ, bộ môn nhận xét")), None, self.group_review_by),
            (str(_("Đơn vị họp xét")), None, self.unit_review_by),
            (str(_("Hội đồng thi đua – khen thưởng họp")), self.council_meets_on, None),
            (str(_("Nhận kiến nghị về kết quả")), self.appeals_open, self.appeals_close),
        ]

    def appeals_open_on(self, day: dt.date) -> bool:
        return (
            self.appeals_open is not None
            and self.appeals_close is not None
            and self.appeals_open <= day <= self.appeals_close
        )

    @property
    def pass_rule(self) -> PassRule:
        return PassRule(
            self.council_pass_numerator,
            self.council_pass_denominator,
            self.council_pass_strict,
            self.council_pass_base,
        )

    @property
    def quorum(self) -> Quorum:
        return Quorum(self.council_quorum_numerator, self.council_quorum_denominator)


class CouncilRole(models.TextChoices):
    CHAIR = "chair", _("Chủ tịch Hội đồng")
    VICE_CHAIR = "vice_chair", _("Phó Chủ tịch Hội đồng")
    SECRETARY = "secretary", _("Thư ký Hội đồng")
    MEMBER = "member", _("Ủy viên")


class CouncilMember(Archivable):
    """A member of the campaign's Hội đồng thi đua – khen thưởng (removing one archives it)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="council")
    person = models.ForeignKey(
        Person, verbose_name=_("thành viên"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(
        _("nhiệm vụ trong Hội đồng"), max_length=12, choices=CouncilRole.choices
    )
    title = models.CharField(
        _("chức vụ"), max_length=255, blank=True, help_text=_("Ví dụ: Hiệu trưởng")
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("campaign__school")

    class Meta:
        verbose_name = _("thành viên Hội đồng thi đua – khen thưởng")
        verbose_name_plural = _("Hội đồng thi đua – khen thưởng")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "person"],
                condition=Q(archived_at__isnull=True),
                name="emulation_council_member_once",
            ),
            models.UniqueConstraint(
                fields=["campaign", "role"],
                condition=Q(archived_at__isnull=True, role__in=["chair", "secretary"]),
                name="emulation_council_one_chair_one_secretary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}"

    def search_source(self) -> list[str]:
        return [self.person.full_name] if self.person_id else []


class CampaignUnit(Versioned):
    """A unit's part in the campaign: its consolidated registration list, sent to leadership, and
    the minutes of its review meeting (biên bản họp xét), with the reviews sent on."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="units")
    unit = models.ForeignKey(
        Organisation, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    registrations_submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    registrations_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registrations_note = models.TextField(_("ghi chú của đơn vị"), blank=True)
    review_meeting_on = models.DateField(_("ngày họp xét"), null=True, blank=True)
    review_minutes = models.TextField(
        _("biên bản họp xét của đơn vị"),
        blank=True,
        help_text=_("Thành phần, ý kiến, kết quả biểu quyết của cuộc họp đơn vị."),
    )
    reviews_submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviews_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = ScopedManager("campaign__school")

    class Meta:
        verbose_name = _("đơn vị trong phong trào thi đua")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="emulation_unit_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.campaign}"

    @property
    def registrations_submitted(self) -> bool:
        return self.registrations_submitted_at is not None

    @property
    def reviews_submitted(self) -> bool:
        return self.reviews_submitted_at is not None

    @property
    def school_id(self) -> Any:
        return self.campaign.school_id


class CampaignTarget(models.Model):
    """A target of the campaign's school plan that its criteria name (e.g. the students' conduct
    results, the drop-out rate): the campaign covers students as the plan tracks them, its page
    showing each target's value and status from tracking. Class and student titles are not
    awarded here. A link removed is deleted and kept in its history; the target stays the
    plan's."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="target_links")
    target = models.ForeignKey(
        "planning.Target", verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()
    objects = ScopedManager("campaign__school")

    class Meta:
        verbose_name = _("chỉ tiêu trong tiêu chí thi đua")
        verbose_name_plural = _("chỉ tiêu trong tiêu chí thi đua")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "target"], name="emulation_target_once")
        ]

    def __str__(self) -> str:
        return f"{self.target} – {self.campaign}"
