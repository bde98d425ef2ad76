"""Every conference page, for every role: anonymous → login, outsider → 404, members by right."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from conferences import services
from conferences.images import placeholder_png
from conferences.models import AgendaItem, Ballot, Conference, VoteMethod
from conferences.tests.conftest import PASSPHRASE
from conftest import ROLES, World, close_response

OK, LOGIN, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
ALL_ROLES = [*ROLES, "clerk"]


@pytest.fixture
def hall(world: World, conference: Conference) -> dict[str, Any]:
    """The conference with one row of each kind, for the pages that show a row."""
    opinion = services.submit_opinion(
        conference, author=world.people["staff"], anonymous=False, topic="Cơ cấu", content="…"
    )
    conclusion = services.record_conclusion(
        conference, text="Giao Phòng Đào tạo", lead_unit=world.office, by=None
    )
    photo = services.add_photo(
        conference, content=placeholder_png(8, 8, (1, 2, 3)), caption="Toàn cảnh", by=None
    )
    agenda = services.save(
        AgendaItem(conference=conference, kind="report", title="Báo cáo", presenter_label="BGH"),
        by=None,
    )
    return {
        "c": conference,
        "opinion": opinion,
        "conclusion": conclusion,
        "photo": photo,
        "agenda": agenda,
    }


V = (LOGIN, NOT_FOUND, OK, OK, OK, OK)  # anyone of the school sees it
M = (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK, OK)  # the secretary or the leadership run it
L = (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN)  # only the leadership decides

# (name, url builder, expected for anonymous, outsider, staff, unit_head, leadership, clerk)
PAGES: list[tuple[str, Callable[[dict[str, Any]], str], tuple[int, ...]]] = [
    ("list", lambda h: reverse("conferences:list"), (LOGIN, OK, OK, OK, OK, OK)),
    ("create", lambda h: reverse("conferences:create"), (LOGIN, OK, FORBIDDEN, FORBIDDEN, OK, OK)),
    ("detail", lambda h: reverse("conferences:detail", args=[h["c"].pk]), V),
    ("edit", lambda h: reverse("conferences:edit", args=[h["c"].pk]), M),
    ("chair add", lambda h: reverse("conferences:chair_add", args=[h["c"].pk]), M),
    ("group add", lambda h: reverse("conferences:group_add", args=[h["c"].pk]), M),
    ("agenda add", lambda h: reverse("conferences:agenda_add", args=[h["c"].pk]), M),
    ("agenda edit", lambda h: reverse("conferences:agenda_edit", args=[h["agenda"].pk]), M),
    ("attendance", lambda h: reverse("conferences:attendance", args=[h["c"].pk]), M),
    ("quorum", lambda h: reverse("conferences:quorum", args=[h["c"].pk]), V),
    ("opinions", lambda h: reverse("conferences:opinions", args=[h["c"].pk]), V),
    ("opinion submit", lambda h: reverse("conferences:opinion_submit", args=[h["c"].pk]), V),
    ("opinion answer", lambda h: reverse("conferences:opinion_answer", args=[h["opinion"].pk]), L),
    ("votes", lambda h: reverse("conferences:votes", args=[h["c"].pk]), V),
    ("outcomes", lambda h: reverse("conferences:outcomes", args=[h["c"].pk]), V),
    ("conclusion add", lambda h: reverse("conferences:conclusion_add", args=[h["c"].pk]), M),
    ("conclusion task", lambda h: reverse("conferences:conclusion_task", args=[h["conclusion"].pk]), L),
    ("launch", lambda h: reverse("conferences:launch", args=[h["c"].pk]), M),
    ("pledge add", lambda h: reverse("conferences:pledge_add", args=[h["c"].pk]), M),
    ("photos", lambda h: reverse("conferences:photos", args=[h["c"].pk]), V),
    ("photo file", lambda h: reverse("conferences:photo_file", args=[h["photo"].pk]), V),
    ("minutes", lambda h: reverse("conferences:paper", args=[h["c"].pk, "minutes"]), V),
    ("resolution", lambda h: reverse("conferences:paper", args=[h["c"].pk, "resolution"]), V),
    ("article", lambda h: reverse("conferences:article", args=[h["c"].pk]), V),
]  # fmt: skip


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_for_role(
    world: World, hall: dict[str, Any], role: str, name: str, url: Any, expected: tuple[int, ...]
) -> None:
    response = world.client(role).get(url(hall))
    close_response(response)  # a served file (FileResponse) stays open until its response is closed
    status = expected[ALL_ROLES.index(role)]
    assert response.status_code == status, f"{name} as {role}"
    if status == LOGIN:
        assert response["Location"].startswith(reverse("login"))


def test_outsider_sees_no_conference_of_another_school(
    world: World, conference: Conference
) -> None:
    body = world.client("outsider").get(reverse("conferences:list")).content.decode()
    assert conference.title not in body


def test_staff_cannot_answer_opinions(world: World, hall: dict[str, Any]) -> None:
    response = world.client("staff").post(
        reverse("conferences:opinion_answer", args=[hall["opinion"].pk]),
        {"kind": "explained", "answer": "Tự trả lời"},
    )
    assert response.status_code == FORBIDDEN
    hall["opinion"].refresh_from_db()
    assert not hall["opinion"].is_answered


def test_staff_cannot_vote_twice(world: World, conference: Conference) -> None:
    item = services.add_vote_item(
        conference, title="Thông qua nghị quyết", method=VoteMethod.SECRET_BALLOT, by=None
    )
    services.open_vote(item, by=None, passphrase=PASSPHRASE)
    client = world.client("staff")
    url = reverse("conferences:ballot", args=[item.pk])
    client.post(url, {"choice": "yes"})
    response = client.post(url, {"choice": "no"}, follow=True)
    assert "Bạn đã bỏ phiếu" in response.content.decode()
    assert Ballot.objects.filter(box__vote_item=item).count() == 1
    # Results stay hidden while the vote is open.
    page = world.client("leadership").get(reverse("conferences:votes", args=[conference.pk]))
    assert "Tán thành 1" not in page.content.decode()


def test_staff_cannot_mark_attendance_or_upload(world: World, conference: Conference) -> None:
    invitation = conference.invitations.get(person=world.people["unit_head"])
    client = world.client("staff")
    assert (
        client.post(
            reverse("conferences:mark", args=[invitation.pk]), {"attendance": "present"}
        ).status_code
        == FORBIDDEN
    )
    assert (
        client.post(reverse("conferences:photos", args=[conference.pk]), {}).status_code
        == FORBIDDEN
    )


def test_attendance_toggle_returns_the_row_and_the_live_quorum(
    world: World, conference: Conference
) -> None:
    invitation = conference.invitations.get(person=world.people["unit_head"])
    response = world.client("clerk").post(
        reverse("conferences:mark", args=[invitation.pk]),
        {"attendance": "present"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == OK
    assert f'id="invitation-{invitation.pk}"' in body
    assert 'id="quorum" ' in body and 'hx-swap-oob="true"' in body
    assert '<span class="fs-4 fw-semibold" id="quorum-present">2</span>' in body


def test_photo_is_served_with_the_type_found_in_its_bytes(
    world: World, hall: dict[str, Any]
) -> None:
    response = world.client("staff").get(reverse("conferences:photo_file", args=[hall["photo"].pk]))
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_upload_rejects_a_file_that_is_not_an_image(world: World, conference: Conference) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = world.client("clerk").post(
        reverse("conferences:photos", args=[conference.pk]),
        {
            "caption": "Giả ảnh",
            "image": SimpleUploadedFile("anh.png", b"<html>not a picture</html>", "image/png"),
        },
    )
    assert response.status_code == 400
    assert not conference.photos.exists()
