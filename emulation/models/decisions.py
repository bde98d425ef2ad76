"""The principal's decision on the year's titles, and the bonus amounts it carries.

A `Decision` is issued once per campaign: its lists (each person's final level and titles, the
units' titles, what is proposed to the level above, every amount) are frozen in `snapshot` when
it is numbered, and the Quyết định, the tờ trình and the Excel lists are all written from that
snapshot, so they always say the same thing and never change afterwards.

Bonuses are multiples of the base salary (lương cơ sở): both are dated national data with the
text that set them (`BaseSalary`, `BonusScale`, loaded from ``data/bonuses.json``), never
constants in code. A decision uses the values in force on the day it is signed.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scopes import ScopedManager
from core.versioning import Versioned
from emulation.models.campaigns import Campaign
from organisations.models import Person


class BaseSalary(models.Model):
    """The base salary (mức lương cơ sở) from a day, with the decree that set it."""

    valid_from = models.DateField(_("áp dụng từ"), unique=True)
    amount = models.PositiveIntegerField(_("mức lương cơ sở (đồng/tháng)"))
    source = models.TextField(_("căn cứ"))
    notes = models.TextField(_("ghi chú đối chiếu văn bản"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mức lương cơ sở")
        verbose_name_plural = _("mức lương cơ sở")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.amount:,} đồng (từ {self.valid_from:%d/%m/%Y})".replace(",", ".")

    @classmethod
    def in_force(cls, day: dt.date) -> BaseSalary | None:
        return cls.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


class BonusScale(models.Model):
    """The bonus of each title as a multiple of the base salary, from a day, with its source."""

    name = models.CharField(_("tên"), max_length=255)
    valid_from = models.DateField(_("áp dụng từ"), unique=True)
    source = models.TextField(_("căn cứ"))
    # The decree as a decision cites it ("Căn cứ Nghị định số 98/2023/NĐ-CP ngày …").
    basis = models.TextField(_("căn cứ ghi trong quyết định"), blank=True)
    notes = models.TextField(_("ghi chú đối chiếu văn bản"), blank=True)
    # {"LĐTT": "0.3", "CSTĐCS": "1.0", …}: the engine's title values.
    coefficients = models.JSONField(_("hệ số theo danh hiệu"), default=dict)
    # Amounts are rounded up to this many đồng (NĐ 91/2017: to the ten thousand).
    rounding = models.PositiveIntegerField(_("làm tròn lên đến (đồng)"), default=10_000)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hệ số tiền thưởng danh hiệu thi đua")
        verbose_name_plural = _("hệ số tiền thưởng danh hiệu thi đua")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.name} (từ {self.valid_from:%d/%m/%Y})"

    @classmethod
    def in_force(cls, day: dt.date) -> BonusScale | None:
        return cls.objects.filter(valid_from__lte=day).order_by("-valid_from").first()

    def coefficient(self, title: str) -> Decimal | None:
        value = (self.coefficients or {}).get(title)
        return None if value in (None, "") else Decimal(str(value))

    def amount(self, title: str, base_salary: int) -> int | None:
        """The bonus in đồng, rounded up; None when the title carries no bonus here."""
        coefficient = self.coefficient(title)
        if coefficient is None:
            return None
        raw = coefficient * Decimal(base_salary)
        step = Decimal(self.rounding or 1)
        return int((raw / step).to_integral_value(rounding=ROUND_CEILING) * step)


class Decision(Versioned):
    """Quyết định công nhận danh hiệu thi đua of a campaign (and its tờ trình to the level
    above), issued once; `snapshot` holds every list the papers and sheets show."""

    campaign = models.OneToOneField(Campaign, on_delete=models.PROTECT, related_name="decision")
    decided_on = models.DateField(_("ngày ký quyết định"))
    signer = models.ForeignKey(
        Person, verbose_name=_("người ký"), on_delete=models.PROTECT, related_name="+"
    )
    signing_mark = models.CharField(max_length=50, blank=True, editable=False)
    signer_title = models.CharField(max_length=255, blank=True, editable=False)
    signer_name = models.CharField(max_length=255, blank=True, editable=False)
    snapshot = models.JSONField(default=dict, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    proposal_on = models.DateField(_("ngày ký tờ trình"), null=True, blank=True, editable=False)
    proposal_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()
    objects = ScopedManager("campaign__school")

    class Meta:
        verbose_name = _("quyết định công nhận danh hiệu thi đua")
        verbose_name_plural = _("quyết định công nhận danh hiệu thi đua")

    def __str__(self) -> str:
        return f"Quyết định công nhận danh hiệu – {self.campaign}"

    @property
    def people(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = (self.snapshot or {}).get("people", [])
        return rows

    @property
    def units(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = (self.snapshot or {}).get("units", [])
        return rows

    @property
    def proposals(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = (self.snapshot or {}).get("proposals", [])
        return rows
