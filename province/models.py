"""What a body above the schools (a Sở GD&ĐT, a UBND tỉnh, the Bộ) keeps of its own: the schools it
directs, each with its level, and each sending of one of its directives.

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
from organisations.models import Organisation, OrganisationKind

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
