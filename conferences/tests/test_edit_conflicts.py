"""Lost updates on a conference: the clerk and the principal editing it at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conferences import services
from conferences.models import Conference
from conftest import World
from core.tests.edit_race import conflict_message, form_data, race
from core.versioning import EditConflict


def test_second_editor_is_refused_and_the_first_change_kept(
    world: World, conference: Conference
) -> None:
    records = conference.history.count()
    url = reverse("conferences:edit", args=[conference.pk])

    result = race(
        url,
        world.client("clerk"),
        world.client("leadership"),
        {"place": "Hội trường B"},
        {"place": "Phòng họp số 2"},
    )

    assert result.first.status_code == 302
    assert result.second.status_code == 409
    conference.refresh_from_db()
    assert conference.place == "Hội trường B"
    message = conflict_message(result.second)
    assert "vừa được Lý Thị Hoa sửa lúc" in message
    assert "Địa điểm: Hội trường A → Hội trường B" in message
    assert result.second.context["form"]["place"].value() == "Phòng họp số 2"
    assert conference.history.count() == records + 1

    retry = world.client("leadership").post(url, form_data(result.second))
    assert retry.status_code == 302
    places = [r.place for r in conference.history.order_by("-history_date")[:3]]
    assert places == ["Phòng họp số 2", "Hội trường B", "Hội trường A"]


def test_stale_version_is_refused_by_the_service(world: World, conference: Conference) -> None:
    stale = Conference.objects.get(pk=conference.pk)
    fresh = Conference.objects.get(pk=conference.pk)
    opened_at = stale.version
    fresh.place = "Hội trường B"
    services.create_conference(fresh, by=world.users["clerk"], expected_version=opened_at)

    stale.place = "Phòng họp số 2"
    with pytest.raises(EditConflict):
        services.create_conference(stale, by=world.users["clerk"], expected_version=opened_at)

    current = Conference.objects.get(pk=conference.pk)
    assert (current.place, current.version) == ("Hội trường B", opened_at + 1)
