"""What lasts beyond one campaign: the register of initiatives and research (sáng kiến, đề tài)
and the titles of past years (imported from Excel for the years before the product).

Both are read by every later year: CSTĐ cấp tỉnh/bộ needs CSTĐCS in the years before, and
Bằng khen two initiatives over the years.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Archivable
from core.scopes import ScopedArchivableManager, ScopedManager
from core.text import school_year_label
from core.versioning import Versioned
from emulation.engine import Scope, Title
from emulation.models.cycle import LEVEL_CHOICES
from organisations.models import Organisation, Person

SCOPE_CHOICES = [(scope.value, scope.label.capitalize()) for scope in Scope]
_YEARS = [MinValueValidator(1990), MaxValueValidator(2100)]


class InitiativeKind(models.TextChoices):
    INITIATIVE = "initiative", _("Sáng kiến")
    RESEARCH = "research", _("Đề tài nghiên cứu khoa học")


class Initiative(Versioned, Archivable):
    school = models.ForeignKey(
        Organisation,
        verbose_name=_("trường"),
        on_delete=models.PROTECT,
        related_name="emulation_initiatives",
    )
    kind = models.CharField(
        _("loại"), max_length=12, choices=InitiativeKind.choices, default=InitiativeKind.INITIATIVE
    )
    title = models.CharField(_("tên sáng kiến, đề tài"), max_length=500)
    summary = models.TextField(_("tóm tắt, hiệu quả áp dụng"), blank=True)
    scope = models.CharField(
        _("phạm vi ảnh hưởng"), max_length=10, choices=SCOPE_CHOICES, default=Scope.SCHOOL
    )
    start_year = models.PositiveSmallIntegerField(
        _("năm học công nhận (năm bắt đầu)"),
        validators=_YEARS,
        help_text=_("Ví dụ 2023 cho năm học 2023–2024."),
    )
    recognised_on = models.DateField(
        _("ngày công nhận"),
        null=True,
        blank=True,
        help_text=_("Để trống khi sáng kiến mới đăng ký, chưa được công nhận."),
    )
    recognised_by = models.CharField(
        _("cơ quan, hội đồng công nhận"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Hội đồng sáng kiến trường; Sở Giáo dục và Đào tạo"),
    )
    decision = models.CharField(
        _("quyết định công nhận"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Quyết định số 120/QĐ-CĐSP ngày 20/5/2024"),
    )
    authors = models.ManyToManyField(  # type: ignore[var-annotated]
        Person, through="InitiativeAuthor", related_name="emulation_initiatives"
    )
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("school")

    class Meta:
        verbose_name = _("sáng kiến, đề tài")
        verbose_name_plural = _("sáng kiến, đề tài")
        ordering = ["-start_year", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    def search_source(self) -> list[str]:
        return [self.title, self.summary, self.recognised_by, self.decision]

    @property
    def year_label(self) -> str:
        return school_year_label(self.start_year)

    @property
    def is_recognised(self) -> bool:
        return self.recognised_on is not None

    @property
    def scope_value(self) -> Scope:
        return Scope(self.scope)


class InitiativeAuthor(models.Model):
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="author_links"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()
    objects = ScopedManager("initiative__school")

    class Meta:
        verbose_name = _("tác giả sáng kiến, đề tài")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "person"], name="emulation_initiative_author_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.person)


class TitleSource(models.TextChoices):
    IMPORTED = "imported", _("Nhập từ Excel")
    ENTERED = "entered", _("Nhập tay")
    DECIDED = "decided", _("Theo quyết định trên hệ thống")
    HIGHER = "higher", _("Theo quyết định của cấp trên")


# Rows a decision wrote (the school's on the system, or the level above's on a dossier): changed
# by a decision only, never by hand or by a file.
BY_DECISION = (TitleSource.DECIDED, TitleSource.HIGHER)


class TitleHistory(Versioned, Archivable):
    """The titles (and level) a person or, with no person, a unit had in one past school year
    (versioned: two people correcting or withdrawing the same row do not overwrite each other)."""

    school = models.ForeignKey(
        Organisation, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+"
    )
    start_year = models.PositiveSmallIntegerField(_("năm học (năm bắt đầu)"), validators=_YEARS)
    person = models.ForeignKey(
        Person,
        verbose_name=_("cá nhân"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="emulation_titles",
    )
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="emulation_titles",
        help_text=_(
            "Với cá nhân: đơn vị lúc đó (để tham khảo). Với tập thể: đơn vị được công nhận."
        ),
    )
    titles = models.JSONField(_("danh hiệu"), default=list, blank=True)
    level = models.CharField(
        _("xếp loại"), max_length=4, choices=LEVEL_CHOICES, null=True, blank=True
    )
    decision = models.CharField(_("quyết định công nhận"), max_length=255, blank=True)
    source = models.CharField(
        _("nguồn"), max_length=10, choices=TitleSource.choices, default=TitleSource.ENTERED
    )
    # A title awarded above the school (CSTĐ cấp tỉnh, Bằng khen…) on a dossier sent to the Sở:
    # the level above's decision, beside the school's own in `decision`.
    higher_decision = models.CharField(
        _("quyết định của cấp trên"), max_length=500, blank=True, editable=False
    )
    note = models.TextField(_("ghi chú"), blank=True)
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("school")

    class Meta:
        verbose_name = _("danh hiệu các năm")
        verbose_name_plural = _("danh hiệu các năm")
        ordering = ["-start_year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "start_year"],
                condition=Q(archived_at__isnull=True, person__isnull=False),
                name="emulation_one_title_row_per_person_year",
            ),
            models.UniqueConstraint(
                fields=["unit", "start_year"],
                condition=Q(archived_at__isnull=True, person__isnull=True),
                name="emulation_one_title_row_per_unit_year",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(unit__isnull=False),
                name="emulation_title_row_names_someone",
            ),
        ]

    def __str__(self) -> str:
        who = self.person if self.person_id else self.unit
        return f"{who} {self.year_label}: {', '.join(self.titles)}"

    @property
    def year_label(self) -> str:
        return school_year_label(self.start_year)

    @property
    def title_values(self) -> frozenset[Title]:
        return frozenset(Title(value) for value in self.titles if value in Title._value2member_map_)
