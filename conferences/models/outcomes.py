"""What the conference leaves: conclusions, the emulation launch and pledge, photos."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conferences.models.hall import Conference
from core.models import Archivable
from core.scopes import ScopedArchivableManager, ScopedManager
from organisations.models import Organisation, Person


class Conclusion(Archivable):
    """An item of the chair's conclusions; a directive ("giao + đơn vị + việc") becomes a task."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="conclusions")
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    text = models.TextField(_("nội dung kết luận"))
    is_directive = models.BooleanField(_("là nội dung giao việc"), default=True)
    lead_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị chủ trì"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    task = models.ForeignKey(
        "planning.Task",
        verbose_name=_("nhiệm vụ trong kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="from_conclusions",
    )
    task_created = models.BooleanField(default=False, editable=False)
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("conference__school")

    class Meta:
        verbose_name = _("kết luận")
        verbose_name_plural = _("kết luận")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text

    def search_source(self) -> list[str]:
        return [self.text]


class EmulationLaunch(models.Model):
    """The launch of the year's emulation campaign (phát động thi đua) at the conference."""

    conference = models.OneToOneField(
        Conference, on_delete=models.PROTECT, related_name="emulation_launch"
    )
    launched_by = models.ForeignKey(
        Person, verbose_name=_("người phát động"), on_delete=models.PROTECT, related_name="+"
    )
    launcher_title = models.CharField(_("chức vụ"), max_length=255, blank=True)
    on_behalf_of = models.CharField(
        _("thay mặt"), max_length=255, blank=True, default="lãnh đạo nhà trường"
    )
    campaign = models.CharField(
        _("phong trào thi đua"), max_length=500, help_text=_("Ví dụ: thi đua năm học 2023-2024")
    )
    audience = models.CharField(
        _("đối tượng"),
        max_length=500,
        help_text=_("Ví dụ: toàn thể cán bộ quản lý, nhà giáo, người lao động và HSSV"),
    )
    content = models.TextField(_("nội dung, chỉ tiêu thi đua"), blank=True)
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()
    objects = ScopedManager("conference__school")

    class Meta:
        verbose_name = _("phát động thi đua")

    def __str__(self) -> str:
        return self.campaign


class EmulationPledge(Archivable):
    """The emulation pledge signed between the head of the school and the trade union."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="pledges")
    head = models.ForeignKey(
        Person, verbose_name=_("thủ trưởng ký"), on_delete=models.PROTECT, related_name="+"
    )
    union = models.ForeignKey(
        Organisation, verbose_name=_("công đoàn"), on_delete=models.PROTECT, related_name="+"
    )
    union_rep = models.ForeignKey(
        Person, verbose_name=_("đại diện công đoàn ký"), on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField(_("ngày ký"))
    content = models.TextField(_("nội dung giao ước"))
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("conference__school")

    class Meta:
        verbose_name = _("giao ước thi đua")
        ordering = ["signed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.head} – {self.union_rep}"


def photo_upload_to(instance: Photo, filename: str) -> str:
    # The stored name is ours (the type found in the content), never the uploader's.
    return f"conferences/{instance.conference_id}/{filename}"


class Photo(Archivable):
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="photos")
    image = models.FileField(_("ảnh"), upload_to=photo_upload_to)
    caption = models.CharField(_("chú thích"), max_length=500)
    content_type = models.CharField(max_length=30, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    size = models.PositiveIntegerField(editable=False)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("conference__school")

    class Meta:
        verbose_name = _("ảnh hội nghị")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.caption

    def search_source(self) -> list[str]:
        return [self.caption]
