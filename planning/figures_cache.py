"""What a plan's pages compute from its data (the task tree, the dashboards), kept in Django's
cache under the plan's figures version.

Each plan has a `figures_version`, bumped once the transaction of a change commits. Cache keys
hold the plan and that version, so figures are never older than the data: a change makes the
next request recompute what it asks for (and only that), nobody recomputes anything beforehand.
Entries of older versions are never read again and expire by themselves.

A burst of changes (one check-in saves a check-in, a task and maybe a target; a plan import saves
hundreds of rows) bumps each plan once: equal callbacks in one transaction are queued once.
"""

from __future__ import annotations

import hashlib
import pickle
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Model
from django.utils.translation import get_language

from organisations.models import Organisation
from planning.models import Plan

# Part of every key: bump it when the shape of what is cached changes.
SHAPE = 3
# Entries of a version nobody asks for again go after this (they are unreachable anyway).
TIMEOUT = 12 * 60 * 60
# A request computing a page holds its lock at most this long (a process that died holding it
# blocks nobody longer); concurrent cold requests wait for it up to WAIT seconds.
LOCK_TIMEOUT = 60
WAIT = 10.0
POLL = 0.05

MISSING = object()


# Stored compressed: the figures are HTML (a 500-task tree is 565 KB, 60 KB compressed) and the
# database cache writes and reads every byte as base64 text; zlib's fastest level costs a few
# milliseconds against several times that in the database.


def get(key: str) -> Any:
    """A value stored by `put`, or MISSING."""
    packed = cache.get(key)
    if not isinstance(packed, bytes):
        return MISSING
    return pickle.loads(zlib.decompress(packed))  # written by put() only


def put(key: str, value: Any, timeout: int) -> None:
    cache.set(key, zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1), timeout)


@dataclass(frozen=True)
class Bump:
    """An on-commit callback bumping the figures version of the plans a change touched: the
    plan given, the plan of a task or of a target, or every plan of a school."""

    plan_id: int | None = None
    task_id: int | None = None
    target_id: int | None = None
    school_id: int | None = None

    def __call__(self) -> None:
        # Bookkeeping, not a read for anyone: every plan the change touched, whatever the scope
        # the change was made in (a job, an officer above the school, none).
        plans = Plan._base_manager.all()
        if self.plan_id is not None:
            plans = plans.filter(pk=self.plan_id)
        elif self.task_id is not None:
            plans = plans.filter(tasks__pk=self.task_id)
        elif self.target_id is not None:
            plans = plans.filter(targets__pk=self.target_id)
        else:
            plans = plans.filter(school_id=self.school_id)
        # An UPDATE, not save(): no history row, no edit-conflict version, no signal.
        plans.update(figures_version=F("figures_version") + 1)


def changed(
    *,
    plan_id: int | None = None,
    task_id: int | None = None,
    target_id: int | None = None,
    school_id: int | None = None,
) -> None:
    """The figures of a plan (given directly, by a task, a target or a school) change once the
    current transaction commits; nothing happens if it rolls back."""
    callback = Bump(plan_id, task_id, target_id, school_id)
    if callback == Bump():
        return
    if connection.in_atomic_block and any(
        entry[1] == callback for entry in connection.run_on_commit
    ):
        return
    # robust: the change is committed whatever happens here; a failure is logged, not raised.
    transaction.on_commit(callback, robust=True)


def key_of(plan: Plan, key: str) -> str:
    return f"figures:{SHAPE}:{plan.pk}:{plan.figures_version}:{get_language()}:{key}"


def cached(plan: Plan, key: str, compute: Callable[[], Any]) -> Any:
    """What `compute()` returns for the plan at its current figures version, computed once.

    A cold key is computed by one request at a time: the first takes a lock (`cache.add`), the
    others wait for its result (if it takes too long, they compute it themselves).
    """
    full_key = key_of(plan, key)
    value = get(full_key)
    if value is not MISSING:
        return value
    lock = f"{full_key}:computing"
    owner = cache.add(lock, True, LOCK_TIMEOUT)
    if not owner:
        value = _wait_for(full_key)
        if value is not MISSING:
            return value
    try:
        value = compute()
        put(full_key, value, TIMEOUT)
    finally:
        if owner:
            cache.delete(lock)
    return value


def _wait_for(key: str) -> Any:
    """The value once another request has stored it, or MISSING after WAIT seconds; each look is
    a query of the database cache, so the looks grow further apart (50 ms doubling to 0.5 s)."""
    deadline = time.monotonic() + WAIT
    pause = POLL
    while time.monotonic() < deadline:
        time.sleep(pause)
        pause = min(pause * 2, 0.5)
        value = get(key)
        if value is not MISSING:
            return value
    return MISSING


# Parts stored under the digest of what they show ---------------------------------------------

# A part whose content nobody shows again for this long is dropped.
CONTENT_TIMEOUT = 7 * 24 * 60 * 60


# Columns no part shows and whose size would only slow the digest down.
_UNSHOWN = frozenset({"search_text", "description"})


def columns(model: type[Model]) -> list[str]:
    """The columns of a model a digest reads (all but the search index and long descriptions)."""
    return [f.attname for f in model._meta.concrete_fields if f.attname not in _UNSHOWN]


def digest(facts: Any) -> str:
    """A short digest of plain values (numbers, texts, dates, decimals, tuples and lists)."""
    return hashlib.blake2b(repr(facts).encode(), digest_size=16).hexdigest()


def by_content(key: str, facts: Any, compute: Callable[[], Any]) -> Any:
    """What `compute()` returns for content described by `facts` (plain values read in a query
    or two): stored under their digest, so a part whose content did not change is not computed
    again when the plan's figures version moves (a check-in does not change the targets)."""
    full_key = f"content:{SHAPE}:{get_language()}:{key}:{digest(facts)}"
    value = get(full_key)
    if value is MISSING:
        value = compute()
        put(full_key, value, CONTENT_TIMEOUT)
    return value


# What the figures show, and how each change finds its plans (connected in planning.apps) ------


def plan_row_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A plan, or a row of it (task, target, work area): its plan's figures change."""
    if kwargs.get("raw"):
        return  # rows loaded as they are (manage.py restore, loaddata): nothing changed
    changed(plan_id=instance.pk if isinstance(instance, Plan) else instance.plan_id)


def task_row_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A row hanging from a task (coordination, basis; tracking adds its own). Saved with its
    task at hand (the usual case), the plan is known at once and the callback is the same as the
    task's own: one bump per plan and transaction."""
    if kwargs.get("raw"):
        return
    if type(instance).task.is_cached(instance):
        changed(plan_id=instance.task.plan_id)
    else:
        changed(task_id=instance.task_id)


def target_row_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A row hanging from a target (tracking's readings)."""
    if kwargs.get("raw"):
        return
    if type(instance).target.is_cached(instance):
        changed(plan_id=instance.target.plan_id)
    else:
        changed(target_id=instance.target_id)


def school_row_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Something every plan of a school shows (a unit, a person, a document, a strategic goal).
    A school is its own school."""
    if kwargs.get("raw"):
        return
    school_id = instance.school_id
    if school_id is None and isinstance(instance, Organisation):
        school_id = instance.pk
    if school_id is not None:
        changed(school_id=school_id)
