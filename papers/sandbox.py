"""The only Jinja a school's Word template may contain, and the sandbox that fills it.

A template is uploaded by a school's clerk or leadership, so it is untrusted code. Two walls:

1. `check_syntax(source)` walks the parsed template and refuses every construct outside the
   documented set: placeholders by name, `{{ dong.field }}` on a loop's row, `loop.index`…,
   `for` and `if`, comparisons, `and/or/not`, `~`, string and number constants, and the filters
   and tests listed below with constant arguments. No attribute except a row's documented field,
   no `[…]`, no call, no `set`, `macro`, `include`, `import`, arithmetic or globals.
2. `fill` renders in Jinja's `ImmutableSandboxedEnvironment` with no globals, only the allowed
   filters and tests, and `plain(context)`: strings, numbers, lists and dicts of them. Even a
   template stored before the check existed cannot reach an object's attributes or Python.

docs/PAPERS.md lists what a template may use; docs/SECURITY.md says what was tried.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NoReturn

from django.utils.translation import gettext as _
from jinja2 import Environment, StrictUndefined, Undefined, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from core.errors import DomainError

# Filters a template may use, with the number of constant arguments each accepts.
FILTERS: dict[str, int] = {
    "upper": 0,
    "lower": 0,
    "capitalize": 0,
    "title": 0,
    "trim": 0,
    "length": 0,
    "first": 0,
    "last": 0,
    "default": 2,
    "join": 1,
    "replace": 2,
    "truncate": 2,
}
TESTS = {"defined", "undefined", "none", "string", "number", "sequence", "mapping", "odd", "even"}
LOOP_FIELDS = {"index", "index0", "revindex", "revindex0", "first", "last", "length"}
MAX_LOOP_DEPTH = 3
# Longest text a template's constants may hold: a template prints data, it does not make it.
MAX_CONSTANT = 1000


# The fields of rows not known while checking (an empty list being filled): any plain name.
ANY_FIELD = frozenset({"*"})


class Forbidden(DomainError):
    """The template uses something outside the documented set; the message names it."""


def environment(*, strict: bool = False) -> Environment:
    """The sandbox: immutable values, no globals, only the documented filters and tests."""
    env = ImmutableSandboxedEnvironment(
        autoescape=True, undefined=StrictUndefined if strict else Undefined
    )
    env.globals.clear()
    env.filters = {name: env.filters[name] for name in FILTERS}
    env.tests = {name: env.tests[name] for name in TESTS}
    return env


def plain(value: Any) -> Any:
    """A context value as the template may see it: text, numbers, lists and dicts of them."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal | dt.date):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(item) for item in value]
    return str(value)


@dataclass
class _Scope:
    """What the names inside a template stand for while walking it."""

    rows: dict[str, frozenset[str] | set[str] | None] = field(
        default_factory=dict
    )  # loop variable → fields
    depth: int = 0


def _name(node: nodes.Node) -> str:
    return {
        "Call": "()",
        "Getitem": "[…]",
        "Slice": "[…]",
        "Assign": "set",
        "AssignBlock": "set",
        "Macro": "macro",
        "CallBlock": "call",
        "Include": "include",
        "Import": "import",
        "FromImport": "import",
        "Extends": "extends",
        "Block": "block",
        "FilterBlock": "filter",
        "With": "with",
        "Mul": "*",
        "Pow": "**",
        "Add": "+",
        "Sub": "-",
        "Div": "/",
        "FloorDiv": "//",
        "Mod": "%",
        "Neg": "-",
        "Pos": "+",
        "ExprStmt": "do",
        "NSRef": "namespace",
    }.get(type(node).__name__, type(node).__name__)


class Checker:
    """Walks a parsed template; `fields_of(name)` gives a list placeholder's row fields: None
    when the rows are plain strings, ANY_FIELD when there are no rows to tell (any plain name,
    the loop body never runs), an empty set when no field is allowed."""

    def __init__(self, fields_of: Any) -> None:
        self.fields_of = fields_of

    def check(self, template: nodes.Template) -> None:
        for child in template.body:
            self._stmt(child, _Scope())

    def _refuse(self, node: nodes.Node, what: str | None = None) -> NoReturn:
        raise Forbidden(
            _("Mẫu dùng “%(what)s”, không được phép trong mẫu giấy tờ (dòng %(line)s).")
            % {"what": what or _name(node), "line": node.lineno}
        )

    def _stmt(self, node: nodes.Node, scope: _Scope) -> None:
        if isinstance(node, nodes.Output):
            for printed in node.nodes:
                if not isinstance(printed, nodes.TemplateData):
                    self._expr(printed, scope)
        elif isinstance(node, nodes.If):
            self._expr(node.test, scope)
            children: list[nodes.Node] = [*node.body, *node.elif_, *node.else_]
            for child in children:
                self._stmt(child, scope)
        elif isinstance(node, nodes.For):
            self._for(node, scope)
        else:
            self._refuse(node)

    def _for(self, node: nodes.For, scope: _Scope) -> None:
        if node.recursive or node.test is not None:
            self._refuse(node, "for … recursive/if")
        target = node.target
        if not isinstance(target, nodes.Name):
            self._refuse(target, "for a, b in …")
        if scope.depth >= MAX_LOOP_DEPTH:
            self._refuse(node, _("vòng lặp lồng quá %(n)s lớp") % {"n": MAX_LOOP_DEPTH})
        self._expr(node.iter, scope)
        fields: frozenset[str] | set[str] | None = set()
        if isinstance(node.iter, nodes.Name) and node.iter.name not in scope.rows:
            fields = self.fields_of(node.iter.name)
        inner = _Scope({**scope.rows, target.name: fields}, scope.depth + 1)
        for child in node.body:
            self._stmt(child, inner)
        for child in node.else_:
            self._stmt(child, scope)

    def _expr(self, node: nodes.Node, scope: _Scope) -> None:
        if isinstance(node, nodes.Name):
            return  # unknown names are refused by the placeholder check, which names them
        if isinstance(node, nodes.Const):
            if isinstance(node.value, str) and len(node.value) > MAX_CONSTANT:
                self._refuse(node, _("chuỗi dài quá %(n)s ký tự") % {"n": MAX_CONSTANT})
            if not isinstance(node.value, str | int | float | bool | type(None)):
                self._refuse(node)
            return
        if isinstance(node, nodes.Getattr):
            self._getattr(node, scope)
        elif isinstance(node, nodes.Filter):
            self._filter(node, scope)
        elif isinstance(node, nodes.Test):
            if node.name not in TESTS or node.args or node.kwargs or node.dyn_args:
                self._refuse(node, f"is {node.name}")
            self._expr(node.node, scope)
        elif isinstance(node, nodes.Compare):
            self._expr(node.expr, scope)
            for operand in node.ops:
                self._expr(operand.expr, scope)
        elif isinstance(node, nodes.And | nodes.Or | nodes.Concat | nodes.CondExpr | nodes.Not):
            for child in node.iter_child_nodes():
                self._expr(child, scope)
        elif isinstance(node, nodes.Call):
            callee = node.node
            name = getattr(callee, "name", None) or getattr(callee, "attr", "")
            self._refuse(node, f"{name}()")
        else:
            self._refuse(node)

    def _getattr(self, node: nodes.Getattr, scope: _Scope) -> None:
        owner = node.node
        if isinstance(owner, nodes.Name):
            if owner.name == "loop" and scope.depth and node.attr in LOOP_FIELDS:
                return
            fields = scope.rows.get(owner.name)
            if fields is not None and node.attr in fields:
                return
            if fields is ANY_FIELD and node.attr.isidentifier() and not node.attr.startswith("_"):
                return
            if (
                owner.name in scope.rows
                and fields
                and fields is not ANY_FIELD
                and not node.attr.startswith("_")
            ):
                # A field the rows do not have: named like a missing placeholder.
                raise Forbidden(
                    _("Mẫu dùng trường “%(name)s.%(attr)s”; các trường có: %(fields)s.")
                    % {
                        "name": owner.name,
                        "attr": node.attr,
                        "fields": ", ".join(sorted(fields)),
                    }
                )
        self._refuse(node, f".{node.attr}")

    def _filter(self, node: nodes.Filter, scope: _Scope) -> None:
        allowed = FILTERS.get(node.name)
        if allowed is None or node.kwargs or node.dyn_args or node.dyn_kwargs:
            self._refuse(node, node.name)
        if len(node.args) > (allowed or 0):
            self._refuse(node, node.name)
        for argument in node.args:
            if not isinstance(argument, nodes.Const):
                self._refuse(argument, node.name)
            self._expr(argument, scope)
        if node.node is not None:
            self._expr(node.node, scope)


def check_syntax(sources: Iterable[str], fields_of: Any) -> None:
    """Raise Forbidden on the first construct outside the documented set (TemplateSyntaxError
    propagates for templates that do not parse)."""
    env = environment()
    checker = Checker(fields_of)
    for source in sources:
        checker.check(env.parse(source))
