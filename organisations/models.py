"""The organisation tree (Bộ → Sở / UBND tỉnh / Tỉnh ủy → school → units), people and positions.

Units are renamed, merged and split over the years; rows are never rewritten in a way that loses
what they were: a rename keeps the former name with its dates, a merger links predecessor and
successor, and positions carry validity dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Archivable, ArchivableQuerySet
from core.scopes import ScopedArchivableManager, ScopedManager
from core.text import format_date, name_sort_key, split_name
from core.versioning import Versioned


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Bộ")
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    DEPARTMENT = "department", _("Sở")
    EDUCATION_OFFICE = "education_office", _("Phòng Giáo dục và Đào tạo")
    PARTY_COMMITTEE = "party_committee", _("Cấp ủy Đảng")
    SCHOOL = "school", _("Trường")
    BOARD = "board", _("Ban giám hiệu")
    OFFICE = "office", _("Phòng")
    FACULTY = "faculty", _("Khoa")
    SUBJECT_GROUP = "subject_group", _("Tổ bộ môn")
    CENTRE = "centre", _("Trung tâm")
    MASS_ORGANISATION = "mass_organisation", _("Đoàn thể")
    OTHER = "other", _("Khác")


# Organisations at the top of their own tree: they have members (people, positions, roles) and
# data of their own, and every unit below them points to them through `school`. A Tỉnh ủy or a
# body without members stays outside any tree (`school` is null).
TOP_KINDS = frozenset(
    {
        OrganisationKind.MINISTRY,
        OrganisationKind.PEOPLES_COMMITTEE,
        OrganisationKind.DEPARTMENT,
        OrganisationKind.EDUCATION_OFFICE,
        OrganisationKind.SCHOOL,
    }
)


class OrganisationQuerySet(ArchivableQuerySet):
    def valid_on(self, day: dt.date) -> OrganisationQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def outside_schools(self) -> OrganisationQuerySet:
        """Bodies above schools (Bộ, UBND tỉnh, Sở…) and their own units: inside no school."""
        return self.filter(Q(school__isnull=True) | ~Q(school__kind=OrganisationKind.SCHOOL))

    def units_of(self, school: Organisation) -> OrganisationQuerySet:
        """The units inside a school (not the school itself)."""
        return self.filter(school=school).exclude(pk=school.pk)


class Organisation(Archivable):
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    abbreviation = models.CharField(
        _("chữ viết tắt trong ký hiệu văn bản"),
        max_length=50,
        blank=True,
        help_text=_("Ví dụ: BGDĐT, UBND, TU, CĐSP"),
    )
    code = models.SlugField(_("mã"), max_length=50, blank=True)
    kind = models.CharField(_("loại"), max_length=30, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The organisation at the top of the unit's own tree (see TOP_KINDS): for a school's units
    # the school, for a Sở's own units the Sở; such an organisation points to itself. Null for a
    # body outside any tree. Everything a member sees is scoped by it (organisations.scoping).
    school = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.CharField(
        _("địa danh"), max_length=100, blank=True, help_text=_("Dùng trong dòng ngày tháng")
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "code"],
                condition=~Q(code=""),
                name="organisation_code_unique_in_school",
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def search_source(self) -> list[str]:
        return [self.name, self.short_name, self.abbreviation, self.code]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.is_top:
            self.school_id = self.parent.school_id if self.parent_id and self.parent else None
        super().save(*args, **kwargs)
        if self.is_top and self.school_id != self.pk:
            Organisation.objects.filter(pk=self.pk).update(school=self.pk)
            self.school_id = self.pk

    @property
    def is_school(self) -> bool:
        return self.kind == OrganisationKind.SCHOOL

    @property
    def is_top(self) -> bool:
        """At the top of its own tree: an organisation people are members of."""
        return self.kind in TOP_KINDS

    def name_on(self, day: dt.date) -> str:
        """The name the unit bore on a given day (renames keep the former names)."""
        for former in self.former_names.all():
            if (
                former.valid_to
                and day <= former.valid_to
                and (former.valid_from is None or day >= former.valid_from)
            ):
                return former.name
        return self.name


class OrganisationName(models.Model):
    """A name the unit bore before a rename."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="former_names"
    )
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tên cũ")
        ordering = ["-valid_to"]

    def __str__(self) -> str:
        return self.name


class SuccessionKind(models.TextChoices):
    MERGED = "merged", _("Sáp nhập")
    SPLIT = "split", _("Chia tách")
    REORGANISED = "reorganised", _("Tổ chức lại")


class Succession(models.Model):
    """One unit taking over (part of) another: mergers, splits, reorganisations."""

    predecessor = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị trước"),
        on_delete=models.PROTECT,
        related_name="successions",
    )
    successor = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị sau"),
        on_delete=models.PROTECT,
        related_name="predecessions",
    )
    kind = models.CharField(_("hình thức"), max_length=20, choices=SuccessionKind.choices)
    effective_on = models.DateField(_("ngày hiệu lực"))
    note = models.TextField(_("ghi chú"), blank=True)
    # The decision, as it is cited ("Quyết định số 1234/QĐ-UBND ngày 20/8/2025"): the registered
    # document itself is kept by the body that recorded the merger (province.SchoolMerger); its
    # number and date are copied here so that every layer can name it.
    decision_symbol = models.CharField(_("số, ký hiệu quyết định"), max_length=120, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    # When a school's merger was carried out (its tasks, staff and students handed over): from
    # then on the predecessor is kept as history only (organisations.merging.absorbed_by).
    carried_out_at = models.DateTimeField(
        _("thực hiện chuyển giao lúc"), null=True, blank=True, editable=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sáp nhập, chia tách")
        ordering = ["effective_on"]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.get_kind_display()})"

    @property
    def decision_label(self) -> str:
        """ "Quyết định số 1234/QĐ-UBND ngày 20/8/2025", or "" when no decision is recorded."""
        if not self.decision_symbol:
            return ""
        label = _("Quyết định số %(symbol)s") % {"symbol": self.decision_symbol}
        if self.decision_date:
            label += _(" ngày %(day)s") % {"day": format_date(self.decision_date)}
        return str(label)


class Person(Versioned, Archivable):
    """A staff record in one organisation (a school, a Sở…). One user may have several, one per
    organisation they work in: each is a membership (organisations.membership)."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    # Vietnamese order: given name, then family and middle names; tones only break ties.
    sort_key = models.CharField(max_length=400, editable=False, db_index=True)
    honorific = models.CharField(
        _("học hàm, học vị"), max_length=30, blank=True, help_text=_("Ví dụ: ThS., TS., PGS.TS.")
    )
    school = models.ForeignKey(
        Organisation,
        verbose_name=_("trường"),
        on_delete=models.PROTECT,
        related_name="people",
        limit_choices_to={"kind__in": sorted(TOP_KINDS)},
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("school")

    class Meta:
        verbose_name = _("cán bộ, viên chức")
        verbose_name_plural = _("cán bộ, viên chức")
        ordering = ["sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school"],
                condition=Q(user__isnull=False),
                name="person_one_record_per_user_and_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def given_name(self) -> str:
        return split_name(self.full_name)[2]

    def search_source(self) -> list[str]:
        return [self.full_name, self.email]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_key = name_sort_key(self.full_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "sort_key"}
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    """What a position allows in the product; the title says what it is called."""

    LEADERSHIP = "leadership", _("Ban giám hiệu")
    HEAD = "head", _("Trưởng đơn vị")
    DEPUTY = "deputy", _("Phó trưởng đơn vị")
    CLERK = "clerk", _("Văn thư, thư ký")
    MEMBER = "member", _("Thành viên")


class PositionQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None) -> PositionQuerySet:
        day = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


PositionManager = ScopedManager.from_queryset(PositionQuerySet)


class Position(models.Model):
    """A person's post in a unit; a person may hold several (Bí thư Đảng ủy and Hiệu trưởng)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="positions")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    title = models.CharField(_("chức vụ"), max_length=150)
    role = models.CharField(_("quyền trong hệ thống"), max_length=20, choices=Role.choices)
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()
    objects = PositionManager("person__school")

    class Meta:
        verbose_name = _("chức vụ")
        verbose_name_plural = _("chức vụ")
        ordering = ["order", "valid_from", "pk"]

    def __str__(self) -> str:
        return f"{self.title} – {self.organisation}"
