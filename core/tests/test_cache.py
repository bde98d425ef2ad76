"""The database cache writing in one statement (core/cache.py): the same answers as Django's
backend, one query a write, the table still culled."""

from __future__ import annotations

import datetime as dt
import warnings

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.base import CacheKeyWarning
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from core import cache as backend

pytestmark = pytest.mark.django_db(transaction=True)

TABLE = "trongtam_cache"


def table_queries(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries if TABLE in q["sql"]]


def expire(key: str) -> None:
    """Make a stored key expired, as time would."""
    past = connection.ops.adapt_datetimefield_value(
        dt.datetime(2000, 1, 1, tzinfo=dt.UTC).replace(microsecond=0)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET expires = %s WHERE cache_key = %s", [past, cache.make_key(key)]
        )


def test_set_get_and_overwrite() -> None:
    cache.set("a", {"figures": [1, 2, 3]}, 60)
    assert cache.get("a") == {"figures": [1, 2, 3]}
    cache.set("a", "again", 60)
    assert cache.get("a") == "again"
    cache.set_many({"b": 1, "c": 2}, 60)
    assert cache.get_many(["a", "b", "c"]) == {"a": "again", "b": 1, "c": 2}


def test_add_only_where_missing_or_expired() -> None:
    assert cache.add("lock", "first", 60) is True
    assert cache.add("lock", "second", 60) is False
    assert cache.get("lock") == "first"
    expire("lock")
    assert cache.add("lock", "third", 60) is True
    assert cache.get("lock") == "third"


def test_a_write_is_one_query() -> None:
    cache.set("warm", 0, 60)
    with CaptureQueriesContext(connection) as queries:
        cache.set("x", 1, 60)
        cache.add("y", 2, 60)
        cache.add("y", 3, 60)
    assert len(table_queries(queries)) == 3


def test_the_table_is_culled_every_so_many_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backend, "CULL_EVERY", 5)
    with override_settings(
        CACHES={
            "small": {
                "BACKEND": "core.cache.DatabaseCache",
                "LOCATION": TABLE,
                "OPTIONS": {"MAX_ENTRIES": 3, "CULL_FREQUENCY": 0},
            }
        }
    ):
        small = caches["small"]
        small.clear()
        with CaptureQueriesContext(connection) as queries:
            for number in range(1, 5):
                small.set(f"k{number}", number, 60)
        assert not [q for q in table_queries(queries) if "COUNT" in q]
        assert len(small.get_many([f"k{n}" for n in range(1, 5)])) == 4  # over the maximum
        with CaptureQueriesContext(connection) as queries:
            small.set("k5", 5, 60)  # the fifth write counts the rows and culls them
        assert [q for q in table_queries(queries) if "COUNT" in q]
        # CULL_FREQUENCY 0: culling empties the table (Django's rule), then k5 is written.
        assert small.get_many([f"k{n}" for n in range(1, 6)]) == {"k5": 5}


def test_a_failed_write_leaves_the_callers_transaction_usable() -> None:
    key = "k" * 300  # over the column's 255 characters: PostgreSQL refuses it, SQLite does not
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CacheKeyWarning)  # a memcached rule, not ours
        with transaction.atomic():
            added = cache.add(key, "x", 60)
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                assert cursor.fetchone()[0] == 1
    assert added is (connection.vendor != "postgresql")
