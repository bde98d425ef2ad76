"""Browser scenario: on a phone (390 px), a principal who is also an officer of the Sở GD&ĐT
switches organisation from the navigation, and then sees the Sở's (empty) plan list."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from conftest import login
from organisations.models import Organisation, Person, Position, Role

pytestmark = pytest.mark.browser


def test_switching_organisation_on_a_phone(
    chromium: Any,
    demo_server: str,
) -> None:
    user = get_user_model().objects.get(username="phungquyson")
    sgd = Organisation.objects.get(kind="department")
    person = Person.objects.create(full_name="Phùng Quý Sơn", school=sgd, user=user)
    Position.objects.create(
        person=person, organisation=sgd, title="Cộng tác viên", role=Role.MEMBER
    )

    page = chromium.new_page(viewport={"width": 390, "height": 844})
    login(page, demo_server, "phungquyson")
    switcher = page.locator(".tt-switcher")
    switcher.wait_for(state="visible")
    assert "Đang làm việc tại:" in switcher.inner_text()
    box = switcher.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    switcher.locator("select").select_option(str(sgd.pk))
    switcher.locator("button").click()
    page.wait_for_load_state()
    # Home ("Việc của tôi") in the Sở: nothing of the school's plan.
    assert page.url == f"{demo_server}/"
    assert "Việc của tôi" in page.content()
    assert "Kế hoạch thực hiện nhiệm vụ trọng tâm" not in page.content()
    selected = page.locator(".tt-switcher select").input_value()
    assert selected == str(sgd.pk)
