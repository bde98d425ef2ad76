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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Model, QuerySet
from django.utils.translation import get_language

from documents.models import Document, DocumentReceipt
from organisations.models import Organisation
from planning.models import Plan, StrategicGoal, Target, Task

# Part of every key: bump it when the shape of what is cached changes.
SHAPE = 4
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
    cache.set(key, _packed(value), timeout)


def get_many(keys: list[str]) -> dict[str, Any]:
    """The values stored by `put` or `put_many` under those of `keys` that are there (one
    read)."""
    return {
        key: pickle.loads(zlib.decompress(packed))  # written by put() only
        for key, packed in cache.get_many(keys).items()
        if isinstance(packed, bytes)
    }


def put_many(values: dict[str, Any], timeout: int) -> None:
    if values:
        cache.set_many({key: _packed(value) for key, value in values.items()}, timeout)


def _packed(value: Any) -> bytes:
    return zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1)


@dataclass
class Bump:
    """An on-commit callback bumping the figures version of the plans a change touched: the
    plan given, the plan of a task or of a target, or every plan of a school.

    `tasks`: the only tasks whose rows the change may show differently, or None if anything of
    the plans may show differently. Written down per new version (`touched_since`), so that the
    task lists re-read and re-render those rows only. Not part of equality: one callback per
    plan and transaction gathers the tasks of every change in it.
    """

    plan_id: int | None = None
    task_id: int | None = None
    target_id: int | None = None
    school_id: int | None = None
    tasks: set[int] | None = field(default=None, compare=False)

    def add(self, tasks: set[int] | None) -> None:
        if self.tasks is not None:
            if tasks is None:
                self.tasks = None
            else:
                self.tasks |= tasks

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
        ids = list(plans.values_list("pk", flat=True))
        # An UPDATE, not save(): no history row, no edit-conflict version, no signal. The rows
        # are locked first, so that each new version is known to belong to this change.
        with transaction.atomic():
            locked = Plan._base_manager.select_for_update().filter(pk__in=ids).order_by("pk")
            bumped = list(locked.values_list("pk", "figures_version"))
            Plan._base_manager.filter(pk__in=ids).update(figures_version=F("figures_version") + 1)
        if self.tasks is not None:
            touched = sorted(self.tasks)
            cache.set_many(
                {touched_key(pk, version + 1): touched for pk, version in bumped}, TIMEOUT
            )
            for pk, _version in bumped:
                for keep in KEPT_CURRENT:
                    keep(pk)


# Called with each plan whose version a change bumped after naming the tasks it touched, once
# those are written down: what the plan's most read page shows is brought up to date then, by
# the change that made it stale and in proportion to it (planning/tree.py's `keep_current`,
# registered by the app), not by its next reader.
KEPT_CURRENT: list[Callable[[int], None]] = []


def changed(
    *,
    plan_id: int | None = None,
    task_id: int | None = None,
    target_id: int | None = None,
    school_id: int | None = None,
    tasks: Iterable[int] | None = None,
) -> None:
    """The figures of a plan (given directly, by a task, a target or a school) change once the
    current transaction commits; nothing happens if it rolls back.

    `tasks`: the only tasks whose rows may show something different (a task given by `task_id`
    is one of them); without either, anything of the plan may.
    """
    callback = Bump(plan_id, task_id, target_id, school_id)
    if callback == Bump():
        return
    if tasks is not None or (task_id is not None and plan_id is None):
        touched = set(tasks or ())
        if task_id is not None:
            touched.add(task_id)
        callback.tasks = touched
    if connection.in_atomic_block:
        # Joined to an equal callback queued earlier in the transaction: if that one's savepoint
        # is still open, this change is inside it too and a rollback of it drops both.
        for entry in connection.run_on_commit:
            if entry[1] == callback:
                entry[1].add(callback.tasks)
                return
    # robust: the change is committed whatever happens here; a failure is logged, not raised.
    transaction.on_commit(callback, robust=True)


# What each version's change touched ---------------------------------------------------------

# At most this many versions are caught up with row by row; a list further behind is read whole.
CATCH_UP = 50


def touched_key(plan_id: int, version: int) -> str:
    return f"touched:{SHAPE}:{plan_id}:{version}"


def touched_since(plan: Plan, version: int) -> set[int] | None:
    """The tasks whose rows may show something different at the plan's current figures version
    than at `version` (one read), or None if that is not known: a change that may have touched
    anything, a record expired, or too many versions in between."""
    if not 0 <= plan.figures_version - version <= CATCH_UP:
        return None
    keys = [touched_key(plan.pk, v) for v in range(version + 1, plan.figures_version + 1)]
    found = cache.get_many(keys)
    if len(found) != len(keys):
        return None
    return {task_id for tasks in found.values() for task_id in tasks}


def key_of(plan: Plan, key: str) -> str:
    return f"figures:{SHAPE}:{plan.pk}:{plan.figures_version}:{get_language()}:{key}"


def cached(plan: Plan, key: str, compute: Callable[[], Any]) -> Any:
    """What `compute()` returns for the plan at its current figures version, computed once.

    A cold key is computed by one request at a time: the first takes a lock (`cache.add`), the
    others wait for its result (if it takes too long, they compute it themselves).
    """
    full_key = key_of(plan, key)

    def compute_and_keep() -> Any:
        value = compute()
        put(full_key, value, TIMEOUT)
        return value

    return once(full_key, compute_and_keep, lambda: get(full_key))


def once(
    name: str, compute: Callable[[], Any], look: Callable[[], Any], *, looked: bool = False
) -> Any:
    """`look()` if it finds what is asked (anything but MISSING), else `compute()`, which keeps
    what it computed where `look` finds it: computed by one request at a time (a lock under
    `name`), the others look again until it is there (after WAIT seconds, they compute it
    themselves). `looked`: the caller has just looked and found nothing."""
    if not looked:
        value = look()
        if value is not MISSING:
            return value
    lock = f"{name}:computing"
    owner = cache.add(lock, True, LOCK_TIMEOUT)
    if not owner:
        value = _wait_for(look)
        if value is not MISSING:
            return value
    try:
        return compute()
    finally:
        if owner:
            cache.delete(lock)


def _wait_for(look: Callable[[], Any]) -> Any:
    """What `look()` finds once another request has kept it, or MISSING after WAIT seconds; each
    look is a query of the database cache, so the looks grow further apart (50 ms doubling to
    0.5 s)."""
    deadline = time.monotonic() + WAIT
    pause = POLL
    while time.monotonic() < deadline:
        time.sleep(pause)
        pause = min(pause * 2, 0.5)
        value = look()
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


def target_facts(targets: QuerySet[Target]) -> tuple[list[Any], list[Any]]:
    """What a list of targets shows of them and of the strategic goals they serve, as plain
    values for a digest."""
    return (
        list(targets.values_list(*columns(Target))),
        list(
            StrategicGoal.objects.filter(pk__in=targets.values("strategic_goal_id")).values_list(
                *columns(StrategicGoal)
            )
        ),
    )


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


def beside_tasks(plan: Plan, key: str, compute: Callable[[], Any]) -> Any:
    """What `compute()` returns for a part of the plan that shows nothing of its tasks (the
    targets by area): kept with the figures version it was computed at, and still right at a
    later version that changes of tasks only led to (touched_since), so that a check-in does not
    even read what the part shows."""
    full_key = f"beside-tasks:{SHAPE}:{get_language()}:{plan.pk}:{key}"
    found = get(full_key)
    if isinstance(found, tuple) and (
        found[0] == plan.figures_version or touched_since(plan, found[0]) is not None
    ):
        return found[1]
    value = compute()
    put(full_key, (plan.figures_version, value), CONTENT_TIMEOUT)
    return value


# What the figures show, and how each change finds its plans (connected in planning.apps) ------


def plan_row_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A plan, or a row of it (task, target, work area): its plan's figures change."""
    if kwargs.get("raw"):
        return  # rows loaded as they are (manage.py restore, loaddata): nothing changed
    if isinstance(instance, Plan):
        changed(plan_id=instance.pk)
    elif isinstance(instance, Task):
        changed(plan_id=instance.plan_id, tasks=[instance.pk])
    else:
        changed(plan_id=instance.plan_id)


def task_row_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A row hanging from a task (coordination, basis; tracking adds its own). Saved with its
    task at hand (the usual case), the plan is known at once and the callback is the same as the
    task's own: one bump per plan and transaction."""
    if kwargs.get("raw"):
        return
    if type(instance).task.is_cached(instance):
        changed(plan_id=instance.task.plan_id, tasks=[instance.task_id])
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
    if isinstance(instance, Document) and instance.pk:
        # A directive of a body above is shown in the plans of every school it was sent to.
        for recipient_id in DocumentReceipt._base_manager.filter(document=instance).values_list(
            "school_id", flat=True
        ):
            changed(school_id=recipient_id)
