"""Lost updates on a person's record: two people editing it at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import World
from core.tests.edit_race import conflict_message, form_data, race
from core.versioning import EditConflict
from organisations import services
from organisations.models import Person


def test_second_editor_of_a_person_is_refused_and_the_first_change_kept(world: World) -> None:
    person = world.people["staff"]
    records = person.history.count()
    url = reverse("organisations:person_edit", args=[person.pk])

    result = race(
        url,
        world.client("leadership"),
        world.client("leadership"),
        {"phone": "0912 345 678"},
        {"phone": "0987 654 321"},
    )

    assert result.first.status_code == 302
    assert result.second.status_code == 409
    person.refresh_from_db()
    assert person.phone == "0912 345 678"
    message = conflict_message(result.second)
    assert "vừa được Phùng Quý Sơn sửa lúc" in message
    assert "Điện thoại: — → 0912 345 678" in message
    assert result.second.context["form"]["phone"].value() == "0987 654 321"
    assert person.history.count() == records + 1

    retry = world.client("leadership").post(url, form_data(result.second))
    assert retry.status_code == 302
    phones = [r.phone for r in person.history.order_by("-history_date")[:3]]
    assert phones == ["0987 654 321", "0912 345 678", ""]


def test_stale_version_is_refused_by_the_service(world: World) -> None:
    stale = Person.objects.get(pk=world.people["staff"].pk)
    fresh = Person.objects.get(pk=world.people["staff"].pk)
    opened_at = stale.version
    fresh.email = "truoc@example.edu.vn"
    services.save_person(fresh, by=world.users["leadership"], expected_version=opened_at)

    stale.email = "sau@example.edu.vn"
    with pytest.raises(EditConflict):
        services.save_person(stale, by=world.users["leadership"], expected_version=opened_at)

    current = Person.objects.get(pk=stale.pk)
    assert (current.email, current.version) == ("truoc@example.edu.vn", opened_at + 1)
