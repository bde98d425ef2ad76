"""Closing a conference goes through a preview: what gets locked, who is affected, the problems
found and how to undo it; a confirmation on figures that changed meanwhile closes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conferences import services
from conferences.closing import closing_preview
from conferences.models import Attendance, Conference, ConferenceStatus
from conftest import World


def test_preview_counts_names_and_problems(world: World, conference: Conference) -> None:
    services.submit_opinion(
        conference, author=world.people["staff"], anonymous=False, topic="Số hóa", content="…"
    )
    vote = services.add_vote_item(conference, title="Quy chế chi tiêu", by=None)
    preview = closing_preview(conference)
    assert (preview.quorum.present, preview.quorum.unmarked) == (1, 3)
    assert preview.unmarked_names == ["Lý Thị Hoa", "Nguyễn Thị Phương Loan", "Phùng Quý Sơn"]
    assert (preview.opinions, preview.to_number, preview.unanswered) == (1, 1, 1)
    assert preview.draft_votes == [vote.title]
    problems = " ".join(preview.problems)
    assert "Chưa đủ túc số: có mặt 1/4, cần ít nhất 3." in problems
    assert "3 người chưa được điểm danh" in problems
    assert "“Quy chế chi tiêu” chưa được biểu quyết" in problems
    assert "Chưa biểu quyết thông qua nghị quyết hội nghị." in problems


def test_a_well_run_conference_has_no_problems(world: World, meeting: Conference) -> None:
    services.mark_attendance(
        meeting.invitations.get(person=world.people["unit_head"]),
        attendance=Attendance.ABSENT,
        reason="Ốm",
        by=None,
    )
    assert closing_preview(meeting).problems == []


def test_closing_with_the_previewed_figures(world: World, conference: Conference) -> None:
    services.submit_opinion(
        conference, author=world.people["staff"], anonymous=False, topic="Số hóa", content="…"
    )
    fingerprint = closing_preview(conference).fingerprint
    services.close_conference(conference, fingerprint=fingerprint, by=world.users["clerk"])
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.CLOSED
    assert conference.opinions.get().number == 1


def test_figures_changed_since_the_preview_close_nothing(
    world: World, conference: Conference
) -> None:
    fingerprint = closing_preview(conference).fingerprint
    services.mark_attendance(
        conference.invitations.get(person=world.people["clerk"]),
        attendance=Attendance.PRESENT,
        by=None,
    )
    with pytest.raises(services.ConferenceError, match="đã thay đổi") as refused:
        services.close_conference(conference, fingerprint=fingerprint, by=world.users["clerk"])
    assert refused.value.status == 409
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.IN_SESSION


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("outsider", 404), ("staff", 403), ("unit_head", 403), ("leadership", 200), ("clerk", 200)],
)  # fmt: skip
def test_close_page_for_each_role(
    world: World, conference: Conference, role: str, status: int
) -> None:
    url = reverse("conferences:close", args=[conference.pk])
    assert world.client(role).get(url).status_code == status
    fingerprint = closing_preview(conference).fingerprint
    world.client(role).post(url, {"fingerprint": fingerprint})
    conference.refresh_from_db()
    assert conference.is_closed == (status == 200)


def test_close_page_shows_effects_people_problems_and_undo(
    world: World, conference: Conference
) -> None:
    body = (
        world.client("clerk")
        .get(reverse("conferences:close", args=[conference.pk]))
        .content.decode()
    )
    assert "có mặt 1/4, vắng 0, chưa điểm danh 3" in body
    assert "Lý Thị Hoa, Nguyễn Thị Phương Loan, Phùng Quý Sơn" in body
    assert 'id="close-problems"' in body
    assert "mở lại được hội nghị bằng nút “Đang họp”" in body


def test_stale_confirmation_shows_the_preview_again(world: World, conference: Conference) -> None:
    url = reverse("conferences:close", args=[conference.pk])
    response = world.client("clerk").post(url, {"fingerprint": "stale"})
    assert response.status_code == 409
    assert "Số liệu đã thay đổi" in response.content.decode()
    assert 'name="fingerprint"' in response.content.decode()


def test_the_status_buttons_no_longer_close_without_the_preview(
    world: World, conference: Conference
) -> None:
    response = world.client("clerk").post(
        reverse("conferences:status", args=[conference.pk]), {"status": "closed"}
    )
    assert response["Location"] == reverse("conferences:close", args=[conference.pk])
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.IN_SESSION


def test_the_live_conference_is_listed_first(world: World, conference: Conference) -> None:
    later = services.create_conference(
        Conference(
            school=world.school,
            kind=conference.kind,
            title="Hội nghị tổng kết năm học",
            held_on=conference.held_on.replace(year=2024),
        ),
        by=None,
    )
    body = world.client("staff").get(reverse("conferences:list")).content.decode()
    assert body.index(conference.title) < body.index(later.title)
    services.set_status(conference, ConferenceStatus.CLOSED, by=None)
    body = world.client("staff").get(reverse("conferences:list")).content.decode()
    assert body.index(later.title) < body.index(conference.title)


def test_invitee_groups_are_chosen_with_checkboxes(world: World, conference: Conference) -> None:
    url = reverse("conferences:group_add", args=[conference.pk])
    client = world.client("clerk")
    body = client.get(url).content.decode()
    assert "<select" not in body  # no raw multi-select
    assert 'type="checkbox" name="people"' in body and 'type="checkbox" name="units"' in body
    assert body.count("data-picker-item") >= len(world.people) - 1
    response = client.post(
        url,
        {"name": "Khách mời", "people": [world.people["staff"].pk], "guests": "Ông Khách"},
    )
    assert response.status_code == 302
    group = conference.groups.get(name="Khách mời")
    assert [m.display_name for m in group.members.all()] == ["Ông Khách"]  # staff already summoned


def test_closing_a_secret_ballot_says_how_many_voted_first(
    world: World, conference: Conference
) -> None:
    from conferences.models import VoteMethod
    from conferences.tests.conftest import PASSPHRASE

    item = services.add_vote_item(
        conference, title="Thông qua nghị quyết", method=VoteMethod.SECRET_BALLOT, by=None
    )
    services.open_vote(item, by=None, passphrase=PASSPHRASE)
    services.cast_ballot(item, person=world.people["staff"], choice="yes")
    body = (
        world.client("clerk").get(reverse("conferences:votes", args=[conference.pk])).content
    ).decode()
    assert "Đã bỏ phiếu: 1/1 đại biểu có mặt." in body
    assert "Kết thúc bỏ phiếu kín: 1/1 đại biểu có mặt đã bỏ phiếu" in body
    assert "Không làm lại được." in body
    staff_page = world.client("staff").get(reverse("conferences:votes", args=[conference.pk]))
    assert "Đã bỏ phiếu: 1/1" not in staff_page.content.decode()


def test_numbering_a_paper_says_what_it_freezes(world: World, meeting: Conference) -> None:
    services.set_status(meeting, ConferenceStatus.CLOSED, by=None)
    body = (
        world.client("clerk")
        .get(reverse("conferences:paper", args=[meeting.pk, "minutes"]))
        .content.decode()
    )
    assert "số đã lấy không bỏ được" in body
