"""Vietnamese formatting in templates, delegating to core.text (one place for the rules)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone

from core import text

register = template.Library()


@register.filter
def vn_date(value: dt.date | None) -> str:
    return text.format_date(value)


@register.filter
def vn_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")


@register.filter
def paper_date(value: dt.date | None, place: str = "") -> str:
    return text.paper_date(value, place or None) if value else ""


@register.filter
def vn_number(value: Any) -> str:
    """1234.5 -> "1.234,5"; whole numbers without decimals."""
    if value is None or value == "":
        return ""
    return text.format_number(Decimal(str(value)))


@register.filter
def lcfirst(value: str) -> str:
    """Lower-case the first letter, for a summary line that follows "về việc"."""
    return value[:1].lower() + value[1:] if value else ""
