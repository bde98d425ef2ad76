"""What the students pages compute from a whole school's students (the cohort × term matrix, the
training scale), kept in Django's cache under the school's students version.

The version is a token renewed once the transaction of any change of the school's students data
commits (`changed`: called by `students.feeds.refresh`, which every service changing figures
calls, and by the services of classes and programmes). Keys hold the school, the version, the
day and the language, so a page never shows figures older than the data: the first request after
a change recomputes what it shows, the next ones read it (one cache read). A token, not a counter:
a version lost from the cache becomes a new token, never an old number whose entries could still
be there. Entries of older versions are never read again and expire by themselves.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection, transaction
from django.utils.translation import get_language

from planning import figures_cache

logger = logging.getLogger(__name__)

# Part of every key: bump it when the shape of what is cached changes.
SHAPE = 1
TIMEOUT = 12 * 60 * 60

T = TypeVar("T")


def _version_key(school_id: int) -> str:
    return f"students:version:{school_id}"


@dataclass(frozen=True)
class _Renew:
    school_id: int

    def __call__(self) -> None:
        key, token = _version_key(self.school_id), uuid.uuid4().hex
        cache.set(key, token, None)
        if cache.get(key) != token:
            # The write failed (the database cache answers a locked database with no write):
            # without a version the next read makes a new one, never the old one's figures.
            logger.warning(
                "Không ghi được phiên bản số liệu người học của trường %s", self.school_id
            )
            cache.delete(key)


def changed(school_id: int) -> None:
    """The school's students figures change once the current transaction commits (nothing if it
    rolls back); many changes in one transaction renew the version once."""
    callback = _Renew(school_id)
    if connection.in_atomic_block and any(
        entry[1] == callback for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(callback, robust=True)


def current(school_id: int) -> str:
    """The school's students version (a new one when none is known)."""
    key = _version_key(school_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, None)
        version = cache.get(key)
    return str(version)


def cached(school_id: int, name: str, day: dt.date, compute: Callable[[], T]) -> T:
    """`compute()`'s value for the school on `day`, computed once per version."""
    key = f"students:{SHAPE}:{name}:{school_id}:{current(school_id)}:{day:%Y%m%d}:{get_language()}"
    value: Any = figures_cache.get(key)
    if value is figures_cache.MISSING:
        value = compute()
        figures_cache.put(key, value, TIMEOUT)
    return value  # stored by this function from compute()
