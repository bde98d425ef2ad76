"""Browser scenario: a unit head asks for more time, the principal is told, opens the link and
decides; the unit head is told of the decision. Screenshots go to $SHOTS_DIR when it is set."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.db.models import Q

from conftest import login
from notifications.models import Notification, NotificationKind
from organisations.models import Position, Role
from planning.models import Task

pytestmark = pytest.mark.browser


def shot(page: Any, name: str) -> None:
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def a_task_headed_by_someone() -> tuple[Task, Any]:
    """An open task with a deadline led by Nguyễn Thị Phương Loan's unit (she heads KHCN)."""
    heads = Position.objects.filter(
        role=Role.HEAD, person__user__username="nguyenthiphuongloan"
    ).select_related("person__user")
    by_unit = {p.organisation_id: p.person.user for p in heads}
    tasks = Task.objects.active().filter(
        Q(completed_on__isnull=True), due_date__isnull=False, lead_unit_id__in=list(by_unit)
    )
    task = tasks.exclude(extensions__status="pending").order_by("pk").first()
    assert task is not None
    return task, by_unit[task.lead_unit_id]


@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)])
def test_unit_head_asks_principal_decides_unit_head_is_told(
    chromium: Any, demo_server: str, width: int, height: int
) -> None:
    task, head = a_task_headed_by_someone()
    new_due = max(task.due_date, dt.date.today()) + dt.timedelta(days=30)  # type: ignore[type-var]
    size = {"width": width, "height": height}
    tag = f"{width}"

    asker = chromium.new_page(viewport=size)
    login(asker, demo_server, head.username)
    asker.goto(f"{demo_server}/tracking/tasks/{task.pk}/extension/")
    asker.fill("#id_new_due", new_due.strftime("%d/%m/%Y"))
    asker.fill("#id_reason", "Chờ kết quả khảo sát của đơn vị phối hợp.")
    asker.click("main form button[type=submit]")
    asker.wait_for_load_state()
    assert "Đã gửi đề nghị gia hạn" in asker.content()

    principal = chromium.new_page(viewport=size)
    login(principal, demo_server, "phungquyson")
    badge = principal.locator("[data-unread]")
    assert badge.count() == 1
    principal.goto(f"{demo_server}/notifications/")
    item = principal.get_by_role("button", name=f"Đề nghị gia hạn nhiệm vụ {task.code}")
    assert item.count() == 1
    assert principal.evaluate("document.documentElement.scrollWidth") <= width
    shot(principal, f"notifications-principal-{tag}")
    item.click()
    principal.wait_for_load_state()
    assert principal.url.endswith(f"/plans/tasks/{task.pk}/")
    principal.goto(f"{demo_server}/tracking/extensions/{task.extensions.get().pk}/decide/")
    principal.select_option("#id_accept", "1")
    principal.fill("#id_note", "Đồng ý, hoàn thành trước kỳ sơ kết.")
    principal.click("main form button[type=submit]")
    principal.wait_for_load_state()

    asker.goto(f"{demo_server}/notifications/")
    told = asker.get_by_role("button", name=f"Nhiệm vụ {task.code} được gia hạn đến")
    assert told.count() == 1
    assert "Đồng ý, hoàn thành trước kỳ sơ kết." in asker.content()
    shot(asker, f"notifications-unit-head-{tag}")
    assert Notification.objects.filter(
        user=head, kind=NotificationKind.EXTENSION_DECIDED, url=f"/plans/tasks/{task.pk}/"
    ).exists()

    asker.goto(f"{demo_server}/notifications/preferences/")
    assert asker.evaluate("document.documentElement.scrollWidth") <= width
    asker.select_option(f"#pref-{NotificationKind.EXTENSION_DECIDED}", "digest")
    asker.click("main form.card button[type=submit]")
    asker.wait_for_load_state()
    assert "Đã lưu cách nhận thông báo." in asker.content()
    shot(asker, f"notification-preferences-{tag}")
