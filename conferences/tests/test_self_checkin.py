"""Self check-in from the attendee's phone: the hall's link marks only oneself, only during the
session it was shown in, and the secretary sees who marked themselves and can correct it."""

from __future__ import annotations

import time

import pytest
import segno
from django.urls import reverse

from conferences import services
from conferences.models import Attendance, Conference, ConferenceStatus, Invitation
from conferences.services.checkin import TOKEN_MAX_AGE
from conftest import World, make_person


def link(conference: Conference) -> str:
    return reverse("conferences:checkin", args=[services.checkin_token(conference)])


def invitation_of(conference: Conference, world: World, role: str) -> Invitation:
    return conference.invitations.get(person=world.people[role])


# Services ----------------------------------------------------------------------------------------


def test_attendee_marks_themselves_present_and_the_history_says_so(
    world: World, conference: Conference
) -> None:
    token = services.checkin_token(conference)
    person = world.people["unit_head"]
    invitation = services.check_in_self(
        conference, token=token, person=person, by=world.users["unit_head"]
    )
    invitation.refresh_from_db()
    assert invitation.attendance == Attendance.PRESENT
    assert invitation.self_marked and invitation.marked_at is not None
    record = invitation.history.first()
    assert record.history_user == world.users["unit_head"]
    assert record.history_change_reason == "Tự điểm danh qua mã tại hội trường"


def test_the_secretary_corrects_a_self_check_in(world: World, conference: Conference) -> None:
    services.check_in_self(
        conference,
        token=services.checkin_token(conference),
        person=world.people["unit_head"],
        by=world.users["unit_head"],
    )
    invitation = invitation_of(conference, world, "unit_head")
    services.mark_attendance(
        invitation, attendance=Attendance.ABSENT, reason="Đi công tác", by=world.users["clerk"]
    )
    invitation.refresh_from_db()
    assert invitation.attendance == Attendance.ABSENT and not invitation.self_marked


def test_nobody_marks_someone_else(world: World, conference: Conference) -> None:
    with pytest.raises(services.ConferenceError, match="chính mình"):
        services.check_in_self(
            conference,
            token=services.checkin_token(conference),
            person=world.people["unit_head"],
            by=world.users["staff"],
        )
    assert invitation_of(conference, world, "unit_head").attendance == Attendance.UNKNOWN


def test_an_expired_link_is_refused(
    world: World, conference: Conference, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = time.time()
    monkeypatch.setattr(
        "django.core.signing.time.time", lambda: now - TOKEN_MAX_AGE.total_seconds() - 5
    )
    token = services.checkin_token(conference)
    monkeypatch.undo()
    with pytest.raises(services.ConferenceError, match="hết hạn") as refused:
        services.check_in_self(
            conference, token=token, person=world.people["clerk"], by=world.users["clerk"]
        )
    assert refused.value.status == 410


def test_a_link_from_an_earlier_session_is_refused(world: World, conference: Conference) -> None:
    old = services.checkin_token(conference)
    by = world.users["clerk"]
    services.set_status(conference, ConferenceStatus.PREPARING, by=by)
    with pytest.raises(services.ConferenceError, match="không đang họp"):
        services.check_in_self(conference, token=old, person=world.people["clerk"], by=by)
    services.set_status(conference, ConferenceStatus.IN_SESSION, by=by)
    with pytest.raises(services.ConferenceError, match="phiên họp trước"):
        services.check_in_self(conference, token=old, person=world.people["clerk"], by=by)
    fresh = services.checkin_token(conference)
    services.check_in_self(conference, token=fresh, person=world.people["clerk"], by=by)
    assert invitation_of(conference, world, "clerk").attendance == Attendance.PRESENT


def test_a_forged_or_foreign_link_is_refused(world: World, conference: Conference) -> None:
    by = world.users["clerk"]
    token = services.checkin_token(conference)
    with pytest.raises(services.ConferenceError, match="không hợp lệ"):
        services.check_in_self(
            conference, token=token[:-2] + "xx", person=world.people["clerk"], by=by
        )
    other = services.create_conference(
        Conference(
            school=world.school, kind=conference.kind, title="Sơ kết", held_on=conference.held_on
        ),
        by=by,
    )
    with pytest.raises(services.ConferenceError, match="không thuộc hội nghị này"):
        services.check_in_self(other, token=token, person=world.people["clerk"], by=by)


# Pages --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("outsider", 404), ("staff", 200), ("unit_head", 200), ("clerk", 200)],
)
def test_checkin_page_for_each_role(
    world: World, conference: Conference, role: str, status: int
) -> None:
    response = world.client(role).get(link(conference))
    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_phone_confirms_then_is_marked_present(world: World, conference: Conference) -> None:
    client = world.client("unit_head")
    url = link(conference)
    page = client.get(url).content.decode()
    assert "Tôi có mặt" in page and "Nguyễn Thị Phương Loan" in page
    # Opening the link marks nothing: a preview of the link by a chat app must not.
    assert invitation_of(conference, world, "unit_head").attendance == Attendance.UNKNOWN
    done = client.post(url, follow=True).content.decode()
    assert 'id="checkin-done"' in done
    invitation = invitation_of(conference, world, "unit_head")
    assert invitation.attendance == Attendance.PRESENT and invitation.self_marked
    roll = world.client("clerk").get(reverse("conferences:attendance", args=[conference.pk]))
    assert "tự điểm danh" in roll.content.decode()


def test_someone_not_summoned_is_told_so(world: World, conference: Conference) -> None:
    _person, user = make_person(
        world.school, world.office, "Đỗ Văn Mới", "moi", "Chuyên viên", "member"
    )
    from django.test import Client

    client = Client()
    client.force_login(user)
    url = link(conference)
    response = client.get(url)
    assert response.status_code == 403
    assert "không có tên trong danh sách triệu tập" in response.content.decode()
    assert client.post(url).status_code == 403
    assert not conference.invitations.filter(person=_person).exists()


def test_bad_links_get_a_message_not_an_error_page(world: World, conference: Conference) -> None:
    client = world.client("staff")
    for token in ["x", "abc:def:ghi", "W10:1xaQNU:abc", "%00"]:
        response = client.get(reverse("conferences:checkin", args=[token]))
        assert response.status_code == 400
        assert "Mã điểm danh không hợp lệ" in response.content.decode()


def test_closed_conference_refuses_the_link(world: World, conference: Conference) -> None:
    url = link(conference)
    services.set_status(conference, ConferenceStatus.CLOSED, by=world.users["clerk"])
    response = world.client("unit_head").post(url)
    assert response.status_code == 410
    assert invitation_of(conference, world, "unit_head").attendance == Attendance.UNKNOWN


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("outsider", 404), ("staff", 403), ("leadership", 200), ("clerk", 200)],
)
def test_hall_screen_for_each_role(
    world: World, conference: Conference, role: str, status: int
) -> None:
    for name in ("conferences:hall_screen", "conferences:hall_link"):
        response = world.client(role).get(reverse(name, args=[conference.pk]))
        assert response.status_code == status, (name, role)


def test_hall_screen_shows_a_working_link_only_in_session(
    world: World, conference: Conference
) -> None:
    client = world.client("clerk")
    body = client.get(reverse("conferences:hall_screen", args=[conference.pk])).content.decode()
    start = body.index('id="checkin-link">') + len('id="checkin-link">')
    url = body[start : body.index("<", start)]
    assert url.startswith("http://testserver/conferences/checkin/")
    # The same link as a QR code on the screen, to scan from a seat.
    qr = body[body.index('id="checkin-qr"') :]
    assert qr.index("<svg") < qr.index("</div>")
    assert segno.make(url, error="m").svg_inline(scale=1, border=2, omitsize=True) in qr
    assert world.client("unit_head").post(url[len("http://testserver") :]).status_code == 302
    assert invitation_of(conference, world, "unit_head").attendance == Attendance.PRESENT
    services.set_status(conference, ConferenceStatus.PREPARING, by=world.users["clerk"])
    body = client.get(reverse("conferences:hall_link", args=[conference.pk])).content.decode()
    assert 'id="hall-link-closed"' in body and "checkin-link" not in body
    assert "checkin-qr" not in body and "<svg" not in body
