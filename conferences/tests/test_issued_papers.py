"""A numbered biên bản or nghị quyết is frozen: reopening the conference makes an amendment."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from conferences import services
from conferences.models import Conference
from conftest import World
from papers.models import IssuedPaper
from papers.tests.helpers import open_docx, text_of

MINUTES = "conference_minutes"


def _download(world: World, conference: Conference, role: str = "staff") -> bytes:
    response = world.client(role).get(
        reverse("papers:download", args=[MINUTES, conference.pk, "docx"])
    )
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def _number(world: World, conference: Conference) -> None:
    url = reverse("conferences:paper_number", args=[conference.pk, "minutes"])
    assert world.client("clerk").post(url).status_code == 302


def test_numbered_minutes_stay_as_issued_through_a_reopening(
    world: World, meeting: Conference
) -> None:
    services.set_status(meeting, "closed", by=world.users["clerk"])
    _number(world, meeting)
    original = IssuedPaper.objects.get(kind=MINUTES)
    # The issued file and its hash are kept, and the download serves exactly those bytes.
    with original.file.open("rb") as handle:
        stored = handle.read()
    assert hashlib.sha256(stored).hexdigest() == original.sha256
    assert _download(world, meeting) == stored

    # The secretary may not reopen a conference whose papers carry a number, nor anyone
    # without a reason.
    with pytest.raises(services.ConferenceError, match="lãnh đạo"):
        services.set_status(meeting, "in_session", by=world.users["clerk"])
    with pytest.raises(services.ConferenceError, match="lý do"):
        services.set_status(meeting, "in_session", by=world.users["leadership"], reason=" ")
    meeting.refresh_from_db()
    assert meeting.is_closed
    page = world.client("clerk").post(
        reverse("conferences:status", args=[meeting.pk]), {"status": "in_session"}, follow=True
    )
    assert "lãnh đạo" in page.content.decode()
    meeting.refresh_from_db()
    assert meeting.is_closed

    world.client("leadership").post(
        reverse("conferences:status", args=[meeting.pk]),
        {"status": "in_session", "reason": "Bổ sung ý kiến của Công đoàn"},
    )
    meeting.refresh_from_db()
    assert meeting.status == "in_session"
    reopening = meeting.reopenings.get()
    assert reopening.reason == "Bổ sung ý kiến của Công đoàn"
    assert reopening.reopened_by == world.users["leadership"]

    services.submit_opinion(
        meeting,
        author=world.people["staff"],
        anonymous=False,
        topic="Nhà xe",
        content="Đề nghị mở rộng nhà xe cho sinh viên",
    )
    services.set_status(meeting, "closed", by=world.users["clerk"])
    assert _download(world, meeting) == stored

    # Numbering again now gives an amendment with a new number; the original is unchanged.
    _number(world, meeting)
    amendment = IssuedPaper.objects.get(kind=MINUTES, amends=original)
    assert amendment.number == original.number + 1
    assert amendment.document.symbol == "02/BB-CĐM"
    with amendment.file.open("rb") as handle:
        amended = handle.read()
    assert hashlib.sha256(amended).hexdigest() == amendment.sha256 and amended != stored
    assert _download(world, meeting) == stored
    response = world.client("staff").get(reverse("papers:issued_file", args=[amendment.pk, "docx"]))
    assert response.content == amended
    assert (
        world.client("outsider")
        .get(reverse("papers:issued_file", args=[amendment.pk, "docx"]))
        .status_code
        == 404
    )
    # Without a new reopening, asking again gives no third number.
    _number(world, meeting)
    assert IssuedPaper.objects.filter(kind=MINUTES).count() == 2
    page = world.client("staff").get(reverse("conferences:paper", args=[meeting.pk, "minutes"]))
    assert reverse("papers:issued_file", args=[amendment.pk, "docx"]) in page.content.decode()
    amended_text = text_of(open_docx(amended))
    assert "Số: 02/BB-CĐM" in amended_text
    assert "sửa đổi, bổ sung biên bản số 01/BB-CĐM" in amended_text
    assert "Bổ sung ý kiến của Công đoàn" in amended_text
    assert "Số: 01/BB-CĐM" in text_of(open_docx(stored))
