"""How fast the API answers (django-ninja's throttles): a budget per user, and a much smaller one
per address for requests without a valid token, so that guessed, revoked or missing tokens are
not answered at full speed.

Rates come from settings.API_THROTTLE_RATES ("30/min", "600/min"…), read at each request rather
than when the module is imported, so tests can change them. Counts live in Django's cache: with
several server processes, the cache must be shared (Redis, Memcached, the database) for the
limits to hold across them.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from core.login_throttle import client_address


class _RateFromSettings(SimpleRateThrottle):
    def get_rate(self) -> str | None:
        return str(settings.API_THROTTLE_RATES[self.scope or ""])

    def get_ident(self, request: HttpRequest) -> str | None:
        # The same address as the login throttle: behind TRUSTED_PROXY_COUNT proxies, the one the
        # nearest trusted proxy saw, never a part of X-Forwarded-For the client wrote.
        return client_address(request)

    def _load(self) -> None:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)


class UserThrottle(_RateFromSettings, UserRateThrottle):
    """Requests per user (the token's owner), whatever the address."""

    scope = "user"

    def allow_request(self, request: HttpRequest) -> bool:
        self._load()
        return super().allow_request(request)


class BadTokenThrottle(_RateFromSettings, AnonRateThrottle):
    """Requests without a valid token, per address. Consulted by the authentication itself
    (ninja runs throttles only after a successful authentication)."""

    scope = "anon"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def exhausted(self, request: HttpRequest) -> bool:
        """Whether this address has used up its budget of failures (counts nothing)."""
        self._load()
        if self.num_requests is None:
            return False
        self.key = self.get_cache_key(request)
        self.now = now = time.time()
        since = now - (self.duration or 0)
        self.history: list[Any] = [at for at in self.cache.get(self.key, []) if at > since]
        return len(self.history) >= self.num_requests

    def count_failure(self, request: HttpRequest) -> None:
        if not self.exhausted(request):
            self.throttle_success()
