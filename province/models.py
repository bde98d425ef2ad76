"""What a body above the schools (a Sở GD&ĐT, a UBND tỉnh, the Bộ) keeps of its own: the schools it
directs, each with its level, each sending of one of its directives, and each merger or move of
one of its schools it recorded (`SchoolChange`, province.mergers).

A directive itself is a document of the body's own register (documents.Document, owned by the
body); sending it puts it in each recipient school's register (documents.DocumentReceipt), where
the school's tasks link to it as to any basis. Nothing below this app knows it exists.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Archivable
from core.scopes import ScopedArchivableManager, ScopedManager
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
    COLLEGE = "college", _("Cao đẳng")
    UNIVERSITY = "university", _("Đại học")


class DirectedSchool(Archivable):
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

    history = HistoricalRecords()
    objects = ScopedArchivableManager("body")

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
