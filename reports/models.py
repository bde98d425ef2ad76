"""Báo cáo sơ kết, tổng kết and a unit's report to the school.

A report stores only what people write (the narrative parts) and what it is about (plan, kind,
unit, period, cut-off). Its figures are computed from the tracking data as of the cut-off every
time it is shown (`reports.figures`); issuing freezes them in `snapshot`, so the issued paper
never changes, and the page says when the live data has since differed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Archivable
from core.scopes import ScopedArchivableManager
from organisations.models import Organisation, Person
from planning.models import Plan


class ReportKind(models.TextChoices):
    SEMESTER = "semester", _("Báo cáo sơ kết học kỳ I")
    YEAR = "year", _("Báo cáo tổng kết năm học")
    UNIT = "unit", _("Báo cáo của đơn vị")


class ReportPeriod(models.TextChoices):
    SEMESTER = "semester", _("Học kỳ I")
    YEAR = "year", _("Năm học")


class ReportStatus(models.TextChoices):
    """Draft → submitted for signature (trình ký) → issued; a signer may return a submitted draft
    to be revised (returned), which is submitted again. A signer may also issue a draft directly."""

    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã trình ký")
    RETURNED = "returned", _("Bị trả lại")
    ISSUED = "issued", _("Đã ban hành")


# A report not issued yet: its text may still change, and it may still be issued.
OPEN_STATUSES = (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED)


# The narrative parts leadership (or the unit head) edits, in the order of the paper.
NARRATIVE_FIELDS = ("situation", "shortcomings", "direction", "proposals")


class Report(Archivable):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("loại báo cáo"), max_length=10, choices=ReportKind.choices)
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    period = models.CharField(_("kỳ báo cáo"), max_length=10, choices=ReportPeriod.choices)
    period_start = models.DateField(_("từ ngày"))
    cutoff = models.DateField(_("số liệu tính đến ngày"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )

    situation = models.TextField(_("tình hình chung"), blank=True)
    # Comments on the results of each work area: {"<area pk>": "text"}.
    area_comments = models.JSONField(_("nhận xét kết quả theo lĩnh vực"), default=dict, blank=True)
    shortcomings = models.TextField(_("tồn tại, hạn chế và nguyên nhân"), blank=True)
    direction = models.TextField(_("phương hướng, nhiệm vụ kỳ tới"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)

    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer = models.ForeignKey(
        Person,
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signing_mark = models.CharField(_("quyền hạn ký"), max_length=100, blank=True, editable=False)
    signer_title = models.CharField(
        _("chức vụ người ký"), max_length=150, blank=True, editable=False
    )
    signer_name = models.CharField(_("họ tên người ký"), max_length=150, blank=True, editable=False)
    # The review step: the latest submission for signature and the latest return, kept on the
    # report (the page reads them) and, like every change, in its history. The message and the
    # reason are editable fields only so that the history's differences show them (simple_history
    # compares editable fields); nothing edits them but the review's own services.
    submitted_at = models.DateTimeField(_("trình ký lúc"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trình ký"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submission_note = models.CharField(_("lời trình"), max_length=1000, blank=True)
    returned_at = models.DateTimeField(_("trả lại lúc"), null=True, blank=True, editable=False)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lại"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_reason = models.CharField(_("lý do trả lại"), max_length=1000, blank=True)
    # The figures as they stood when the report was issued (JSON of reports.figures.compute).
    snapshot = models.JSONField(null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Optimistic concurrency: every save bumps it; a form posted with an older one is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords(excluded_fields=["version", "search_text"])
    objects = ScopedArchivableManager("plan__school")

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["-cutoff", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="unit", unit__isnull=False)
                | (~Q(kind="unit") & Q(unit__isnull=True)),
                name="report_unit_only_for_unit_reports",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.summary}"

    def search_source(self) -> list[str]:
        return [str(self.get_kind_display()), self.summary]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not self._state.adding:
            self.version = (self.version or 0) + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}  # type: ignore[misc]
        super().save(*args, **kwargs)

    @property
    def is_issued(self) -> bool:
        return self.status == ReportStatus.ISSUED

    @property
    def is_submitted(self) -> bool:
        return self.status == ReportStatus.SUBMITTED

    @property
    def is_returned(self) -> bool:
        return self.status == ReportStatus.RETURNED

    @property
    def paper_kind(self) -> str:
        """The code of the paper kind in papers.registry."""
        return f"report_{self.kind}"

    @property
    def period_label(self) -> str:
        """ "học kỳ I năm học 2023–2024" or "năm học 2023–2024"."""
        year = f"năm học {self.plan.year_label}"
        return f"học kỳ I {year}" if self.period == ReportPeriod.SEMESTER else year

    @property
    def summary(self) -> str:
        """The summary line (trích yếu) of the paper."""
        if self.kind == ReportKind.SEMESTER:
            return f"Sơ kết học kỳ I năm học {self.plan.year_label}"
        if self.kind == ReportKind.YEAR:
            return f"Tổng kết năm học {self.plan.year_label}"
        unit = self.unit.name if self.unit else ""
        return f"Kết quả thực hiện nhiệm vụ {self.period_label} của {unit}"
