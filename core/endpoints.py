"""What every domain's JSON API endpoints are built from: the one error body (`ErrorOut`), the
failures each operation declares, ids and pages with bounds, and the list where a domain announces
its router.

The API itself (django-ninja's NinjaAPI, token authentication, error handlers: the `api` app) finds
each app's `api` module and mounts the routers announced here, so that no domain is imported by
the framework and no framework above a domain is imported by it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Router, Schema
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination
from pydantic import Field

# Ids are positive 64-bit integers (the database's bigint): a larger number names no object and
# is refused as input rather than overflowing the database driver.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# An object's id in a path: the same bounds.
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]

MAX_PAGE = 100
MAX_OFFSET = 1_000_000_000


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """Every error the API answers (400, 401, 403, 404, 409, 422, 429): a Vietnamese message,
    and for 422 the fields at fault."""

    detail: str
    errors: list[FieldErrorOut] = Field(default_factory=list)


# What every operation may answer besides its success: no or a bad token (401), too many
# requests (429); with parameters, input the schema refuses (422); with an object's id, an object
# that does not exist or belongs to another school (404).
FAILS: dict[int, Any] = {401: ErrorOut, 429: ErrorOut}
FAILS_INPUT: dict[int, Any] = {**FAILS, 422: ErrorOut}
FAILS_OBJECT: dict[int, Any] = {**FAILS_INPUT, 404: ErrorOut}


class Page(LimitOffsetPagination):
    """Limit/offset pages with bounds in the schema: a page of 10³⁰ rows or a negative offset is
    refused (422) before any query, instead of overflowing the database's integers."""

    class Input(Schema):
        limit: int = Field(MAX_PAGE, ge=1, le=MAX_PAGE, description="Số dòng mỗi trang.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Bỏ qua bao nhiêu dòng đầu.")


class LazyPage:
    """Slices the queryset first (pagination), then turns only the page into dicts."""

    def __init__(self, rows: Any, out: Callable[[Any], dict[str, Any]]) -> None:
        self.rows, self.out = rows, out

    def __len__(self) -> int:
        return int(self.rows.count())

    def count(self) -> int:
        return len(self)

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        return [self.out(row) for row in self.rows[key]]


def refuse_unknown(request: HttpRequest, *schemas: type[Schema]) -> None:
    """Refuses (422, one error per name) a query string naming a parameter none of `schemas`
    knows: a misspelt filter (`?semster=2`) or one of another operation (`?limit=5` where there
    are no pages) would otherwise be ignored, and the client would take the answer for what it
    asked. Pass the operation's parameter schemas, `Page.Input` when it is paginated."""
    known = {
        name
        for schema in schemas
        for field_name, field in schema.model_fields.items()
        for name in (field_name, field.alias)
        if name
    }
    unknown = sorted(set(request.GET) - known)
    if unknown:
        raise ValidationError(
            [{"loc": ("query", name), "type": "extra_forbidden", "msg": ""} for name in unknown]
        )


_routers: list[tuple[str, Router]] = []


def register(prefix: str, router: Router) -> Router:
    """Announces a domain's router, to be mounted under `prefix` of the API (from the domain's
    `api` module, which the API imports when it is built)."""
    _routers.append((prefix, router))
    return router


def registered() -> list[tuple[str, Router]]:
    """The routers announced so far, in the order they were announced."""
    return list(_routers)
