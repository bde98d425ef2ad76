"""The year's cycle for each person and unit: the registration in the autumn (đăng ký thi đua),
and the evaluation at the year's end (tự đánh giá → tổ, bộ môn → đơn vị → Ban giám hiệu for
heads → Hội đồng → quyết định).

An `Evaluation` is the one row per person and campaign that every later step points to: the
council's ranking and ballot, the principal's decision (final level and titles). Each step writes
its own fields and its history record says who did it, when and why.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Archivable
from core.scopes import ScopedArchivableManager
from core.versioning import Versioned
from emulation.engine import Discipline, Level
from emulation.models.campaigns import Campaign
from organisations.models import Organisation, Person

LEVEL_CHOICES = [(level.value, level.label) for level in Level]
DISCIPLINE_CHOICES = [
    (discipline.value, discipline.value.capitalize()) for discipline in Discipline
]


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Đã đăng ký")
    RETURNED = "returned", _("Đơn vị đề nghị sửa lại")
    CONFIRMED = "confirmed", _("Đơn vị đã tổng hợp")


class Registration(Versioned, Archivable):
    """A person's (or, with no person, a unit's) titles aimed at and commitments for the year.
    Withdrawing one archives it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="registrations")
    person = models.ForeignKey(
        Person,
        verbose_name=_("cá nhân"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="emulation_registrations",
    )
    # The person's unit for the campaign, or the unit registering as a collective.
    unit = models.ForeignKey(
        Organisation, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    titles = models.JSONField(_("danh hiệu đăng ký"), default=list)
    commitments = models.TextField(_("nội dung cam kết"), blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
        editable=False,
    )
    head_note = models.TextField(_("ý kiến của trưởng đơn vị"), blank=True, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("campaign__school")

    class Meta:
        verbose_name = _("đăng ký thi đua")
        verbose_name_plural = _("đăng ký thi đua")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "person"],
                condition=Q(archived_at__isnull=True, person__isnull=False),
                name="emulation_one_registration_per_person",
            ),
            models.UniqueConstraint(
                fields=["campaign", "unit"],
                condition=Q(archived_at__isnull=True, person__isnull=True),
                name="emulation_one_registration_per_unit",
            ),
        ]

    def __str__(self) -> str:
        who = self.person if self.person_id else self.unit
        return f"{who}: {', '.join(self.titles)}"

    def search_source(self) -> list[str]:
        return [self.commitments]

    @property
    def is_collective(self) -> bool:
        return self.person_id is None


class Stage(models.TextChoices):
    """How far a person's evaluation has gone, in the order of the steps."""

    PENDING = "pending", _("Chưa tự đánh giá")
    SELF_ASSESSED = "self_assessed", _("Đã tự đánh giá")
    GROUP_REVIEWED = "group_reviewed", _("Tổ, bộ môn đã nhận xét")
    UNIT_REVIEWED = "unit_reviewed", _("Đơn vị đã xét")
    LEADERSHIP_REVIEWED = "leadership_reviewed", _("Ban giám hiệu đã xét")
    DECIDED = "decided", _("Đã có quyết định")


STAGE_ORDER = list(Stage)


class ReviewStep(models.TextChoices):
    GROUP = "group", _("Tổ, bộ môn")
    UNIT = "unit", _("Đơn vị")
    LEADERSHIP = "leadership", _("Ban giám hiệu")


class Evaluation(Versioned, Archivable):
    """One person's evaluation in one campaign (đánh giá, xếp loại và bình xét thi đua)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="evaluations")
    person = models.ForeignKey(
        Person, verbose_name=_("cá nhân"), on_delete=models.PROTECT, related_name="evaluations"
    )
    # The unit the person is classified in (khoa, phòng, Ban giám hiệu…: the HTXS quota and the
    # collective titles are per unit), the subject group below it whose head reviews first, if
    # any, and the group of similar tasks (nhóm nhiệm vụ tương đồng) the quota is also per.
    unit = models.ForeignKey(
        Organisation, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    subunit = models.ForeignKey(
        Organisation,
        verbose_name=_("tổ, bộ môn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    task_group = models.CharField(
        _("nhóm nhiệm vụ tương đồng"),
        max_length=100,
        help_text=_("Ví dụ: Giảng viên, Viên chức quản lý, Nhân viên"),
    )
    # A manager (head or deputy of a unit, leadership) is reviewed by the leadership too.
    is_manager = models.BooleanField(_("cán bộ quản lý"), default=False)
    months_worked = models.DecimalField(
        _("số tháng công tác trong năm"),
        max_digits=3,
        decimal_places=1,
        default=Decimal(12),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(12))],
    )
    # NĐ 90/2020 Art. 2 cl. 3: months absent on leave the law allows (sick, unpaid…), maternity
    # leave apart, and whether the person was on maternity leave in the year.
    leave_months = models.DecimalField(
        _("số tháng nghỉ theo quy định (không kể thai sản)"),
        max_digits=3,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(12))],
    )
    maternity_leave = models.BooleanField(_("nghỉ chế độ thai sản trong năm"), default=False)
    discipline = models.CharField(
        _("kỷ luật trong năm"), max_length=20, choices=DISCIPLINE_CHOICES, null=True, blank=True
    )
    stage = models.CharField(
        _("bước"), max_length=20, choices=Stage.choices, default=Stage.PENDING, editable=False
    )
    self_level = models.CharField(
        _("tự xếp loại"), max_length=4, choices=LEVEL_CHOICES, null=True, blank=True
    )
    self_comment = models.TextField(_("tự nhận xét"), blank=True)
    self_assessed_at = models.DateTimeField(null=True, blank=True, editable=False)
    group_level = models.CharField(
        _("tổ, bộ môn đề nghị"), max_length=4, choices=LEVEL_CHOICES, null=True, blank=True
    )
    group_comment = models.TextField(_("nhận xét của tổ, bộ môn"), blank=True)
    group_reviewed_by = models.ForeignKey(
        Person, null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )
    group_reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    unit_level = models.CharField(
        _("đơn vị đề nghị"), max_length=4, choices=LEVEL_CHOICES, null=True, blank=True
    )
    unit_comment = models.TextField(_("nhận xét của đơn vị"), blank=True)
    unit_reviewed_by = models.ForeignKey(
        Person, null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )
    unit_reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    leadership_level = models.CharField(
        _("Ban giám hiệu đề nghị"), max_length=4, choices=LEVEL_CHOICES, null=True, blank=True
    )
    leadership_comment = models.TextField(_("nhận xét của Ban giám hiệu"), blank=True)
    leadership_reviewed_by = models.ForeignKey(
        Person, null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )
    leadership_reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The level proposed to the council: the last review's.
    proposed_level = models.CharField(
        _("mức đề nghị sau khi xét"),
        max_length=4,
        choices=LEVEL_CHOICES,
        null=True,
        blank=True,
        editable=False,
    )
    council_rank = models.PositiveSmallIntegerField(
        _("thứ hạng của Hội đồng"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Xếp thứ tự người đề nghị HTXS trong đơn vị và nhóm (1 là cao nhất)."),
    )
    # Set by the principal's decision (a later step).
    final_level = models.CharField(
        _("xếp loại"), max_length=4, choices=LEVEL_CHOICES, null=True, blank=True, editable=False
    )
    final_titles = models.JSONField(_("danh hiệu được công nhận"), default=list, editable=False)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True, editable=False)
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("campaign__school")

    class Meta:
        verbose_name = _("đánh giá, xếp loại")
        verbose_name_plural = _("đánh giá, xếp loại")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "person"], name="emulation_one_evaluation_per_person"
            ),
        ]
        indexes = [models.Index(fields=["campaign", "unit"], name="emulation_eval_unit")]

    def __str__(self) -> str:
        return f"{self.person} – {self.campaign}"

    def search_source(self) -> list[str]:
        return [self.task_group]

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(Stage(self.stage))

    def reached(self, stage: Stage) -> bool:
        return self.stage_index >= STAGE_ORDER.index(stage)

    @property
    def current_level(self) -> Level | None:
        """The latest level anyone set so far: the one the preview runs on until reviews end."""
        for value in (
            self.proposed_level,
            self.leadership_level,
            self.unit_level,
            self.group_level,
            self.self_level,
        ):
            if value:
                return Level(value)
        return None

    @property
    def discipline_value(self) -> Discipline | None:
        return Discipline(self.discipline) if self.discipline else None
