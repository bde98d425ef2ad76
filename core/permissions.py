"""The permission framework: fetch-and-authorise and require, over django-rules permissions.

An outsider (another organisation) gets 404 before anything of the object is shown; a member
without the right gets 403. The predicates over a user's membership live in
organisations.permissions.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404

M = TypeVar("M", bound=models.Model)


def get_authorised(
    user: Any,
    queryset: models.QuerySet[M] | type[M],
    view_perm: str,
    perm: str | None = None,
    **lookup: Any,
) -> M:
    """Fetch one object the user may see (404 otherwise) and, if asked, may act on (403)."""
    obj = get_object_or_404(queryset, **lookup)
    if not user.has_perm(view_perm, obj):
        raise Http404
    if perm and not user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


def require(user: Any, perm: str, obj: Any = None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


class AdminSiteModelBackend(ModelBackend):
    """Django's model permissions, for the admin site only: the product's rights are the rules'
    (`rules.permissions.ObjectPermissionBackend`, before this one). A right the rules refuse
    falls through to this backend, which for a user who is not staff has none, without reading
    the permission and group tables (two queries on every page otherwise: the navigation asks
    rights a unit head does not have)."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not (getattr(user_obj, "is_staff", False) or getattr(user_obj, "is_superuser", False)):
            return set()
        return super().get_all_permissions(user_obj, obj)
