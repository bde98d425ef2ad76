"""The one kind of error a domain raises when its rules refuse what the user asked.

A service raises a subclass (PlanningError, TrackingError, EditConflict…) with the message the user
is told, in Vietnamese; a page shows it (core.views.attempt), the JSON API answers it as `ErrorOut`
with the error's HTTP status (api.errors).
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused the request: `message` is what the user is told, `status` the HTTP status
    that says so (400 unless the subclass or the raiser says otherwise)."""

    status: int = 400

    def __init__(self, message: str = "", *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        return str(self.message)
