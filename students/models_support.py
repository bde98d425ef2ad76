"""The state's support for teacher-training students (hỗ trợ tiền đóng học phí và chi phí sinh
hoạt, NĐ 116/2020/NĐ-CP as amended by NĐ 60/2025/NĐ-CP): who receives it (`SupportGrant`), the
dated rules that say which change of status makes a student repay it (`SupportRule`), the
repayment list (`RepaymentCase`) and the school's yearly report to the province (`SupportReport`).

Kept apart from `students.models` (which re-exports them) so that file stays readable; models are
named by string here, so this module imports nothing of the students app.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Archivable
from core.scopes import ScopedArchivableManager, ScopedManager
from core.versioning import Versioned
from organisations.models import Organisation


class SupportRule(Versioned, models.Model):
    """One version of the rules, dated, with the text that set them: national when `school` is
    empty; a school's own row (its regulation) adds grounds to the national ones in force.

    `triggers` are the changes of status (students.models.ChangeKind values) that put a supported
    student on the repayment list when recorded; `programme_change_outside_only`: a change of
    programme counts only towards a programme that is not teacher training. The other grounds
    (not working in education within two years of graduating…) are recorded by hand and listed
    in `other_grounds`, one sentence each."""

    school = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    name = models.CharField(_("tên"), max_length=255)
    triggers = models.JSONField(_("thay đổi tình trạng phải bồi hoàn"), default=list)
    programme_change_outside_only = models.BooleanField(
        _("chuyển ngành chỉ tính khi sang ngành không đào tạo giáo viên"), default=True
    )
    other_grounds = models.JSONField(_("các trường hợp khác phải bồi hoàn"), default=list)
    living_allowance = models.DecimalField(
        _("hỗ trợ chi phí sinh hoạt (đồng/tháng)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
    )
    max_months_per_year = models.PositiveSmallIntegerField(
        _("số tháng hỗ trợ tối đa mỗi năm học"), null=True, blank=True
    )
    report_to = models.CharField(_("báo cáo, thông báo cho"), max_length=255, blank=True)
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    source = models.CharField(_("căn cứ"), max_length=255)

    history = HistoricalRecords()
    objects = ScopedManager("school", shared=True)

    class Meta:
        verbose_name = _("quy định hỗ trợ sinh viên sư phạm")
        ordering = ["-valid_from", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.source})"

    @classmethod
    def in_force(cls, day: dt.date, school_id: int | None) -> list[SupportRule]:
        """The national version in force on `day` (the latest to start), then the school's own
        rows in force."""
        rows: list[SupportRule] = list(
            cls.objects.filter(valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .filter(Q(school__isnull=True) | Q(school_id=school_id))
            .order_by("-valid_from", "pk")
        )
        national = [r for r in rows if r.school_id is None][:1]
        return national + [r for r in rows if r.school_id is not None]


class Funding(models.TextChoices):
    ASSIGNED = "assigned", _("Giao nhiệm vụ")
    ORDERED = "ordered", _("Đặt hàng")
    TENDERED = "tendered", _("Đấu thầu")
    BUDGET = "budget", _("Giao dự toán")
    SOCIAL = "social", _("Đào tạo theo nhu cầu xã hội")


class SupportGrant(Versioned, Archivable):
    """A student receiving the support from `starts_on` (to `ends_on` when it stopped), with the
    commitment they signed and, when the school records them, the amounts per month. Unmarking
    archives the row; its history stays."""

    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(
        "students.Student", on_delete=models.PROTECT, related_name="support_grants"
    )
    starts_on = models.DateField(_("hưởng từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)
    commitment_on = models.DateField(_("ngày ký cam kết"), null=True, blank=True)
    commitment = models.CharField(_("cam kết (số, nội dung)"), max_length=255, blank=True)
    funding = models.CharField(_("hình thức"), max_length=20, choices=Funding.choices, blank=True)
    sponsor = models.CharField(_("cơ quan giao nhiệm vụ, đặt hàng"), max_length=255, blank=True)
    tuition_per_month = models.DecimalField(
        _("tiền đóng học phí (đồng/tháng)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
    )
    living_per_month = models.DecimalField(
        _("chi phí sinh hoạt (đồng/tháng)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("school")

    class Meta:
        verbose_name = _("người học hưởng hỗ trợ NĐ 116")
        ordering = ["student__cohort__code", "student__name_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student"],
                condition=Q(archived_at__isnull=True),
                name="support_grant_one_per_student",
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} – {self.starts_on:%d/%m/%Y}"

    @property
    def per_month(self) -> Decimal | None:
        if self.tuition_per_month is None and self.living_per_month is None:
            return None
        return (self.tuition_per_month or Decimal(0)) + (self.living_per_month or Decimal(0))


class Ground(models.TextChoices):
    """Why a supported student is on the repayment list."""

    WITHDRAWN = "withdrawn", _("Tự thôi học")
    EXPELLED = "expelled", _("Bị kỷ luật buộc thôi học")
    CHANGED_PROGRAMME = "changed_programme", _("Chuyển sang ngành đào tạo khác")
    TRANSFERRED = "transferred", _("Chuyển trường")
    NOT_COMPLETED = "not_completed", _("Không hoàn thành chương trình đào tạo")
    NOT_IN_EDUCATION = (
        "not_in_education",
        _("Không công tác trong ngành giáo dục sau 02 năm kể từ khi tốt nghiệp"),
    )
    SHORT_SERVICE = "short_service", _("Công tác trong ngành giáo dục không đủ thời gian")


class CaseStatus(models.TextChoices):
    NOTIFIED = "notified", _("Đã thông báo")
    REPAYING = "repaying", _("Đang bồi hoàn")
    REPAID = "repaid", _("Đã bồi hoàn xong")
    EXEMPT = "exempt", _("Không phải bồi hoàn")


class RepaymentCase(models.Model):
    """A supported student on the repayment list: the ground, the day, what they received when
    known (months, amount), the rule version that applied and where the case stands. Never
    deleted: a case found not to apply is marked exempt, with why."""

    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    grant = models.ForeignKey(SupportGrant, on_delete=models.PROTECT, related_name="cases")
    student = models.ForeignKey(
        "students.Student", on_delete=models.PROTECT, related_name="repayment_cases"
    )
    ground = models.CharField(_("lý do"), max_length=30, choices=Ground.choices)
    happened_on = models.DateField(_("ngày"))
    change = models.ForeignKey(
        "students.StatusChange",
        verbose_name=_("thay đổi tình trạng"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    rule = models.ForeignKey(
        SupportRule,
        verbose_name=_("căn cứ"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    months = models.PositiveSmallIntegerField(
        _("số tháng đã hưởng"), null=True, blank=True, validators=[MaxValueValidator(200)]
    )
    amount = models.DecimalField(
        _("số tiền đã hưởng (đồng)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    status = models.CharField(
        _("tình trạng"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.NOTIFIED
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    history = HistoricalRecords()
    objects = ScopedManager("school")

    class Meta:
        verbose_name = _("người học phải bồi hoàn")
        ordering = ["-happened_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "ground", "happened_on"], name="repayment_case_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student}: {self.get_ground_display()} {self.happened_on:%d/%m/%Y}"


class SupportReport(models.Model):
    """The school's yearly report to the province on the supported students of a school year,
    written from the data when downloaded (papers: `students_support_report`)."""

    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    school_year = models.PositiveIntegerField(
        _("năm học (năm bắt đầu)"), validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )
    dated = models.DateField(_("ngày báo cáo"))
    recipient = models.CharField(_("kính gửi"), max_length=255, blank=True)

    history = HistoricalRecords()
    objects = ScopedManager("school")

    class Meta:
        verbose_name = _("báo cáo hỗ trợ sinh viên sư phạm")
        ordering = ["-school_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"], name="support_report_one_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_year}–{self.school_year + 1}"
