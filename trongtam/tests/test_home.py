"""The home page "Việc của tôi": what needs each person today, by role, at a fixed query cost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conferences.models import Conference, ConferenceKind, ConferenceStatus, Opinion
from conftest import World
from notifications.models import Notification
from planning import services as planning_services
from planning.models import Plan, PlanStatus, Task
from reports.models import Report
from tracking.models import CheckIn, Extension
from tracking.tests.test_query_counts import grow

DAY = dt.date(2024, 6, 10)  # the world's task (due 31/05/2024) is 10 days overdue


@pytest.fixture(autouse=True)
def frozen_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("trongtam.home.today", lambda: DAY)
    monkeypatch.setattr("trongtam.views.today", lambda: DAY)


@pytest.fixture(autouse=True)
def issued(world: World) -> None:
    """The plan is in force: a draft's deadlines do not make anything overdue."""
    Plan.objects.filter(pk=world.plan.pk).update(status=PlanStatus.ISSUED)
    world.plan.refresh_from_db()


def home(world: World, role: str) -> Any:
    response = world.client(role).get(reverse("home"))
    assert response.status_code == 200
    return response


def section(response: Any, anchor: str) -> str:
    """The HTML of one section of the page (up to the next section)."""
    body = response.content.decode()
    start = body.index(f'id="{anchor}"')
    end = body.find("<section", start)
    return body[start : end if end != -1 else len(body)]


def test_anonymous_is_sent_to_login(world: World) -> None:
    response = world.client("anonymous").get(reverse("home"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_outsider_sees_nothing_of_another_school(world: World) -> None:
    body = home(world, "outsider").content.decode()
    assert "Việc của tôi" in body
    assert world.task.title not in body and world.plan.title not in body


def test_person_in_charge_sees_their_overdue_task_first(world: World) -> None:
    response = home(world, "staff")
    overdue = section(response, "qua-han")
    assert world.task.title in overdue and "Quá hạn 10 ngày" in overdue
    body = response.content.decode()
    # The overdue list comes before everything else the page lists.
    assert body.index('id="qua-han"') < body.index('id="sap-den-han"')
    # Staff decide nothing and see no school figures.
    assert 'id="cho-quyet-dinh"' not in body and 'id="so-lieu"' not in body


def test_unit_head_sees_due_soon_and_coordinated_tasks(world: World) -> None:
    world.unit_task.due_date = DAY + dt.timedelta(days=5)
    world.unit_task.save()
    response = home(world, "unit_head")
    assert world.unit_task.title in section(response, "sap-den-han")
    assert "còn 5 ngày" in section(response, "sap-den-han")
    # The office coordinates the world's task: its head reports on it too.
    assert world.task.title in section(response, "qua-han")


def test_finished_or_paused_tasks_are_not_listed(world: World) -> None:
    Task.objects.filter(pk=world.task.pk).update(completed_on=DAY - dt.timedelta(days=1))
    assert world.task.title not in section(home(world, "staff"), "qua-han")
    Task.objects.filter(pk=world.task.pk).update(completed_on=None, run_state="paused")
    assert world.task.title not in section(home(world, "staff"), "qua-han")


def test_checkin_expected_after_a_period_without_report(world: World) -> None:
    task = world.unit_task
    task.start_date = DAY - dt.timedelta(days=60)
    task.due_date = DAY + dt.timedelta(days=60)
    task.save()
    assert task.title in section(home(world, "unit_head"), "can-bao-cao")
    CheckIn.objects.create(
        task=task, unit=world.office, role="lead", reported_on=DAY - dt.timedelta(days=3),
        progress=20, done="Đã làm", confidence="high",
    )  # fmt: skip
    assert 'id="can-bao-cao"' not in home(world, "unit_head").content.decode()


def test_leadership_sees_decisions_and_figures(world: World) -> None:
    leader = world.users["leadership"]
    Extension.objects.create(
        task=world.task, previous_due=world.task.due_date, requested_due=DAY,
        reason="Chờ số liệu", requested_by=world.users["staff"],
    )  # fmt: skip
    planning_services.propose_allocation(
        world.target.allocations.get(), value=Decimal("80"), reason="Khó đạt", by=world.users["unit_head"]
    )  # fmt: skip
    conference = Conference.objects.create(
        school=world.school, kind=ConferenceKind.objects.first(), title="Hội nghị viên chức",
        held_on=DAY, status=ConferenceStatus.IN_SESSION,
    )  # fmt: skip
    Opinion.objects.create(conference=conference, topic="Về tuyển sinh", content="Nên sớm hơn")
    Report.objects.create(
        plan=world.plan, kind="semester", period="semester", period_start=dt.date(2023, 9, 1),
        cutoff=dt.date(2024, 1, 5), created_by=leader,
    )  # fmt: skip
    response = home(world, "leadership")
    decisions = section(response, "cho-quyet-dinh")
    for kind in ("extension", "proposal", "opinion", "report"):
        assert f'data-decision="{kind}"' in decisions, kind
    assert "Hội nghị viên chức" in section(response, "hoi-nghi-dang-hop")
    figures = section(response, "so-lieu")
    assert reverse("tracking:dashboard", args=[world.plan.pk]) in figures
    assert '<div class="fs-4 fw-semibold text-danger" id="fig-overdue">1</div>' in figures
    # A unit head decides none of these (the semester report is the school's).
    assert 'id="cho-quyet-dinh"' not in home(world, "unit_head").content.decode()
    # The staff member sees the conference in session as well.
    assert "Hội nghị viên chức" in home(world, "staff").content.decode()


def test_unread_notifications_are_listed(world: World) -> None:
    Notification.objects.create(user=world.users["staff"], title="Nhắc việc: báo cáo tiến độ")
    Notification.objects.create(user=world.users["unit_head"], title="Không phải của bạn")
    body = section(home(world, "staff"), "thong-bao")
    assert "Nhắc việc: báo cáo tiến độ" in body and "Không phải của bạn" not in body


def test_school_without_plan(world: World) -> None:
    Plan.objects.filter(pk=world.plan.pk).update(archived_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    body = home(world, "staff").content.decode()
    assert "Trường chưa có kế hoạch năm học." in body


def queries(world: World, role: str) -> int:
    client = world.client(role)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(captured)


def grow_more(world: World, n: int) -> None:
    """Tasks, check-ins, extensions, targets (grow) and notifications, opinions, reports."""
    grow(world, n)
    conference = Conference.objects.create(
        school=world.school, kind=ConferenceKind.objects.first(), title="Hội nghị",
        held_on=DAY, status=ConferenceStatus.IN_SESSION,
    )  # fmt: skip
    for i in range(n):
        Task.objects.filter(plan=world.plan).update(
            person_in_charge=world.people["staff"], start_date=DAY - dt.timedelta(days=90)
        )
        Notification.objects.create(user=world.users["leadership"], title=f"Thông báo {i}")
        Notification.objects.create(user=world.users["staff"], title=f"Thông báo {i}")
        Opinion.objects.create(conference=conference, topic=f"Ý kiến {i}", content="…")
        Report.objects.create(
            plan=world.plan, kind="unit", unit=world.office, period="semester",
            period_start=dt.date(2023, 9, 1), cutoff=dt.date(2024, 1, 5),
        )  # fmt: skip


@pytest.mark.parametrize("role", ["staff", "unit_head", "leadership"])
def test_query_count_does_not_grow_with_the_data(world: World, role: str) -> None:
    grow_more(world, 2)
    few = queries(world, role)
    grow_more(world, 12)
    assert queries(world, role) == few


def test_an_import_checked_but_not_confirmed_waits_on_the_home_page(world: World) -> None:
    client = world.client("leadership")
    export = client.get(reverse("tracking:plan_export", args=[world.plan.pk])).content
    url = reverse("planning:plan_import", args=[world.plan.pk])
    checked = client.post(url, {"file": SimpleUploadedFile("ke-hoach.xlsx", export)})
    assert checked.status_code == 200 and checked.context["token"]
    body = client.get(reverse("home")).content.decode()
    decisions = body[body.index('id="cho-quyet-dinh"') :]
    assert f'href="{url}?resume=1"' in decisions and 'data-decision="import"' in decisions
    # Back on the import page, the same check with its confirm button, the same file.
    resumed = client.get(url + "?resume=1")
    assert resumed.context["token"] == checked.context["token"]
    assert client.post(url, {"token": resumed.context["token"]}).status_code == 302
    assert 'data-decision="import"' not in client.get(reverse("home")).content.decode()
    # Another user's session knows nothing of it.
    assert 'data-decision="import"' not in home(world, "unit_head").content.decode()
