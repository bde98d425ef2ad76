"""How a user account is named on a page: by the person behind it (their staff record)."""

from __future__ import annotations

from typing import Any

from django import template

from organisations.membership import person_record

register = template.Library()


@register.filter
def person_name(user: Any) -> str:
    """The person's full name, or the account's user name when it has no staff record."""
    if user is None:
        return ""
    person = person_record(user)
    return str(person) if person is not None else user.get_username()
