"""What is archived can be restored from the pages: the plan's "Đã lưu trữ" page, the archived
plans on the plans list, and a confirmation page per restore, for exactly those who may archive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World, commit, make_person
from organisations.models import Organisation, Role
from planning import services
from planning.models import Target, Task, WorkArea

OK, LOGIN, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
ROLES = ["anonymous", "outsider", "officer", "staff", "clerk", "unit_head", "leadership"]


@pytest.fixture
def archived(world: World) -> World:
    """The world with its subtask, the office's own task, the target and the area archived, and
    an officer of the Sở GD&ĐT above the schools (leadership there, a stranger here)."""
    sgd = Organisation.objects.create(name="Sở Giáo dục và Đào tạo Mẫu", kind="department")
    _person, world.users["officer"] = make_person(
        sgd, sgd, "Trần Văn Sở", "officer", "Giám đốc Sở", Role.LEADERSHIP
    )
    leader = world.users["leadership"]
    for obj in (world.subtask, world.unit_task, world.target, world.area):
        services.archive_plan_object(obj, by=leader)
    return world


def fresh(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)


def confirmed(obj: Any) -> dict[str, object]:
    """The confirmation of the restore page as it was shown (the versions of what comes back)."""
    from planning.restore_review import seen_of

    return {"confirm": "on", "seen": seen_of(fresh(obj))}


def restore_url(kind: str, obj: Any) -> str:
    return reverse("planning:restore", args=[kind, obj.pk])


# anonymous, outsider, officer, staff, clerk, unit head, leadership
LEADERSHIP_ONLY = (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
PAGES: list[tuple[str, Callable[[World], str], tuple[int, ...]]] = [
    ("archived page", lambda w: reverse("planning:archived", args=[w.plan.pk]),
     (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK, OK)),
    ("restore school task", lambda w: restore_url("task", w.subtask), LEADERSHIP_ONLY),
    ("restore unit task", lambda w: restore_url("task", w.unit_task),
     (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK, OK)),
    ("restore target", lambda w: restore_url("target", w.target), LEADERSHIP_ONLY),
    ("restore area", lambda w: restore_url("area", w.area), LEADERSHIP_ONLY),
    ("restore plan", lambda w: restore_url("plan", w.plan), LEADERSHIP_ONLY),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_for_role(
    archived: World, role: str, name: str, url: Any, expected: tuple[int, ...]
) -> None:
    response = archived.client(role).get(url(archived))
    assert response.status_code == expected[ROLES.index(role)], f"{name} as {role}"
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_only_those_who_may_archive_restore(archived: World, role: str) -> None:
    world = archived
    client = world.client(role)
    for kind, obj in (("task", world.subtask), ("task", world.unit_task), ("target", world.target)):
        client.post(restore_url(kind, obj), confirmed(obj))
    assert (not fresh(world.subtask).is_archived) == (role == "leadership")
    assert (not fresh(world.target).is_archived) == (role == "leadership")
    assert (not fresh(world.unit_task).is_archived) == (role in ("leadership", "unit_head"))


def test_the_archived_page_lists_what_the_user_may_restore(archived: World) -> None:
    world = archived
    url = reverse("planning:archived", args=[world.plan.pk])
    page = world.client("leadership").get(url).content.decode()
    for text in (
        "1.1. Tư vấn tuyển sinh",
        "PDT.1. Cập nhật cổng tuyển sinh",
        "CT01. Tỷ lệ tuyển sinh",
    ):
        assert text in page
    assert "Đào tạo" in page and "bởi Phùng Quý Sơn" in page
    assert restore_url("target", world.target) in page and restore_url("area", world.area) in page
    # A unit head sees the tasks of their units' own plans, and nothing else.
    page = world.client("unit_head").get(url).content.decode()
    assert "PDT.1. Cập nhật cổng tuyển sinh" in page
    assert "Tư vấn tuyển sinh" not in page and "Tỷ lệ tuyển sinh" not in page
    assert restore_url("area", world.area) not in page


def test_the_plan_page_links_to_the_archive_only_for_those_who_may_restore(world: World) -> None:
    url = reverse("planning:plan_detail", args=[world.plan.pk])
    link = reverse("planning:archived", args=[world.plan.pk])
    assert link not in world.client("leadership").get(url).content.decode()  # nothing archived
    services.archive_plan_object(world.subtask, by=world.users["leadership"])
    commit()
    assert "Đã lưu trữ (1)" in world.client("leadership").get(url).content.decode()
    assert link not in world.client("staff").get(url).content.decode()
    assert link not in world.client("unit_head").get(url).content.decode()  # not their unit's
    services.archive_plan_object(world.unit_task, by=world.users["unit_head"])
    commit()
    assert "Đã lưu trữ (1)" in world.client("unit_head").get(url).content.decode()
    assert "Đã lưu trữ (2)" in world.client("leadership").get(url).content.decode()


def test_restoring_a_task_with_its_parent_says_what_comes_back(world: World) -> None:
    leader = world.users["leadership"]
    services.archive_plan_object(world.subtask, by=leader)
    services.archive_plan_object(world.task, by=leader)
    services.save_plan_object(Task(plan=world.plan, title="Nhiệm vụ mới"), by=leader)
    client = world.client("leadership")
    url = restore_url("task", world.subtask)

    page = client.get(url).content.decode()
    assert "Nhiệm vụ cấp trên đang được lưu trữ: được khôi phục cùng" in page
    assert "Số 1 nay đã thuộc nhiệm vụ khác: nhiệm vụ được đánh số mới là 2." in page
    assert "Số 1.1 đổi thành 2.1 theo số mới của nhiệm vụ cấp trên." in page
    assert "Khôi phục nhiệm vụ và 1 nhiệm vụ cấp trên</button>" in page
    assert "Người lưu trữ" in page and "Phùng Quý Sơn" in page
    assert fresh(world.subtask).is_archived  # looking does nothing

    response = client.post(url, confirmed(world.subtask), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "planning:task_detail", args=[world.subtask.pk]
    )
    assert "Đã khôi phục. Số 1 nay đã thuộc nhiệm vụ khác" in response.content.decode()
    assert (fresh(world.task).code, fresh(world.subtask).code) == ("2", "2.1")
    assert not fresh(world.task).is_archived


def test_a_target_under_an_archived_area_says_so(archived: World) -> None:
    page = archived.client("leadership").get(restore_url("target", archived.target))
    html = page.content.decode()
    assert "Lĩnh vực của chỉ tiêu đang được lưu trữ" in html
    assert restore_url("area", archived.area) in html


def test_an_issued_plan_needs_an_amendment_to_restore(archived: World) -> None:
    world = archived
    leader = world.users["leadership"]
    services.issue_plan(world.plan, by=leader)
    client = world.client("leadership")
    url = restore_url("task", world.subtask)
    page = client.get(url).content.decode()
    assert 'id="refusal"' in page and "sửa đổi, bổ sung" in page
    client.post(url, confirmed(world.subtask))
    assert fresh(world.subtask).is_archived
    services.open_amendment(world.plan, reason="Khôi phục giải pháp tư vấn", by=leader)
    page = client.get(url).content.decode()
    assert "đợt sửa đổi đang mở: Sửa đổi lần 1: Khôi phục giải pháp tư vấn" in page
    client.post(url, confirmed(world.subtask))
    assert not fresh(world.subtask).is_archived


def test_archived_plans_are_listed_folded_for_leadership(world: World) -> None:
    leader = world.users["leadership"]
    services.archive_plan_object(world.plan, by=leader)
    url = reverse("planning:plan_list")
    page = world.client("leadership").get(url).content.decode()
    assert 'id="archived-plans"' in page and "Kế hoạch đã lưu trữ (1)" in page
    assert restore_url("plan", world.plan) in page and "bởi Phùng Quý Sơn" in page
    for role in ("staff", "unit_head", "clerk", "outsider"):
        assert 'id="archived-plans"' not in world.client(role).get(url).content.decode()

    response = world.client("leadership").post(
        restore_url("plan", world.plan), confirmed(world.plan)
    )
    assert response["Location"] == reverse("planning:plan_detail", args=[world.plan.pk])
    assert not fresh(world.plan).is_archived
    assert 'id="archived-plans"' not in world.client("leadership").get(url).content.decode()


def test_archive_pages_say_how_to_undo(world: World) -> None:
    client = world.client("leadership")
    page = client.get(reverse("planning:archive", args=["target", world.target.pk])).content
    assert "Có thể khôi phục tại trang “Đã lưu trữ” của kế hoạch" in page.decode()
    page = client.get(reverse("planning:archive", args=["plan", world.plan.pk])).content
    assert "“Kế hoạch đã lưu trữ” của trang danh sách kế hoạch" in page.decode()


# Bad input: never a 500 -----------------------------------------------------------------------


def test_bad_addresses_are_not_found(archived: World) -> None:
    world = archived
    client = world.client("leadership")
    missing = Task.objects.order_by("-pk").first().pk + 100  # type: ignore[union-attr]
    for url in (
        reverse("planning:restore", args=["person", world.subtask.pk]),
        reverse("planning:restore", args=["task", missing]),
        reverse("planning:restore", args=["plan", missing]),
        reverse("planning:archived", args=[missing]),
    ):
        assert client.get(url).status_code == NOT_FOUND, url
        assert client.post(url, {"confirm": "on", "seen": 1}).status_code == NOT_FOUND, url


def test_another_schools_archive_is_not_found(archived: World) -> None:
    world = archived
    outsider = world.users["outsider"]
    other = services.create_plan(
        school=world.other_school, start_year=2023, title="Kế hoạch của Trường Khác", by=outsider
    )
    task = services.save_plan_object(Task(plan=other, title="Việc của trường khác"), by=outsider)
    services.archive_plan_object(task, by=outsider)
    client = world.client("leadership")
    assert client.get(restore_url("task", task)).status_code == NOT_FOUND
    assert client.post(restore_url("task", task), confirmed(task)).status_code == NOT_FOUND
    assert client.get(reverse("planning:archived", args=[other.pk])).status_code == NOT_FOUND
    assert fresh(task).is_archived


def test_restoring_what_is_not_archived_is_refused_on_the_page(archived: World) -> None:
    world = archived
    client = world.client("leadership")
    for kind, obj in (("task", world.task), ("plan", world.plan)):
        url = restore_url(kind, obj)
        page = client.get(url)
        assert page.status_code == OK and "không ở trạng thái lưu trữ" in page.content.decode()
        version = fresh(obj).version
        response = client.post(url, confirmed(obj))
        assert (
            response.status_code == OK and "không ở trạng thái lưu trữ" in response.content.decode()
        )
        assert fresh(obj).version == version


def test_an_unconfirmed_or_stale_restore_does_nothing(archived: World) -> None:
    world = archived
    client = world.client("leadership")
    url = restore_url("task", world.subtask)
    seen = confirmed(world.subtask)["seen"]
    for data in ({}, {"seen": seen}, {"confirm": "on"}, {"confirm": "on", "seen": "x"}):
        assert client.post(url, data).status_code == OK
    stale = client.post(url, {"confirm": "on", "seen": int(seen) + 7})  # type: ignore[call-overload]
    assert "Nội dung đã thay đổi" in stale.content.decode()
    assert fresh(world.subtask).is_archived


def test_an_archived_areas_targets_stay_on_the_plan_page_until_it_comes_back(
    settled: World,
) -> None:
    world = settled
    leader = world.users["leadership"]
    url = reverse("planning:plan_detail", args=[world.plan.pk])
    services.archive_plan_object(world.area, by=leader)
    commit()
    page = world.client("leadership").get(url).content.decode()
    assert "Chưa xếp lĩnh vực" in page and "Tỷ lệ tuyển sinh" in page
    world.client("leadership").post(restore_url("area", world.area), confirmed(world.area))
    commit()
    page = world.client("leadership").get(url).content.decode()
    assert "Chưa xếp lĩnh vực" not in page and "Tỷ lệ tuyển sinh" in page
    assert not fresh(world.area).is_archived


# Query counts ---------------------------------------------------------------------------------


def grow_archive(world: World, n: int) -> None:
    """n more archived areas, targets, tasks with a sub-task, units' tasks and plans, archived by
    two people (so that the authors' names are read for several)."""
    leader, head = world.users["leadership"], world.users["unit_head"]
    for i in range(n):
        area = services.save_plan_object(WorkArea(plan=world.plan, name=f"Lĩnh vực {i}"), by=leader)
        target = services.save_plan_object(
            Target(plan=world.plan, area=area, name=f"Chỉ tiêu {i}", unit_of_measure="%"), by=leader
        )
        parent = services.save_plan_object(
            Task(plan=world.plan, title=f"Nhiệm vụ {i}", area=area, lead_unit=world.faculty),
            by=leader,
        )
        child = services.save_plan_object(
            Task(plan=world.plan, parent=parent, title=f"Giải pháp {i}", lead_unit=world.group),
            by=leader,
        )
        own = services.save_plan_object(
            Task(
                plan=world.plan, title=f"Việc của phòng {i}", owner_unit=world.office,
                lead_unit=world.office, serves=world.task,
            ),
            by=head,
        )  # fmt: skip
        for obj in (target, area, child, parent):
            services.archive_plan_object(obj, by=leader)
        services.archive_plan_object(own, by=head)
        old = services.create_plan(
            school=world.school, start_year=2010 + i, title=f"Kế hoạch cũ {i}", by=leader
        )
        services.archive_plan_object(old, by=leader)


def count(world: World, url: str, role: str) -> int:
    client = world.client(role)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == OK, url
    return len(queries)


@pytest.mark.parametrize(
    ("page", "role"),
    [("archived", "leadership"), ("archived", "unit_head"), ("plans", "leadership")],
)
def test_archive_pages_cost_the_same_with_few_rows_or_many(
    world: World, page: str, role: str
) -> None:
    url = (
        reverse("planning:archived", args=[world.plan.pk])
        if page == "archived"
        else reverse("planning:plan_list")
    )
    grow_archive(world, 2)
    few = count(world, url, role)
    grow_archive(world, 12)
    many = count(world, url, role)
    body = world.client(role).get(url).content.decode()
    assert ("Kế hoạch cũ 11" if page == "plans" else "Việc của phòng 11") in body
    assert many == few, f"{page} as {role}: {few} queries with few rows, {many} with many"
    assert few <= 25, f"{page} as {role}: {few} queries"
