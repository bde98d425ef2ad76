"""How the plan numbers its tasks and targets: the one place the page, the Excel sheets and the
Word paper take their numbers from (each shows the stored `code`, which only this module makes).

Pure functions over codes and duck-typed rows, no database: the services pass in what they read.

Tasks are numbered in their branch: a school task "3", its solution "3.2", an activity "3.2.1";
a unit's own tasks carry the unit's prefix ("KHCN.1"). Targets carry a prefix and a fixed width
("CT01"). A new task or target takes the next free number of its branch (one more than the
highest in use), so a number is never given twice while its holder is in the plan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TypeVar

from django.utils.translation import gettext as _

T = TypeVar("T")

DEFAULT_TARGET_PREFIX = "CT"
DEFAULT_TARGET_WIDTH = 2
DEFAULT_UNIT_PREFIX = "ĐV"

_TRAILING = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)$")


def last_number(code: str) -> int | None:
    """The number a code ends with: "3.2" → 2, "KHCN.4" → 4, "CT07" → 7, "" → None."""
    match = _TRAILING.match(code.strip())
    return int(match["number"]) if match else None


def next_free(codes: Iterable[str]) -> int:
    """One more than the highest number in use (1 for an empty branch)."""
    return max((n for n in map(last_number, codes) if n is not None), default=0) + 1


def task_code(*, parent_code: str | None, unit_prefix: str | None, number: int) -> str:
    """The code of the `number`-th task of a branch: under a parent, a unit's own, or the school's."""
    if parent_code:
        return f"{parent_code}.{number}"
    if unit_prefix is not None:
        return f"{unit_prefix}.{number}"
    return str(number)


def unit_prefix(unit_code: str, sibling_codes: Iterable[str] = ()) -> str:
    """The prefix of a unit's own tasks: the one its tasks already use ("KHCN" of "KHCN.2"),
    else the unit's code in capitals, else "ĐV"."""
    for code in sibling_codes:
        head, dot, tail = code.rpartition(".")
        if dot and head and tail.isdigit():
            return head
    return unit_code.upper() if unit_code else DEFAULT_UNIT_PREFIX


def target_style(codes: Iterable[str]) -> tuple[str, int]:
    """(prefix, width) of the targets' codes in use: ("CT", 2) for "CT01"…; the default if none."""
    for code in codes:
        match = _TRAILING.match(code.strip())
        if match:
            return match["prefix"], len(match["number"])
    return DEFAULT_TARGET_PREFIX, DEFAULT_TARGET_WIDTH


def target_code(prefix: str, width: int, number: int) -> str:
    return f"{prefix}{number:0{width}d}"


def target_reading_key(target: Any) -> tuple[Any, ...]:
    """The order a plan's targets are read in, on the page and in the paper: by work area (in the
    areas' order, targets without an area last), then by the targets' own order."""
    area = target.area
    if area is None:
        return (1, 0, 0, target.order, target.pk or 0)
    return (0, area.order, area.pk, target.order, target.pk or 0)


def tree_order(tasks: Iterable[T]) -> list[T]:
    """Parents before their children; school tasks first, then each unit's own; siblings by
    (order, pk): the plan read top to bottom (the exports' order, and the copy's numbering)."""
    items: list[Any] = list(tasks)
    ids = {t.pk for t in items}
    children: dict[int | None, list[Any]] = {}
    for task in items:
        parent = task.parent_id if task.parent_id in ids else None
        children.setdefault(parent, []).append(task)
    for group in children.values():
        group.sort(key=lambda t: (t.owner_unit_id or 0, t.order, t.pk))
    ordered: list[Any] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        task = stack.pop()
        ordered.append(task)
        stack.extend(reversed(children.get(task.pk, [])))
    return ordered


def baseline_label(plan: Any) -> str:
    """What a target's baseline is, in a column header: a copied plan's baselines are the
    actual values of the year it was copied from."""
    source = plan.copied_from
    if source is not None:
        return _("Thực hiện năm học %(year)s") % {"year": source.year_label}
    return _("Năm học trước")
