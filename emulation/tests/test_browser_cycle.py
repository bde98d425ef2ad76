"""Browser scenario on a phone (390×844), on the demo school's campaign loaded to the week
before the council (`emulation.demo.BEFORE_COUNCIL`, the module's `scenario_server`): a lecturer
of Khoa Tự nhiên signs in, opens her self-assessment from "Việc của tôi", sees her computed
evidence, proposes a level with a comment and sends it; the faculty's head reviews her on the
unit's page, in place; the principal's preview warns that the faculty is over its HTXS quota and
who falls under the line. On the council's day the chair makes the list of cases, marks who is
present and opens the secret ballot; the chair and a member who is herself a candidate vote on
their phones (her own case is not on her paper), the other members present through the ballot
service (they have no demo account); the chair counts and publishes the results with the appeal
window. In that window the lecturer sees her published result on her phone: her level and
title, and the rule applied to the faculty's HTXS quota. The ballots are the demo data file's
(`council_session`), so the tally is the one `make run`'s demo shows. The self-assessment and
review pages pass the accessibility check (axe-core).

The scenario is a list of steps (`CYCLE`) run in order on one demo server, each taking the
`Scene` the ones before it left.

The school's day starts on 17/5/2024, the last day of the demo's self-assessment window, and
moves with the steps (`Scene.day`): core.clock reads `timezone.localdate`, set here for the
server's thread too.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from conftest import login
from emulation import demo as emulation_demo
from emulation.models import Campaign, CouncilItem, Evaluation, Stage, VoteStatus
from emulation.services import council as council_services
from organisations.models import Organisation

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SCHOOL_DAY = dt.date(2024, 5, 17)
COUNCIL_DAY = dt.date(2024, 5, 31)
IN_THE_APPEAL_WINDOW = dt.date(2024, 6, 3)
SESSION = json.loads(emulation_demo.DATA_FILE.read_text(encoding="utf-8"))["council_session"]
PHONE_VOTERS = {"Phùng Quý Sơn": "phungquyson", "Nguyễn Thị Phương Loan": "nguyenthiphuongloan"}
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


class SchoolDay:
    """The school's today, for the test's thread and the server's (core.clock reads
    timezone.localdate at each call)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
        self.day = day
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: self.day)


@dataclass
class Scene:
    base: str
    browser: Any
    campaign: Campaign
    faculty: Organisation
    lecturer: Evaluation
    clock: SchoolDay
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


def case_key(item: CouncilItem) -> str:
    """A case as the demo data file names it ("htxs: Lăng Thị Huyền"); units by their name."""
    who = item.evaluation.person.full_name if item.evaluation else item.unit.name  # type: ignore[union-attr]
    return f"{item.kind}: {who}"


def paper_of(vote: Any, name: str) -> dict[int, str]:
    """A member's choices from the demo data, "yes" where it names none, their own case left
    out (the service gives them no ballot for it)."""
    items = CouncilItem.objects.filter(vote=vote).select_related("evaluation__person", "unit")
    mine = SESSION["choices"][name]
    return {
        item.pk: mine.get(case_key(item), "yes")
        for item in items
        if item.evaluation is None or item.evaluation.person.full_name != name
    }


def chair_opens_the_secret_ballot(scene: Scene) -> None:
    scene.clock.day = COUNCIL_DAY
    page = scene.page("phungquyson")
    page.goto(f"{scene.base}/emulation/{scene.campaign.pk}/ballot/")
    assert page.input_value("#id_held_on") == "31/05/2024"  # the campaign's council day
    page.click("#prepare-vote")
    page.wait_for_load_state()
    assert "Đã lập danh sách bỏ phiếu: 14 nội dung." in page.content()
    cases = page.locator("#items tbody tr")
    assert cases.count() == 14
    assert "Lăng Thị Huyền" in page.locator("#items").inner_text()
    assert fits_the_phone(page)
    shot(page, "ballot-list")
    # Lý Văn Tuấn is away: the others are present (6 of 7, the quorum is 5).
    absent = page.locator("#dieu-hanh .form-check", has_text="Lý Văn Tuấn").locator("input")
    absent.uncheck()
    page.fill("#id_passphrase", SESSION["passphrase"])
    page.fill("#id_passphrase_again", SESSION["passphrase"])
    page.click("#open-vote")
    page.wait_for_load_state()
    assert "Đã mở bỏ phiếu kín" in page.content()
    assert page.locator("#vote-status").inner_text() == "Đang bỏ phiếu"
    vote = council_services.active_vote(scene.campaign)
    assert vote is not None and (vote.status, vote.present_count) == (VoteStatus.OPEN, 6)


def members_vote_on_their_phones(scene: Scene) -> None:
    vote = council_services.active_vote(scene.campaign)
    assert vote is not None
    for name, username in PHONE_VOTERS.items():
        page = scene.page(username)
        page.goto(f"{scene.base}/emulation/{scene.campaign.pk}/ballot/")
        paper = paper_of(vote, name)
        rows = page.locator("#ballot-form tbody tr")
        assert rows.count() == len(paper)
        for pk, choice in paper.items():
            page.check(f'#ballot-form input[name="item-{pk}"][value="{choice}"]')
        if name == "Nguyễn Thị Phương Loan":  # a candidate for CSTĐCS: not on her own paper
            assert rows.count() == 13 and page.locator("#own-cases").count() == 1
            assert "Nguyễn Thị Phương Loan" not in page.locator("#ballot-form").inner_text()
        assert fits_the_phone(page)
        shot(page, f"ballot-paper-{username}")
        page.click("#cast")
        page.wait_for_load_state()
        assert page.locator("#voted").count() == 1
        assert page.locator("#ballot-form").count() == 0  # one paper each
    # The other members present vote on their own devices (no demo account): the service.
    present = vote.present.select_related("person")
    for member in present:
        if member.person.full_name not in PHONE_VOTERS:
            council_services.cast_ballot(
                vote, person=member.person, choices=paper_of(vote, member.person.full_name)
            )
    assert vote.casts.count() == 6


def chair_counts_and_publishes(scene: Scene) -> None:
    page = scene.page("phungquyson")
    page.goto(f"{scene.base}/emulation/{scene.campaign.pk}/ballot/")
    assert "6/6 thành viên có mặt đã bỏ phiếu." in page.locator("#dieu-hanh").inner_text()
    page.fill("#id_passphrase", SESSION["passphrase"])
    page.click("#count-vote")
    page.wait_for_load_state()
    assert "Đã kiểm phiếu: 6 thành viên đã bỏ phiếu." in page.content()
    huyen = page.locator("#items tr", has_text="Lăng Thị Huyền").first
    assert "thứ 3 — xếp HTT" in " ".join(huyen.inner_text().split())
    assert fits_the_phone(page)
    shot(page, "ballot-counted")
    assert page.input_value("#id_appeals_close") == "07/06/2024"  # a week: the demo's window
    page.click("#publish")
    page.wait_for_load_state()
    assert page.url.endswith(f"/emulation/{scene.campaign.pk}/results/")
    published = page.locator("#published").inner_text()
    assert "nhận kiến nghị từ 31/05/2024 đến 07/06/2024" in published


def lecturer_sees_her_published_result(scene: Scene) -> None:
    scene.clock.day = IN_THE_APPEAL_WINDOW
    page = scene.page("langthihuyen")
    page.goto(f"{scene.base}/notifications/")
    page.get_by_role("button", name="Công khai kết quả").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/emulation/{scene.campaign.pk}/results/")
    mine = page.locator("#cua-toi")
    text = " ".join(mine.inner_text().split())
    assert "Xếp loại: HTT · Danh hiệu: LĐTT" in text
    mine.locator("summary").click()
    reasons = " ".join(mine.locator("details").inner_text().split())
    assert "Hội đồng xếp thứ 3 → hạ xuống Hoàn thành tốt nhiệm vụ (HTT)" in reasons
    assert "Hội đồng bỏ phiếu HTXS: 3/7 phiếu đồng ý, xếp thứ 3 (chỉ tiêu 1)." in reasons
    rule = " ".join(page.locator("#rule-applied").inner_text().split())
    assert "6/7 thành viên có mặt, 6 người bỏ phiếu" in rule
    assert "trên 1/2 tổng số thành viên Hội đồng" in rule
    assert page.locator("#file-appeal").count() == 1  # in the window, she may appeal
    assert fits_the_phone(page)
    shot(page, "published-result")


CYCLE: list[Callable[[Scene], None]] = [
    lecturer_self_assesses,
    faculty_head_reviews,
    principal_sees_the_quota_warning,
    chair_opens_the_secret_ballot,
    members_vote_on_their_phones,
    chair_counts_and_publishes,
    lecturer_sees_her_published_result,
]


@pytest.fixture
def before_council(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(emulation_demo, "UNTIL", emulation_demo.BEFORE_COUNCIL)


@pytest.fixture
def scenario_server(before_council: None, demo_server: str) -> str:
    """conftest's demo server, its campaign loaded to the week before the council: the
    scenario's steps are open."""
    return demo_server


def scene_for(chromium: Any, base: str, clock: SchoolDay) -> Scene:
    campaign = Campaign.objects.select_related("school").get()
    faculty = Organisation.objects.get(school=campaign.school, code="khoa-tu-nhien")
    lecturer = Evaluation.objects.get(campaign=campaign, person__user__username="langthihuyen")
    return Scene(
        base=base,
        browser=chromium,
        campaign=campaign,
        faculty=faculty,
        lecturer=lecturer,
        clock=clock,
    )


def test_the_cycle_on_a_phone(
    chromium: Any, scenario_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = SchoolDay(monkeypatch, SCHOOL_DAY)  # after the demo is loaded: it dates its own steps
    scene = scene_for(chromium, scenario_server, clock)
    for step in CYCLE:
        step(scene)


def test_self_assessment_and_review_pages_are_accessible(
    chromium: Any, scenario_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert AXE.exists(), "axe-core is installed by npm (package.json), run `npm ci`"
    demo_server = scenario_server
    scene = scene_for(chromium, demo_server, SchoolDay(monkeypatch, SCHOOL_DAY))
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
