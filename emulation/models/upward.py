"""Emulation between a school and the Sở above it (the province issue, item 4).

Upward: what a school proposes above itself in its tờ trình (CSTĐ cấp tỉnh, Bằng khen, a unit's
TTLĐXS, its own TTLĐTT) goes to the Sở that directs it as a dossier (`UpwardDossier`): each
sending is a version with its items and the papers it encloses (the school's Quyết định, the
tờ trình, the council's tally); the Sở returns it with a reason (the school corrects and sends a
new version, the old one kept), accepts it, and records the decision with each item awarded or
not. The trail (`DossierEvent`) says who did what and when. A dossier is the school's, seen by
the Sở it was sent to (`also="body"`).

Downward: a campaign the Sở launches (`ProvinceCampaign`) is sent to its schools as a directive
is (all, a level, a list: `ProvinceCampaignRecipient`); each school answers with its own year's
campaign (`Campaign.province_campaign`), where its staff register as for any campaign.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Archivable
from core.scopes import ScopedArchivableManager, ScopedManager
from core.text import format_date, school_year_label
from core.versioning import Versioned
from emulation.models.campaigns import Campaign
from organisations.models import Organisation, Person

_YEARS = [MinValueValidator(2000), MaxValueValidator(2100)]


class DossierStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Trả lại để bổ sung")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    DECIDED = "decided", _("Đã có quyết định")


class UpwardDossier(Versioned, Archivable):
    """A school's dossier of proposals to the Sở for one campaign (one active per campaign and
    body)."""

    school = models.ForeignKey(
        Organisation, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan nhận"),
        on_delete=models.PROTECT,
        related_name="received_emulation_dossiers",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("phong trào thi đua"),
        on_delete=models.PROTECT,
        related_name="upward_dossiers",
    )
    start_year = models.PositiveSmallIntegerField(_("năm học (năm bắt đầu)"), validators=_YEARS)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=DossierStatus.choices, editable=False
    )
    current = models.ForeignKey(
        "DossierVersion",
        verbose_name=_("lần gửi hiện hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    # The decision of the level above, recorded by the Sở (e.g. the Chủ tịch UBND tỉnh's, on
    # the Sở's council's proposal): its number, day and issuer; each item says awarded or not.
    decision_symbol = models.CharField(_("số, ký hiệu quyết định"), max_length=100, blank=True)
    decision_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_issuer = models.CharField(_("cấp quyết định"), max_length=255, blank=True)
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("school", also="body")

    class Meta:
        verbose_name = _("hồ sơ đề nghị khen thưởng gửi cấp trên")
        verbose_name_plural = _("hồ sơ đề nghị khen thưởng gửi cấp trên")
        ordering = ["-start_year", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "body"],
                condition=Q(archived_at__isnull=True),
                name="emulation_one_dossier_per_campaign_body",
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} – {self.year_label}"

    def search_source(self) -> list[str]:
        return [self.school.name, self.year_label, self.decision_symbol]

    @property
    def year_label(self) -> str:
        return school_year_label(self.start_year)

    @property
    def decision_text(self) -> str:
        if not self.decision_symbol:
            return ""
        day = format_date(self.decision_on)
        text = _("Quyết định số %(n)s ngày %(day)s") % {"n": self.decision_symbol, "day": day}
        if self.decision_issuer:
            text += f" ({self.decision_issuer})"
        return str(text)


class DossierVersion(models.Model):
    """One sending of the dossier: its number (1, 2…), who sent it and when, the school's letter,
    and the papers it encloses (`papers`: the school's issued papers and the council's tally, as
    they were when sent). Never changed once sent."""

    dossier = models.ForeignKey(UpwardDossier, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("lần gửi"))
    submitted_at = models.DateTimeField(_("gửi lúc"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    letter = models.TextField(_("nội dung tờ trình, giải trình"), blank=True)
    papers = models.JSONField(_("văn bản kèm theo"), default=list)

    history = HistoricalRecords()
    objects = ScopedManager("dossier__school", also="dossier__body")

    class Meta:
        verbose_name = _("lần gửi hồ sơ")
        ordering = ["dossier", "number"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number"], name="emulation_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.dossier} – lần {self.number}"


class DossierItem(models.Model):
    """One proposal of a version: a person or a collective, the title or award, the achievements
    the school states; the decision's answer (awarded or not, with a note) once decided."""

    version = models.ForeignKey(DossierVersion, on_delete=models.PROTECT, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("loại đề nghị"), max_length=20)
    title = models.CharField(_("danh hiệu, hình thức đề nghị"), max_length=255)
    # The value written in the year's titles when awarded (a Title value, or the award's name).
    title_value = models.CharField(max_length=100)
    person = models.ForeignKey(
        Person, verbose_name=_("cá nhân"), null=True, blank=True, on_delete=models.PROTECT
    )
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị, tập thể"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("họ và tên"), max_length=255, blank=True)
    unit_name = models.CharField(_("đơn vị"), max_length=255, blank=True)
    achievements = models.TextField(_("thành tích, căn cứ đề nghị"), blank=True)
    tally = models.CharField(_("kết quả bỏ phiếu của Hội đồng trường"), max_length=255, blank=True)
    awarded = models.BooleanField(_("được khen thưởng"), null=True, editable=False)
    outcome_note = models.TextField(_("ghi chú kết quả"), blank=True, editable=False)

    history = HistoricalRecords()
    objects = ScopedManager("version__dossier__school", also="version__dossier__body")

    class Meta:
        verbose_name = _("đề nghị trong hồ sơ")
        ordering = ["version", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(unit__isnull=False),
                name="emulation_dossier_item_names_someone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.who}"

    @property
    def who(self) -> str:
        return self.name or str(_("Tập thể %(unit)s") % {"unit": self.unit_name})


class DossierAction(models.TextChoices):
    SUBMITTED = "submitted", _("Gửi hồ sơ")
    RETURNED = "returned", _("Trả lại")
    RESUBMITTED = "resubmitted", _("Gửi lại sau khi bổ sung")
    ACCEPTED = "accepted", _("Tiếp nhận")
    DECIDED = "decided", _("Ghi quyết định khen thưởng")


class DossierEvent(models.Model):
    """One step of the dossier's trail: who, when, what, why (a return's reason)."""

    dossier = models.ForeignKey(UpwardDossier, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("việc"), max_length=12, choices=DossierAction.choices)
    version_number = models.PositiveSmallIntegerField(_("lần gửi"))
    at = models.DateTimeField(_("lúc"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_name = models.CharField(_("người thực hiện"), max_length=255, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("lý do, ghi chú"), blank=True)

    objects = ScopedManager("dossier__school", also="dossier__body")

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        ordering = ["dossier", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} – {self.at:%d/%m/%Y %H:%M}"


class ProvinceCampaign(Versioned, Archivable):
    """A campaign the Sở launches (phát động) and sends to its schools, with its targets.

    Once sent it is corrected in place (its slogan, targets, registration deadline: versioned,
    the reason in its history) only while no school has a registration under it; past that it is
    withdrawn (thu hồi): nothing deleted, every school sees it marked with the reason, and no new
    registration is made under a school campaign answering it."""

    body = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan phát động"),
        on_delete=models.PROTECT,
        related_name="launched_emulation_campaigns",
    )
    start_year = models.PositiveSmallIntegerField(_("năm học (năm bắt đầu)"), validators=_YEARS)
    name = models.CharField(_("tên phong trào"), max_length=500)
    slogan = models.CharField(_("chủ đề, khẩu hiệu"), max_length=500, blank=True)
    targets = models.TextField(
        _("mục tiêu, chỉ tiêu, nội dung thi đua"),
        help_text=_("Mỗi dòng một chỉ tiêu hoặc nội dung."),
    )
    titles = models.JSONField(_("danh hiệu, hình thức khen thưởng"), default=list, blank=True)
    registration_closes = models.DateField(
        _("các trường gửi đăng ký thi đua trước ngày"), null=True, blank=True
    )
    basis = models.ForeignKey(
        "documents.Document",
        verbose_name=_("văn bản phát động"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    launched_on = models.DateField(_("ngày phát động"))
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    is_sample = models.BooleanField(default=False, editable=False)
    withdrawn_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thu hồi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    withdrawal_reason = models.TextField(_("lý do thu hồi"), blank=True, editable=False)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("body", also="recipients__school")

    class Meta:
        verbose_name = _("phong trào thi đua do cấp trên phát động")
        verbose_name_plural = _("phong trào thi đua do cấp trên phát động")
        ordering = ["-start_year", "-launched_on", "-pk"]

    def __str__(self) -> str:
        return self.name

    def search_source(self) -> list[str]:
        return [self.name, self.slogan, self.targets]

    @property
    def year_label(self) -> str:
        return school_year_label(self.start_year)

    @property
    def target_lines(self) -> list[str]:
        return [line.strip() for line in self.targets.splitlines() if line.strip()]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class ProvinceCampaignRecipient(models.Model):
    """A school the Sở's campaign was sent to: who sent it, when."""

    campaign = models.ForeignKey(
        ProvinceCampaign, on_delete=models.PROTECT, related_name="recipients"
    )
    school = models.ForeignKey(
        Organisation, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("gửi lúc"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    objects = ScopedManager("campaign__body", also="school")

    class Meta:
        verbose_name = _("trường nhận phong trào thi đua")
        ordering = ["campaign", "school__order", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "school"], name="emulation_province_campaign_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} → {self.school}"
