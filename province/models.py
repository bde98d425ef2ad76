"""What a body above the schools (a Sở GD&ĐT, a UBND tỉnh, the Bộ) keeps of its own: the schools it
directs, each with its level, and each sending of one of its directives; the reports it asks its
schools for, and what each school submitted; each merger or move of one of its schools it
recorded (`SchoolChange`, province.mergers).

A directive itself is a document of the body's own register (documents.Document, owned by the
body); sending it puts it in each recipient school's register (documents.DocumentReceipt), where
the school's tasks link to it as to any basis. Nothing below this app knows it exists.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Archivable
from core.scopes import ScopedArchivableManager, ScopedManager
from core.versioning import Versioned
from documents.models import Document
from organisations.models import Organisation, OrganisationKind, Succession

# The bodies that direct schools and send them directives.
DIRECTING_KINDS = frozenset(
    {
        OrganisationKind.MINISTRY,
        OrganisationKind.PEOPLES_COMMITTEE,
        OrganisationKind.DEPARTMENT,
        OrganisationKind.EDUCATION_OFFICE,
    }
)


class SchoolLevel(models.TextChoices):
    """The kinds of school a Sở sends to ("all colleges", "all upper secondary schools")."""

    PRESCHOOL = "preschool", _("Mầm non")
    PRIMARY = "primary", _("Tiểu học")
    LOWER_SECONDARY = "lower_secondary", _("Trung học cơ sở")
    UPPER_SECONDARY = "upper_secondary", _("Trung học phổ thông")
    CONTINUING = "continuing", _("Giáo dục nghề nghiệp – giáo dục thường xuyên")
    INTERMEDIATE = "intermediate", _("Trung cấp")
    COLLEGE = "college", _("Cao đẳng")
    UNIVERSITY = "university", _("Đại học")


class DirectedSchool(Versioned, Archivable):
    """A school the body directs (sends its directives to): the Sở's list of its schools.

    Kept apart from the organisation tree on purpose: a college belongs to the UBND tỉnh and is
    directed in its profession by the Sở; the tree says whose it is, this list whom it hears.
    """

    body = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan chỉ đạo"),
        on_delete=models.PROTECT,
        related_name="directed_schools",
        limit_choices_to={"kind__in": sorted(DIRECTING_KINDS)},
    )
    school = models.ForeignKey(
        Organisation,
        verbose_name=_("trường"),
        on_delete=models.PROTECT,
        related_name="directing_bodies",
        limit_choices_to={"kind": OrganisationKind.SCHOOL},
    )
    level = models.CharField(_("cấp học, loại trường"), max_length=30, choices=SchoolLevel.choices)
    # The body sees each school's summary figures; the lists behind them (its overdue tasks, its
    # targets not met, by name) only when the school's leadership grants it.
    shares_details = models.BooleanField(
        _("cho cơ quan chỉ đạo xem danh sách nhiệm vụ quá hạn, chỉ tiêu chưa đạt"), default=False
    )

    history = HistoricalRecords()
    # The body keeps the list; the school sees its own entries (to grant or withdraw the lists).
    objects = ScopedArchivableManager("body", also="school")

    class Meta:
        verbose_name = _("trường trực thuộc")
        verbose_name_plural = _("trường trực thuộc")
        ordering = ["level", "school__order", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "school"], name="directed_school_once")
        ]

    def __str__(self) -> str:
        return f"{self.school} ({self.get_level_display()})"

    def search_source(self) -> list[str]:
        return [self.school.name, self.school.short_name]


class Audience(models.TextChoices):
    ALL = "all", _("Tất cả các trường")
    LEVEL = "level", _("Các trường cùng cấp học, loại trường")
    LIST = "list", _("Danh sách trường chọn")


class Dispatch(models.Model):
    """One sending of a directive: to whom it was addressed (all, a level, a list), by whom,
    when. Which schools received it are the document's receipts (documents.DocumentReceipt)."""

    document = models.ForeignKey(
        Document, verbose_name=_("văn bản"), on_delete=models.PROTECT, related_name="dispatches"
    )
    audience = models.CharField(_("gửi đến"), max_length=10, choices=Audience.choices)
    level = models.CharField(
        _("cấp học, loại trường"), max_length=30, choices=SchoolLevel.choices, blank=True
    )
    recipient_count = models.PositiveIntegerField(_("số trường nhận mới"), default=0)
    sent_at = models.DateTimeField(_("gửi lúc"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = ScopedManager("document__school")

    class Meta:
        verbose_name = _("lần gửi văn bản")
        verbose_name_plural = _("lần gửi văn bản")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.document} — {self.addressed_to}"

    @property
    def addressed_to(self) -> str:
        if self.audience == Audience.LEVEL and self.level:
            return str(_("Các trường %(level)s") % {"level": self.get_level_display().lower()})
        return str(self.get_audience_display())


class ChangeKind(models.TextChoices):
    MERGER = "merger", _("Sáp nhập vào trường khác")
    MOVE = "move", _("Chuyển cơ quan chủ quản")


class SchoolChange(models.Model):
    """A school merged into another, or moved under another body, by a decision: who recorded
    it, when, and what it did (the unit mapping, how many rows each step moved). The succession
    itself is the organisation tree's (organisations.Succession); the moves are the domains'
    steps (organisations.merging)."""

    # The body whose officer recorded it (a Sở); empty when the site's administrator did.
    body = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("hình thức"), max_length=10, choices=ChangeKind.choices)
    school = models.ForeignKey(
        Organisation, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+"
    )
    successor = models.ForeignKey(
        Organisation,
        verbose_name=_("trường tiếp nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    succession = models.OneToOneField(
        Succession,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="school_change",
    )
    former_parent = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan chủ quản trước"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    new_parent = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan chủ quản mới"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.ForeignKey(
        Document, verbose_name=_("quyết định"), on_delete=models.PROTECT, related_name="+"
    )
    effective_on = models.DateField(_("ngày hiệu lực"))
    receiving_year = models.PositiveIntegerField(_("năm học nhận nhiệm vụ"), null=True, blank=True)
    # Old unit id → new unit id, as carried out (str keys: JSON).
    unit_map = models.JSONField(_("ánh xạ đơn vị"), default=dict, blank=True)
    # Step key → how many rows moved; "units_created" → how many units were made.
    moved = models.JSONField(_("số đã chuyển"), default=dict, blank=True)
    recorded_at = models.DateTimeField(_("ghi nhận lúc"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = ScopedManager("body")

    class Meta:
        verbose_name = _("sáp nhập, chuyển trường")
        verbose_name_plural = _("sáp nhập, chuyển trường")
        ordering = ["-effective_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school"],
                condition=models.Q(kind="merger"),
                name="school_merged_once",
            )
        ]

    def __str__(self) -> str:
        target = self.successor if self.kind == ChangeKind.MERGER else self.new_parent
        return f"{self.school} → {target} ({self.get_kind_display()})"


class RequestKind(models.TextChoices):
    """What a body asks its schools for: a report the school issues (the code of its paper kind in
    papers.registry, written by the reports app), or the figures of chosen targets."""

    SEMESTER_REPORT = "report_semester", _("Báo cáo sơ kết học kỳ I")
    YEAR_REPORT = "report_year", _("Báo cáo tổng kết năm học")
    TARGETS = "targets", _("Số liệu các chỉ tiêu")


# The kinds answered with a paper the school has issued (papers.registry codes).
PAPER_KINDS = frozenset({RequestKind.SEMESTER_REPORT, RequestKind.YEAR_REPORT})


class ReportRequest(Archivable):
    """A report the body asks its schools for, with a deadline (e.g. the sơ kết học kỳ I, or the
    figures of chosen targets). Each school addressed is a RequestedSchool; each answer a
    Submission."""

    body = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan yêu cầu"),
        on_delete=models.PROTECT,
        related_name="report_requests",
    )
    kind = models.CharField(_("loại báo cáo"), max_length=20, choices=RequestKind.choices)
    title = models.CharField(_("tên báo cáo"), max_length=300)
    start_year = models.PositiveSmallIntegerField(_("năm học (năm bắt đầu)"))
    deadline = models.DateField(_("hạn nộp"))
    text = models.TextField(_("nội dung yêu cầu"), blank=True)
    # For the figures of chosen targets: ["CT01", "Tỷ lệ tuyển sinh…", …] as the body typed them,
    # each matched in a school's plan by code, else by name (without diacritics or case).
    targets = models.JSONField(_("chỉ tiêu yêu cầu"), default=list, blank=True)
    audience = models.CharField(_("gửi đến"), max_length=10, choices=Audience.choices)
    level = models.CharField(
        _("cấp học, loại trường"), max_length=30, choices=SchoolLevel.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("yêu cầu lúc"))

    history = HistoricalRecords()
    # The body's own; each school addressed sees it too (to answer it).
    objects = ScopedArchivableManager("body", also="recipients__school")

    class Meta:
        verbose_name = _("yêu cầu báo cáo")
        verbose_name_plural = _("yêu cầu báo cáo")
        ordering = ["-deadline", "-pk"]

    def __str__(self) -> str:
        return self.title

    def search_source(self) -> list[str]:
        return [self.title, self.text]

    @property
    def asks_for_paper(self) -> bool:
        return self.kind in PAPER_KINDS


class RequestedSchool(models.Model):
    """A school a report request was addressed to (fixed when it is sent: a school added to the
    body's list later is not late for it)."""

    request = models.ForeignKey(
        ReportRequest,
        verbose_name=_("yêu cầu"),
        on_delete=models.PROTECT,
        related_name="recipients",
    )
    school = models.ForeignKey(
        Organisation, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("gửi lúc"))

    objects = ScopedManager("school", also="request__body")

    class Meta:
        verbose_name = _("trường được yêu cầu báo cáo")
        verbose_name_plural = _("trường được yêu cầu báo cáo")
        ordering = ["request", "school__order", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["request", "school"], name="requested_school_once")
        ]

    def __str__(self) -> str:
        return f"{self.request} → {self.school}"


def submission_upload_to(instance: Submission, filename: str) -> str:
    """A name nobody can guess; the file is served only through a permission-checked view."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"province-submissions/{secrets.token_hex(2)}/{secrets.token_urlsafe(24)}.{extension}"


class SubmissionState(models.TextChoices):
    MISSING = "missing", _("Chưa nộp")
    ON_TIME = "on_time", _("Nộp đúng hạn")
    LATE = "late", _("Nộp muộn")
    RETURNED = "returned", _("Trả lại")


class Submission(models.Model):
    """One school's answer to a request, frozen when it is made: its figures, its paper or sheet
    (stored through the storage API, with its SHA-256) and where they come from. It never
    changes; a correction is a new submission with the next number. The body may return the
    latest one with a reason (kept here and in the history): the school submits again."""

    request = models.ForeignKey(
        ReportRequest,
        verbose_name=_("yêu cầu"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    school = models.ForeignKey(
        Organisation, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("lần nộp"))
    submitted_at = models.DateTimeField(_("nộp lúc"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nộp"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    on_time = models.BooleanField(_("trong hạn"))
    note = models.CharField(_("ghi chú của trường"), max_length=1000, blank=True)
    # What was submitted: the issued paper's number and date ("Số 01/BC-CĐSP ngày 05/01/2024"),
    # or the plan the target figures were read from.
    source = models.CharField(_("nguồn số liệu"), max_length=300, blank=True)
    # [[label, value as shown], …] in the order shown: laid side by side across schools.
    figures = models.JSONField(_("số liệu"), default=list, editable=False)
    file = models.FileField(upload_to=submission_upload_to, max_length=200, blank=True)
    filename = models.CharField(_("tên tệp"), max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    returned_at = models.DateTimeField(_("trả lại lúc"), null=True, blank=True, editable=False)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lại"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_reason = models.CharField(_("lý do trả lại"), max_length=1000, blank=True)

    history = HistoricalRecords()
    # The school's own; the body that asked sees what was submitted to it (never a draft: a
    # report is submitted only once issued).
    objects = ScopedManager("school", also="request__body")

    class Meta:
        verbose_name = _("báo cáo đã nộp")
        verbose_name_plural = _("báo cáo đã nộp")
        ordering = ["request", "school", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "school", "number"], name="submission_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} – {self.school} – lần {self.number}"

    @property
    def is_returned(self) -> bool:
        return self.returned_at is not None

    def read(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Sắp đến hạn nộp")
    OVERDUE = "overdue", _("Quá hạn chưa nộp")


class ReminderLevel(models.TextChoices):
    """Who is told, rising with each reminder left unanswered: the school's clerks (or its
    leadership when it has none), then its leadership too, then the body that asked as well."""

    SCHOOL = "school", _("Văn thư của trường")
    LEADERSHIP = "leadership", _("Ban giám hiệu")
    BODY = "body", _("Cơ quan yêu cầu")


class RequestReminder(models.Model):
    """One reminder to one school about one request, of one kind, on one day: never twice."""

    request = models.ForeignKey(ReportRequest, on_delete=models.PROTECT, related_name="reminders")
    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    on = models.DateField()
    level = models.CharField(max_length=12, choices=ReminderLevel.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager("school", also="request__body")

    class Meta:
        verbose_name = _("lần nhắc nộp báo cáo")
        verbose_name_plural = _("lần nhắc nộp báo cáo")
        ordering = ["-on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "school", "kind", "on"], name="request_reminder_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} – {self.school} – {self.kind} {self.on}"
