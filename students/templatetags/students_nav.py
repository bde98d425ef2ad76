"""`{% students_tabs as tabs %}`: the tabs other apps added to the students' navigation."""

from __future__ import annotations

from django import template

from students import navigation

register = template.Library()


@register.simple_tag
def students_tabs() -> list[navigation.Tab]:
    return navigation.tabs()
