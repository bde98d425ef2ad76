"""Optimistic concurrency for edit forms: one mechanism for every object people edit.

An edit form carries the version the object had when it was opened. The service that saves it
first claims the next version with a conditional UPDATE (… SET version = version + 1 WHERE
version = expected): of two saves opened at the same version only one matches, on SQLite and on
PostgreSQL alike, and the other is refused with `EditConflict` before anything is written. The
refused editor keeps what they typed and is told who changed what meanwhile (from the history).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import Change, author, changes_between
from core.errors import DomainError


class Versioned(models.Model):
    """A `version` bumped by every save of an existing row, whoever makes it."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            self.version = (self.version or 0) + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)


class EditConflict(DomainError):
    """Someone saved the object after this editor opened the form (HTTP 409 Conflict)."""

    status = 409

    def __init__(self, current: Versioned, expected: int) -> None:
        self.current = current
        self.expected = expected
        records = list(
            current.history.select_related("history_user")  # type: ignore[attr-defined]  # simple_history adds `history` to each concrete model, unseen by mypy
            .filter(version__gt=expected)
            .order_by("history_date", "history_id")
        )
        base = (
            current.history.filter(version__lte=expected)  # type: ignore[attr-defined]  # simple_history adds `history` to each concrete model, unseen by mypy
            .order_by("-history_date", "-history_id")
            .first()
        )
        latest = records[-1] if records else None
        self.changes: list[Change] = (
            changes_between(base, latest) if base is not None and latest is not None else []
        )
        self.who = ", ".join(dict.fromkeys(author(r) for r in records)) or _("người khác")
        self.when = (
            timezone.localtime(latest.history_date).strftime("%H:%M %d/%m/%Y") if latest else ""
        )
        self.message = _(
            "Nội dung này vừa được %(who)s sửa lúc %(when)s trong khi bạn đang sửa. "
            "Các thay đổi của họ: %(changes)s; hãy xem lại rồi lưu lại."
        ) % {
            "who": self.who,
            "when": self.when or "—",
            "changes": "; ".join(f"{c.field}: {c.old} → {c.new}" for c in self.changes)
            or _("không ghi nhận thay đổi nội dung nào"),
        }
        super().__init__(self.message)


def claim_version(obj: Versioned, expected: int | None) -> None:
    """Make the coming save of `obj` the one that moves it on from `expected`, or raise.

    Call it first inside the service's transaction, before anything is written; `None` means the
    caller (a command, the demo) edits without a form and takes the row as it is.
    """
    if expected is None or obj.pk is None:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim_version must run inside the saving transaction")
    model = type(obj)
    won = model._base_manager.filter(pk=obj.pk, version=expected).update(version=F("version") + 1)
    if not won:
        raise EditConflict(model._base_manager.get(pk=obj.pk), expected)
    # The row now holds expected + 1; save() bumps the in-memory copy to that same number.
    obj.version = expected


class VersionedFormMixin:
    """A hidden `version` on a model form that edits an existing object.

    Put it before the form's other bases; the view passes `form.expected_version` to the service
    and, on `EditConflict`, calls `form.conflict(error)` and renders the form again.
    """

    conflicted: EditConflict | None = None
    # Provided by the form class this is mixed into.
    fields: dict[str, Any]
    data: Any
    cleaned_data: dict[str, Any]
    add_error: Any
    add_prefix: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            message = gettext_lazy(
                "Biểu mẫu thiếu phiên bản của nội dung; hãy tải lại trang rồi sửa lại."
            )
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput,
                initial=instance.version,
                min_value=1,
                error_messages={"required": message, "invalid": message, "min_value": message},
            )

    @property
    def expected_version(self) -> int | None:
        version = self.cleaned_data.get("version")
        return int(version) if version is not None else None

    def conflict(self, error: EditConflict) -> None:
        """Show the conflict and arm the form for a deliberate second save: the editor's values
        stay in the boxes, and the hidden version moves to the one they have now seen."""
        self.conflicted = error
        self.add_error(None, error.message)
        data = self.data.copy()
        data[self.add_prefix("version")] = str(error.current.version)
        self.data = data
