"""The version the students pages' cached figures are kept under: renewed once a change commits,
and never left as it was when the cache refuses the new one."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from students import versions

pytestmark = pytest.mark.django_db


def test_a_change_renews_the_version_once_it_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    before = versions.current(7)
    with django_capture_on_commit_callbacks(execute=True):
        versions.changed(7)
        versions.changed(7)
        assert versions.current(7) == before  # not before the commit
    assert versions.current(7) != before


def test_a_refused_write_does_not_leave_the_old_version(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database cache answers a locked database with no write and no error: the old version
    must not stay, or the pages would show the old figures until the day ends."""
    before = versions.current(7)
    monkeypatch.setattr(cache, "set", lambda *args, **kwargs: None)
    with django_capture_on_commit_callbacks(execute=True):
        versions.changed(7)
    monkeypatch.undo()
    assert versions.current(7) != before
