"""Teaching load: the school's dated rules, lecturers, semesters, sections and balancing runs.

The rules (norms by title, reductions by position, conversion to giờ chuẩn, class-size
coefficients, overtime caps) are dated data with the document that set them (TT 36/2020/TT-BGDĐT
and the principal's decision), never constants in code.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Archivable
from core.scopes import ScopedArchivableManager, ScopedManager
from documents.models import Document
from organisations.models import Organisation, Person


class RuleSet(models.Model):
    """One dated version of the school's workload rules."""

    school = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="workload_rules"
    )
    name = models.CharField(_("tên"), max_length=255)
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    source = models.TextField(
        _("căn cứ"), help_text=_("Văn bản quy định, ví dụ TT 36/2020/TT-BGDĐT")
    )
    basis = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT)
    overtime_cap_year = models.DecimalField(
        _("giờ vượt định mức tối đa mỗi giảng viên/năm"), max_digits=8, decimal_places=2
    )
    school_overtime_cap = models.DecimalField(
        _("tổng giờ vượt định mức toàn trường/năm"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()
    objects = ScopedManager("school")

    class Meta:
        verbose_name = _("quy định khối lượng giảng dạy")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.name} (từ {self.valid_from:%d/%m/%Y})"

    @classmethod
    def in_force(cls, school_id: int, day: dt.date) -> RuleSet | None:
        return (
            cls.objects.filter(school_id=school_id, valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .order_by("-valid_from")
            .first()
        )


class Norm(models.Model):
    """Giờ chuẩn a year by title (chức danh), fixed by the principal within 270–420."""

    rules = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="norms")
    title = models.CharField(_("chức danh"), max_length=100)
    hours_per_year = models.DecimalField(
        _("định mức giờ chuẩn/năm"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    history = HistoricalRecords()
    objects = ScopedManager("rules__school")

    class Meta:
        verbose_name = _("định mức giờ chuẩn")
        constraints = [models.UniqueConstraint(fields=["rules", "title"], name="norm_title_unique")]

    def __str__(self) -> str:
        return f"{self.title}: {self.hours_per_year}"


class Reduction(models.Model):
    """A manager teaches at least this share of the norm; with several posts the largest reduction applies."""

    rules = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="reductions")
    position_title = models.CharField(_("chức vụ"), max_length=150)
    teaching_share = models.DecimalField(
        _("tỷ lệ giảng dạy tối thiểu (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    history = HistoricalRecords()
    objects = ScopedManager("rules__school")

    class Meta:
        verbose_name = _("định mức giảm cho chức vụ")
        constraints = [
            models.UniqueConstraint(
                fields=["rules", "position_title"], name="reduction_title_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position_title}: {self.teaching_share}%"


class ActivityKind(models.Model):
    """A row of the conversion table: how many giờ chuẩn one unit of an activity is worth."""

    rules = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="activity_kinds")
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("hoạt động"), max_length=255)
    unit_label = models.CharField(_("đơn vị"), max_length=30, default="tiết")
    hours_per_unit = models.DecimalField(_("giờ chuẩn / đơn vị"), max_digits=6, decimal_places=3)
    applies_class_size = models.BooleanField(_("nhân hệ số sĩ số"), default=True)

    history = HistoricalRecords()
    objects = ScopedManager("rules__school")

    class Meta:
        verbose_name = _("quy đổi giờ chuẩn")
        constraints = [
            models.UniqueConstraint(fields=["rules", "code"], name="activity_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ClassSizeBand(models.Model):
    """Large classes count more: a coefficient by class size, at most 1.5 (TT 36/2020)."""

    rules = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="size_bands")
    min_size = models.PositiveIntegerField(_("sĩ số từ"))
    max_size = models.PositiveIntegerField(_("đến"), null=True, blank=True)
    coefficient = models.DecimalField(
        _("hệ số"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("1.5"))],
    )

    history = HistoricalRecords()
    objects = ScopedManager("rules__school")

    class Meta:
        verbose_name = _("hệ số sĩ số")
        ordering = ["min_size"]

    def __str__(self) -> str:
        return f"{self.min_size}–{self.max_size or '…'}: ×{self.coefficient}"


class Lecturer(models.Model):
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="lecturer")
    code = models.CharField(_("mã giảng viên"), max_length=30)
    group = models.ForeignKey(
        Organisation,
        verbose_name=_("tổ bộ môn / khoa"),
        on_delete=models.PROTECT,
        related_name="lecturers",
    )
    title = models.CharField(_("chức danh"), max_length=100, default="Giảng viên")
    is_active = models.BooleanField(_("đang giảng dạy"), default=True)

    history = HistoricalRecords()
    objects = ScopedManager("person__school")

    class Meta:
        verbose_name = _("giảng viên")
        verbose_name_plural = _("giảng viên")
        ordering = ["person__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["group", "code"], name="lecturer_code_unique_in_group")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.code})"

    @property
    def school_id(self) -> int | None:
        return self.group.school_id


class Term(models.Model):
    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="terms")
    start_year = models.PositiveIntegerField(_("năm học bắt đầu"))
    semester = models.PositiveSmallIntegerField(
        _("học kỳ"), choices=[(1, _("Học kỳ I")), (2, _("Học kỳ II"))]
    )
    starts_on = models.DateField(_("bắt đầu"))

    history = HistoricalRecords()
    objects = ScopedManager("school")

    class Meta:
        verbose_name = _("học kỳ")
        ordering = ["-start_year", "-semester"]
        constraints = [
            models.UniqueConstraint(fields=["school", "start_year", "semester"], name="term_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_semester_display()} năm học {self.start_year}–{self.start_year + 1}"

    @property
    def other(self) -> Term | None:
        """The other semester of the same school year."""
        return Term.objects.filter(
            school_id=self.school_id, start_year=self.start_year, semester=3 - self.semester
        ).first()


class Availability(models.Model):
    """A lecturer's share of a normal semester: 0 on leave, 0.5 while in training, …"""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="availabilities")
    lecturer = models.ForeignKey(Lecturer, on_delete=models.CASCADE, related_name="availabilities")
    share = models.DecimalField(
        _("tỷ lệ làm việc"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    reason = models.CharField(_("lý do"), max_length=255, blank=True)

    history = HistoricalRecords()
    objects = ScopedManager("term__school")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term", "lecturer"], name="availability_unique")
        ]

    def __str__(self) -> str:
        return f"{self.lecturer} – {self.term}: {self.share}"


class Section(Archivable):
    """A class section (lớp học phần) or other teaching activity of the semester."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="sections")
    code = models.CharField(_("mã lớp học phần"), max_length=50)
    course = models.CharField(_("học phần"), max_length=255)
    group = models.ForeignKey(
        Organisation,
        verbose_name=_("tổ bộ môn phụ trách"),
        on_delete=models.PROTECT,
        related_name="sections",
    )
    kind = models.ForeignKey(
        ActivityKind, verbose_name=_("loại hoạt động"), on_delete=models.PROTECT
    )
    units = models.DecimalField(_("số tiết / số đơn vị"), max_digits=8, decimal_places=2)
    class_size = models.PositiveIntegerField(_("sĩ số"))
    hours = models.DecimalField(_("giờ chuẩn"), max_digits=8, decimal_places=2, editable=False)
    open_to_groups = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("mở cho tổ bộ môn khác")
    )
    only_lecturers = models.ManyToManyField(
        Lecturer, blank=True, related_name="+", verbose_name=_("chỉ những giảng viên")
    )
    excluded = models.ManyToManyField(
        Lecturer, blank=True, related_name="+", verbose_name=_("loại trừ")
    )
    locked_to = models.ForeignKey(
        Lecturer, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("trưởng bộ môn đã chốt"),
    )  # fmt: skip
    assigned_to = models.ForeignKey(
        Lecturer, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_sections",
        verbose_name=_("phân công"),
    )  # fmt: skip
    manual_to = models.ForeignKey(
        Lecturer, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("phân công thủ công (trước khi tối ưu)"),
    )  # fmt: skip
    preferred_by = models.ManyToManyField(
        Lecturer, blank=True, related_name="wished_sections", verbose_name=_("nguyện vọng")
    )

    history = HistoricalRecords()
    objects = ScopedArchivableManager("term__school")

    class Meta:
        verbose_name = _("lớp học phần")
        ordering = ["code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "code"],
                condition=Q(archived_at__isnull=True),
                name="section_code_unique_in_term",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.course}"

    @property
    def school_id(self) -> int:
        return self.term.school_id

    def search_source(self) -> list[str]:
        return [self.code, self.course]


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tính")
    DONE = "done", _("Xong")
    INFEASIBLE = "infeasible", _("Không có phương án")
    FAILED = "failed", _("Lỗi")


class BalanceRun(models.Model):
    """One run of the optimiser in the background, with its progress and result."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="runs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    time_limit = models.PositiveIntegerField(_("thời gian tối đa (giây)"), default=60)
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.JSONField(default=dict)
    instance = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    # When applied: each changed section's lecturer before ({section pk: lecturer pk or None}),
    # so that applying can be undone.
    replaced = models.JSONField(default=dict, blank=True)
    objects = ScopedManager("term__school")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.term} – {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def school_id(self) -> int:
        return self.term.school_id

    @property
    def is_finished(self) -> bool:
        return self.status not in (RunStatus.QUEUED, RunStatus.RUNNING)
