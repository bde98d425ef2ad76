"""Students: the school's programmes, yearly quotas and enrolment counts, cohorts, students and
their changes of status, as the training-management program exports them.

Trọng Tâm is not a student information system: it keeps the lists and counts it imports over
time and turns them into figures (enrolment against quota, retention, dropout). Student records
are personal data (NĐ 13/2023/NĐ-CP): who may see names is decided in `students.rules`, and every
view of a student's personal details is written to `PersonalDataView`.

The reference figures (the TT 01/2024/TT-BGDĐT benchmark of at least 50% of the quota averaged
over three years) are dated data with their source (`Benchmark`), never constants in code.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Archivable
from core.scopes import ScopedArchivableManager, ScopedManager
from core.text import fold
from organisations.models import Organisation, Person
from planning.models import Target, Task

# The teacher-training support's models live in their own module; imported here so Django
# registers them with the app's models.
from students import models_counts, models_support  # noqa: F401


class Level(models.TextChoices):
    COLLEGE = "college", _("Cao đẳng")
    INTERMEDIATE = "intermediate", _("Trung cấp")
    SHORT_COURSE = "short_course", _("Bồi dưỡng")


class Mode(models.TextChoices):
    FULL_TIME = "full_time", _("Chính quy")
    WORK_STUDY = "work_study", _("Vừa làm vừa học")
    PARTNERSHIP = "partnership", _("Liên kết")


class Programme(Archivable):
    """A programme of the school (ngành/nghề đào tạo) at one level and in one mode."""

    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="programmes")
    code = models.CharField(_("mã ngành/nghề"), max_length=30)
    name = models.CharField(_("tên ngành/nghề"), max_length=255)
    level = models.CharField(_("trình độ"), max_length=20, choices=Level.choices)
    mode = models.CharField(_("hình thức"), max_length=20, choices=Mode.choices)
    faculty = models.ForeignKey(
        Organisation,
        verbose_name=_("khoa quản lý"),
        on_delete=models.PROTECT,
        related_name="managed_programmes",
        null=True,
        blank=True,
    )
    # Ngành đào tạo giáo viên: its students may receive the NĐ 116/2020 support
    # (students.models_support).
    teacher_training = models.BooleanField(_("ngành đào tạo giáo viên (sư phạm)"), default=False)
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("school")

    class Meta:
        verbose_name = _("ngành/nghề đào tạo")
        verbose_name_plural = _("ngành/nghề đào tạo")
        ordering = ["level", "code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "code", "level", "mode"],
                condition=Q(archived_at__isnull=True),
                name="programme_code_unique_in_school",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name} ({self.get_level_display()}, {self.get_mode_display()})"

    def search_source(self) -> list[str]:
        return [self.code, self.name]


class Intake(models.Model):
    """One year's intake of a programme: its quota (chỉ tiêu) and the counts taken of it."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="intakes")
    year = models.PositiveIntegerField(
        _("năm tuyển sinh"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    quota = models.PositiveIntegerField(_("chỉ tiêu"))

    history = HistoricalRecords()
    objects = ScopedManager("programme__school")

    class Meta:
        verbose_name = _("chỉ tiêu tuyển sinh")
        ordering = ["-year", "programme__code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="intake_unique_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.year}: {self.quota}"


class EnrolmentCount(models.Model):
    """The intake's figures as counted on a date: applications, admitted, actually enrolled."""

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="counts")
    counted_on = models.DateField(_("ngày thống kê"))
    applications = models.PositiveIntegerField(_("số hồ sơ đăng ký"))
    admitted = models.PositiveIntegerField(_("số trúng tuyển"))
    enrolled = models.PositiveIntegerField(_("số nhập học"))

    history = HistoricalRecords()
    objects = ScopedManager("intake__programme__school")

    class Meta:
        verbose_name = _("số liệu tuyển sinh")
        ordering = ["-counted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["intake", "counted_on"], name="enrolment_count_unique_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.intake} – {self.counted_on:%d/%m/%Y}"


class Benchmark(models.Model):
    """A dated reference figure with the document that set it (national when `school` is
    empty): e.g. enrolment of at least 50% of the quota averaged over 3 years."""

    ENROLMENT_FILL = "enrolment_fill"

    school = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    key = models.CharField(_("chỉ số"), max_length=40)
    name = models.CharField(_("tên"), max_length=255)
    minimum = models.DecimalField(_("ngưỡng tối thiểu (%)"), max_digits=5, decimal_places=2)
    years = models.PositiveSmallIntegerField(_("số năm tính trung bình"), default=3)
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    source = models.CharField(_("căn cứ"), max_length=255)

    history = HistoricalRecords()
    objects = ScopedManager("school", shared=True)

    class Meta:
        verbose_name = _("ngưỡng tham chiếu")
        ordering = ["key", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.name} ≥ {self.minimum}% ({self.source})"

    @classmethod
    def in_force(cls, key: str, day: dt.date, school_id: int | None = None) -> Benchmark | None:
        """The school's own figure in force on `day`, else the national one."""
        rows = (
            cls.objects.filter(key=key, valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .filter(Q(school__isnull=True) | Q(school_id=school_id))
            .order_by(models.F("school_id").desc(nulls_last=True), "-valid_from")
        )
        return rows.first()


class Cohort(Archivable):
    """A class (lớp) of one intake of a programme (khóa), with its class adviser."""

    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cohorts")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts")
    code = models.CharField(_("mã lớp"), max_length=50)
    intake_year = models.PositiveIntegerField(
        _("khóa (năm nhập học)"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    starts_on = models.DateField(_("ngày khai giảng"))
    terms = models.PositiveSmallIntegerField(
        _("số học kỳ của khóa"), default=6, validators=[MinValueValidator(1), MaxValueValidator(16)]
    )
    adviser = models.ForeignKey(
        Person,
        verbose_name=_("giáo viên chủ nhiệm / cố vấn học tập"),
        on_delete=models.PROTECT,
        related_name="advised_cohorts",
        null=True,
        blank=True,
    )

    history = HistoricalRecords()
    objects = ScopedArchivableManager("school")

    class Meta:
        verbose_name = _("lớp")
        verbose_name_plural = _("lớp")
        ordering = ["-intake_year", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "code"],
                condition=Q(archived_at__isnull=True),
                name="cohort_code_unique_in_school",
            )
        ]

    def __str__(self) -> str:
        return self.code

    def search_source(self) -> list[str]:
        return [self.code]


class Status(models.TextChoices):
    """Where a student stands, following their latest change of status."""

    STUDYING = "studying", _("Đang học")
    SUSPENDED = "suspended", _("Nghỉ học tạm thời")
    DEFERRED = "deferred", _("Bảo lưu")
    WITHDRAWN = "withdrawn", _("Thôi học")
    EXPELLED = "expelled", _("Buộc thôi học")
    TRANSFERRED = "transferred", _("Chuyển trường")
    CHANGED_PROGRAMME = "changed_programme", _("Chuyển ngành")
    GRADUATED = "graduated", _("Tốt nghiệp")
    # The school merged into another: the student goes on studying there (students.handover).
    MERGED = "merged", _("Chuyển theo sáp nhập trường")


class ChangeKind(models.TextChoices):
    SUSPENDED = "suspended", _("Nghỉ học tạm thời")
    DEFERRED = "deferred", _("Bảo lưu")
    WITHDRAWN = "withdrawn", _("Thôi học")
    EXPELLED = "expelled", _("Buộc thôi học")
    TRANSFERRED = "transferred", _("Chuyển trường")
    CHANGED_PROGRAMME = "changed_programme", _("Chuyển ngành")
    RETURNED = "returned", _("Trở lại học")
    GRADUATED = "graduated", _("Tốt nghiệp")
    # Written by a merger only (students.handover), never typed: not a dropout.
    MERGED = "merged", _("Chuyển theo sáp nhập trường")


# The status a change leaves the student in.
STATUS_AFTER: dict[str, str] = {
    ChangeKind.SUSPENDED: Status.SUSPENDED,
    ChangeKind.DEFERRED: Status.DEFERRED,
    ChangeKind.WITHDRAWN: Status.WITHDRAWN,
    ChangeKind.EXPELLED: Status.EXPELLED,
    ChangeKind.TRANSFERRED: Status.TRANSFERRED,
    ChangeKind.CHANGED_PROGRAMME: Status.CHANGED_PROGRAMME,
    ChangeKind.RETURNED: Status.STUDYING,
    ChangeKind.GRADUATED: Status.GRADUATED,
    ChangeKind.MERGED: Status.MERGED,
}
# The changes that take a student out of the cohort for good (dropout). A merger is not one:
# the student studies on at the new school.
LEAVING = frozenset(
    {
        ChangeKind.WITHDRAWN,
        ChangeKind.EXPELLED,
        ChangeKind.TRANSFERRED,
        ChangeKind.CHANGED_PROGRAMME,
    }
)


class Reason(models.TextChoices):
    FINANCIAL = "financial", _("Hoàn cảnh kinh tế")
    ACADEMIC = "academic", _("Kết quả học tập")
    HEALTH = "health", _("Sức khỏe")
    FAMILY = "family", _("Gia đình")
    EMPLOYMENT = "employment", _("Đi làm")
    STUDY_ELSEWHERE = "study_elsewhere", _("Học nơi khác, ngành khác")
    DISCIPLINE = "discipline", _("Kỷ luật")
    MILITARY = "military", _("Nghĩa vụ quân sự")
    COMPLETED = "completed", _("Hoàn thành khóa học")
    OTHER = "other", _("Lý do khác")


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class Student(Archivable):
    """One student as the training-management program lists them: the code may be missing,
    then name and date of birth identify them."""

    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="students")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="students")
    code = models.CharField(_("mã người học"), max_length=30, blank=True)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    birth_date = models.DateField(_("ngày sinh"))
    # As the training-management program lists it; empty when the list has no such column.
    # The dormitory places a student only in a room for their gender (residence).
    gender = models.CharField(_("giới tính"), max_length=10, choices=Gender.choices, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    entered_on = models.DateField(_("ngày nhập học"))
    status = models.CharField(
        _("tình trạng"), max_length=20, choices=Status.choices, default=Status.STUDYING
    )
    # Name folded (no diacritics, case or spaces) for matching rows without a code.
    name_key = models.CharField(max_length=150, editable=False, db_index=True)
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("school")

    class Meta:
        verbose_name = _("người học")
        verbose_name_plural = _("người học")
        ordering = ["cohort__code", "name_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "code"],
                condition=Q(archived_at__isnull=True) & ~Q(code=""),
                name="student_code_unique_in_school",
            )
        ]
        indexes = [models.Index(fields=["cohort", "status"], name="student_cohort_status")]

    def __str__(self) -> str:
        return f"{self.code or '—'} {self.full_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = name_key(self.full_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    def search_source(self) -> list[str]:
        return [self.code, self.full_name]


def name_key(full_name: str) -> str:
    """A name without diacritics, case or spacing: "Nguyễn  Thị Ánh" → "nguyenthianh"."""
    return "".join(fold(full_name).split())


class StatusChange(models.Model):
    """A change of a student's status on a date, with its reason category."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(_("loại thay đổi"), max_length=20, choices=ChangeKind.choices)
    happened_on = models.DateField(_("ngày"))
    reason = models.CharField(_("lý do"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    # A change of programme: the school's programme moved to, when known (whether it trains
    # teachers decides a supported student's repayment).
    new_programme = models.ForeignKey(
        Programme,
        verbose_name=_("ngành chuyển đến"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    history = HistoricalRecords()
    objects = ScopedManager("student__school")

    class Meta:
        verbose_name = _("thay đổi tình trạng")
        ordering = ["happened_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "kind", "happened_on"], name="status_change_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student}: {self.get_kind_display()} {self.happened_on:%d/%m/%Y}"


class RecordsOffice(models.Model):
    """The school's student affairs office (Phòng Công tác học sinh, sinh viên): its members
    see every student's records."""

    school = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="student_records_office"
    )
    office = models.ForeignKey(
        Organisation,
        verbose_name=_("phòng công tác HSSV"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = ScopedManager("school")

    class Meta:
        verbose_name = _("phòng công tác học sinh, sinh viên")

    def __str__(self) -> str:
        return str(self.office)


class PersonalDataView(models.Model):
    """Who saw which student's personal details, and when (NĐ 13/2023/NĐ-CP): written by every
    page and export that shows them; never edited."""

    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="views", null=True, blank=True
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    what = models.CharField(_("nội dung"), max_length=100)
    rows = models.PositiveIntegerField(_("số người học"), default=1)
    viewed_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    objects = ScopedManager("school")

    class Meta:
        verbose_name = _("lượt xem dữ liệu cá nhân")
        ordering = ["-viewed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} – {self.what} – {self.viewed_at:%d/%m/%Y %H:%M}"


class TargetFeed(Archivable):
    """A plan target measured by a students figure (students.measures): its readings are written
    from the figures whenever they change (students.feeds), never typed."""

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="students_feeds")
    measure = models.CharField(_("số liệu đo chỉ tiêu"), max_length=40)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("ngành/nghề"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    year = models.PositiveIntegerField(
        _("năm"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )

    history = HistoricalRecords()
    objects = ScopedArchivableManager("target__plan__school")

    class Meta:
        verbose_name = _("chỉ tiêu lấy số liệu người học")
        ordering = ["target__order", "target_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["target"],
                condition=Q(archived_at__isnull=True),
                name="target_feed_one_per_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.target} ← {self.measure}"


class TermResult(models.Model):
    """A student's summary for one semester of a school year, as the training-management program
    exports it: averages on the 4-point scale, credits, absences, unpaid fees, conduct score."""

    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="term_results")
    school_year = models.PositiveIntegerField(
        _("năm học (năm bắt đầu)"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    semester = models.PositiveSmallIntegerField(
        _("học kỳ"), validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    term_average = models.DecimalField(
        _("điểm TB học kỳ (thang 4)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    cumulative_average = models.DecimalField(
        _("điểm TB tích lũy (thang 4)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    credits_registered = models.PositiveSmallIntegerField(
        _("số tín chỉ đăng ký trong kỳ"), null=True, blank=True
    )
    credits_failed = models.PositiveSmallIntegerField(
        _("số tín chỉ không đạt trong kỳ"), null=True, blank=True
    )
    credits_outstanding = models.PositiveSmallIntegerField(
        _("số tín chỉ nợ tồn đọng"), null=True, blank=True
    )
    absences = models.PositiveSmallIntegerField(_("số buổi nghỉ"), null=True, blank=True)
    fees_unpaid = models.DecimalField(
        _("học phí còn nợ (đồng)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    conduct_score = models.PositiveSmallIntegerField(
        _("điểm rèn luyện"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )

    history = HistoricalRecords()
    objects = ScopedManager("school")

    class Meta:
        verbose_name = _("kết quả học kỳ")
        ordering = ["-school_year", "-semester", "student_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "school_year", "semester"], name="term_result_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} HK{self.semester} {self.school_year}–{self.school_year + 1}"

    @property
    def course_term(self) -> int:
        """The semester of the student's course this is (1 = their first)."""
        return (self.school_year - self.student.cohort.intake_year) * 2 + self.semester


class RuleKey(models.TextChoices):
    TERM_AVERAGE = "term_average", _("Điểm trung bình học kỳ dưới")
    CUMULATIVE_AVERAGE = "cumulative_average", _("Điểm trung bình tích lũy dưới")
    FAILED_SHARE = "failed_share", _("Tín chỉ không đạt trong kỳ vượt quá (% số đăng ký)")
    OUTSTANDING = "outstanding", _("Tín chỉ nợ tồn đọng vượt quá")
    ABSENCES = "absences", _("Số buổi nghỉ vượt quá")
    FEES = "fees", _("Học phí còn nợ vượt quá (đồng)")
    CONDUCT = "conduct", _("Điểm rèn luyện dưới")


# Keys whose value trips the rule when below the threshold (the others: when above it).
BELOW = frozenset({RuleKey.TERM_AVERAGE, RuleKey.CUMULATIVE_AVERAGE, RuleKey.CONDUCT})


class WarningRule(models.Model):
    """One condition of an academic warning, dated, with the text that set it: national when
    `school` is empty (TT 08/2021/TT-BGDĐT Art. 11), else the school's own regulation, which
    replaces the national conditions of the same key."""

    school = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    key = models.CharField(_("điều kiện"), max_length=30, choices=RuleKey.choices)
    threshold = models.DecimalField(_("ngưỡng"), max_digits=14, decimal_places=2)
    from_term = models.PositiveSmallIntegerField(_("từ học kỳ thứ"), default=1)
    to_term = models.PositiveSmallIntegerField(_("đến học kỳ thứ"), null=True, blank=True)
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    source = models.CharField(_("căn cứ"), max_length=255)

    history = HistoricalRecords()
    objects = ScopedManager("school", shared=True)

    class Meta:
        verbose_name = _("điều kiện cảnh báo học tập")
        ordering = ["key", "from_term", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.get_key_display()} {self.threshold} ({self.source})"

    def applies_to(self, term: int) -> bool:
        return self.from_term <= term and (self.to_term is None or term <= self.to_term)

    @classmethod
    def in_force(cls, day: dt.date, school_id: int) -> list[WarningRule]:
        """The conditions in force on `day`: the school's own for a key it regulates, else the
        national ones."""
        rows = list(
            cls.objects.filter(valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .filter(Q(school__isnull=True) | Q(school_id=school_id))
        )
        own = {r.key for r in rows if r.school_id is not None}
        return [r for r in rows if r.school_id is not None or r.key not in own]


class WarningStatus(models.TextChoices):
    OPEN = "open", _("Chưa xử lý")
    FOLLOWING = "following", _("Đang theo dõi")
    CLOSED = "closed", _("Đã có kết quả")


class AcademicWarning(models.Model):
    """A student at risk in a semester, with the reasons the rules in force gave; following it up
    is a task of the plan, and its outcome is written here."""

    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="warnings")
    school_year = models.PositiveIntegerField(_("năm học (năm bắt đầu)"))
    semester = models.PositiveSmallIntegerField(_("học kỳ"))
    reasons = models.JSONField(_("lý do"), default=list)
    status = models.CharField(
        _("tình trạng"), max_length=20, choices=WarningStatus.choices, default=WarningStatus.OPEN
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("nhiệm vụ theo dõi"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    outcome = models.TextField(_("kết quả xử lý"), blank=True)
    outcome_on = models.DateField(_("ngày ghi kết quả"), null=True, blank=True)
    lifted = models.BooleanField(_("không còn thuộc diện cảnh báo"), default=False)

    history = HistoricalRecords()
    objects = ScopedManager("school")

    class Meta:
        verbose_name = _("cảnh báo người học")
        ordering = ["student__cohort__code", "student__name_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "school_year", "semester"], name="warning_unique_per_term"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} HK{self.semester} {self.school_year}–{self.school_year + 1}"


def share(part: int, whole: int) -> Decimal | None:
    """part ÷ whole as a percentage with one decimal, None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))
