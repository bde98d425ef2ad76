"""Django's database cache, writing in one statement.

The figures kept in the cache (planning/figures_cache.py) are written by the first view after
each change, and on PostgreSQL and SQLite each write of Django's backend is four round trips to
the database: it counts the table's rows (to cull it), looks for the key, then inserts or
updates, inside a transaction of its own. Here a write is one upsert (`INSERT … ON CONFLICT`,
both databases have it), and the rows are counted and culled every CULL_EVERY writes of a
process instead of before each (the count starts again when the cache is cleared). Everything
else (reads, deletes, culling itself, other databases) is Django's.
"""

from __future__ import annotations

import base64
import itertools
import pickle
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.utils.timezone import now as tz_now

# The table is counted (and culled when over MAX_ENTRIES) once every this many writes.
CULL_EVERY = 100


class DatabaseCache(DjangoDatabaseCache):
    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self._writes = itertools.count(1)

    def clear(self) -> None:
        super().clear()
        self._writes = itertools.count(1)

    def _base_set(
        self, mode: str, key: str, value: Any, timeout: float | None = DEFAULT_TIMEOUT
    ) -> bool:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if mode == "touch" or connection.vendor not in ("postgresql", "sqlite"):
            # Django's own writer (private, so not in the type stubs).
            return bool(super()._base_set(mode, key, value, timeout))  # type: ignore[misc]
        timeout = self.get_backend_timeout(timeout)
        now = tz_now().replace(microsecond=0)
        if timeout is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        expires = expires.replace(microsecond=0)
        quote = connection.ops.quote_name
        table = quote(self._table)  # type: ignore[attr-defined]  # Django's, private
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        adapt = connection.ops.adapt_datetimefield_value
        sql = (
            f"INSERT INTO {table} ({quote('cache_key')}, {quote('value')}, {quote('expires')}) "
            f"VALUES (%s, %s, %s) ON CONFLICT ({quote('cache_key')}) DO UPDATE SET "
            f"{quote('value')} = excluded.{quote('value')}, "
            f"{quote('expires')} = excluded.{quote('expires')}"
        )
        params: list[Any] = [key, encoded, adapt(expires)]
        if mode == "add":
            # Added only where the key is missing or has expired; RETURNING says which.
            sql += f" WHERE {table}.{quote('expires')} < %s RETURNING {quote('cache_key')}"
            params.append(adapt(now))
        try:
            with connection.cursor() as cursor:
                if next(self._writes) % CULL_EVERY == 0:
                    cursor.execute(f"SELECT COUNT(*) FROM {table}")
                    count = cursor.fetchone()[0]
                    if count > self._max_entries:
                        self._cull(db, cursor, now, count)  # type: ignore[attr-defined]
                if not connection.in_atomic_block:
                    return self._upsert(cursor, mode, sql, params)
                # A failed write must not break the caller's transaction.
                with transaction.atomic(using=db):
                    return self._upsert(cursor, mode, sql, params)
        except DatabaseError:
            # As Django's backend: a write that fails (a race, a value too large) is no write.
            return False

    @staticmethod
    def _upsert(cursor: Any, mode: str, sql: str, params: list[Any]) -> bool:
        cursor.execute(sql, params)
        # The returned row is read before a savepoint is released (SQLite will not release
        # one while a statement is still running).
        return mode != "add" or cursor.fetchone() is not None
