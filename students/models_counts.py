"""Cohorts' headcounts (sĩ số) as the training-management program counted them on its count
dates, imported from Excel and kept over time beside the headcount Trọng Tâm works out from the
student list and its changes (students.figures.Roll), so that a difference shows.

Kept apart from `students.models` (which re-exports it); the cohort is named by string, so this
module imports nothing of the students app.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scopes import ScopedManager
from organisations.models import Organisation

MAX_HEADCOUNT = 100_000


class CohortCount(models.Model):
    """A class's headcount on a count date; a later import of the same date corrects it (its
    history stays)."""

    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    cohort = models.ForeignKey(
        "students.Cohort", on_delete=models.PROTECT, related_name="headcounts"
    )
    counted_on = models.DateField(_("ngày thống kê"))
    headcount = models.PositiveIntegerField(
        _("sĩ số"), validators=[MaxValueValidator(MAX_HEADCOUNT)]
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    history = HistoricalRecords()
    objects = ScopedManager("school")

    class Meta:
        verbose_name = _("sĩ số lớp theo ngày thống kê")
        ordering = ["cohort__code", "-counted_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "counted_on"], name="cohort_count_unique_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cohort} {self.counted_on:%d/%m/%Y}: {self.headcount}"
