"""Reopenings of a finished conference, kept as a record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from conferences.models.hall import Conference
from core.scopes import ScopedManager


class ConferenceReopening(models.Model):
    """A finished conference opened again: who, when and why.

    Papers numbered before a reopening stay as issued; what changes afterwards can only be
    issued as an amendment with a number of its own (conferences.views.outcomes.paper_number).
    """

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="reopenings")
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reopened_at = models.DateTimeField(_("mở lại lúc"), auto_now_add=True)
    reason = models.TextField(_("lý do mở lại"))
    had_issued_papers = models.BooleanField(default=False)
    objects = ScopedManager("conference__school")

    class Meta:
        verbose_name = _("lần mở lại hội nghị")
        ordering = ["reopened_at", "pk"]

    def __str__(self) -> str:
        return f"{self.conference} – {self.reason}"
