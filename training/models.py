"""Training development: opening a new programme (hồ sơ mở ngành) followed as a dossier of steps
with the registered documents of each step, and the courses run with a partner (liên kết đào
tạo) or for in-service training (bồi dưỡng): the agreement, dates, participants and the
certificates issued.

The steps of the procedure are dated reference data with the text that set them
(`StepTemplate`): national rows (`school` empty) until a school adopts its own set, which then
replaces the national one. A dossier copies the steps in force when it is made; its own steps
may then be changed, added or set aside. When every step is done (or does not apply) and the
decision is registered, the programme is opened in the students' register.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.clock import school_year_of
from core.models import Archivable
from core.scopes import ScopedArchivableManager, ScopedManager
from core.text import fold
from core.versioning import Versioned
from documents.models import Document
from organisations.models import Organisation
from students.models import Level, Mode, Programme


class TrainingOffice(models.Model):
    """The school's office in charge of training (Phòng Đào tạo): its members keep the dossiers
    and the courses with the leadership."""

    school = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="training_office"
    )
    office = models.ForeignKey(
        Organisation, verbose_name=_("phòng phụ trách đào tạo"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()
    objects = ScopedManager("school")

    class Meta:
        verbose_name = _("phòng phụ trách đào tạo")

    def __str__(self) -> str:
        return str(self.office)


class StepTemplate(Versioned):
    """One step of the procedure for opening a programme, dated, with its source: national when
    `school` is empty, else the school's own (which replaces the national set while in force)."""

    school = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), validators=[MinValueValidator(1)])
    title = models.CharField(_("bước"), max_length=255)
    responsible = models.CharField(_("đơn vị thực hiện"), max_length=150)
    outputs = models.TextField(_("văn bản, hồ sơ của bước"), blank=True)
    days = models.PositiveSmallIntegerField(
        _("số ngày thường cần"), null=True, blank=True, validators=[MaxValueValidator(730)]
    )
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    source = models.CharField(_("căn cứ"), max_length=255)
    source_url = models.URLField(_("nguồn"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = ScopedManager("school", shared=True)

    class Meta:
        verbose_name = _("bước của quy trình mở ngành")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    @classmethod
    def in_force(cls, day: dt.date, school_id: int) -> list[StepTemplate]:
        """The school's own steps in force on `day` when it has any, else the national ones."""
        rows: list[StepTemplate] = list(
            StepTemplate.objects.filter(valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .filter(Q(school__isnull=True) | Q(school_id=school_id))
            .order_by("order", "pk")
        )
        own = [r for r in rows if r.school_id is not None]
        return own or [r for r in rows if r.school_id is None]


class DossierStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    OPENED = "opened", _("Đã mở ngành")
    WITHDRAWN = "withdrawn", _("Dừng thực hiện")


class Dossier(Versioned, Archivable):
    """The dossier for opening a proposed programme (hồ sơ mở ngành)."""

    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("mã ngành/nghề dự kiến"), max_length=30)
    name = models.CharField(_("tên ngành/nghề"), max_length=255)
    level = models.CharField(_("trình độ"), max_length=20, choices=Level.choices)
    mode = models.CharField(_("hình thức"), max_length=20, choices=Mode.choices)
    faculty = models.ForeignKey(
        Organisation, verbose_name=_("khoa chủ trì xây dựng"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True,
    )  # fmt: skip
    started_on = models.DateField(_("ngày bắt đầu"))
    first_intake = models.PositiveIntegerField(
        _("dự kiến tuyển sinh từ năm"), null=True, blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )  # fmt: skip
    status = models.CharField(
        _("tình trạng"), max_length=20, choices=DossierStatus.choices,
        default=DossierStatus.IN_PROGRESS,
    )  # fmt: skip
    decision = models.ForeignKey(
        Document, verbose_name=_("quyết định mở ngành"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True,
    )  # fmt: skip
    programme = models.ForeignKey(
        Programme, verbose_name=_("ngành/nghề đã mở"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True, editable=False,
    )  # fmt: skip
    note = models.TextField(_("ghi chú"), blank=True)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("school")

    class Meta:
        verbose_name = _("hồ sơ mở ngành")
        verbose_name_plural = _("hồ sơ mở ngành")
        ordering = ["-started_on", "code", "pk"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def search_source(self) -> list[str]:
        return [self.code, self.name]


class StepStatus(models.TextChoices):
    TODO = "todo", _("Chưa thực hiện")
    DOING = "doing", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    SKIPPED = "skipped", _("Không áp dụng")


# Steps that no longer hold the dossier back.
FINISHED = frozenset({StepStatus.DONE, StepStatus.SKIPPED})


class DossierStep(Versioned, Archivable):
    """A step of one dossier: copied from the procedure in force, then kept by the school."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"), validators=[MinValueValidator(1)])
    title = models.CharField(_("bước"), max_length=255)
    responsible = models.CharField(
        _("đơn vị thực hiện (theo quy trình)"), max_length=150, blank=True
    )
    unit = models.ForeignKey(
        Organisation, verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True,
    )  # fmt: skip
    due_on = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=StepStatus.choices, default=StepStatus.TODO
    )
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    template = models.ForeignKey(
        StepTemplate, verbose_name=_("theo bước của quy trình"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True, editable=False,
    )  # fmt: skip

    history = HistoricalRecords()
    objects = ScopedArchivableManager("dossier__school")

    class Meta:
        verbose_name = _("bước của hồ sơ mở ngành")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    def search_source(self) -> list[str]:
        return [self.title]

    @property
    def school_id(self) -> int:
        return self.dossier.school_id

    def is_overdue(self, day: dt.date) -> bool:
        return self.status not in FINISHED and self.due_on is not None and self.due_on < day


class StepDocument(Archivable):
    """A registered document attached to a step (đề án, quyết nghị, tờ trình, quyết định…)."""

    step = models.ForeignKey(DossierStep, on_delete=models.PROTECT, related_name="documents")
    document = models.ForeignKey(
        Document, verbose_name=_("văn bản"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("step__dossier__school")

    class Meta:
        verbose_name = _("văn bản của bước")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["step", "document"],
                condition=Q(archived_at__isnull=True),
                name="training_step_document_once",
            )
        ]

    def __str__(self) -> str:
        return str(self.document)


class PartnerKind(models.TextChoices):
    UNIVERSITY = "university", _("Trường đại học, học viện")
    COLLEGE = "college", _("Trường cao đẳng, trung cấp")
    AUTHORITY = "authority", _("Cơ quan quản lý giáo dục (Sở, Phòng GD&ĐT)")
    SCHOOL = "school", _("Cơ sở giáo dục mầm non, phổ thông")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    OTHER = "other", _("Tổ chức khác")


class Partner(Versioned, Archivable):
    """An organisation the school trains with or for."""

    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên đơn vị đối tác"), max_length=255)
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=PartnerKind.choices)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    contact = models.CharField(_("người liên hệ, điện thoại"), max_length=255, blank=True)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("school")

    class Meta:
        verbose_name = _("đơn vị đối tác")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                condition=Q(archived_at__isnull=True),
                name="training_partner_unique_name",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def search_source(self) -> list[str]:
        return [self.name]


class CourseKind(models.TextChoices):
    PARTNERSHIP = "partnership", _("Liên kết đào tạo")
    CONTINUING = "continuing", _("Bồi dưỡng")


class CourseStatus(models.TextChoices):
    PLANNED = "planned", _("Đang chuẩn bị")
    RUNNING = "running", _("Đang học")
    FINISHED = "finished", _("Đã kết thúc")
    CANCELLED = "cancelled", _("Hủy")


class Course(Versioned, Archivable):
    """A course run with a partner: a partnership programme or an in-service training course."""

    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại"), max_length=20, choices=CourseKind.choices)
    title = models.CharField(_("tên khóa, lớp"), max_length=255)
    partner = models.ForeignKey(
        Partner, verbose_name=_("đơn vị đối tác"), on_delete=models.PROTECT, related_name="courses"
    )
    unit = models.ForeignKey(
        Organisation, verbose_name=_("đơn vị phụ trách"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True,
    )  # fmt: skip
    agreement = models.ForeignKey(
        Document, verbose_name=_("văn bản liên kết, hợp đồng"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True,
    )  # fmt: skip
    starts_on = models.DateField(_("ngày khai giảng"))
    ends_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    participants = models.PositiveIntegerField(
        _("số người học"), default=0,
        help_text=_("Khi đã nhập danh sách, số người học là số người trong danh sách."),
    )  # fmt: skip
    certificate = models.CharField(_("văn bằng, chứng chỉ cấp"), max_length=255, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=20, choices=CourseStatus.choices, default=CourseStatus.PLANNED
    )
    note = models.TextField(_("ghi chú"), blank=True)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("school")

    class Meta:
        verbose_name = _("khóa liên kết, bồi dưỡng")
        verbose_name_plural = _("khóa liên kết, bồi dưỡng")
        ordering = ["-starts_on", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    def search_source(self) -> list[str]:
        return [self.title, self.certificate]

    @property
    def school_year(self) -> int:
        return school_year_of(self.starts_on)


def name_key(full_name: str) -> str:
    return "".join(fold(full_name).split())


class Participant(Archivable):
    """A person on a course's list, with the certificate they were issued, if any."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="people")
    code = models.CharField(_("mã học viên"), max_length=30, blank=True)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    workplace = models.CharField(_("đơn vị công tác"), max_length=255, blank=True)
    certificate_no = models.CharField(_("số chứng chỉ"), max_length=50, blank=True)
    certificate_on = models.DateField(_("ngày cấp chứng chỉ"), null=True, blank=True)
    name_key = models.CharField(max_length=150, editable=False, db_index=True)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("course__school")

    class Meta:
        verbose_name = _("người học của khóa")
        ordering = ["name_key", "pk"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = name_key(self.full_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    def search_source(self) -> list[str]:
        return [self.code, self.full_name, self.workplace]


class CertificateIssue(Archivable):
    """A batch of certificates issued for a course: on a date, how many, their numbers."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="issues")
    issued_on = models.DateField(_("ngày cấp"))
    count = models.PositiveIntegerField(_("số chứng chỉ"), validators=[MinValueValidator(1)])
    numbers = models.CharField(
        _("số hiệu"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: từ BD-2024-001 đến BD-2024-045"),
    )
    decision = models.ForeignKey(
        Document, verbose_name=_("quyết định cấp"), on_delete=models.PROTECT, related_name="+",
        null=True, blank=True,
    )  # fmt: skip

    history = HistoricalRecords()
    objects = ScopedArchivableManager("course__school")

    class Meta:
        verbose_name = _("đợt cấp chứng chỉ")
        ordering = ["issued_on", "pk"]

    def __str__(self) -> str:
        return f"{self.course} – {self.issued_on:%d/%m/%Y}: {self.count}"
