"""Browser scenario: emulation upward. The demo school's principal sends the Sở the dossier of its
tờ trình's proposals; the Sở's officer returns it with a reason; the school reads the reason,
completes an achievement and sends it again; the Sở sees version 2 with version 1 kept and the
whole trail."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import login
from emulation.models import Campaign, DossierStatus, UpwardDossier

pytestmark = pytest.mark.browser

REASON = "Thiếu quyết định công nhận sáng kiến có phạm vi ảnh hưởng cấp tỉnh"
ADDED = "Bổ sung: Quyết định công nhận sáng kiến cấp tỉnh số 15/QĐ-HĐKH"


def test_school_sends_sgd_returns_school_resends(chromium: Any, demo_server: str) -> None:
    campaign = Campaign.objects.get(school__code="cdsp-lang-son", start_year=2023)
    # The demo's own dossier of that campaign went its whole way in June 2024: put it aside
    # (archived, kept) so that the school sends this campaign's dossier afresh.
    for old in UpwardDossier._base_manager.filter(campaign=campaign, archived_at=None):
        old.archive()

    school = chromium.new_page(viewport={"width": 1280, "height": 900})
    login(school, demo_server, "phungquyson")
    school.goto(f"{demo_server}/emulation/{campaign.pk}/dossier/new/")
    assert school.locator("input[name=keys]").count() >= 1
    school.fill("#id_letter", "Trường kính gửi Sở hồ sơ đề nghị khen thưởng năm học 2023–2024.")
    school.get_by_role("button", name="Gửi hồ sơ").click()
    school.wait_for_load_state()
    dossier = UpwardDossier.objects.get(campaign=campaign, archived_at=None)
    assert school.url.endswith(f"/emulation/dossiers/{dossier.pk}/")
    assert school.locator("#status").inner_text() == "Đã gửi"
    assert school.locator("#resubmit").count() == 0

    sgd = chromium.new_page(viewport={"width": 1280, "height": 900})
    login(sgd, demo_server, "sogddt")
    sgd.goto(f"{demo_server}/emulation/dossiers/")
    sgd.locator(f"tr[data-dossier='{dossier.pk}'] a").click()
    sgd.wait_for_load_state()
    assert sgd.locator("#status").inner_text() == "Đã gửi"
    sgd.fill("#return-form textarea", REASON)
    sgd.get_by_role("button", name="Trả lại để bổ sung").click()
    sgd.wait_for_load_state()
    assert sgd.locator("#status").inner_text() == "Trả lại để bổ sung"
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED

    school.reload()
    assert school.locator("#status").inner_text() == "Trả lại để bổ sung"
    returned = school.locator("#trail li[data-action='returned']")
    assert REASON in returned.inner_text()
    school.click("#resubmit")
    school.wait_for_load_state()
    first = school.locator("#id_achievements_0")
    first.fill(first.input_value() + "\n" + ADDED)
    school.get_by_role("button", name="Gửi lại").click()
    school.wait_for_load_state()
    assert school.locator("#status").inner_text() == "Đã gửi"
    assert "Lần gửi 2" in school.locator("#current-version").inner_text()
    assert school.locator("#older-versions details").count() == 1

    sgd.reload()
    assert sgd.locator("#status").inner_text() == "Đã gửi"
    assert ADDED in sgd.locator("#current-version").inner_text()
    actions = sgd.locator("#trail li").evaluate_all("items => items.map(i => i.dataset.action)")
    assert actions == ["submitted", "returned", "resubmitted"]
    # Version 2 can be taken in now.
    assert sgd.locator("#accept").count() == 1
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED and dossier.current.number == 2
