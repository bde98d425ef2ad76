"""Shared model behaviour: archiving instead of deleting, and diacritic-free search."""

from __future__ import annotations

from typing import Any, Self, TypeVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import fold, search_terms

_M = TypeVar("_M", bound=models.Model)


class ArchivableQuerySet(models.QuerySet[_M]):
    def active(self) -> Self:
        return self.filter(archived_at__isnull=True)

    def search(self, query: str) -> Self:
        """Rows whose folded text contains every folded word of the query."""
        qs = self
        for term in search_terms(query):
            qs = qs.filter(search_text__contains=term)
        return qs


class Archivable(models.Model):
    """Plan data is never hard-deleted: it is archived, and stays in the audit history."""

    archived_at = models.DateTimeField(_("lưu trữ lúc"), null=True, blank=True, editable=False)
    search_text = models.TextField(editable=False, default="")

    # No manager here: each model declares its own, scoped to its organisation (core.scopes,
    # e.g. ScopedArchivableManager("plan__school")) or, for the shared tree, unscoped.

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(" ".join(part for part in self.search_source() if part))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def search_source(self) -> list[str]:
        """The texts a user may search this row by; subclasses name them."""
        return []

    def archive(self) -> None:
        self.archived_at = timezone.now()
        self.save(update_fields=["archived_at"])
