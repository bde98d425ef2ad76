"""Every workflow step tells the people concerned: who gets what, the link, the person's own
choice of e-mail (at once, in the daily digest, or none), and the digest sent once a day."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from conftest import World, commit
from notifications.models import Delivery, Notification, NotificationKind
from notifications.services import notify, save_preferences, send_digests
from planning import services as planning
from tracking import services as tracking
from tracking.models import Extension

DAY = dt.date(2024, 5, 20)


def told(world: World, kind: str) -> dict[str, Notification]:
    """Who among the world's roles got a notification of this kind (role → notification)."""
    by_user = {n.user_id: n for n in Notification.objects.filter(kind=kind)}
    return {role: by_user[u.pk] for role, u in world.users.items() if u.pk in by_user}


@pytest.fixture
def mailed(settled: World) -> World:
    for role, user in settled.users.items():
        user.email = f"{role}@truong.edu.vn"
        user.save(update_fields=["email"])
    mail.outbox.clear()
    return settled


def request(world: World) -> Extension:
    return tracking.request_extension(
        world.task, new_due=dt.date(2024, 6, 30), reason="Chờ số liệu", by=world.users["staff"],
        on=DAY,
    )  # fmt: skip


def test_an_extension_request_tells_leadership_with_a_link_to_the_task(mailed: World) -> None:
    request(mailed)
    got = told(mailed, NotificationKind.EXTENSION_REQUESTED)
    assert set(got) == {"leadership"}  # not the one who asked, nobody of another school
    notice = got["leadership"]
    assert notice.url == reverse("planning:task_detail", args=[mailed.task.pk])
    assert "30/06/2024" in notice.title and "Chờ số liệu" in notice.body
    assert mail.outbox == []  # e-mail leaves only after commit
    commit()
    assert [m.to for m in mail.outbox] == [["leadership@truong.edu.vn"]]
    assert notice.url in mail.outbox[0].body


def test_a_decision_tells_the_one_who_asked_and_the_lead_units_head(mailed: World) -> None:
    mailed.task.lead_unit = mailed.office  # headed by unit_head
    mailed.task.save()
    extension = request(mailed)
    commit()
    mail.outbox.clear()
    tracking.decide_extension(
        extension, accept=True, note="Đồng ý", by=mailed.users["leadership"], on=DAY
    )
    got = told(mailed, NotificationKind.EXTENSION_DECIDED)
    assert set(got) == {"staff", "unit_head"}
    assert "được gia hạn đến 30/06/2024" in got["staff"].title
    assert "Đồng ý" in got["staff"].body
    commit()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "staff@truong.edu.vn", "unit_head@truong.edu.vn",
    ]  # fmt: skip


def test_a_rejection_says_so(settled: World) -> None:
    extension = request(settled)
    tracking.decide_extension(extension, accept=False, by=settled.users["leadership"], on=DAY)
    got = told(settled, NotificationKind.EXTENSION_DECIDED)
    assert "không được chấp thuận" in got["staff"].title


def test_a_target_proposal_goes_to_leadership_and_its_decision_back_to_the_unit(
    settled: World,
) -> None:
    allocation = settled.target.allocations.get(unit=settled.office)
    planning.propose_allocation(
        allocation, value=Decimal("85"), reason="Dân số giảm", by=settled.users["unit_head"]
    )
    made = told(settled, NotificationKind.PROPOSAL_MADE)
    assert set(made) == {"leadership"}
    assert made["leadership"].url == reverse("planning:target_detail", args=[settled.target.pk])
    assert "Dân số giảm" in made["leadership"].body
    planning.decide_allocation(allocation, accept=True, by=settled.users["leadership"])
    decided = told(settled, NotificationKind.PROPOSAL_DECIDED)
    assert set(decided) == {"unit_head"}
    assert "được chấp nhận" in decided["unit_head"].title


def test_issuing_and_amending_the_plan_tell_those_who_carry_it(settled: World) -> None:
    planning.issue_plan(settled.plan, by=settled.users["leadership"], on=dt.date(2023, 9, 5))
    issued = told(settled, NotificationKind.PLAN_ISSUED)
    # The unit head, the person in charge of a task; not the principal who issued it.
    assert set(issued) == {"unit_head", "staff"}
    assert issued["staff"].url == reverse("planning:plan_detail", args=[settled.plan.pk])
    amendment = planning.open_amendment(
        settled.plan, reason="Bổ sung nhiệm vụ chuyển đổi số", by=settled.users["leadership"]
    )
    assert not told(settled, NotificationKind.PLAN_AMENDED)  # only when the amendment is done
    planning.close_amendment(amendment, by=settled.users["leadership"])
    amended = told(settled, NotificationKind.PLAN_AMENDED)
    assert set(amended) == {"unit_head", "staff"}
    assert "chuyển đổi số" in amended["unit_head"].body


def test_a_kind_switched_off_stays_in_the_app_without_mail(mailed: World) -> None:
    save_preferences(
        mailed.users["leadership"], {NotificationKind.EXTENSION_REQUESTED: Delivery.OFF}
    )
    request(mailed)
    commit()
    assert told(mailed, NotificationKind.EXTENSION_REQUESTED)["leadership"].delivery == "off"
    assert mail.outbox == []
    assert send_digests(on=DAY) == 0


def test_the_daily_digest_gathers_a_persons_items_in_one_mail_once(mailed: World) -> None:
    leader = mailed.users["leadership"]
    save_preferences(leader, {NotificationKind.EXTENSION_REQUESTED: Delivery.DIGEST})
    request(mailed)
    allocation = mailed.target.allocations.get(unit=mailed.office)
    planning.propose_allocation(
        allocation, value=Decimal("85"), reason="Dân số giảm", by=mailed.users["unit_head"]
    )
    commit()
    # The proposal (left at its default) went at once; the extension waits for the digest.
    assert [m.subject for m in mail.outbox] == [
        Notification.objects.get(kind=NotificationKind.PROPOSAL_MADE).title
    ]
    mail.outbox.clear()
    assert send_digests(on=DAY) == 1
    (digest,) = mail.outbox
    assert digest.to == ["leadership@truong.edu.vn"]
    assert "20/05/2024" in digest.subject
    assert "Chờ số liệu" in digest.body and "Dân số giảm" not in digest.body
    # Once a day: a new item waits until the next day's digest.
    notify([leader], kind=NotificationKind.EXTENSION_REQUESTED, title="Mục mới")
    assert send_digests(on=DAY) == 0
    assert len(mail.outbox) == 1
    assert send_digests(on=DAY + dt.timedelta(days=1)) == 1
    assert "Mục mới" in mail.outbox[1].body and "Chờ số liệu" not in mail.outbox[1].body
    assert not Notification.objects.filter(user=leader, emailed_at__isnull=True).exists()


def test_the_preferences_page_saves_each_kinds_choice(settled: World) -> None:
    client = settled.client("staff")
    url = reverse("notifications:preferences")
    page = client.get(url).content.decode()
    assert "Đề nghị gia hạn nhiệm vụ" in page and "Gộp vào thư tổng hợp hằng ngày" in page
    response = client.post(url, {NotificationKind.PLAN_ISSUED: Delivery.DIGEST})
    assert response.status_code == 302
    assert client.post(url, {NotificationKind.REMINDER: "sometimes"}).status_code == 200
    planning.issue_plan(settled.plan, by=settled.users["leadership"], on=dt.date(2023, 9, 5))
    got = told(settled, NotificationKind.PLAN_ISSUED)
    assert got["staff"].delivery == Delivery.DIGEST
    assert got["unit_head"].delivery == Delivery.IMMEDIATE
    assert told(settled, NotificationKind.REMINDER) == {}


def test_unread_for_is_the_users_unread_newest_first(settled: World) -> None:
    request(settled)
    leader = settled.users["leadership"]
    assert [n.kind for n in Notification.objects.unread_for(leader)] == [
        NotificationKind.EXTENSION_REQUESTED
    ]
    assert not Notification.objects.unread_for(settled.users["staff"]).exists()


def test_the_digest_command_sends_the_days_digests_once(mailed: World) -> None:
    save_preferences(mailed.users["leadership"], {NotificationKind.EXTENSION_REQUESTED: "digest"})
    request(mailed)
    commit()
    out = io.StringIO()
    call_command("send_digests", "--now", "--date", "20/05/2024", stdout=out)
    call_command("send_digests", "--now", "--date", "20/05/2024", stdout=out)
    assert out.getvalue().splitlines() == [
        "20/05/2024: đã gửi 1 thư tổng hợp.",
        "20/05/2024: đã gửi 0 thư tổng hợp.",
    ]
    assert len(mail.outbox) == 1
    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        call_command("send_digests", "--now", "--date", "31/02/2024")
