"""The permission framework: fetch-and-authorise and require, over django-rules permissions.

An outsider (another organisation) gets 404 before anything of the object is shown; a member
without the right gets 403. The predicates over a user's membership live in
organisations.permissions.
"""

from __future__ import annotations

from typing import Any, TypeVar

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
