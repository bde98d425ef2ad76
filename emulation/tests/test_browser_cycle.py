"""Browser scenario on a phone (390×844), on the demo school's campaign: a lecturer of Khoa Tự
nhiên signs in, opens her self-assessment from "Việc của tôi", sees her computed evidence,
proposes a level with a comment and sends it; the faculty's head reviews her on the unit's page,
in place; the principal's preview warns that the faculty is over its HTXS quota and who falls
under the line. The self-assessment and review pages pass the accessibility check (axe-core).

The scenario is a list of steps (`CYCLE`) run in order on one demo server, each taking the
`Scene` the ones before it left; the council's vote and the result published to staff (issue 14,
items 8–9) join as further steps after `principal_sees_the_quota_warning`.

The school's day is 17/5/2024, the last day of the demo's self-assessment window: core.clock
reads `timezone.localdate`, set here for the server's thread too.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from conftest import login
from emulation.models import Campaign, Evaluation, Stage
from organisations.models import Organisation

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SCHOOL_DAY = dt.date(2024, 5, 17)
AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """
async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => v.id + " (" + v.impact + ") " + v.help + ": "
      + v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary).join(" | "));
}
"""


@dataclass
class Scene:
    base: str
    browser: Any
    campaign: Campaign
    faculty: Organisation
    lecturer: Evaluation
    pages: dict[str, Any] = field(default_factory=dict)

    def page(self, username: str) -> Any:
        """A phone signed in as `username` (one browser context each, kept for later steps)."""
        if username not in self.pages:
            page = self.browser.new_page(viewport=PHONE)
            login(page, self.base, username)
            self.pages[username] = page
        return self.pages[username]


def shot(page: Any, name: str) -> None:
    """A full-page screenshot into $SHOTS_DIR when it is set (to look at the phone's pages)."""
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"emulation-{name}.png"), full_page=True)


def fits_the_phone(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"])


def lecturer_self_assesses(scene: Scene) -> None:
    page = scene.page("langthihuyen")
    page.goto(f"{scene.base}/")
    page.locator('[data-emulation="self-assess"]').click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/emulation/{scene.campaign.pk}/me/")
    # Her evidence, computed: the teaching hours of the demo's workload against her norm.
    assert page.locator("#as-of").inner_text() == "17/05/2024"
    teaching = page.locator('#headline [data-figure="teaching"]')
    teaching.wait_for(state="visible")
    assert teaching.inner_text() == "336/300"
    assert "112% định mức" in page.locator("#headline").inner_text()
    assert fits_the_phone(page)
    shot(page, "self-assessment")
    page.locator("#evidence-link").wait_for(state="visible")
    page.select_option("#id_level", "HTXS")
    page.fill(
        "#id_comment", "Vượt định mức giờ chuẩn 12%; biên soạn học liệu số Xác suất thống kê."
    )
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "Đã ghi tự đánh giá của bạn." in page.content()
    shot(page, "self-assessed")
    assert page.locator("#stage").inner_text() == "Đã tự đánh giá"
    scene.lecturer.refresh_from_db()
    assert (scene.lecturer.stage, scene.lecturer.self_level) == (Stage.SELF_ASSESSED, "HTXS")


def faculty_head_reviews(scene: Scene) -> None:
    page = scene.page("chuvankhanh")
    page.goto(f"{scene.base}/emulation/{scene.campaign.pk}/units/{scene.faculty.pk}/review/")
    pk = scene.lecturer.pk
    row = page.locator(f"#row-{pk}")
    assert "Lăng Thị Huyền" in row.inner_text()
    assert "giờ giảng 112%" in row.locator(f'[data-evidence="{pk}"]').inner_text()
    assert fits_the_phone(page)  # the table scrolls in its own box
    shot(page, "unit-review")
    page.select_option(f"#id_unit-level-{pk}", "HTXS")
    page.fill(
        f"#id_unit-comment-{pk}", "Nhất trí: vượt định mức giờ chuẩn, tích cực số hóa học liệu."
    )
    with page.expect_response(f"**/emulation/evaluations/{pk}/review/unit/") as answer:
        row.get_by_role("button", name="Đơn vị xét").click()
    assert answer.value.status == 200
    page.locator(f"#row-{pk} strong", has_text="HTXS").wait_for()
    assert "Đã xét 10/11 người." in page.locator("#review-status").inner_text()  # not reloaded
    shot(page, "unit-reviewed")
    scene.lecturer.refresh_from_db()
    assert (scene.lecturer.stage, scene.lecturer.proposed_level) == (Stage.UNIT_REVIEWED, "HTXS")


def principal_sees_the_quota_warning(scene: Scene) -> None:
    page = scene.page("phungquyson")
    page.goto(f"{scene.base}/emulation/{scene.campaign.pk}/classification/")
    warning = page.locator(f'[data-quota^="{scene.faculty.pk}-"]')
    assert warning.count() == 1
    text = " ".join(warning.inner_text().split())
    assert "Khoa Tự nhiên, nhóm Giảng viên" in text
    assert "4 người đề nghị HTXS, chỉ tiêu 1 (20% của 9 người HTT, HTXS, làm tròn xuống)." in text
    assert "Hội đồng chưa xếp thứ hạng cho: Lăng Thị Huyền" in text
    # Ranked first by the council, Hà Thị Kim Oanh keeps HTXS; the others fall to HTT.
    fallen = warning.locator("[data-fallen]")
    assert fallen.count() == 3
    assert warning.locator(f'[data-fallen="{scene.lecturer.pk}"]').count() == 1
    assert "Hà Thị Kim Oanh: giữ HTXS" in text
    assert fits_the_phone(page)
    shot(page, "classification")


CYCLE: list[Callable[[Scene], None]] = [
    lecturer_self_assesses,
    faculty_head_reviews,
    principal_sees_the_quota_warning,
]


def on_the_school_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: SCHOOL_DAY)


def scene_for(chromium: Any, base: str) -> Scene:
    campaign = Campaign.objects.get()
    faculty = Organisation.objects.get(school=campaign.school, code="khoa-tu-nhien")
    lecturer = Evaluation.objects.get(campaign=campaign, person__user__username="langthihuyen")
    return Scene(base=base, browser=chromium, campaign=campaign, faculty=faculty, lecturer=lecturer)


def test_the_cycle_on_a_phone(
    chromium: Any, demo_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_the_school_day(monkeypatch)  # after the demo is loaded: it dates its own steps
    scene = scene_for(chromium, demo_server)
    for step in CYCLE:
        step(scene)


def test_self_assessment_and_review_pages_are_accessible(
    chromium: Any, demo_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert AXE.exists(), "axe-core is installed by npm (package.json), run `npm ci`"
    on_the_school_day(monkeypatch)
    scene = scene_for(chromium, demo_server)
    pages = [
        ("langthihuyen", "self-assessment", f"/emulation/{scene.campaign.pk}/me/"),
        (
            "chuvankhanh",
            "unit review",
            f"/emulation/{scene.campaign.pk}/units/{scene.faculty.pk}/review/",
        ),
        ("chuvankhanh", "an evaluation", f"/emulation/evaluations/{scene.lecturer.pk}/"),
    ]
    found: dict[str, list[str]] = {}
    for username, name, path in pages:
        # The pages forbid inline scripts (CSP); axe is injected by the test, not by the site.
        context = chromium.new_context(bypass_csp=True)
        page = context.new_page()
        login(page, demo_server, username)
        for width, height in ((390, 844), (1366, 900)):
            page.set_viewport_size({"width": width, "height": height})
            response = page.goto(demo_server + path)
            page.wait_for_load_state("networkidle")
            assert response is not None and response.status == 200, path
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(RUN_AXE)
            if violations:
                found[f"{name} at {width}"] = violations
        context.close()
    assert found == {}, "\n".join(f"{name}: {v}" for name, vs in found.items() for v in vs)
