"""Browser scenario: the principal copies the demo plan to 2024–2025. The copy is numbered without
gaps and measures nothing yet, with the same numbers on the page, in Excel and in the Word paper;
no task shows overdue before issuing, and the issuing page lists what still names 2023–2024."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from typing import Any

import docx
import openpyxl
import pytest

from conftest import login

pytestmark = pytest.mark.browser


def _continuous(codes: list[str]) -> bool:
    """Every branch numbered 1, 2, 3… in order."""
    branches: dict[str, list[int]] = defaultdict(list)
    for code in codes:
        head, _dot, tail = code.rpartition(".")
        branches[head].append(int(tail))
    return all(numbers == list(range(1, len(numbers) + 1)) for numbers in branches.values())


def _download(page: Any, base: str, href: str) -> bytes:
    response = page.request.get(href if href.startswith("http") else base + href)
    assert response.ok, href
    return bytes(response.body())


def test_copy_to_next_year_is_numbered_alike_everywhere(chromium: Any, demo_server: str) -> None:
    page = chromium.new_page(viewport={"width": 1366, "height": 900})
    login(page, demo_server, "phungquyson")
    page.locator("main a", has_text="Kế hoạch năm học 2023–2024").first.click()
    page.get_by_role("link", name="Sao sang năm học mới").click()
    page.fill("#id_start_year", "2024")
    page.get_by_role("button", name="Tạo dự thảo").click()
    page.wait_for_load_state()
    assert "2024–2025" in page.locator("h1").inner_text()

    # The page: tasks and targets numbered without gaps, nothing measured, nothing overdue.
    page_tasks = [
        re.match(r"^(\S+)\. ", text)[1]  # type: ignore[index]
        for text in page.locator("#nhiem-vu .tt-task-title").all_inner_texts()
    ]
    assert page_tasks and _continuous(page_tasks)
    target_links = page.locator("#muc-tieu tbody tr td:first-child a").all_inner_texts()
    page_targets = [text.split(". ", 1)[0] for text in target_links]
    assert sorted(page_targets) == [f"CT{n:02d}" for n in range(1, len(page_targets) + 1)]
    assert page.locator("#muc-tieu .tt-rag").count() == 0  # no actual value anywhere
    assert "Thực hiện năm học 2023–2024" in page.locator("#muc-tieu").inner_text()
    assert page.locator('#nhiem-vu [data-status="overdue"]').count() == 0

    # Excel: the same numbers, in the same order, and no actual values.
    book = openpyxl.load_workbook(
        io.BytesIO(
            _download(page, demo_server, page.locator("#plan-excel").get_attribute("href") or "")
        )
    )
    task_sheet = list(book["Nhiệm vụ"].iter_rows(values_only=True))
    header = list(task_sheet[0])
    school_level = [
        row[header.index("Số thứ tự")]
        for row in task_sheet[1:]
        if not row[header.index("Kế hoạch đơn vị")]
    ]
    assert school_level == page_tasks
    assert all(row[header.index("Trạng thái")] != "Quá hạn chưa hoàn thành" for row in task_sheet)
    target_sheet = list(book["Chỉ tiêu"].iter_rows(values_only=True))
    header = list(target_sheet[0])
    assert [row[header.index("Mã")] for row in target_sheet[1:]] == page_targets
    assert all(row[header.index("Giá trị thực hiện")] is None for row in target_sheet[1:])

    # Word: the targets' TT and the tasks' numbers are the page's.
    plan_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    paper = docx.Document(
        io.BytesIO(_download(page, demo_server, f"/plans/{plan_id}/ke-hoach.docx"))
    )
    tables = {
        table.rows[0].cells[1].text: table for table in paper.tables if len(table.columns) > 2
    }
    targets_table, tasks_table = tables["Chỉ tiêu"], tables["Nhiệm vụ, giải pháp"]
    assert [row.cells[0].text for row in targets_table.rows[1:]] == page_targets
    assert targets_table.rows[0].cells[3].text == "Thực hiện năm học 2023–2024"
    assert [row.cells[0].text for row in tasks_table.rows[1:]] == page_tasks

    # Issuing asks first: counts, problems, and what still names the old year.
    page.locator("#plan-issue").click()
    page.wait_for_load_state()
    assert page.locator("#facts").count() == 1
    old_year = page.locator("#old-year").inner_text()
    assert "2023-2024" in old_year or "2023–2024" in old_year
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Without ticking the box nothing happens.
    page.get_by_role("button", name="Ban hành kế hoạch").click()
    page.wait_for_load_state()
    assert "Hãy đánh dấu ô xác nhận" in page.content()
    page.get_by_label("Tôi đã xem những điều trên và xác nhận.").check()
    page.get_by_role("button", name="Ban hành kế hoạch").click()
    page.wait_for_load_state()
    assert "Đã ban hành" in page.content()
