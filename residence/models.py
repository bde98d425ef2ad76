"""Residence: where the school's students live in a term.

Dormitory (nội trú, TT 27/2011/TT-BGDĐT): buildings, rooms with their beds (capacity) and
gender, a term's allocations with their priority group, moves and departures, and the room
inspections with their findings. Off-campus (ngoại trú, TT 27/2009/TT-BGDĐT): each student's
declared address for the term (kind of housing, landlord, ward), declared by the student from a
link and code the school sends (`DeclarationLink`, no staff account), and the visits made.

Names, addresses and phones are personal data (NĐ 13/2023/NĐ-CP): who may see them is
students' rule (`students.rules.named_cohorts`), and every view is written to students'
`PersonalDataView`. The regulations are dated reference data with their source (`Reference`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Archivable
from core.scopes import ScopedArchivableManager, ScopedManager
from organisations.models import Organisation
from students.models import Student


class Term(models.Model):
    """A term (học kỳ) of the school, with the window in which off-campus students declare."""

    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("học kỳ"), max_length=100)
    starts_on = models.DateField(_("bắt đầu"))
    ends_on = models.DateField(_("kết thúc"))
    declare_from = models.DateField(_("khai báo ngoại trú từ ngày"))
    declare_until = models.DateField(_("khai báo ngoại trú đến ngày"))

    history = HistoricalRecords()
    objects = ScopedManager("school")

    class Meta:
        verbose_name = _("học kỳ")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="residence_term_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def window_open(self, day: dt.date) -> bool:
        return self.declare_from <= day <= self.declare_until


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")
    MIXED = "mixed", _("Nam và nữ (phòng riêng)")


class Building(Archivable):
    """A dormitory building (khu, nhà)."""

    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên nhà/khu"), max_length=100)
    gender = models.CharField(_("dành cho"), max_length=10, choices=Gender.choices)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("school")

    class Meta:
        verbose_name = _("nhà ký túc xá")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def search_source(self) -> list[str]:
        return [self.name]


class Room(Archivable):
    """A room: its beds are numbered 1 to `capacity`; its gender, or else its building's."""

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(_("phòng"), max_length=30)
    floor = models.SmallIntegerField(_("tầng"), default=1)
    capacity = models.PositiveSmallIntegerField(
        _("số giường"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    gender = models.CharField(_("dành cho"), max_length=10, choices=Gender.choices, blank=True)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("building__school")

    class Meta:
        verbose_name = _("phòng ở")
        ordering = ["building__name", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "name"],
                condition=Q(archived_at__isnull=True),
                name="residence_room_unique_in_building",
            )
        ]

    def __str__(self) -> str:
        return f"{self.building.name} – {self.name}"

    def search_source(self) -> list[str]:
        return [self.name]

    @property
    def gender_for(self) -> str:
        return self.gender or self.building.gender


class Priority(models.TextChoices):
    """The priority groups for a place (TT 27/2011/TT-BGDĐT), in their order."""

    POLICY = "policy", _("Đối tượng chính sách")
    ETHNIC_REMOTE = "ethnic_remote", _("Dân tộc thiểu số ở vùng sâu, vùng xa")
    FIRST_YEAR = "first_year", _("Sinh viên năm thứ nhất")
    OTHER = "other", _("Khác")


class Allocation(models.Model):
    """A student's bed in a term; a move ends it (`left_on`) and starts another."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="allocations")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="allocations")
    bed = models.PositiveSmallIntegerField(_("giường"))
    priority = models.CharField(_("diện ưu tiên"), max_length=20, choices=Priority.choices)
    moved_in_on = models.DateField(_("ngày vào ở"))
    left_on = models.DateField(_("ngày rời phòng"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    history = HistoricalRecords()
    objects = ScopedManager("term__school")

    class Meta:
        verbose_name = _("xếp chỗ ở nội trú")
        ordering = ["room__building__name", "room__name", "bed", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "student"],
                condition=Q(left_on__isnull=True),
                name="residence_one_bed_per_student",
            ),
            models.UniqueConstraint(
                fields=["term", "room", "bed"],
                condition=Q(left_on__isnull=True),
                name="residence_one_student_per_bed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} – {self.room} / {self.bed}"


class Housing(models.TextChoices):
    FAMILY = "family", _("Ở cùng gia đình")
    RELATIVES = "relatives", _("Ở nhà người thân")
    RENTED = "rented", _("Thuê nhà, phòng trọ")
    OTHER = "other", _("Nơi ở khác")


class Source(models.TextChoices):
    LINK = "link", _("Người học tự khai báo")
    STAFF = "staff", _("Nhà trường ghi")
    IMPORT = "import", _("Nhập từ Excel")


class Declaration(models.Model):
    """An off-campus student's address for the term (one per student and term; a new
    declaration in the window replaces it, the history keeps the earlier one)."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="declarations")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="+")
    housing = models.CharField(_("hình thức ở"), max_length=20, choices=Housing.choices)
    address = models.CharField(_("số nhà, đường, thôn/tổ"), max_length=255)
    ward = models.CharField(_("phường/xã"), max_length=100)
    province = models.CharField(_("tỉnh/thành phố"), max_length=100)
    landlord = models.CharField(_("chủ nhà"), max_length=150, blank=True)
    landlord_phone = models.CharField(_("điện thoại chủ nhà"), max_length=30, blank=True)
    phone = models.CharField(_("điện thoại của người học"), max_length=30, blank=True)
    declared_at = models.DateTimeField(_("khai báo lúc"))
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices)

    history = HistoricalRecords()
    objects = ScopedManager("term__school")

    class Meta:
        verbose_name = _("khai báo ngoại trú")
        ordering = ["ward", "student__name_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "student"], name="residence_one_declaration_per_term"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} – {self.ward}"


class DeclarationLink(models.Model):
    """The link and code a student declares with (no account). Neither is stored: both are
    derived from the row and its `nonce` with the site's key, so they can be printed again, and
    a new nonce revokes them. Failed codes are counted and lock the link for a while."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="links")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="+")
    nonce = models.CharField(max_length=32, editable=False)
    issued_at = models.DateTimeField(_("cấp lúc"))
    failures = models.PositiveSmallIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)

    objects = ScopedManager("term__school")

    class Meta:
        verbose_name = _("đường dẫn khai báo")
        constraints = [
            models.UniqueConstraint(fields=["term", "student"], name="residence_one_link")
        ]

    def __str__(self) -> str:
        return f"{self.student} – {self.term}"


class InspectionKind(models.TextChoices):
    ROOM = "room", _("Kiểm tra phòng ở nội trú")
    VISIT = "visit", _("Thăm nơi ở ngoại trú")


class Finding(models.TextChoices):
    GOOD = "good", _("Tốt")
    REMARKS = "remarks", _("Có nhắc nhở")
    VIOLATION = "violation", _("Vi phạm")


class Inspection(models.Model):
    """A room inspection or a visit to an off-campus student's lodging, with its findings."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="inspections")
    kind = models.CharField(_("loại"), max_length=10, choices=InspectionKind.choices)
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="inspections", null=True, blank=True
    )
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    visited_on = models.DateField(_("ngày"))
    inspectors = models.CharField(_("người kiểm tra"), max_length=255)
    finding = models.CharField(_("kết quả"), max_length=10, choices=Finding.choices)
    notes = models.TextField(_("nội dung ghi nhận"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    history = HistoricalRecords()
    objects = ScopedManager("term__school")

    class Meta:
        verbose_name = _("kiểm tra nơi ở")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.visited_on:%d/%m/%Y}"


class Reference(models.Model):
    """A regulation the residence pages follow, dated, with its source (national when
    `school` is empty)."""

    school = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    key = models.CharField(max_length=40)
    number = models.CharField(_("số hiệu"), max_length=50)
    title = models.CharField(_("trích yếu"), max_length=255)
    issued_on = models.DateField(_("ngày ban hành"))
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hết hiệu lực"), null=True, blank=True)
    summary = models.TextField(_("nội dung áp dụng"))
    source = models.URLField(_("nguồn"), max_length=300)

    history = HistoricalRecords()
    objects = ScopedManager("school", shared=True)

    class Meta:
        verbose_name = _("căn cứ")
        ordering = ["key", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.number} – {self.title}"
