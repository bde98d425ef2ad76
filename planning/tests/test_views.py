"""What each role can do through the pages (POST), and what they see."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from conftest import World, commit
from planning import services, tree
from planning.models import Plan, Task


def coord_formset(rows: list[tuple[int, str]]) -> dict[str, str]:
    data = {
        "coord-TOTAL_FORMS": str(len(rows)),
        "coord-INITIAL_FORMS": "0",
        "coord-MIN_NUM_FORMS": "0",
        "coord-MAX_NUM_FORMS": "1000",
    }
    for i, (unit, duty) in enumerate(rows):
        data[f"coord-{i}-unit"] = str(unit)
        data[f"coord-{i}-duty"] = duty
    return data


def test_leadership_creates_a_task_with_coordinating_units(world: World) -> None:
    data = {
        "kind": "task", "title": "Xây dựng văn hóa công sở", "lead_unit": world.office.pk,
        "start_date": "2023-09-01", "due_date": "2024-05-31", "weight": "1,5", "order": "2",
        **coord_formset([(world.faculty.pk, "Phổ biến tới giảng viên"), (world.group.pk, "")]),
    }  # fmt: skip
    response = world.client("leadership").post(
        reverse("planning:task_create", args=[world.plan.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    task = Task.objects.get(title="Xây dựng văn hóa công sở")
    assert str(task.weight) == "1.50"
    assert [(c.unit, c.duty) for c in task.coordinations.active()] == [
        (world.faculty, "Phổ biến tới giảng viên"),
        (world.group, ""),
    ]
    page = (
        world.client("staff").get(reverse("planning:task_detail", args=[task.pk])).content.decode()
    )
    assert "Phòng Đào tạo" in page and "Phổ biến tới giảng viên" in page
    assert "Lịch sử thay đổi" in page and "Phùng Quý Sơn" in page


def test_bad_task_input_gets_vietnamese_errors_and_changes_nothing(world: World) -> None:
    before = Task.objects.count()
    data = {
        "kind": "task",
        "title": "",
        "start_date": "31/02/2024",
        "weight": "nhiều",
        "order": "0",
        **coord_formset([(world.office.pk, ""), (world.office.pk, "")]),
    }
    response = world.client("leadership").post(
        reverse("planning:task_create", args=[world.plan.pk]), data
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Trường này là bắt buộc." in body
    assert "Nhập một ngày hợp lệ." in body
    assert Task.objects.count() == before


def test_unit_head_writes_only_in_their_unit(world: World) -> None:
    head = world.client("unit_head")
    edit_school_task = head.post(
        reverse("planning:task_edit", args=[world.task.pk]), {"title": "x"}
    )
    assert edit_school_task.status_code == 403
    data = {
        "kind": "task",
        "title": "Cập nhật số liệu tuyển sinh hằng tuần",
        "serves": world.task.pk,
        "lead_unit": world.office.pk,
        "weight": "1",
        "order": "1",
        **coord_formset([]),
    }
    created = head.post(
        reverse("planning:task_create", args=[world.plan.pk]) + f"?unit={world.office.pk}", data
    )
    assert created.status_code == 302
    task = Task.objects.get(title="Cập nhật số liệu tuyển sinh hằng tuần")
    assert task.owner_unit == world.office and task.serves == world.task
    other_unit = head.post(
        reverse("planning:task_create", args=[world.plan.pk]) + f"?unit={world.faculty.pk}", data
    )
    assert other_unit.status_code == 403


def test_staff_cannot_change_the_plan(world: World) -> None:
    staff = world.client("staff")
    assert staff.post(reverse("planning:plan_issue", args=[world.plan.pk])).status_code == 403
    assert (
        staff.post(reverse("planning:archive", args=["task", world.subtask.pk])).status_code == 403
    )
    assert not Plan.objects.get(pk=world.plan.pk).is_issued


def test_outsider_cannot_post_into_another_school(world: World) -> None:
    outsider = world.client("outsider")
    assert outsider.post(reverse("planning:plan_issue", args=[world.plan.pk])).status_code == 404
    assert (
        outsider.post(reverse("planning:archive", args=["task", world.subtask.pk])).status_code
        == 404
    )


def confirmed(obj: object) -> dict[str, object]:
    """The confirmation form of an irreversible action, as reviewed at the object's state."""
    seen = obj.figures_version if isinstance(obj, Plan) else obj.version  # type: ignore[attr-defined]
    return {"confirm": "on", "seen": seen}


def test_issued_plan_shows_why_it_cannot_be_edited(world: World) -> None:
    client = world.client("leadership")
    url = reverse("planning:plan_issue", args=[world.plan.pk])
    assert client.post(url, confirmed(Plan.objects.get(pk=world.plan.pk))).status_code == 302
    archive = reverse("planning:archive", args=["task", world.subtask.pk])
    page = client.get(archive).content.decode()
    assert "Kế hoạch đã ban hành" in page and 'id="refusal"' in page
    world.subtask.refresh_from_db()
    assert client.post(archive, confirmed(world.subtask)).status_code == 200
    world.subtask.refresh_from_db()
    assert not world.subtask.is_archived
    client.post(
        reverse("planning:amendment_open", args=[world.plan.pk]), {"reason": "Bổ sung nhiệm vụ"}
    )
    page = client.get(archive).content.decode()
    assert "Bổ sung nhiệm vụ" in page and 'id="refusal"' not in page
    client.post(archive, confirmed(world.subtask))
    world.subtask.refresh_from_db()
    assert world.subtask.is_archived


def test_copy_plan_page(world: World) -> None:
    response = world.client("leadership").post(
        reverse("planning:plan_copy", args=[world.plan.pk]), {"start_year": "2024"}
    )
    new = Plan.objects.get(start_year=2024)
    assert response["Location"] == reverse("planning:plan_detail", args=[new.pk])
    page = world.client("staff").get(response["Location"]).content.decode()
    assert "Sao từ" in page and "2023–2024" in page


def test_unit_page_shows_led_coordinated_and_own_tasks(world: World) -> None:
    page = (
        world.client("unit_head")
        .get(reverse("planning:unit_plan", args=[world.plan.pk, world.office.pk]))
        .content.decode()
    )
    assert "Tuyển sinh và duy trì sĩ số" in page  # coordinated
    assert "Tổng hợp số liệu tuyển sinh" in page  # its duty line
    assert "Cập nhật cổng tuyển sinh" in page  # own task
    assert "Tỷ lệ tuyển sinh" in page  # allocated target
    assert "Đề xuất điều chỉnh" in page


def test_unit_head_proposes_and_leadership_accepts_through_pages(world: World) -> None:
    allocation = world.target.allocations.get()
    world.client("unit_head").post(
        reverse("planning:allocation_propose", args=[allocation.pk]),
        {"value": "87,5", "reason": "Nguồn tuyển giảm"},
    )
    allocation.refresh_from_db()
    assert str(allocation.proposed_value) == "87.50"
    assert (
        world.client("staff")
        .post(reverse("planning:allocation_decide", args=[allocation.pk]), {"accept": "1"})
        .status_code
        == 403
    )
    world.client("leadership").post(
        reverse("planning:allocation_decide", args=[allocation.pk]), {"accept": "1", "note": ""}
    )
    allocation.refresh_from_db()
    assert str(allocation.value) == "87.50"


def test_target_form_checks_direction_and_thresholds(world: World) -> None:
    data = {
        "name": "Tỷ lệ bỏ học",
        "unit_of_measure": "%",
        "direction": "lower",
        "target_value": "3",
        "amber_threshold": "2",
        "order": "0",
    }
    response = world.client("leadership").post(
        reverse("planning:target_create", args=[world.plan.pk]), data
    )
    assert response.status_code == 400
    assert "ngưỡng vàng không được thấp hơn chỉ tiêu" in response.content.decode()
    data["amber_threshold"], data["red_threshold"] = "4", "5"
    assert (
        world.client("leadership")
        .post(reverse("planning:target_create", args=[world.plan.pk]), data)
        .status_code
        == 302
    )


def test_search_ignores_diacritics(world: World) -> None:
    page = (
        world.client("staff")
        .get(reverse("search"), {"q": "nguyen thi phuong loan"})
        .content.decode()
    )
    assert "Nguyễn Thị Phương Loan" in page
    page = world.client("staff").get(reverse("search"), {"q": "TUYEN SINH"}).content.decode()
    assert "Tuyển sinh và duy trì sĩ số" in page
    page = world.client("staff").get(reverse("search"), {"q": "2457"}).content.decode()
    assert "2457/QĐ-BGDĐT" in page


def test_people_list_sorted_the_vietnamese_way(world: World) -> None:
    page = world.client("staff").get(reverse("organisations:person_list")).content.decode()
    order = [
        page.index(name)
        for name in ["Hoàng Văn An", "Lý Thị Hoa", "Nguyễn Thị Phương Loan", "Phùng Quý Sơn"]
    ]
    assert order == sorted(order)


def test_history_is_shown_with_amendment_reason(world: World) -> None:
    leader = world.users["leadership"]
    services.issue_plan(world.plan, by=leader, on=dt.date(2023, 9, 26))
    services.open_amendment(world.plan, reason="Theo kết luận của Hiệu trưởng", by=leader)
    world.task.due_date = dt.date(2024, 6, 30)
    services.save_plan_object(world.task, by=leader)
    page = (
        world.client("staff")
        .get(reverse("planning:task_detail", args=[world.task.pk]))
        .content.decode()
    )
    assert "Theo kết luận của Hiệu trưởng" in page
    assert "Hạn hoàn thành" in page and "30/06/2024" in page


def test_task_page_names_the_conference_opinion_it_came_from(world: World) -> None:
    import datetime as dt

    from conferences.models import Conference, ConferenceKind, Opinion

    kind = ConferenceKind.objects.first()
    conference = Conference.objects.create(
        school=world.school,
        kind=kind,
        title="Hội nghị triển khai",
        held_on=dt.date(2023, 9, 26),
        plan=world.plan,
    )
    Opinion.objects.create(
        conference=conference,
        number=1,
        content="Nên số hóa hồ sơ tuyển sinh",
        resulting_task=world.task,
    )
    page = (
        world.client("staff")
        .get(reverse("planning:task_detail", args=[world.task.pk]))
        .content.decode()
    )
    assert "Từ ý kiến tham góp" in page and "Nên số hóa hồ sơ tuyển sinh" in page


def test_plan_page_shows_changes_at_once_despite_its_cache(settled: World) -> None:
    """Each change, once committed, bumps the plan's figures version: the next view shows it."""
    world = settled
    url = reverse("planning:plan_detail", args=[world.plan.pk])
    client = world.client("staff")
    assert "Tuyển sinh và duy trì sĩ số" in client.get(url).content.decode()
    leader = world.users["leadership"]
    world.task.title = "Tuyển sinh, giữ sĩ số toàn khóa"
    services.save_plan_object(world.task, by=leader)
    commit()
    assert "Tuyển sinh, giữ sĩ số toàn khóa" in client.get(url).content.decode()
    services.set_coordinations(
        world.task,
        [(world.office, "Tổng hợp"), (world.school.children.get(code="bgh"), "Chỉ đạo")],
        by=leader,
    )
    commit()
    assert "Phối hợp: Ban Giám hiệu" in client.get(url).content.decode()
    world.people["staff"].full_name = "Hoàng Văn Ân"
    world.people["staff"].save()
    commit()
    assert "Phụ trách: Hoàng Văn Ân" in client.get(url).content.decode()


def test_plan_page_parts_follow_every_change_they_show(settled: World) -> None:
    """The plan page's tree and targets are cached between requests; a renamed area, a changed
    target and a new task each show at once, and only those who may edit see the editing links."""
    world = settled
    url = reverse("planning:plan_detail", args=[world.plan.pk])
    clients = ((world.client("leadership"), True), (world.client("staff"), False))
    by = world.users["leadership"]
    area_edit = reverse("planning:area_edit", args=[world.area.pk])

    def rename_area() -> str:
        world.area.name = "Đào tạo và bồi dưỡng"
        services.save_plan_object(world.area, by=by)
        return world.area.name

    def rename_target() -> str:
        world.target.name = "Tỷ lệ tuyển sinh đạt chỉ tiêu"
        services.save_plan_object(world.target, by=by)
        return world.target.name

    def add_task() -> str:
        task = Task(plan=world.plan, kind="task", title="Nhiệm vụ mới", lead_unit=world.office)
        return services.save_plan_object(task, by=by).title

    for change in (rename_area, rename_target, add_task):
        for client, _editor in clients:
            client.get(url)  # cached
        shown = change()
        commit()
        for client, editor in clients:
            body = client.get(url).content.decode()
            assert shown in body, change.__name__
            assert (area_edit in body) is editor


def test_cached_plan_page_parts_stay_escaped(world: World) -> None:
    """A title with markup is shown as text whether the tree was just rendered or read back from
    the cache."""
    world.task.title = '<script>alert("x")</script>'
    services.save_plan_object(world.task, by=world.users["leadership"])
    url = reverse("planning:plan_detail", args=[world.plan.pk])
    client = world.client("staff")
    for _request in ("computed", "read back"):
        body = client.get(url).content.decode()
        assert '<script>alert("x")</script>' not in body
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    plan = Plan.objects.get(pk=world.plan.pk)
    parts = tree.plan_tree(plan)  # assembled from the stored rows
    assert "&lt;script&gt;" in parts["tree_html"] and parts["root_count"] >= 1
