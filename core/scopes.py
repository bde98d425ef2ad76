"""The scoped default manager of every model owned by an organisation (django-scopes).

Inside `scope(school=<organisation id>)` a scoped model's queries see that organisation's rows
only; outside any scope they raise ScopeError instead of reading every school's data (a scope is
activated per request by organisations.scoping; jobs, commands and the admin disable scopes
explicitly). The dimension is called `school` as the field is: the organisation at the top of a
tree (a school, or a Sở…). Forward relations (`task.plan`) use the plain base manager and are
never scoped; reverse ones (`plan.tasks`) are. A model may also show its rows to the
organisations they were sent to (`also="receipts__school"`: a Sở's directive in each recipient
school's register), through a recipient table the model's own app keeps.

The manager does what django-scopes' ScopedManager does (same scope state, same ScopeError), as a
class declared once, so that managers built on a model's own queryset (`.active()`, `.search()`)
are ordinary classes the type checker knows: `ScopedManager.from_queryset(TaskQuerySet)`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar, cast

from django.db import models
from django_scopes import get_scope, scopes_disabled
from django_scopes.manager import DisabledQuerySet

from core.models import ArchivableQuerySet

# The one scope dimension: the id of the organisation whose data is visible.
DIMENSION = "school"

_M = TypeVar("_M", bound=models.Model)
# Each scoped model's way to its organisation (e.g. "plan__school"), set when its manager is
# attached: the related managers Django derives from it are made without arguments.
_PATHS: dict[type[models.Model], str] = {}
# Models whose rows with a null organisation are shared by every organisation (national reference
# data beside each school's own overrides, e.g. emulation.RuleSet): visible in every scope.
_SHARED: set[type[models.Model]] = set()
# Models whose rows are also visible to the organisations they were sent to (e.g. a Sở's
# directive in the register of each school it was sent to): the path from the row to such a
# recipient organisation, through a table of its own (documents.DocumentReceipt).
_ALSO: dict[type[models.Model], str] = {}


class _ScopedLater(DisabledQuerySet):  # type: ignore[misc]  # django-scopes ships no types
    """A queryset made outside any scope: every query on it raises ScopeError, but it takes the
    scope of the moment it is used again with `.all()`.

    A model form's choice fields get their querysets when the form class is defined, at import
    (no scope yet); every form copies them with `.all()` when it is made, inside the request's
    scope: that copy is then scoped.
    """

    def all(self) -> Any:
        return self.model._default_manager.get_queryset()

    def __getattr__(self, name: str) -> NoReturn:
        # The model's own queryset methods (`.active()`…) refuse as the built-in ones do.
        if name.startswith("_"):
            raise AttributeError(name)
        self.error()
        raise AssertionError  # error() raises


class ScopedManager(models.Manager[_M]):
    """`objects = ScopedManager("plan__school")`: the model's rows in the active scope only."""

    def __init__(self, path: str = "", *, shared: bool = False, also: str = "") -> None:
        super().__init__()
        self.scope_path = path
        self.shared = shared
        self.also = also

    def contribute_to_class(self, cls: type[_M], name: str) -> None:  # type: ignore[override]
        super().contribute_to_class(cls, name)
        if self.scope_path:
            _PATHS[cls] = self.scope_path
        if self.shared:
            _SHARED.add(cls)
        if self.also:
            _ALSO[cls] = self.also

    def get_queryset(self) -> models.QuerySet[_M]:
        queryset = super().get_queryset()
        current = get_scope()
        if not current.get("_enabled", True):
            return queryset
        if DIMENSION not in current:
            return _ScopedLater(self.model, using=self._db, missing_scopes={DIMENSION})
        value = current[DIMENSION]
        path = _PATHS[self.model]
        if self.model in _SHARED and value is not None:
            lookup = f"{path}__in" if isinstance(value, list | tuple) else path
            return queryset.filter(
                models.Q(**{lookup: value}) | models.Q(**{f"{path}__isnull": True})
            )
        if value is None:
            return queryset
        suffix = "__in" if isinstance(value, list | tuple) else ""
        visible = models.Q(**{f"{path}{suffix}": value})
        also = _ALSO.get(self.model)
        if also:
            # A subquery, not a join: a row sent to the organisation once is listed once.
            sent = self.model._base_manager.filter(**{f"{also}{suffix}": value}).values("pk")
            visible |= models.Q(pk__in=sent)
        return queryset.filter(visible)


ScopedArchivableManager = ScopedManager.from_queryset(ArchivableQuerySet)


_F = TypeVar("_F", bound=Callable[..., Any])


def unscoped(function: _F) -> _F:
    """Run `function` with scopes disabled: work that is not a request (background jobs,
    management commands, the demo loader) and reads or writes across organisations on purpose."""

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        with scopes_disabled():
            return function(*args, **kwargs)

    return cast(_F, run)
