"""Emulation (thi đua): the dated rule sets that classification and titles are computed by.

A rule set is versioned data with the legal texts that set it (`source`) and what checking those
texts found (`notes`), never constants in code. The national sets (no school) come from
``data/rule_sets.json`` (migration 0002); a school may keep its own set, but only where the law
lets a school decide (`SCHOOL_STRICTER`): a lower HTXS quota, higher shares for the collective
titles, higher thresholds for the year's evidence (NĐ 90/2020 Art. 12–13). Everything else follows the national set in force.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scopes import ScopedManager
from emulation.engine import Discipline, Level, Rules
from organisations.models import Organisation

_SHARE = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]
_MONTHS = [MaxValueValidator(12)]

# The values a school may set for itself, and which way it may move them from the national set:
# -1 no higher (the HTXS quota is a ceiling), +1 no lower (the collective shares are minimums).
SCHOOL_STRICTER: dict[str, int] = {
    "htxs_quota": -1,
    "ttldtt_min_share": +1,
    "ttldxs_min_share": +1,
    # The evidence's thresholds (NĐ 90/2020 Art. 12–13): the school's quy chế may ask more of
    # the year's results than the decree, never less.
    "htt_on_time_share": +1,
    "htxs_ahead_share": +1,
    "manager_targets_share": +1,
}
# The values a school's own set must keep as the national set has them.
NATIONAL_ONLY = (
    "min_months_classified",
    "ldtt_min_months",
    "cstd_higher_streak",
    "collective_discipline_bar",
    # NĐ 90/2020 Art. 2 cl. 3: leave and maternity leave, fixed by the decree.
    "leave_cap_months",
    "leave_cap_level",
    "maternity_classified",
)


class RuleSet(models.Model):
    """One dated version of the rules: national when `school` is empty, else a school's own."""

    school = models.ForeignKey(
        Organisation,
        verbose_name=_("trường"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="emulation_rule_sets",
        help_text=_("Để trống: quy định chung toàn quốc."),
    )
    name = models.CharField(_("tên"), max_length=255)
    valid_from = models.DateField(_("áp dụng từ"))
    source = models.TextField(
        _("căn cứ"),
        help_text=_("Văn bản quy định, ví dụ Nghị định số 90/2020/NĐ-CP, Luật số 06/2022/QH15"),
    )
    notes = models.TextField(_("ghi chú đối chiếu văn bản"), blank=True)
    htxs_quota = models.DecimalField(
        _("tỷ lệ HTXS tối đa"),
        max_digits=4,
        decimal_places=3,
        validators=_SHARE,
        help_text=_("Trên số xếp loại HTT hoặc HTXS, theo đơn vị và nhóm nhiệm vụ tương đồng."),
    )
    min_months_classified = models.PositiveSmallIntegerField(
        _("số tháng công tác tối thiểu để xếp loại"), validators=_MONTHS
    )
    ldtt_min_months = models.PositiveSmallIntegerField(
        _("số tháng công tác tối thiểu để xét Lao động tiên tiến"), validators=_MONTHS
    )
    ttldtt_min_share = models.DecimalField(
        _("TTLĐTT: tỷ lệ LĐTT phải vượt quá"), max_digits=4, decimal_places=3, validators=_SHARE
    )
    ttldxs_min_share = models.DecimalField(
        _("TTLĐXS: tỷ lệ LĐTT tối thiểu"), max_digits=4, decimal_places=3, validators=_SHARE
    )
    cstd_higher_streak = models.PositiveSmallIntegerField(
        _("CSTĐ cấp tỉnh/bộ: số năm liên tục đạt CSTĐCS"), validators=[MinValueValidator(1)]
    )
    collective_discipline_bar = models.CharField(
        _("danh hiệu tập thể: không ai bị kỷ luật từ mức"),
        max_length=20,
        choices=[(discipline.value, discipline.value) for discipline in Discipline],
        null=True,
        blank=True,
        help_text=_("Để trống: kỷ luật của thành viên không ngăn danh hiệu tập thể."),
    )

    # What the year's computed evidence is checked against (NĐ 90/2020/NĐ-CP Art. 12–13 as
    # amended by NĐ 48/2023/NĐ-CP): a share, 1 for "every".
    htt_on_time_share = models.DecimalField(
        _("HTT, HTXS: tỷ lệ nhiệm vụ hoàn thành đúng tiến độ tối thiểu"),
        max_digits=4,
        decimal_places=3,
        default=Decimal(1),
        validators=_SHARE,
        help_text=_("Trên số nhiệm vụ đến hạn, theo hạn ban đầu. 1 = hoàn thành 100% nhiệm vụ."),
    )
    htxs_ahead_share = models.DecimalField(
        _("HTXS: tỷ lệ nhiệm vụ hoàn thành vượt mức tối thiểu"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.5"),
        validators=_SHARE,
        help_text=_("Trên số nhiệm vụ đã hoàn thành; hoàn thành trước hạn ban đầu được tính."),
    )
    manager_targets_share = models.DecimalField(
        _("cán bộ quản lý HTT, HTXS: tỷ lệ chỉ tiêu của đơn vị phải đạt"),
        max_digits=4,
        decimal_places=3,
        default=Decimal(1),
        validators=_SHARE,
        help_text=_("Trên số chỉ tiêu đã có số liệu. 1 = đơn vị hoàn thành tất cả chỉ tiêu."),
    )

    # NĐ 90/2020/NĐ-CP Art. 2 cl. 3: absent on leave the law allows (other than maternity
    # leave) from `leave_cap_months` months → evaluated, but not above `leave_cap_level`;
    # maternity leave → classified on the time actually worked, whatever the months.
    leave_cap_months = models.PositiveSmallIntegerField(
        _("nghỉ theo quy định từ số tháng này thì xếp loại không quá mức giới hạn"),
        default=3,
        validators=_MONTHS,
        help_text=_("Không tính nghỉ chế độ thai sản."),
    )
    leave_cap_level = models.CharField(
        _("mức xếp loại cao nhất khi nghỉ dài"),
        max_length=4,
        choices=[(level.value, level.label) for level in Level],
        default=Level.HT.value,
    )
    maternity_classified = models.BooleanField(
        _("nghỉ thai sản vẫn xếp loại theo thời gian làm việc thực tế"), default=True
    )

    history = HistoricalRecords()
    # National sets (no school) are seen in every school's scope, beside the school's own.
    objects = ScopedManager("school", shared=True)

    class Meta:
        verbose_name = _("bộ quy tắc thi đua")
        verbose_name_plural = _("bộ quy tắc thi đua")
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "valid_from"], name="one_emulation_rule_set_per_school_day"
            ),
            models.UniqueConstraint(
                fields=["valid_from"],
                condition=Q(school__isnull=True),
                name="one_national_emulation_rule_set_per_day",
            ),
            models.CheckConstraint(
                condition=Q(htxs_quota__gte=0, htxs_quota__lte=1)
                & Q(ttldtt_min_share__gte=0, ttldtt_min_share__lte=1)
                & Q(ttldxs_min_share__gte=0, ttldxs_min_share__lte=1),
                name="emulation_rule_set_shares_between_0_and_1",
            ),
            models.CheckConstraint(
                condition=Q(htt_on_time_share__gte=0, htt_on_time_share__lte=1)
                & Q(htxs_ahead_share__gte=0, htxs_ahead_share__lte=1)
                & Q(manager_targets_share__gte=0, manager_targets_share__lte=1),
                name="emulation_rule_set_evidence_shares_between_0_and_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (từ {self.valid_from:%d/%m/%Y})"

    @classmethod
    def in_force(cls, day: dt.date, school: Organisation | None = None) -> RuleSet | None:
        """The rule set in force on `day` for `school` (None: the national one).

        The latest `valid_from` on or before the day wins, national or the school's own: a new
        national set supersedes a school's older adaptation, which the school then renews. On
        the same day the school's own set wins.
        """
        mine = Q(school__isnull=True)
        if school is not None:
            mine |= Q(school=school)
        return (
            cls.objects.filter(mine, valid_from__lte=day)
            .order_by("-valid_from", F("school").asc(nulls_last=True))
            .first()
        )

    def as_rules(self, **values: Any) -> Rules:
        """The engine's values, with `values` (e.g. a run's overrides) replacing these."""
        bar = self.collective_discipline_bar
        fields: dict[str, Any] = {
            "htxs_quota": Decimal(self.htxs_quota),
            "min_months_classified": Decimal(self.min_months_classified),
            "ldtt_min_months": Decimal(self.ldtt_min_months),
            "ttldtt_min_share": Decimal(self.ttldtt_min_share),
            "ttldxs_min_share": Decimal(self.ttldxs_min_share),
            "cstd_higher_streak": int(self.cstd_higher_streak),
            "collective_discipline_bar": Discipline(bar) if bar else None,
            "htt_on_time_share": Decimal(self.htt_on_time_share),
            "htxs_ahead_share": Decimal(self.htxs_ahead_share),
            "manager_targets_share": Decimal(self.manager_targets_share),
            "leave_cap_months": Decimal(self.leave_cap_months),
            "leave_cap_level": Level(self.leave_cap_level),
            "maternity_classified": bool(self.maternity_classified),
        }
        fields.update(values)
        return Rules(**fields)

    def clean(self) -> None:
        """A school's own set may only be stricter, and only where the law lets it decide."""
        super().clean()
        if self.school_id is None or self.valid_from is None:
            return
        national = (
            RuleSet._base_manager.filter(school__isnull=True, valid_from__lte=self.valid_from)
            .order_by("-valid_from")
            .first()
        )
        if national is None:
            raise ValidationError(
                _("Chưa có quy định chung toàn quốc áp dụng vào ngày này để trường điều chỉnh.")
            )
        errors: dict[str, str] = {}
        for name, direction in SCHOOL_STRICTER.items():
            mine, theirs = getattr(self, name), getattr(national, name)
            if mine is None:
                continue
            if direction < 0 and mine > theirs:
                errors[name] = str(
                    _("Trường chỉ được đặt thấp hơn hoặc bằng quy định chung (%(value)s).")
                    % {"value": theirs}
                )
            if direction > 0 and mine < theirs:
                errors[name] = str(
                    _("Trường chỉ được đặt cao hơn hoặc bằng quy định chung (%(value)s).")
                    % {"value": theirs}
                )
        for name in NATIONAL_ONLY:
            if getattr(self, name) != getattr(national, name):
                errors[name] = str(
                    _("Pháp luật không cho trường tự quyết giá trị này: giữ %(value)s.")
                    % {"value": getattr(national, name)}
                )
        if errors:
            raise ValidationError(errors)
