"""The task tree of a plan and a unit's share of it, rendered as HTML fragments.

Builders only (no request, no view). A list is assembled from rows rendered earlier, each stored
under a digest of what it shows (read from plain values, no model instances), with the figures
version of the plan it was assembled at (planning/figures_cache.py). When that version moves,
the rows of the tasks the changes since touched are read again, and only those whose content
changed rendered (a check-in: the task and the parents whose derived progress moved), not all
500; a change that may have touched anything reads every row's values, still rendering only
the rows that changed. The targets by work area are kept while only tasks change, else stored
under a digest of the targets' values.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from typing import Any, NamedTuple, TypeVar

from django.db.models import Prefetch, Q
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_scopes import scope

from core.clock import today
from organisations.models import Organisation
from planning import figures_cache
from planning.figures_cache import columns, digest
from planning.models import (
    Plan,
    Target,
    Task,
    TaskBasis,
    TaskCoordination,
    TaskQuerySet,
    WorkArea,
)
from planning.numbering import baseline_label
from planning.status import default_day

Row = TypeVar("Row", Task, "RowFacts")


def _active_coordinations() -> Prefetch:
    return Prefetch(
        "coordinations",
        queryset=TaskCoordination.objects.active().select_related("unit"),
        to_attr="active_coordinations",
    )


def _active_bases() -> Prefetch:
    return Prefetch(
        "basis_links",
        queryset=TaskBasis.objects.active().select_related("document__doc_type"),
        to_attr="active_bases",
    )


def task_rows(tasks: Any) -> list[Task]:
    """The tasks with everything a list shows, in a fixed number of queries (not their long
    texts, which no row shows)."""
    return list(
        tasks.defer("search_text", "description")
        .select_related("lead_unit", "person_in_charge", "area", "owner_unit", "serves")
        .prefetch_related(_active_coordinations(), _active_bases())
        .order_by("order", "pk")
    )


def code_key(task: Any) -> tuple[Any, ...]:
    """Natural order of task codes: 2 < 10, 1.2 < 1.10."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in task.code.split("."))


def flatten(roots: list[Row]) -> list[tuple[Row, int]]:
    """The tree in reading order, each task with its depth, for a single-loop template."""
    rows: list[tuple[Row, int]] = []
    stack = [(task, 0) for task in reversed(roots)]
    while stack:
        task, depth = stack.pop()
        rows.append((task, depth))
        stack.extend((child, depth + 1) for child in reversed(getattr(task, "tree_children", [])))
    return rows


def tree_context() -> dict[str, str]:
    """URL prefixes for the task rows, reversed once per page instead of once per row."""
    return {
        "task_url_prefix": reverse("planning:task_detail", args=[0]).removesuffix("0/"),
        "document_url_prefix": reverse("documents:document_detail", args=[0]).removesuffix("0/"),
    }


def build_tree(tasks: list[Row], *, by_code: bool = False) -> list[Row]:
    """Attach `tree_children` to each task (a Task or its RowFacts) and return the roots, in
    order."""
    by_parent: dict[int | None, list[Row]] = defaultdict(list)
    ids = {task.pk for task in tasks}
    if by_code:
        tasks = sorted(tasks, key=code_key)
    for task in tasks:
        by_parent[task.parent_id if task.parent_id in ids else None].append(task)
    for task in tasks:
        task.tree_children = by_parent.get(task.pk, [])  # type: ignore[attr-defined]
    return by_parent.get(None, [])


def plan_tree(plan: Plan) -> dict[str, Any]:
    """The plan page's data-heavy parts as HTML: the task tree (with the number of root tasks)
    and the targets by work area, with and without the editing links."""
    tree = task_list(plan, "plan", _tree_tasks(plan), empty_label=_("Chưa có nhiệm vụ."))
    return {"tree_html": tree.html, "root_count": tree.roots, **plan_targets(plan)}


def _tree_tasks(plan: Plan) -> TaskQuerySet:
    return plan.tasks.active().school_level()


def keep_current(plan_id: int) -> None:
    """Right after a change that named the tasks it touched has committed: the plan's tree is
    brought up to date from those tasks (their rows read and rendered again, as its next view
    would), so that the plan page after a check-in reads a tree that is already current. Only a
    tree kept for the same day, language and state of the plan is caught up, and only row by
    row; anything more (a task moved, a change that may have touched anything) is left to the
    next view, which reads it whole once (`task_list`)."""
    plan = Plan._base_manager.get(pk=plan_id)  # its figures version as the change left it
    with scope(school=plan.school_id):
        urls = tree_context()
        common = _common(plan, show_serves=False, urls=urls)
        store_key = f"task-rows:{plan.pk}:plan"
        found = _load(store_key)
        if found is not None and found["common"] == common:
            _catch_up(plan, store_key, found, _tree_tasks(plan), common, False, urls)


def _common(plan: Plan, *, show_serves: bool, urls: dict[str, str]) -> str:
    """What every row of a list depends on besides its facts: the day its status is read on, the
    plan's state, the language and where its links point."""
    return digest(
        (row_shape(), get_language(), default_day(plan, today()), plan.status, show_serves, urls)
    )


def _targets_by_content(plan: Plan) -> dict[str, str]:
    """The targets by work area, stored under a digest of everything they show."""
    targets = plan.targets.active()
    facts = (
        # The baselines' column header names the year the plan was copied from.
        plan.copied_from_id,
        *figures_cache.target_facts(targets),
        list(plan.areas.active().values_list(*columns(WorkArea))),
        list(
            Organisation.objects.filter(pk__in=targets.values("responsible_unit_id")).values_list(
                "pk", "name", "short_name"
            )
        ),
    )
    parts: dict[str, str] = figures_cache.by_content(
        f"plan-targets:{plan.pk}", facts, lambda: _render_targets(plan)
    )
    return parts


def plan_targets(plan: Plan) -> dict[str, str]:
    """The plan page's targets by work area as HTML, for readers and for those who edit. They
    show nothing of the tasks: kept while only tasks change (a check-in), else stored under a
    digest of everything they show."""
    parts: dict[str, str] = figures_cache.beside_tasks(
        plan, "plan-targets", lambda: _targets_by_content(plan)
    )
    return parts


def _render_targets(plan: Plan) -> dict[str, str]:
    targets = list(
        plan.targets.active().select_related("area", "responsible_unit", "strategic_goal")
    )
    areas = list(plan.areas.active())
    shown = {area.pk for area in areas}
    targets_by_area: dict[int | None, list[Target]] = defaultdict(list)
    for target in targets:
        # A target of an archived area is "chưa xếp lĩnh vực" until the area comes back.
        targets_by_area[target.area_id if target.area_id in shown else None].append(target)
    area_rows: list[tuple[WorkArea | None, list[Target]]] = [
        (area, targets_by_area.get(area.pk, [])) for area in areas
    ]
    if targets_by_area.get(None):
        area_rows.append((None, targets_by_area[None]))
    goals = {t.strategic_goal for t in targets if t.strategic_goal}
    context = {
        "plan": plan,
        "area_rows": area_rows,
        "goals": sorted(goals, key=lambda g: (g.code, g.pk)),
        "baseline_label": baseline_label(plan),
    }
    return {
        f"targets_html_{int(can_change)}": render_to_string(
            "planning/_plan_targets.html", {**context, "can_change": can_change}
        )
        for can_change in (False, True)
    }


def unit_tree(plan: Plan, unit: Organisation) -> dict[str, Any]:
    """A unit's share of the plan's tasks (led, coordinated, its own) as HTML with the counts:
    the lists it leads and owns assembled like the plan's tree; the tasks it coordinates (a
    handful, one query) rendered each time."""
    led = task_list(
        plan,
        f"unit-led:{unit.pk}",
        plan.tasks.active().school_level().filter(lead_unit=unit),
        by_code=True,
        empty_label=_("Không có."),
    )
    own = task_list(
        plan,
        f"unit-own:{unit.pk}",
        plan.tasks.active().filter(owner_unit=unit),
        show_serves=True,
        empty_label=_("Đơn vị chưa có nhiệm vụ riêng."),
    )
    coordinated = list(
        TaskCoordination.objects.active()
        .filter(unit=unit, task__plan=plan, task__archived_at__isnull=True)
        .select_related("task__lead_unit", "task__person_in_charge")
        .order_by("task__order", "task__pk")
    )
    return {
        "led_html": led.html,
        "led_count": led.total,
        "coordinated_html": render_to_string(
            "planning/_unit_coordinated.html", {"coordinated": coordinated}
        ),
        "coordinated_count": len(coordinated),
        "own_html": own.html,
    }


# Rows stored under the digest of what they show ----------------------------------------------

# Part of every row's digest: the row template's source, so that a row is rendered again after
# the template changes (nothing to bump by hand). What the row reads is in its facts.
ROW_TEMPLATE = "planning/_task_row.html"


@functools.cache
def row_shape() -> str:
    return digest(get_template(ROW_TEMPLATE).template.source)  # type: ignore[attr-defined]


# A list's rows are kept a week; a list nobody opens in that time is rendered again in full.
ROWS_TIMEOUT = 7 * 24 * 60 * 60
# A list's store is kept in this many pieces of consecutive rows, with an index of their
# digests: a change writes the pieces of the rows it touched and the index, not the whole list
# (a 500-task tree is 60 KB compressed; writing it after each check-in took longer than anything
# else the view did, docs/PERFORMANCE.md). A fixed number, so that reading or writing a whole
# list costs the same queries for 10 rows or 5 000.
PIECES = 8


class RowFacts:
    """What a task row shows, as plain values: the task's columns, the names of its lead unit,
    person in charge and the task it serves, its active coordinations and bases. Enough to build
    the tree (`pk`, `parent_id`, `code`) and to tell whether a stored row is still right; `place`
    is what puts the row where it is in a list (its parent, order and number)."""

    __slots__ = ("code", "facts", "parent_id", "pk", "place", "tree_children")

    def __init__(
        self, pk: int, parent_id: int | None, code: str, place: tuple[Any, ...], facts: Any
    ):
        self.pk = pk
        self.parent_id = parent_id
        self.code = code
        self.place = place
        self.facts = facts


_RELATED = ("lead_unit__name", "lead_unit__short_name", "person_in_charge__full_name")


def row_facts(tasks: TaskQuerySet) -> list[RowFacts]:
    """The facts of every row of a list, in list order, in three queries."""
    task_columns = columns(Task)
    rows = list(tasks.order_by("order", "pk").values_list(*task_columns, *_RELATED, "serves__code"))
    ids = tasks.values("pk")
    extras: dict[int, list[Any]] = defaultdict(list)
    for coordination in (
        TaskCoordination.objects.active()
        .filter(task__in=ids)
        .values_list("task_id", "pk", "duty", "unit__name", "unit__short_name")
    ):
        extras[coordination[0]].append(coordination)
    for basis in (
        TaskBasis.objects.active()
        .filter(task__in=ids)
        .values_list(
            "task_id",
            "pk",
            "clause",
            "document_id",
            "document__symbol",
            "document__summary",
            "document__withdrawn_at",
        )
    ):
        extras[basis[0]].append(basis)
    pk_at, parent_at, order_at, code_at = (
        task_columns.index(name) for name in ("id", "parent_id", "order", "code")
    )
    return [
        RowFacts(
            row[pk_at],
            row[parent_at],
            row[code_at],
            (row[parent_at], row[order_at], row[code_at]),
            (row, tuple(extras[row[pk_at]])),
        )
        for row in rows
    ]


def facts_of(task: Task) -> RowFacts:
    """The facts `row_facts` reads, taken from a task loaded by `task_rows` (with its related rows
    and active coordinations and bases): equal to what `row_facts` gives for it."""
    lead, person, serves = task.lead_unit, task.person_in_charge, task.serves
    row = (
        *(getattr(task, name) for name in columns(Task)),
        lead.name if lead else None,
        lead.short_name if lead else None,
        person.full_name if person else None,
        serves.code if serves else None,
    )
    extras = (
        *(
            (task.pk, c.pk, c.duty, c.unit.name, c.unit.short_name)
            for c in task.active_coordinations  # type: ignore[attr-defined]
        ),
        *(
            (
                task.pk,
                b.pk,
                b.clause,
                b.document_id,
                b.document.symbol,
                b.document.summary,
                b.document.withdrawn_at,
            )
            for b in task.active_bases  # type: ignore[attr-defined]
        ),
    )
    place = (task.parent_id, task.order, task.code)
    return RowFacts(task.pk, task.parent_id, task.code, place, (row, extras))


class ListHtml(NamedTuple):
    html: str
    total: int  # rows
    roots: int  # rows at the top of the tree


# A row of a list's store: the task, its depth, its place and the digest of what it shows.
StoredRow = tuple[int, int, tuple[Any, ...], str]


def task_list(
    plan: Plan,
    name: str,
    tasks: TaskQuerySet,
    *,
    by_code: bool = False,
    show_serves: bool = False,
    empty_label: str,
) -> ListHtml:
    """A task list of the plan (its tree, a unit's share) as HTML, assembled from the rows
    stored for the list `name`: only rows whose content changed are rendered again.

    The store of a list is one cache entry: the figures version it was assembled at, its rows
    in order (task, depth, place, digest of what the row shows) and the HTML of each digest.
    Caught up with the current version from what each change since touched
    (figures_cache.touched_since): those tasks' facts are read again, and if none of them moved
    in or out of the list or to another place, only their rows are looked at: the work done
    after a check-in is that of the rows it changed. Otherwise (a change that may have touched
    anything, a task moved, the day or the plan's state changed, too many versions behind) the
    facts of every row are read and the rows whose digest is new rendered, by one request at
    a time per version (others wait for its result: figures_cache.cached). One read and at most
    one write of the store per view; two requests catching up at once both write right rows,
    the later wins.
    """
    urls = tree_context()
    common = _common(plan, show_serves=show_serves, urls=urls)
    store_key = f"task-rows:{plan.pk}:{name}"
    found = _load(store_key)
    known = found if found is not None and found["common"] == common else None
    store = _catch_up(plan, store_key, known, tasks, common, show_serves, urls) if known else None
    if store is None:
        # Every row's facts are read: once at a time per version (others wait for it).
        def read_whole() -> dict[str, Any]:
            facts = row_facts(tasks)
            whole = [
                (row.pk, depth, row.place, digest((common, depth, row.facts)), row)
                for row, depth in flatten(build_tree(facts, by_code=by_code))
            ]
            html = known["html"] if known is not None else {}
            fresh = _render(plan, [row for row in whole if row[3] not in html], show_serves, urls)
            return _saved(store_key, _stored(plan, common, whole, {**html, **fresh}), known)

        def look() -> Any:
            now = _load(store_key)
            if (
                now is not None
                and now["common"] == common
                and now["version"] >= plan.figures_version
            ):
                return now
            return figures_cache.MISSING

        store = figures_cache.once(
            f"{store_key}:{plan.figures_version}:{common}", read_whole, look, looked=True
        )
    rows = store["rows"]
    if not rows:
        return ListHtml(
            f'<ul class="tt-tree tt-flat"><li class="small text-body-secondary">'
            f"{escape(empty_label)}</li></ul>",
            0,
            0,
        )
    html = store["html"]
    body = "".join(html.get(row[3], "") for row in rows)
    return ListHtml(
        f'<ul class="tt-tree tt-flat">{body}\n</ul>',
        len(rows),
        sum(1 for row in rows if row[1] == 0),
    )


def _catch_up(
    plan: Plan,
    store_key: str,
    store: dict[str, Any],
    tasks: TaskQuerySet,
    common: str,
    show_serves: bool,
    urls: dict[str, str],
) -> dict[str, Any] | None:
    """The list's store brought to the plan's figures version from what the changes since
    touched, the rows whose content changed rendered and kept; None if the list must be read
    whole."""
    rows = _caught_up(plan, store, tasks, common)
    if rows is None:
        return None
    fresh = _render(plan, [row for row in rows if row[3] not in store["html"]], show_serves, urls)
    if fresh or store["version"] != plan.figures_version:
        return _saved(store_key, _stored(plan, common, rows, {**store["html"], **fresh}), store)
    return store


def _stored(
    plan: Plan, common: str, rows: list[tuple[Any, ...]], html: dict[str, str]
) -> dict[str, Any]:
    """A list's store: its rows at the plan's figures version and the HTML of each."""
    return {
        "version": plan.figures_version,
        "common": common,
        "rows": [row[:4] for row in rows],
        "html": {row[3]: html[row[3]] for row in rows if row[3] in html},
    }


def _piece_keys(store_key: str) -> list[str]:
    return [f"{store_key}:{index}" for index in range(PIECES)]


def _load(store_key: str) -> dict[str, Any] | None:
    """A list's store as `_stored` makes it (with the digests of its pieces), or None if it is
    not there whole: never stored, a piece expired, or a piece rewritten by a later change than
    the index (two changes caught up at once; the list is then read whole). One read."""
    keys = _piece_keys(store_key)
    found = figures_cache.get_many([store_key, *keys])
    index = found.get(store_key)
    if not isinstance(index, dict) or "pieces" not in index:
        return None
    rows: list[StoredRow] = []
    html: dict[str, str] = {}
    for key, expected in zip(keys, index["pieces"], strict=True):
        piece = found.get(key)
        if piece is None or piece[0] != expected:
            return None
        _digest, piece_rows, piece_html = piece
        rows.extend(piece_rows)
        html.update(zip((row[3] for row in piece_rows), piece_html, strict=True))
    return {**index, "rows": rows, "html": html}


def _saved(store_key: str, store: dict[str, Any], earlier: dict[str, Any] | None) -> dict[str, Any]:
    """Keep a list's store: the pieces that differ from those of `earlier` (the store read
    before), then the index."""
    rows = store["rows"]
    size = max(1, -(-len(rows) // PIECES))
    known = earlier["pieces"] if earlier is not None else [None] * PIECES
    pieces: list[str] = []
    new: dict[str, Any] = {}
    for number, key in enumerate(_piece_keys(store_key)):
        piece = rows[number * size : (number + 1) * size]
        # (task, depth, place, digest of what it shows): plain values; the number keeps empty
        # pieces apart.
        piece_digest = digest((number, piece))
        pieces.append(piece_digest)
        if piece_digest != known[number]:
            html = [store["html"].get(row[3], "") for row in piece]
            new[key] = (piece_digest, piece, html)
    figures_cache.put_many(new, ROWS_TIMEOUT)
    index = {"version": store["version"], "common": store["common"], "pieces": pieces}
    figures_cache.put(store_key, index, ROWS_TIMEOUT)
    return {**store, "pieces": pieces}


def _caught_up(
    plan: Plan, store: dict[str, Any], tasks: TaskQuerySet, common: str
) -> list[tuple[Any, ...]] | None:
    """The stored rows brought to the plan's current figures version, with the facts of the
    rows the changes since touched (for those whose digest moved), or None if the list must be
    read whole."""
    touched = figures_cache.touched_since(plan, store["version"])
    if touched is None:
        return None
    stored: list[StoredRow] = store["rows"]
    if not touched:
        return list(stored)
    # A row also shows the number of the task it serves (a unit's own task): those rows are
    # read again with the touched tasks. Read as tasks (the rows to render again are among them)
    # and their facts taken from them.
    loaded = task_rows(tasks.filter(Q(pk__in=touched) | Q(serves__in=touched)))
    fresh = {task.pk: facts_of(task) for task in loaded}
    instances = {task.pk: task for task in loaded}
    places = {row[0]: row[2] for row in stored}
    for pk in touched:
        if (pk in fresh) != (pk in places):
            return None  # a task came into the list or left it
        if pk in fresh and fresh[pk].place != places[pk]:
            return None  # a task moved: the tree is built again
    rows: list[tuple[Any, ...]] = []
    for pk, depth, place, key in stored:
        row = fresh.get(pk)
        if row is None:
            rows.append((pk, depth, place, key))
        else:
            rows.append((pk, depth, place, digest((common, depth, row.facts)), instances[pk]))
    return rows


def _render(
    plan: Plan, rows: list[tuple[Any, ...]], show_serves: bool, urls: dict[str, str]
) -> dict[str, str]:
    """The HTML of the rows given (task, depth, place, digest), by digest, in a fixed number of
    queries."""
    if not rows:
        return {}
    # A row caught up from a change carries its task, loaded already (`_caught_up`).
    tasks = {r[0]: r[4] for r in rows if len(r) > 4 and isinstance(r[4], Task)}
    missing = {r[0] for r in rows} - tasks.keys()
    if missing:
        tasks.update((task.pk, task) for task in task_rows(Task.objects.filter(pk__in=missing)))
    template = get_template(ROW_TEMPLATE)
    context = {"plan": plan, "show_serves": show_serves, **urls}
    fresh: dict[str, str] = {}
    for pk, depth, _place, key, *_facts in rows:
        task = tasks.get(pk)
        if task is not None and key not in fresh:
            task.plan = plan  # its status reads the plan's (a draft's tasks are not overdue)
            fresh[key] = template.render({**context, "task": task, "depth": depth})
    return fresh
