"""Screenshots of issue 13's items, at 1366×900 and 390×844, from a running demo school.

    .venv/bin/python scripts/screenshots.py OUT_DIR [--base-url URL] [--error-base-url URL]
        [--quality Q]

The demo must be freshly loaded (`manage.py migrate` and `manage.py load_demo` on an empty
database, served with DEBUG=1): the script signs in as the demo's accounts and walks the pages
the issue names, in headless Chromium (Debian's, through core.browser, as the browser scenarios
do). It changes the demo as a person would, in this order: the unit head asks for more time on
KHCN.4, the principal copies the plan to 2024–2025 and reopens the conference of 26/9/2023, the
secretary marks Nông Thị Hạnh absent (so that her phone offers the self check-in), and the
principal runs the automatic teaching assignment of the first term for 10 seconds (not applied:
the job runs in the server, e.g. with TASKS_BACKEND=django_tasks.backends.immediate.
ImmediateBackend, or in `manage.py db_worker`). Pages that only read come first, so they show
the demo as loaded. docs/screenshots/issue-13/README.md has the whole procedure.

Each picture is the first screen (the viewport, not the whole page), JPEG, named
NN-item-role-width.jpg. A page the code does not have (404/405, or an element that is not there)
is recorded as missing instead of failing. OUT_DIR/index.json and OUT_DIR/index.md list every
shot with its address, status and note.

--error-base-url: the same code and database served with DEBUG off (Django's debug 404 page
stands in for the site's own under DEBUG=1); the 404 page is taken there when given.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Error as PlaywrightError

from core.browser import browser

PASSWORD = "trongtam-demo"
WIDTHS = {1366: 900, 390: 844}
USERS = {
    "principal": "phungquyson",
    "unithead": "nguyenthiphuongloan",
    "staff": "nongthihanh",
    "secretary": "hathithutrang",
}
EXTENSION_TASK = "KHCN.4"  # led by Phòng KHCN&ĐBCL (nguyenthiphuongloan), overdue in the demo
TIMEOUT_MS = 60_000
# Boxes whose content is wider than they are and that scroll sideways (a table on a phone).
SIDEWAYS_JS = """
[...document.querySelectorAll('main *')].filter(e => {
  const x = getComputedStyle(e).overflowX;
  return (x === 'auto' || x === 'scroll') && e.scrollWidth > e.clientWidth + 1;
}).length
"""


class Missing(Exception):
    """The page or the element a shot needs is not in this code."""


@dataclass
class Shot:
    file: str
    number: int
    item: str
    role: str
    width: int
    title: str
    url: str = ""
    status: int | None = None
    missing: bool = False
    note: str = ""
    page_width: int | None = None  # the document's scrollWidth: wider than `width` overflows


class Session:
    def __init__(self, chromium: Any, base: str, out: Path, quality: int) -> None:
        self.chromium = chromium
        self.base = base.rstrip("/")
        self.out = out
        self.quality = quality
        self.pages: dict[tuple[str, int], Any] = {}
        self.shots: list[Shot] = []

    # Pages, one per role and width, each signed in once.
    def page(self, role: str, width: int, base: str | None = None) -> Any:
        base = (base or self.base).rstrip("/")
        key = (f"{role}@{base}", width)
        if key not in self.pages:
            context = self.chromium.new_context(
                viewport={"width": width, "height": WIDTHS[width]}, locale="vi-VN"
            )
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            page.goto(f"{base}/login/")
            page.fill("#id_username", USERS[role])
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()
            if "/login/" in page.url:
                raise SystemExit(f"Could not sign in as {USERS[role]} at {base}.")
            self.pages[key] = page
        return self.pages[key]

    def goto(self, page: Any, path: str, expect: int | None = None) -> int | None:
        """Open `path`; a status of 400 or more (but `expect`) raises Missing."""
        url = path if path.startswith("http") else self.base + path
        try:
            response = page.goto(url)
        except PlaywrightError as error:  # Chromium shows no page for an empty error body (405)
            status = page.request.get(url).status  # the same GET, for its status
            if status < 400:
                raise
            raise Missing(f"{path} answers {status}") from error
        page.wait_for_load_state()
        status = response.status if response is not None else None
        if status is not None and status >= 400 and status != expect:
            raise Missing(f"{path} answers {status}")
        return status

    def settle(self, page: Any, delay_ms: int = 400) -> None:
        """Let htmx swaps and Chart.js drawings finish before the picture."""
        page.wait_for_load_state()
        page.wait_for_timeout(delay_ms)

    def shoot(
        self,
        number: int,
        item: str,
        role: str,
        title: str,
        path: str | None = None,
        *,
        prepare: Callable[[Any], str | None] | None = None,
        note: str = "",
        base: str | None = None,
        expect: int | None = None,
    ) -> None:
        """One shot at each width: open `path` (if any), run `prepare` (which may return a note
        or raise Missing), take the first screen."""
        for width in WIDTHS:
            name = f"{number:02d}-{item}-{role}-{width}.jpg"
            shot = Shot(name, number, item, role, width, title, note=note)
            page = self.page(role, width, base)
            try:
                if path is not None:
                    shot.status = self.goto(page, path, expect)
                if prepare is not None:
                    extra = prepare(page)
                    if extra:
                        shot.note = f"{shot.note} {extra}".strip()
                self.settle(page)
                shot.url = page.url.replace(self.base, "") if base is None else page.url
                shot.page_width = int(page.evaluate("document.documentElement.scrollWidth"))
                if shot.page_width > width:
                    shot.note = f"{shot.note} The page is {shot.page_width} px wide.".strip()
                sideways = int(page.evaluate(SIDEWAYS_JS))
                if sideways:
                    shot.note = f"{shot.note} {sideways} box(es) scroll sideways.".strip()
                page.screenshot(
                    path=str(self.out / name), type="jpeg", quality=self.quality, full_page=False
                )
            except Missing as missing:
                shot.missing = True
                shot.file = ""
                shot.note = f"{shot.note} Missing in this code: {missing}".strip()
            self.shots.append(shot)
            print(f"{'missing' if shot.missing else 'shot':8} {name}  {shot.note}", flush=True)

    def missing(self, number: int, item: str, role: str, title: str, reason: str) -> None:
        """A shot that could not be taken because an earlier step is missing in this code."""
        for width in WIDTHS:
            name = f"{number:02d}-{item}-{role}-{width}.jpg"
            self.shots.append(Shot("", number, item, role, width, title, missing=True, note=reason))
            print(f"missing  {name}  {reason}", flush=True)

    def write_index(self) -> None:
        (self.out / "index.json").write_text(
            json.dumps([asdict(s) for s in self.shots], ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )
        lines = [
            "# Screenshots",
            "",
            f"Taken from {self.base} (first screen, JPEG quality {self.quality}).",
            "",
            "| File | Page | Address | Note |",
            "|---|---|---|---|",
        ]
        for s in self.shots:
            file = s.file or f"(missing: {s.number:02d}-{s.item}-{s.role}-{s.width})"
            lines.append(f"| {file} | {s.title} | `{s.url}` | {s.note.replace('|', '/')} |")
        (self.out / "index.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


# Helpers for the steps.
def first_href(page: Any, selector: str) -> str:
    link = page.locator(selector).first
    if link.count() == 0:
        raise Missing(f"no {selector} on {page.url}")
    return str(link.get_attribute("href"))


def press_tab(page: Any) -> str:
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(() => { const e = document.activeElement;"
        " return e ? (e.innerText || e.getAttribute('aria-label') || e.tagName).trim() : ''; })()"
    )
    return f"After one Tab the focus is on “{focused[:60]}”."


def find_task(s: Session, code: str) -> str:
    page = s.page("principal", 1366)
    s.goto(page, f"/search/?q={code}")
    return first_href(page, f'main a[href*="/plans/tasks/"]:has-text("{code}.")')


def notifications_path(page: Any) -> str:
    """The notification list, as the navigation bar links it (/tracking/notifications/ before
    issue 13), read from the link so that the list is first opened by its shot."""
    return first_href(page, 'header a[href$="/notifications/"], nav a[href$="/notifications/"]')


def mark_absent(page: Any, name: str) -> None:
    """The secretary marks one attendee absent on the roll (its search ignores diacritics)."""
    page.fill("#roll-q", name)
    page.wait_for_selector("#roll-count:has-text('Đang hiện 1/')")
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping, .htmx-added')"
    )
    with page.expect_response(lambda r: "/mark/" in r.url):
        page.locator(".tt-attendee").get_by_role("button", name="Vắng").click()


def submit_empty(form_selector: str) -> Callable[[Any], str | None]:
    def prepare(page: Any) -> str | None:
        form = page.locator(form_selector).first
        if form.count() == 0:
            raise Missing(f"no {form_selector}")
        form.locator("button[type=submit]").first.click()
        page.wait_for_load_state()
        return "Sent empty."

    return prepare


def run(s: Session, error_base: str | None) -> None:
    principal = s.page("principal", 1366)

    # 1. "Việc của tôi": the home page of each role.
    def home_note(page: Any) -> str | None:
        heading = page.locator("main h1").first
        text = heading.inner_text().strip() if heading.count() else ""
        return f"“/” opens {page.url.replace(s.base, '')} (h1: “{text[:70]}”)."

    for role in ("principal", "unithead", "staff"):
        s.shoot(1, "home", role, "Trang chủ", "/", prepare=home_note)

    # 8. The plan page: one Tab shows where the focus goes (the skip link since issue 13).
    s.shoot(8, "plan-focus", "staff", "Kế hoạch, sau một lần Tab", "/plans/1/", prepare=press_tab)

    # 9. The dashboard and a task page (read before the extension below changes the task).
    def dashboard(page: Any) -> str | None:
        page.wait_for_timeout(800)  # Chart.js
        return None

    s.shoot(9, "dashboard", "principal", "Bảng điều hành", "/tracking/plans/1/", prepare=dashboard)
    task_path = find_task(s, EXTENSION_TASK)
    s.shoot(9, "task", "unithead", f"Nhiệm vụ {EXTENSION_TASK}", task_path)

    # 6. The conference's news article (before the conference is reopened below).
    s.shoot(6, "article", "principal", "Bài tin hội nghị", "/conferences/1/article/")

    # 7. A 404 page, with DEBUG off when a server for it is given (DEBUG=1 shows Django's own).
    s.shoot(
        7,
        "404",
        "staff",
        "Trang 404",
        f"{error_base or s.base}/plans/tasks/999999/",
        base=error_base,
        expect=404,
        note=f"DEBUG off ({error_base})." if error_base else "DEBUG=1: Django's debug 404 page.",
    )

    # 2. An extension asked by the unit head, the principal's notifications and decision page.
    ask = s.page("unithead", 1366)
    s.goto(ask, task_path)
    extension_path = first_href(ask, 'a[href$="/extension/"]')
    s.shoot(2, "extension-request", "unithead", "Đề nghị gia hạn (mẫu)", extension_path)
    s.goto(ask, extension_path)
    new_due = dt.date.today() + dt.timedelta(days=30)
    ask.fill("#id_new_due", new_due.strftime("%d/%m/%Y"))
    ask.fill("#id_reason", "Chờ kết quả nghiệm thu của hội đồng khoa học (ảnh chụp màn hình).")
    ask.locator("main form button[type=submit]").first.click()
    ask.wait_for_load_state()
    if ask.url.endswith("/extension/"):
        raise SystemExit(f"The extension was not sent: {ask.locator('main').inner_text()[:300]}")
    list_path = notifications_path(principal)
    s.shoot(2, "notifications", "principal", "Thông báo của hiệu trưởng", list_path)
    s.goto(principal, task_path)
    try:
        decide_path = first_href(principal, 'a[href*="/tracking/extensions/"][href$="/decide/"]')
        s.shoot(2, "extension-decide", "principal", "Quyết định gia hạn", decide_path)
    except Missing as missing:
        s.missing(2, "extension-decide", "principal", "Quyết định gia hạn", str(missing))

    # 3. The copy to 2024–2025: its form, then the copied plan.
    s.shoot(3, "copy-form", "principal", "Sao sang năm học mới", "/plans/1/copy/")
    s.goto(principal, "/plans/1/copy/")
    principal.fill("#id_start_year", "2024")
    principal.locator("main form button[type=submit]").first.click()
    principal.wait_for_load_state()
    copy_path = principal.url.replace(s.base, "")
    if copy_path in ("/plans/1/", "/plans/1/copy/"):
        raise SystemExit(f"The plan was not copied: {principal.locator('main').inner_text()[:300]}")
    s.shoot(3, "copied-plan", "principal", "Kế hoạch 2024–2025 (bản sao)", copy_path)

    # 4. Confirmation pages: issuing the copy, archiving one of its tasks.
    s.shoot(4, "issue-confirm", "principal", "Ban hành kế hoạch", f"{copy_path}issue/")
    s.goto(principal, copy_path)
    # The last task of the tree (in its order) has no subtask left to archive first.
    tasks = principal.locator('#nhiem-vu a[href*="/plans/tasks/"]')
    if tasks.count() == 0:
        raise SystemExit(f"No task on the copied plan {copy_path}.")
    copied_task = str(tasks.last.get_attribute("href"))
    task_pk = copied_task.rstrip("/").rsplit("/", 1)[-1]
    s.shoot(
        4, "archive-confirm", "principal", "Lưu trữ nhiệm vụ", f"/plans/task/{task_pk}/archive/"
    )

    # 7. A form with errors: a new task of the copied plan, sent empty.
    s.shoot(
        7,
        "form-errors",
        "principal",
        "Mẫu nhiệm vụ gửi trống",
        f"{copy_path}tasks/new/",
        prepare=submit_empty('main form:has([name="title"])'),
    )

    # 5. The conference reopened (in session): the list, the roll, the hall's screen, and the
    # self check-in page on a staff member's phone.
    s.goto(principal, "/conferences/1/")
    reopen = principal.locator('main form[action$="/status/"]:has(input[value="in_session"])')
    if reopen.locator('input[name="reason"]').count():
        reopen.locator('input[name="reason"]').fill("Mở lại để chụp màn hình điểm danh.")
    reopen.locator("button[type=submit]").click()
    principal.wait_for_load_state()
    s.shoot(5, "conferences", "secretary", "Danh sách hội nghị", "/conferences/")
    s.shoot(5, "roll", "secretary", "Điểm danh (đang họp)", "/conferences/1/attendance/")

    def hall_link(page: Any) -> str | None:
        page.wait_for_selector("#checkin-link", timeout=10_000)
        return None

    s.shoot(
        5,
        "hall-screen",
        "secretary",
        "Màn hình hội trường",
        "/conferences/1/hall/",
        prepare=hall_link,
    )
    try:
        desk = s.page("secretary", 1366)
        s.goto(desk, "/conferences/1/hall/")
        checkin_url = first_href(desk, "#checkin-link")
        # The demo marked everyone already: the secretary corrects Nông Thị Hạnh to absent, so
        # that her phone offers "Tôi có mặt".
        s.goto(desk, "/conferences/1/attendance/")
        mark_absent(desk, "nong thi hanh")
        s.shoot(
            5,
            "checkin",
            "staff",
            "Tự điểm danh",
            checkin_url,
            note="After the secretary marked her absent.",
        )
    except Missing as missing:
        s.missing(5, "checkin", "staff", "Tự điểm danh", str(missing))

    # 6. The automatic teaching assignment of the first term (10 s), its result and the preview
    # before applying it.
    s.goto(principal, "/workload/")
    first_term = principal.locator('main a[href*="/workload/terms/"]').filter(
        has_text=re.compile(r"^Học kỳ I năm")
    )
    if first_term.count() == 0:
        raise SystemExit("No first term on /workload/.")
    term_path = str(first_term.first.get_attribute("href"))
    s.goto(principal, term_path)
    principal.fill('input[name="time_limit"]', "10")
    principal.locator('form[action$="/run/"] button[type=submit]').click()
    principal.wait_for_load_state()
    run_path = principal.url.replace(s.base, "")
    if "/workload/runs/" not in run_path:
        raise SystemExit(f"The assignment did not start: {run_path}")
    # The run polls its page until it is finished (at once with the immediate task backend).
    principal.wait_for_selector("#run-status:not([hx-get])", timeout=180_000)
    s.shoot(6, "assignment-run", "principal", "Kết quả phân công tự động", run_path)
    s.shoot(6, "assignment-apply", "principal", "Trước khi áp dụng phân công", f"{run_path}apply/")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder for the pictures and index")
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--error-base-url", help="the same code served with DEBUG off")
    parser.add_argument("--quality", type=int, default=70, help="JPEG quality (default 70)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with browser() as chromium:
        session = Session(chromium, args.base_url, args.out, args.quality)
        try:
            run(session, args.error_base_url)
        finally:
            session.write_index()


if __name__ == "__main__":
    main()
