"""The demo school's merger into Trường Cao đẳng Lạng Sơn on 27/8/2025 (demo.merger, `manage.py
demo_merger`), run on the loaded demo: the 2023–2024 year stays as the source tells it, the open
tasks, staff and students move, and the old school is history afterwards."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from conferences.models import Conference
from demo.merger import EFFECTIVE_ON, NEW_CODE, merge_demo_school
from organisations import merging
from organisations.membership import compute_membership
from organisations.models import Organisation, Person, Position
from planning.models import Plan, Task
from planning.services import PlanLocked, save_plan_object
from province.models import SchoolChange
from students.models import Status, Student

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_plan: Plan) -> Plan:
    return demo_plan


def test_the_default_demo_is_not_merged(demo: Plan) -> None:
    assert merging.absorbed_by(demo.school_id) is None
    assert not SchoolChange.objects.exists()
    assert not Person.objects.filter(school__code=NEW_CODE).exists()


def test_the_merger_keeps_the_year_and_moves_what_is_open(demo: Plan) -> None:
    school = demo.school
    tasks_before = list(demo.tasks.active().values_list("pk", "title", "completed_on"))
    open_tasks = [pk for pk, _title, done in tasks_before if done is None]
    studying = Student.objects.filter(school=school, status=Status.STUDYING).count()
    staff = merging.count_staff(school, EFFECTIVE_ON)
    conferences = Conference.objects.filter(school=school).count()
    targets = list(demo.targets.values_list("pk", "actual_value", "actual_on").order_by("pk"))

    outcome = merge_demo_school()

    new = Organisation.objects.get(code=NEW_CODE)
    assert outcome.moved["tasks"] == len(open_tasks) > 0
    assert outcome.moved["staff"] == staff > 0
    assert outcome.moved["students"] >= studying > 0
    # History: the 2023–2024 plan, its tasks (done or not) and the conference are where they were.
    assert list(demo.tasks.active().values_list("pk", "title", "completed_on")) == tasks_before
    assert Conference.objects.filter(school=school).count() == conferences
    assert list(demo.targets.values_list("pk", "actual_value", "actual_on").order_by("pk")) == (
        targets
    )
    assert Plan.objects.get(pk=demo.pk).school == school
    # The open tasks are in the new college's 2025–2026 plan, each naming its origin.
    plan = Plan.objects.get(school=new)
    assert plan.start_year == 2025
    assert set(Task.objects.filter(plan=plan).values_list("carried_from", flat=True)) == set(
        open_tasks
    )
    # The principal's positions ended on 26/8/2025; the ones at the new college start on 27/8.
    principal = Person.objects.get(school=school, full_name="Phùng Quý Sơn")
    assert all(
        p.valid_to == dt.date(2025, 8, 26) for p in Position.objects.filter(person=principal)
    )
    moved = Person.objects.get(school=new, user=principal.user)
    assert Position.objects.filter(person=moved, valid_from=EFFECTIVE_ON).exists()
    # The old school is read-only, and says so.
    succession = merging.absorbed_by(school.pk)
    assert succession is not None and succession.successor == new
    assert "đã sáp nhập vào Trường Cao đẳng Lạng Sơn theo Quyết định số 1234/QĐ-UBND" in (
        merging.notice(succession)
    )
    with pytest.raises(PlanLocked):
        save_plan_object(Task(plan=demo, title="Nhiệm vụ mới"), by=principal.user)
    # Its principal works at the new college by default, and can still read the old one.
    assert compute_membership(principal.user).school_id == new.pk
    client = Client()
    client.force_login(principal.user)
    client.post(reverse("organisations:switch"), {"organisation": school.pk})
    page = client.get(reverse("planning:plan_detail", args=[demo.pk]))
    assert page.status_code == 200
    assert "đã sáp nhập vào Trường Cao đẳng Lạng Sơn" in page.content.decode()


def test_the_command_runs_dry_then_for_real_and_refuses_a_second_time(
    demo: Plan, settings: Any
) -> None:
    out = StringIO()
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("demo_merger", stdout=out)
    settings.DEBUG = True
    call_command("demo_merger", "--dry-run", stdout=out)
    assert "Chạy thử" in out.getvalue()
    assert merging.absorbed_by(demo.school_id) is None
    call_command("demo_merger", stdout=out)
    assert "Đã sáp nhập: vào Trường Cao đẳng Lạng Sơn" in out.getvalue()
    with pytest.raises(CommandError, match="lần thứ hai"):
        call_command("demo_merger", stdout=out)
