"""The scope of a request: the active membership's organisation (django-scopes).

Every model owned by a school (or by a Sở…: the top of a tree, Organisation.school) has a scoped
default manager (core.scopes): inside `scope(school=<organisation id>)` its queries see that
organisation's rows only, and outside any scope they raise ScopeError. A request gets its scope
from ActiveOrganisationMiddleware; the worker's jobs, management commands, the demo loader and the
admin site say `scopes_disabled()` explicitly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from core.scopes import DIMENSION
from organisations.membership import (
    ACTIVE_ORGANISATION_KEY,
    Membership,
    activate_membership,
    membership_of,
)


@contextmanager
def membership_scope(user: Any, membership: Membership | None = None) -> Iterator[None]:
    """The scope of what `user` may see: the active membership's organisation; nothing for a
    signed-in user who belongs to none; everything for a site administrator without one."""
    membership = membership or membership_of(user)
    if membership.school_id is not None:
        with scope(**{DIMENSION: membership.school_id}):
            yield
    elif getattr(user, "is_superuser", False):
        with scopes_disabled():
            yield
    else:
        # An empty list filters every scoped query to nothing (None would filter nothing out).
        with scope(**{DIMENSION: []}):
            yield


class ActiveOrganisationMiddleware:
    """After authentication: activate the session's membership and run the request in its scope.

    Anonymous requests read no organisation's data (an empty scope); the admin site is for
    superusers across every organisation (scopes disabled there).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.admin_prefix = ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            with scope(**{DIMENSION: []}):
                return self.get_response(request)
        if user.is_superuser and request.path.startswith(self._admin_prefix()):
            with scopes_disabled():
                return self.get_response(request)
        membership = activate_membership(user, request.session.get(ACTIVE_ORGANISATION_KEY))
        with membership_scope(user, membership):
            return self.get_response(request)

    def _admin_prefix(self) -> str:
        if not self.admin_prefix:
            self.admin_prefix = reverse("admin:index")
        return self.admin_prefix
