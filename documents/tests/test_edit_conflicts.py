"""Lost updates on the document register: two people correcting one entry at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import World
from core.tests.edit_race import conflict_message, form_data, race
from core.versioning import EditConflict
from documents import services
from documents.models import Document

OLD_SUMMARY = "Ban hành Kế hoạch nhiệm vụ, giải pháp trọng tâm năm học 2023-2024"


def test_second_clerk_is_refused_and_the_first_correction_kept(world: World) -> None:
    document = world.document
    records = document.history.count()
    url = reverse("documents:document_edit", args=[document.pk])

    result = race(
        url,
        world.client("clerk"),
        world.client("leadership"),
        {"summary": "Trích yếu đã sửa"},
        {"summary": "Trích yếu khác"},
    )

    assert result.first.status_code == 302
    assert result.second.status_code == 409
    document.refresh_from_db()
    assert document.summary == "Trích yếu đã sửa"
    message = conflict_message(result.second)
    assert "vừa được Lý Thị Hoa sửa lúc" in message
    assert f"Trích yếu: {OLD_SUMMARY} → Trích yếu đã sửa" in message
    assert result.second.context["form"]["summary"].value() == "Trích yếu khác"
    assert document.history.count() == records + 1

    retry = world.client("leadership").post(url, form_data(result.second))
    assert retry.status_code == 302
    summaries = [r.summary for r in document.history.order_by("-history_date")[:3]]
    assert summaries == ["Trích yếu khác", "Trích yếu đã sửa", OLD_SUMMARY]


def test_stale_version_is_refused_by_the_service(world: World) -> None:
    stale = Document.objects.get(pk=world.document.pk)
    fresh = Document.objects.get(pk=world.document.pk)
    opened_at = stale.version
    fresh.summary = "Sửa trước"
    services.register_document(fresh, by=world.users["clerk"], expected_version=opened_at)
    records = stale.history.count()

    stale.summary = "Sửa sau"
    with pytest.raises(EditConflict):
        services.register_document(stale, by=world.users["clerk"], expected_version=opened_at)

    current = Document.objects.get(pk=world.document.pk)
    assert (current.summary, current.version) == ("Sửa trước", opened_at + 1)
    assert current.history.count() == records
