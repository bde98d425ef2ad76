"""Reading numbers and dates from a query string, the one way every view does it.

Query strings are typed by anyone: `?unit=abc`, `?parent=1e5`, `?plan=²` (a digit to
str.isdigit(), not to int()), ids larger than the database holds, `?on=31/02/2023`, NUL bytes.
Each helper answers None for anything it cannot read, so the view carries on as if the parameter
were absent, instead of failing with a server error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict

from core.text import parse_date

# ASCII digits only, and no more than a signed 64-bit database integer holds.
_INTEGER = re.compile(r"-?[0-9]{1,18}")


def int_param(params: Mapping[str, Any], name: str) -> int | None:
    text = str(params.get(name) or "").strip()
    return int(text) if _INTEGER.fullmatch(text) else None


def id_param(params: Mapping[str, Any], name: str) -> int | None:
    """A row id (a whole number above zero), or None."""
    value = int_param(params, name)
    return value if value is not None and value > 0 else None


def date_param(params: Mapping[str, Any], name: str) -> dt.date | None:
    """A date as users type it (core.text.parse_date: "23/8/2023", ISO too), or None."""
    text = str(params.get(name) or "").strip()
    if not text or "\x00" in text:
        return None
    try:
        return parse_date(text)
    except (ValueError, OverflowError):
        return None


class StripNulMiddleware:
    """Drops NUL characters from the query string before any view reads it.

    A text parameter (`?q=`, a search box, a filter) goes straight into a query, and PostgreSQL
    refuses text with NUL (0x00), a server error for `?q=1%00`. No query string needs one, so
    they are removed once here rather than at each view (forms already refuse them in fields).
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in query or "%00" in query:
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            request.GET = QueryDict(cleaned.urlencode())  # immutable, like the original
        response: HttpResponse = self.get_response(request)
        return response
