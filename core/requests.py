"""Request types for the type checker: what a view may rely on beyond a plain HttpRequest.

They change nothing at run time; a view annotates its request with one to say what the
decorators and middleware in front of it guarantee.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class SignedInRequest(HttpRequest):
    """A request behind ``@login_required``: its user is signed in."""

    user: User


class HtmxRequest(HttpRequest):
    """A request through django-htmx's middleware, which sets ``request.htmx``."""

    htmx: HtmxDetails


class SignedInHtmxRequest(SignedInRequest, HtmxRequest):
    """A request behind ``@login_required`` that a view also asks about htmx."""


class ApiRequest(HttpRequest):
    """A request to the JSON API past its token authentication: django-ninja sets ``auth`` to
    what the authenticator returned, the token's user (api.site.TokenAuth)."""

    auth: User
