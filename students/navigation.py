"""The students' tabs that apps above students add (training: opening programmes, partnership
and in-service courses): each registers a tab from its `ready()`, and the students' pages show it
after their own, without students knowing those apps."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Tab:
    key: str  # the `active` value of the tab's own pages
    label: str | Promise
    url_name: str


_tabs: dict[str, Tab] = {}


def register(tab: Tab) -> Tab:
    _tabs[tab.key] = tab
    return tab


def tabs() -> list[Tab]:
    return list(_tabs.values())
