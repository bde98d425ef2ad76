"""One user, several organisations: what each membership sees, the switcher, API tokens, and the
scope every query of an organisation's data runs in."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django_scopes import ScopeError, scope

from api.services import create_token
from conftest import World
from organisations.membership import compute_membership, memberships_of
from organisations.models import Organisation, Person, Position, Role
from planning import services
from planning.models import Plan, Task, WorkArea
from tracking.reminders import scan_reminders_job
from trongtam.views import search


@dataclass
class Multi:
    user: Any
    sgd: Organisation  # Sở GD&ĐT, where the user is an officer
    other_plan: Plan
    other_task: Task


@pytest.fixture
def multi(world: World, django_user_model: Any) -> Multi:
    """A lecturer in two schools (world.school first) and an officer of the Sở GD&ĐT."""
    user = django_user_model.objects.create_user(username="multi", password="x-multi")
    sgd = Organisation.objects.create(name="Sở Giáo dục và Đào tạo Mẫu", kind="department")
    sgd_office = Organisation.objects.create(
        name="Phòng Giáo dục chuyên nghiệp", kind="office", parent=sgd
    )
    other_faculty = Organisation.objects.create(
        name="Khoa Sư phạm", kind="faculty", parent=world.other_school
    )
    for organisation, unit, title in (
        (world.school, world.group, "Giảng viên"),
        (world.other_school, other_faculty, "Giảng viên thỉnh giảng"),
        (sgd, sgd_office, "Chuyên viên"),
    ):
        person = Person.objects.create(full_name="Đỗ Thị Hằng", school=organisation, user=user)
        Position.objects.create(person=person, organisation=unit, title=title, role=Role.MEMBER)
    by = world.users["outsider"]
    other_plan = services.create_plan(
        school=world.other_school, start_year=2023, title="Kế hoạch của Trường Khác", by=by
    )
    other_task = services.save_plan_object(
        Task(plan=other_plan, title="Xây dựng ngân hàng đề thi", lead_unit=other_faculty), by=by
    )
    return Multi(user=user, sgd=sgd, other_plan=other_plan, other_task=other_task)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _switch(client: Client, organisation: Organisation) -> None:
    response = client.post(reverse("organisations:switch"), {"organisation": organisation.pk})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def _sees(client: Client, world: World, multi: Multi) -> dict[str, Any]:
    """What the active membership sees: the plan list, both schools' task pages, the search."""
    plans = client.get(reverse("planning:plan_list")).content.decode()
    found = client.get(reverse("search"), {"q": "tuyen sinh"}).content.decode()
    found_other = client.get(reverse("search"), {"q": "ngan hang de thi"}).content.decode()
    return {
        "plans": {title for title in (world.plan.title, multi.other_plan.title) if title in plans},
        "task": client.get(reverse("planning:task_detail", args=[world.task.pk])).status_code,
        "other_task": client.get(
            reverse("planning:task_detail", args=[multi.other_task.pk])
        ).status_code,
        "search": {
            title
            for title, page in ((world.task.title, found), (multi.other_task.title, found_other))
            if title in page
        },
    }


def test_the_sgd_and_a_phong_gddt_are_the_top_of_their_own_trees(multi: Multi) -> None:
    office = Organisation.objects.get(name="Phòng Giáo dục chuyên nghiệp")
    assert multi.sgd.school_id == multi.sgd.pk and office.school_id == multi.sgd.pk
    district = Organisation.objects.create(
        name="Phòng Giáo dục và Đào tạo huyện Mẫu", kind="education_office", parent=multi.sgd
    )
    assert district.school_id == district.pk
    assert Organisation.objects.outside_schools().filter(pk=multi.sgd.pk).exists()


def test_each_membership_sees_exactly_its_own_organisation(world: World, multi: Multi) -> None:
    client = _client(multi.user)
    # The first membership (the oldest record) is active until another is chosen.
    assert _sees(client, world, multi) == {
        "plans": {world.plan.title},
        "task": 200,
        "other_task": 404,
        "search": {world.task.title},
    }
    _switch(client, world.other_school)
    assert _sees(client, world, multi) == {
        "plans": {multi.other_plan.title},
        "task": 404,
        "other_task": 200,
        "search": {multi.other_task.title},
    }
    _switch(client, multi.sgd)
    assert _sees(client, world, multi) == {
        "plans": set(),
        "task": 404,
        "other_task": 404,
        "search": set(),
    }
    tree = client.get(reverse("organisations:tree")).content.decode()
    assert "Phòng Giáo dục chuyên nghiệp" in tree and "Khoa Tự nhiên" not in tree
    _switch(client, world.school)
    assert _sees(client, world, multi)["plans"] == {world.plan.title}


def test_switching_to_an_organisation_one_is_not_a_member_of_is_refused(
    world: World, multi: Multi
) -> None:
    client = _client(multi.user)
    _switch(client, world.other_school)
    ministry = Organisation.objects.get(kind="ministry")
    for target in (ministry.pk, world.office.pk, 0, "x"):
        response = client.post(reverse("organisations:switch"), {"organisation": target})
        assert response.status_code == 404
    assert client.get(reverse("organisations:switch")).status_code == 405
    # Still where it was.
    assert _sees(client, world, multi)["plans"] == {multi.other_plan.title}
    # A user of one school only has nothing to switch to.
    staff = world.client("staff")
    assert (
        staff.post(
            reverse("organisations:switch"), {"organisation": world.other_school.pk}
        ).status_code
        == 404
    )


def test_the_switcher_shows_only_with_several_organisations(world: World, multi: Multi) -> None:
    page = _client(multi.user).get(reverse("planning:plan_list")).content.decode()
    assert "Đang làm việc tại:" in page and "Sở Giáo dục và Đào tạo Mẫu" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert (
        "Đang làm việc tại:"
        not in world.client("staff").get(reverse("planning:plan_list")).content.decode()
    )


def test_memberships_are_in_a_stable_order_and_each_has_its_own_roles(
    world: World, multi: Multi
) -> None:
    assert [p.school_id for p in memberships_of(multi.user)] == [
        world.school.pk, world.other_school.pk, multi.sgd.pk,
    ]  # fmt: skip
    assert compute_membership(multi.user).school_id == world.school.pk
    in_sgd = compute_membership(multi.user, multi.sgd.pk)
    assert in_sgd.school_id == multi.sgd.pk and not in_sgd.is_leadership
    assert in_sgd.unit_ids == {Organisation.objects.get(name="Phòng Giáo dục chuyên nghiệp").pk}
    # Not a member: the first membership, never the asked one.
    assert compute_membership(multi.user, world.office.pk).school_id == world.school.pk


def test_a_user_has_one_staff_record_per_organisation(world: World) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(full_name="Lặp", school=world.school, user=world.users["staff"])


def test_an_api_token_acts_in_the_organisation_it_was_made_in(world: World, multi: Multi) -> None:
    _, in_first = create_token(multi.user, name="first", organisation_id=world.school.pk)
    _, in_other = create_token(multi.user, name="other", organisation_id=world.other_school.pk)
    _, in_sgd = create_token(multi.user, name="sgd", organisation_id=multi.sgd.pk)

    def plans(secret: str) -> set[str]:
        response = Client().get("/api/plans", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 200
        return {row["title"] for row in response.json()}

    def task_status(secret: str, task: Task) -> int:
        return (
            Client().get(f"/api/tasks/{task.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code
        )

    assert plans(in_first) == {world.plan.title}
    assert plans(in_other) == {multi.other_plan.title}
    assert plans(in_sgd) == set()
    assert task_status(in_first, world.task) == 200
    assert task_status(in_first, multi.other_task) == 404
    assert task_status(in_other, multi.other_task) == 200
    assert task_status(in_other, world.task) == 404


def test_a_token_of_an_organisation_the_user_has_left_acts_nowhere(
    world: World, multi: Multi
) -> None:
    """Not in the user's first remaining organisation instead: it is refused (401)."""
    _, in_other = create_token(multi.user, name="other", organisation_id=world.other_school.pk)
    Person.objects.get(user=multi.user, school=world.other_school).archive()
    response = Client().get("/api/plans", HTTP_AUTHORIZATION=f"Bearer {in_other}")
    assert response.status_code == 401


def test_a_token_made_on_the_tokens_page_belongs_to_the_active_membership(
    world: World, multi: Multi
) -> None:
    from api.models import ApiToken

    client = _client(multi.user)
    _switch(client, world.other_school)
    client.post(reverse("api_tokens"), {"name": "bảng tính"})
    assert ApiToken.objects.get(user=multi.user).organisation_id == world.other_school.pk


# The scope itself ------------------------------------------------------------------------------


def test_a_query_of_an_organisations_data_outside_any_scope_raises(world: World) -> None:
    with scope():  # signed in nowhere: no organisation chosen
        with pytest.raises(ScopeError):
            Plan.objects.filter(school=world.school).count()
        with pytest.raises(ScopeError):
            Task.objects.active().first()
        with pytest.raises(ScopeError):
            list(Person.objects.all())
        with pytest.raises(ScopeError):
            world.plan.tasks.count()  # a reverse relation is scoped too
        assert world.task.plan == world.plan  # a forward one is not


def test_a_view_run_without_the_middleware_cannot_read_any_school(world: World) -> None:
    request = RequestFactory().get("/search/", {"q": "tuyen sinh"})
    request.user = world.users["staff"]
    with scope(), pytest.raises(ScopeError):
        search(request)


def test_inside_a_scope_only_that_organisations_rows_exist(world: World, multi: Multi) -> None:
    with scope(school=world.other_school.pk):
        assert list(Plan.objects.all()) == [multi.other_plan]
        assert not Task.objects.filter(pk=world.task.pk).exists()
        assert not Person.objects.filter(school=world.school).exists()
    with scope(school=[]):  # a signed-in user of no organisation
        assert not Plan.objects.exists()


class _TaskChoices(forms.ModelForm):
    """Defined at import, outside any scope, as every form of the project is."""

    class Meta:
        model = Task
        fields = ["area", "person_in_charge"]


def test_a_model_forms_choices_take_the_scope_of_the_request(world: World, multi: Multi) -> None:
    WorkArea.objects.create(plan=multi.other_plan, name="Khảo thí")
    with scope(school=world.school.pk):
        form = _TaskChoices()
        assert list(form.fields["area"].queryset) == [world.area]
        assert world.people["staff"] in form.fields["person_in_charge"].queryset
        assert not form.fields["person_in_charge"].queryset.exclude(school=world.school).exists()
    with scope(), pytest.raises(ScopeError):
        list(_TaskChoices().fields["area"].queryset)


def test_jobs_and_commands_run_with_scopes_disabled(world: World) -> None:
    with scope():
        scan_reminders_job.func(on=dt.date(2024, 6, 15).isoformat())
        call_command("send_reminders", "--date", "15/06/2024", "--now", stdout=io.StringIO())


def test_the_admin_site_shows_every_organisation_to_a_superuser(world: World, multi: Multi) -> None:
    admin = world.users["leadership"]
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client = _client(admin)
    page = client.get("/admin/planning/plan/").content.decode()
    assert world.plan.title in page and multi.other_plan.title in page
    # Outside the admin site a superuser with a membership works inside it, as anyone does.
    plans = client.get(reverse("planning:plan_list")).content.decode()
    assert world.plan.title in plans and multi.other_plan.title not in plans


def test_a_signed_in_user_of_no_organisation_reads_nothing(world: World, multi: Multi) -> None:
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user(username="nobody", password="x-nobody")
    client = _client(nobody)
    assert client.get(reverse("planning:task_detail", args=[world.task.pk])).status_code in (
        403,
        404,
    )
    assert (
        world.task.title not in client.get(reverse("search"), {"q": "tuyen sinh"}).content.decode()
    )
