"""Targets whose readings come from elsewhere: a domain above tracking (students, residence…)
registers a provider here, and tracking asks it which targets it feeds, so that a typed value is
refused on them and the dashboards link to the figures they come from, without tracking knowing
those domains (docs/ARCHITECTURE.md, "Registries").

A provider takes target ids and answers, for those it feeds, where their readings come from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Source:
    """Where a fed target's readings come from: what is measured and the page showing it."""

    label: str
    url: str


Provider = Callable[[list[int]], dict[int, Source]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Announce a provider (from an app's `ready()`); registering it twice is harmless."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def sources_for(target_ids: Iterable[int]) -> dict[int, Source]:
    """The sources of those targets that are fed (one query per provider)."""
    ids = sorted(set(target_ids))
    found: dict[int, Source] = {}
    if not ids:
        return found
    for provider in _providers:
        found.update(provider(ids))
    return found


def source_of(target: Any) -> Source | None:
    return sources_for([target.pk]).get(target.pk) if target is not None else None
