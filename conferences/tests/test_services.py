"""Conference actions: quorum, opinions and their answers, tasks in the plan, votes, papers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from conferences import services
from conferences.forms import MergeForm
from conferences.images import placeholder_png
from conferences.models import (
    AnswerKind,
    Attendance,
    Ballot,
    BallotBox,
    BallotCast,
    Conference,
    ConferenceKind,
    VoteMethod,
)
from conferences.quorum import quorum
from conferences.tests.conftest import PASSPHRASE, present
from conftest import World
from notifications.models import Notification, NotificationKind
from planning import services as plan_services
from planning.models import PlanAmendment


def test_quorum_is_two_thirds_of_those_summoned(world: World, conference: Conference) -> None:
    state = quorum(conference)
    assert (state.summoned, state.present, state.needed) == (4, 1, 3)  # ⌈4 × 2/3⌉
    assert not state.reached
    present(conference, world.people["leadership"], world.people["clerk"])
    state = quorum(conference)
    assert state.present == 3 and state.reached


def test_attendance_is_final_once_the_conference_is_closed(
    world: World, conference: Conference
) -> None:
    invitation = conference.invitations.get(person=world.people["unit_head"])
    services.set_status(conference, "closed", by=world.users["leadership"])
    with pytest.raises(services.ConferenceError, match="đã kết thúc"):
        services.mark_attendance(invitation, attendance=Attendance.PRESENT, by=None)
    invitation.refresh_from_db()
    assert invitation.attendance == ""


def test_one_invitee_is_removed_by_archiving(world: World, conference: Conference) -> None:
    invitation = conference.invitations.get(person=world.people["unit_head"])
    before = quorum(conference).summoned
    response = world.client("clerk").post(
        reverse("conferences:archive", args=["invitation", invitation.pk])
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.is_archived  # kept, in the history, not deleted
    assert quorum(conference).summoned == before - 1
    page = world.client("clerk").get(reverse("conferences:attendance", args=[conference.pk]))
    assert f'id="invitation-{invitation.pk}"' not in page.content.decode()


def test_absence_keeps_its_reason(world: World, conference: Conference) -> None:
    invitation = conference.invitations.get(person=world.people["unit_head"])
    services.mark_attendance(
        invitation, attendance=Attendance.ABSENT, reason=" Đi công tác ", by=None
    )
    invitation.refresh_from_db()
    assert invitation.absence_reason == "Đi công tác"
    assert quorum(conference).absent == 1


def test_a_person_in_two_groups_is_summoned_once(world: World, conference: Conference) -> None:
    services.summon_group(
        conference,
        name="Ban Giám hiệu",
        people=services.select_people(world.school.pk, roles=["leadership"]),
        guests=["Đại diện sinh viên"],
        counts_for_quorum=False,
        by=None,
    )
    state = quorum(conference)
    assert state.summoned == 4  # the guest group does not count, the principal counts once
    assert conference.invitations.filter(person=world.people["leadership"]).count() == 1


def test_quorum_rule_is_data_with_its_source(db: None) -> None:
    kind = ConferenceKind.objects.get(code="hoi-nghi-vien-chuc")
    assert "59/2023/NĐ-CP" in kind.legal_basis and "2022" in kind.legal_basis
    assert kind.quorum_needed(30) == 20 and kind.quorum_needed(31) == 21
    assert kind.passes(11, 20) and not kind.passes(10, 20)  # strictly more than half


def test_select_people_by_unit_and_role(world: World) -> None:
    heads = services.select_people(world.school.pk, units=[world.office], roles=["head"])
    assert heads == [world.people["unit_head"]]
    assert services.select_people(world.school.pk) == []


# Opinions ---------------------------------------------------------------------------------------


def submit(conference: Conference, world: World, role: str = "staff", **kwargs: object):  # type: ignore[no-untyped-def]
    defaults = {
        "author": world.people[role],
        "anonymous": False,
        "topic": "Cơ cấu tổ chức",
        "content": "Đề nghị phân định rõ nhiệm vụ giữa tổ và phòng.",
    }
    return services.submit_opinion(conference, **{**defaults, **kwargs})  # type: ignore[arg-type]


def test_opinions_are_numbered_by_the_secretary(world: World, conference: Conference) -> None:
    first = submit(conference, world, topic="Nhà xe")
    second = submit(conference, world, anonymous=True, author=None, topic="Bồi dưỡng")
    assert (first.number, second.number) == (None, None)
    assert second.author is None and second.is_anonymous
    assert services.number_opinions(conference, by=world.users["clerk"]) == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.number, first.number) == (1, 2)  # by topic, not by arrival
    assert services.number_opinions(conference, by=world.users["clerk"]) == 0


def test_no_opinions_after_the_conference_closes(world: World, conference: Conference) -> None:
    services.set_status(conference, "closed", by=None)
    with pytest.raises(services.ConferenceError):
        submit(conference, world)


def test_opinion_on_a_task_of_another_plan_is_refused(world: World, conference: Conference) -> None:
    conference.plan = None
    with pytest.raises(services.ConferenceError):
        submit(conference, world, task=world.task)


def test_merge_duplicates_and_answer_once(world: World, conference: Conference) -> None:
    first = submit(conference, world)
    duplicate = submit(conference, world, role="unit_head")
    services.merge_opinion(duplicate, into=first, by=world.users["clerk"])
    with pytest.raises(services.ConferenceError, match="gộp"):
        services.answer_opinion(
            duplicate, kind=AnswerKind.EXPLAINED, answer="…", by=world.users["leadership"]
        )
    services.answer_opinion(
        first,
        kind=AnswerKind.EXPLAINED,
        answer="Đã có trong quy chế.",
        by=world.users["leadership"],
    )
    with pytest.raises(services.ConferenceError):
        services.merge_opinion(submit(conference, world), into=duplicate, by=None)


def test_forwarded_answer_needs_a_unit(world: World, conference: Conference) -> None:
    opinion = submit(conference, world)
    with pytest.raises(services.ConferenceError):
        services.answer_opinion(
            opinion, kind=AnswerKind.FORWARDED, answer="Chuyển", by=world.users["leadership"]
        )
    services.answer_opinion(
        opinion,
        kind=AnswerKind.FORWARDED,
        answer="Chuyển Phòng Đào tạo.",
        forwarded_to=world.office,
        by=world.users["leadership"],
    )
    assert opinion.forwarded_to == world.office


def test_accepted_opinion_needs_a_task(world: World, conference: Conference) -> None:
    opinion = submit(conference, world)
    with pytest.raises(services.ConferenceError, match="nhiệm vụ"):
        services.answer_opinion(
            opinion, kind=AnswerKind.ACCEPTED, answer="Tiếp thu", by=world.users["leadership"]
        )
    services.answer_opinion(
        opinion,
        kind=AnswerKind.ACCEPTED,
        answer="Tiếp thu vào nhiệm vụ tuyển sinh.",
        existing_task=world.task,
        by=world.users["leadership"],
    )
    assert opinion.resulting_task == world.task


def test_accepted_opinion_becomes_a_task_inside_an_amendment(
    world: World, conference: Conference
) -> None:
    leader = world.users["leadership"]
    plan_services.issue_plan(world.plan, by=leader, on=dt.date(2023, 9, 26))
    opinion = submit(conference, world, task=world.task)
    services.answer_opinion(
        opinion,
        kind=AnswerKind.ACCEPTED,
        answer="Tiếp thu.",
        new_task=services.NewTask(
            title="Tư vấn tuyển sinh trên mạng xã hội",
            lead_unit=world.office,
            due_date=dt.date(2024, 3, 31),
            parent=world.task,
            coordinating=[(world.faculty, "Cung cấp thông tin ngành")],
        ),
        by=leader,
    )
    task = opinion.resulting_task
    assert task is not None and task.parent == world.task and task.code == "1.2"
    assert task.lead_unit == world.office and task.due_date == dt.date(2024, 3, 31)
    assert [c.unit for c in task.coordinations.active()] == [world.faculty]
    assert task.from_opinions.get() == opinion  # linked back to the opinion
    amendment = PlanAmendment.objects.get(plan=world.plan)
    assert conference.title in amendment.reason and not amendment.is_open  # opened and closed
    reason = task.history.earliest().history_change_reason
    assert "Sửa đổi lần 1" in reason and "ý kiến số 1" in reason


def test_an_amendment_already_open_is_reused_and_left_open(
    world: World, conference: Conference
) -> None:
    leader = world.users["leadership"]
    plan_services.issue_plan(world.plan, by=leader)
    plan_services.open_amendment(world.plan, reason="Điều chỉnh giữa kỳ", by=leader)
    opinion = submit(conference, world)
    services.answer_opinion(
        opinion,
        kind=AnswerKind.ACCEPTED,
        answer="Tiếp thu.",
        new_task=services.NewTask(
            title="Việc mới", lead_unit=world.office, due_date=dt.date(2024, 1, 31)
        ),
        by=leader,
    )
    assert PlanAmendment.objects.filter(plan=world.plan).count() == 1
    assert plan_services.open_amendment_of(world.plan) is not None


def test_conclusion_becomes_a_task_or_links_an_existing_one(
    world: World, conference: Conference
) -> None:
    leader = world.users["leadership"]
    plan_services.issue_plan(world.plan, by=leader)
    new = services.record_conclusion(
        conference,
        text="Giao Phòng Đào tạo xây dựng đề án mở ngành",
        lead_unit=world.office,
        due_date=dt.date(2024, 6, 30),
        by=world.users["clerk"],
    )
    services.conclusion_to_task(new, by=leader)
    assert new.task_created and new.task.lead_unit == world.office  # type: ignore[union-attr]
    assert new.task.due_date == dt.date(2024, 6, 30) and new.task.parent is None  # type: ignore[union-attr]
    assert new.task.from_conclusions.get() == new  # type: ignore[union-attr]
    linked = services.record_conclusion(conference, text="Duy trì sĩ số", by=None)
    services.conclusion_to_task(linked, existing_task=world.task, by=leader)
    assert linked.task == world.task and not linked.task_created
    call = services.record_conclusion(
        conference, text="Kêu gọi đoàn kết", is_directive=False, by=None
    )
    with pytest.raises(services.ConferenceError):
        services.conclusion_to_task(call, by=leader)
    missing = services.record_conclusion(conference, text="Việc chưa rõ đơn vị", by=None)
    with pytest.raises(services.ConferenceError, match="đơn vị chủ trì"):
        services.conclusion_to_task(missing, by=leader)


# Votes -------------------------------------------------------------------------------------------


def test_show_of_hands_passes_with_more_than_half_of_attendees(
    world: World, conference: Conference
) -> None:
    present(
        conference, world.people["leadership"], world.people["clerk"], world.people["unit_head"]
    )
    item = services.add_vote_item(
        conference, title="Thông qua nghị quyết", is_resolution=True, by=None
    )
    with pytest.raises(services.ConferenceError, match="vượt"):
        services.record_show_of_hands(item, yes=4, no=1, abstain=0, by=None)
    services.record_show_of_hands(item, yes=2, no=2, abstain=0, by=None)
    assert item.passed is False  # 2 of 4 is not more than half
    other = services.add_vote_item(conference, title="Khác", by=None)
    services.record_show_of_hands(other, yes=3, no=1, abstain=0, by=None)
    assert other.passed is True and other.attendees_at_close == 4


def test_secret_ballot_once_per_attendee_and_unlinked(world: World, conference: Conference) -> None:
    present(conference, world.people["leadership"])
    item = services.add_vote_item(
        conference, title="Bầu Ban Thanh tra nhân dân", method=VoteMethod.SECRET_BALLOT, by=None
    )
    services.open_vote(item, by=None, passphrase=PASSPHRASE)
    services.cast_ballot(item, person=world.people["staff"], choice="yes")
    with pytest.raises(services.AlreadyVoted):
        services.cast_ballot(item, person=world.people["staff"], choice="no")
    with pytest.raises(services.ConferenceError, match="có mặt"):
        services.cast_ballot(item, person=world.people["unit_head"], choice="no")
    services.cast_ballot(item, person=world.people["leadership"], choice="no")
    assert Ballot.objects.filter(box__vote_item=item).count() == 2
    # Who voted is kept apart: no field of a cast says what was chosen, and casts carry no time.
    assert {f.name for f in BallotCast._meta.get_fields()} == {"id", "vote_item", "person"}
    assert {f.name for f in Ballot._meta.get_fields()} == {"id", "box", "sealed"}
    assert not any(hasattr(model, "history") for model in (Ballot, BallotBox, BallotCast))
    services.close_vote(item, by=None, passphrase=PASSPHRASE)
    assert (item.yes_count, item.no_count, item.passed) == (1, 1, False)
    with pytest.raises(services.ConferenceError):
        services.cast_ballot(item, person=world.people["leadership"], choice="yes")


# Photos and papers ------------------------------------------------------------------------------


def test_photo_type_is_read_from_its_bytes(world: World, conference: Conference) -> None:
    photo = services.add_photo(
        conference, content=placeholder_png(40, 30, (10, 20, 30)), caption="Toàn cảnh", by=None
    )
    assert (photo.content_type, photo.width, photo.height) == ("image/png", 40, 30)
    assert photo.image.name.endswith(".png")
    with pytest.raises(services.ConferenceError):
        services.add_photo(conference, content=b"<svg onload=alert(1)>", caption="x", by=None)
    with pytest.raises(services.ConferenceError):
        services.add_photo(conference, content=b"%PDF-1.4 ...", caption="x", by=None)


def test_article_edited_then_regenerated_from_the_data(
    world: World, conference: Conference
) -> None:
    clerk = world.users["clerk"]
    services.save_article(conference, text="Bản biên tập", by=clerk)
    assert conference.article_text == "Bản biên tập"
    services.regenerate_article(conference, by=clerk)
    assert conference.article_text.startswith("Trường Cao đẳng Mẫu tổ chức Hội nghị viên chức")
    assert "ngày 26/9/2023, nhà trường tổ chức" in conference.article_text.lower()
    services.publish_article(conference, by=clerk)
    assert conference.article_published_at is not None
    reasons = [r.history_change_reason for r in conference.history.all()]
    assert "Biên tập bài tin" in reasons  # the edit stays in the history


def test_votes_open_only_while_the_conference_is_in_session(
    world: World, conference: Conference
) -> None:
    item = services.add_vote_item(conference, title="Thông qua nghị quyết", by=None)
    services.set_status(conference, "preparing", by=None)
    with pytest.raises(services.ConferenceError, match="đang họp"):
        services.open_vote(item, by=None)
    assert conference.kind.pass_label == "50%"


def test_an_answer_tells_its_named_author_and_a_forwarded_one_the_units_heads(
    world: World, conference: Conference
) -> None:
    named = submit(conference, world)
    services.answer_opinion(
        named,
        kind=AnswerKind.FORWARDED,
        answer="Chuyển Phòng Đào tạo.",
        forwarded_to=world.office,
        by=world.users["leadership"],
    )
    answered = Notification.objects.get(kind=NotificationKind.OPINION_ANSWERED)
    assert answered.user == world.users["staff"]
    assert answered.url == f"/conferences/{conference.pk}/opinions/"
    assert "Chuyển Phòng Đào tạo." in answered.body
    forwarded = Notification.objects.get(kind=NotificationKind.OPINION_FORWARDED)
    assert forwarded.user == world.users["unit_head"]
    assert "Phòng Đào tạo" in forwarded.title
    anonymous = submit(conference, world, anonymous=True, author=None, topic="Bồi dưỡng")
    services.answer_opinion(
        anonymous, kind=AnswerKind.EXPLAINED, answer="Đã có kế hoạch.", by=world.users["leadership"]
    )
    assert Notification.objects.filter(kind=NotificationKind.OPINION_ANSWERED).count() == 1


def test_the_merge_list_starts_with_words_not_dashes(world: World, conference: Conference) -> None:
    first = submit(conference, world)
    duplicate = submit(conference, world, role="unit_head")
    html = str(MergeForm(opinion=duplicate)["into"])
    assert "---------" not in html and "— Chọn ý kiến trùng —" in html
    assert f'value="{first.pk}"' in html
