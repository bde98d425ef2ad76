"""No irreversible planning action in one click: issuing a plan, closing an amendment and
archiving show what will happen and the problems found, and act only when confirmed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import World, commit
from planning import services
from planning.models import Plan, Target, Task

# anonymous, outsider (another school), staff, unit head, leadership
ROLES = ["anonymous", "outsider", "staff", "unit_head", "leadership"]
EXPECTED = [302, 404, 403, 403, 200]


def _plan(world: World) -> Plan:
    return Plan.objects.get(pk=world.plan.pk)


def _confirm(seen: int) -> dict[str, object]:
    return {"confirm": "on", "seen": seen}


def _issue_url(world: World) -> str:
    return reverse("planning:plan_issue", args=[world.plan.pk])


def test_issue_page_shows_counts_and_problems_first(world: World) -> None:
    leader = world.users["leadership"]
    services.save_plan_object(Task(plan=world.plan, title="Chưa giao ai"), by=leader)
    services.save_plan_object(
        Target(plan=world.plan, name="Chưa có số", unit_of_measure="%"), by=leader
    )
    page = world.client("leadership").get(_issue_url(world)).content.decode()
    assert "2 nhiệm vụ, 1 giải pháp, 0 hoạt động" in page
    assert "2 đơn vị chủ trì: Khoa Tự nhiên, Tổ Toán" in page and "1 người phụ trách" in page
    assert "Nhiệm vụ chưa có đơn vị chủ trì" in page and "2. Chưa giao ai" in page
    assert "Chỉ tiêu chưa có giá trị chỉ tiêu" in page and "CT02. Chưa có số" in page
    assert "bị khóa" in page and "Không thể hủy ban hành" in page
    assert not _plan(world).is_issued  # looking does nothing


def test_nothing_is_issued_without_a_confirmation(world: World) -> None:
    client = world.client("leadership")
    seen = _plan(world).figures_version
    for data in ({}, {"seen": seen}, {"confirm": "on"}, {"confirm": "on", "seen": "x"}):
        response = client.post(_issue_url(world), data)
        assert response.status_code == 200
        assert not _plan(world).is_issued
    assert (
        "Hãy đánh dấu ô xác nhận" in client.post(_issue_url(world), {"seen": seen}).content.decode()
    )
    response = client.post(_issue_url(world), _confirm(seen))
    assert response.status_code == 302 and _plan(world).is_issued


def test_a_change_since_the_review_asks_to_look_again(settled: World) -> None:
    world = settled
    seen = _plan(world).figures_version
    services.save_plan_object(
        Task(plan=world.plan, title="Thêm sau khi xem"), by=world.users["leadership"]
    )
    commit()
    response = world.client("leadership").post(_issue_url(world), _confirm(seen))
    assert response.status_code == 200
    assert "Nội dung đã thay đổi" in response.content.decode()
    assert not _plan(world).is_issued


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, EXPECTED, strict=True)))
def test_issue_page_per_role(world: World, role: str, expected: int) -> None:
    client = world.client(role)
    assert client.get(_issue_url(world)).status_code == expected
    response = client.post(_issue_url(world), _confirm(_plan(world).figures_version))
    assert response.status_code == (302 if role == "leadership" else expected)
    assert _plan(world).is_issued == (role == "leadership")


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, EXPECTED, strict=True)))
def test_archive_pages_per_role(world: World, role: str, expected: int) -> None:
    client = world.client(role)
    for kind, obj in (("target", world.target), ("task", world.subtask), ("plan", world.plan)):
        url = reverse("planning:archive", args=[kind, obj.pk])
        assert client.get(url).status_code == expected, kind
        obj.refresh_from_db()
        client.post(url, _confirm(obj.version))
    world.subtask.refresh_from_db()
    world.target.refresh_from_db()
    assert world.subtask.is_archived == (role == "leadership")
    assert world.target.is_archived == (role == "leadership")
    assert _plan(world).is_archived == (role == "leadership")


def test_unknown_kind_is_not_found(world: World) -> None:
    url = reverse("planning:archive", args=["person", world.task.pk])
    assert world.client("leadership").get(url).status_code == 404


def test_archiving_a_task_shows_what_it_touches_and_refuses_parents(world: World) -> None:
    client = world.client("leadership")
    url = reverse("planning:archive", args=["task", world.task.pk])
    page = client.get(url).content.decode()
    assert 'id="refusal"' in page and "nhiệm vụ con trước" in page
    assert "1.1. Tư vấn tuyển sinh" in page  # the child, named
    assert "PDT.1. Cập nhật cổng tuyển sinh" in page  # the unit task serving it
    assert "Có thể khôi phục tại trang “Đã lưu trữ” của kế hoạch" in page
    client.post(url, _confirm(world.task.version))
    world.task.refresh_from_db()
    assert not world.task.is_archived


def test_archiving_a_draft_plan_after_confirming(world: World) -> None:
    client = world.client("leadership")
    url = reverse("planning:archive", args=["plan", world.plan.pk])
    page = client.get(url).content.decode()
    assert "Lưu trữ kế hoạch" in page and "có thể tạo hoặc sao" in page
    assert client.post(url, {"seen": _plan(world).version}).status_code == 200
    assert not _plan(world).is_archived
    response = client.post(url, _confirm(_plan(world).version))
    assert response["Location"] == reverse("planning:plan_list")
    assert _plan(world).is_archived


def test_an_issued_plan_cannot_be_archived(world: World) -> None:
    services.issue_plan(world.plan, by=world.users["leadership"])
    client = world.client("leadership")
    url = reverse("planning:archive", args=["plan", world.plan.pk])
    page = client.get(url).content.decode()
    assert "Không thể lưu trữ kế hoạch đã ban hành" in page
    assert "Lưu trữ kế hoạch</button>" not in page
    client.post(url, _confirm(_plan(world).version))
    assert not _plan(world).is_archived


def test_closing_an_amendment_is_confirmed(world: World) -> None:
    leader = world.users["leadership"]
    services.issue_plan(world.plan, by=leader)
    amendment = services.open_amendment(world.plan, reason="Bổ sung nhiệm vụ tuyển sinh", by=leader)
    world.subtask.title = "Tư vấn tuyển sinh trực tuyến"
    services.save_plan_object(world.subtask, by=leader)
    client = world.client("leadership")
    url = reverse("planning:amendment_close", args=[world.plan.pk])
    page = client.get(url).content.decode()
    assert "Bổ sung nhiệm vụ tuyển sinh" in page and "được khóa lại" in page
    client.post(url, {"seen": _plan(world).figures_version})
    amendment.refresh_from_db()
    assert amendment.is_open
    client.post(url, _confirm(_plan(world).figures_version))
    amendment.refresh_from_db()
    assert not amendment.is_open
    assert world.client("staff").get(url).status_code == 403
    assert world.client("outsider").get(url).status_code == 404


def test_copied_plans_issue_page_lists_the_old_year(world: World) -> None:
    leader = world.users["leadership"]
    new = services.copy_plan(world.plan, start_year=2024, by=leader)
    page = world.client("leadership").get(reverse("planning:plan_issue", args=[new.pk]))
    html = page.content.decode()
    assert 'id="old-year"' in html and "Căn cứ: 2457/QĐ-BGDĐT" in html
    assert "năm học 2023-2024" in html
