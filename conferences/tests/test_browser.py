"""Browser scenario in headless Chromium: an opinion from a phone becomes a task of the plan."""

from __future__ import annotations

from typing import Any

import pytest

from conferences import services
from conferences.models import Conference, ConferenceStatus, Opinion
from conftest import login
from organisations.models import Organisation
from planning.models import Task

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_server(demo_server: str) -> str:
    # The secretary reopens the demo conference so that opinions are taken again.
    services.set_status(Conference.objects.get(), ConferenceStatus.IN_SESSION, by=None)
    return demo_server


def test_opinion_from_a_phone_is_answered_and_becomes_a_task(
    chromium: Any, demo_server: str
) -> None:
    conference = Conference.objects.get()
    phone = chromium.new_page(viewport={"width": 390, "height": 844})
    login(phone, demo_server, "nongthihanh")
    phone.goto(f"{demo_server}/conferences/")
    phone.get_by_role(
        "link", name="Hội nghị triển khai nhiệm vụ trọng tâm", exact=False
    ).first.click()
    phone.get_by_role("link", name="Ý kiến", exact=True).click()
    phone.get_by_role("link", name="Góp ý", exact=True).click()
    phone.fill("#id_topic", "Các giải pháp xây dựng cơ cấu tổ chức hiệu lực, hiệu quả")
    phone.fill("#id_content", "Đề nghị lập tổ công tác chuyển đổi số ở mỗi khoa.")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.click("main form button[type=submit]")
    phone.wait_for_load_state()
    # Not numbered yet: numbers are given by the secretary (or when answered), not on arrival.
    card = phone.locator(
        ".tt-opinion", has_text="Đề nghị lập tổ công tác chuyển đổi số ở mỗi khoa."
    )
    assert "Ý kiến chưa đánh số" in card.inner_text()
    assert "Chờ trả lời" in card.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    desk = chromium.new_page(viewport={"width": 1280, "height": 900})
    login(desk, demo_server, "phungquyson")
    desk.goto(f"{demo_server}/conferences/{conference.pk}/opinions/")
    desk.locator(
        ".tt-opinion", has_text="Đề nghị lập tổ công tác chuyển đổi số ở mỗi khoa."
    ).get_by_role("link", name="Trả lời").click()
    desk.check("input[name=kind][value=accepted]")
    desk.fill("#id_answer", "Tiếp thu: mỗi khoa lập tổ công tác chuyển đổi số.")
    desk.fill("#id_task_title", "Lập tổ công tác chuyển đổi số ở các khoa")
    parent = Task.objects.get(plan=conference.plan, code="8")
    desk.select_option("#id_task_parent", str(parent.pk))
    khcn = Organisation.objects.get(code="khcn-dbcl")
    desk.select_option("#id_lead_unit", str(khcn.pk))
    desk.fill("#id_due_date", "31/12/2023")
    desk.click("main form button[type=submit]")
    desk.wait_for_load_state()
    card = desk.locator("#y-kien-8")
    assert "Tiếp thu" in card.inner_text()
    became = card.locator(".tt-became a")
    assert became.inner_text().startswith("8.4. Lập tổ công tác chuyển đổi số ở các khoa")
    became.click()
    desk.wait_for_load_state()
    assert desk.locator("h1").inner_text() == "8.4. Lập tổ công tác chuyển đổi số ở các khoa"
    assert desk.locator("#lead-unit").inner_text() == khcn.name

    opinion = Opinion.objects.get(conference=conference, number=8)
    assert opinion.author is not None and opinion.author.full_name == "Nông Thị Hạnh"
    task = opinion.resulting_task
    assert task is not None and task.parent == parent and task.lead_unit == khcn
    # Staff see the answer on their phone.
    phone.reload()
    assert (
        "Tiếp thu: mỗi khoa lập tổ công tác chuyển đổi số."
        in phone.locator("#y-kien-8").inner_text()
    )
