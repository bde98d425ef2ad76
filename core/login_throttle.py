"""Login throttling on top of django-axes: one limit per account, a higher one per address.

Axes compares one number with one limit; here each lockout parameter's failures are scaled so
that the account reaches the limit after AXES_FAILURE_LIMIT failures and the address only after
AXES_ADDRESS_FAILURE_LIMIT (a school's staff reach the site from one shared address).
"""

from __future__ import annotations

import math
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_address(request: HttpRequest) -> str | None:
    """The client's address: the one the trusted proxies saw, never a header it wrote itself."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        header: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    address: str | None = request.META.get("REMOTE_ADDR")
    return address


def _is_address_only(parameter: str | list[str]) -> bool:
    return parameter == "ip_address" or parameter == ["ip_address"]


class LoginThrottleHandler(AxesDatabaseHandler):
    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        limit = settings.AXES_FAILURE_LIMIT
        address_limit = settings.AXES_ADDRESS_FAILURE_LIMIT
        parameters = get_lockout_parameters(request, credentials)
        worst = 0
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if _is_address_only(parameter):
                # Scaled so the address reaches `limit` only at `address_limit` failures.
                failures = math.floor(failures * limit / address_limit)
            worst = max(worst, failures)
        return worst


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """The Vietnamese lock-out page (429), telling how long the lock lasts."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    return render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": minutes},
        status=429,
    )
