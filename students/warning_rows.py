"""The warning list's rows written in Python (a page of 50 warnings, each with the forms of its
follow-up and its outcome: the template engine took two thirds of the page's time for them).
Same markup as the template wrote, built with `format_html`, which escapes every value."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from students.models import AcademicWarning

_ROW = (
    '\n  <tr id="w{pk}" data-warning="{pk}" data-status="{status}">\n'
    "    <td>{cohort}</td>\n"
    '    <td><a href="{student_url}">{code} {name}</a>{lifted}</td>\n'
    '    <td><ul class="mb-0 ps-3">{reasons}</ul></td>\n'
    "    <td>\n"
    '      <span class="badge text-bg-secondary">{status_name}</span>\n'
    "      {follow_up}\n"
    "      {outcome}\n"
    "    </td>\n"
    "  </tr>"
)


class _Address:
    """A URL with a row's id: reversed once (a reverse per row cost 40 µs, 150 of them a page),
    the id put where `reverse` wrote a stand-in for it."""

    STAND_IN = 987654321

    def __init__(self, name: str) -> None:
        before, found, after = reverse(name, args=[self.STAND_IN]).partition(str(self.STAND_IN))
        if not found:
            raise ValueError(name)
        self.before, self.after = before, after

    def __call__(self, pk: int) -> str:
        return f"{self.before}{int(pk)}{self.after}"


def rows_html(
    lines: Iterable[tuple[AcademicWarning, bool, bool]], serves: int | None, csrf_token: str
) -> SafeString:
    """`lines`: (the warning, whether the user may follow it up, whether they may record its
    outcome)."""
    student_url = _Address("students:student")
    task_url = _Address("planning:task_detail")
    follow_url = _Address("students:warning_follow_up")
    outcome_url = _Address("students:warning_outcome")
    token = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)
    lifted = format_html(
        '<br><span class="badge text-bg-success">{}</span>',
        _("Kết quả mới không còn thuộc diện cảnh báo"),
    )
    follow_fields = format_html(
        '{}<input type="hidden" name="serves" value="{}"><input name="due" '
        'class="form-control form-control-sm" style="width:8rem" placeholder="dd/mm/yyyy" '
        'aria-label="{}"><button class="btn btn-sm btn-outline-primary">{}</button>',
        token, serves or "", _("Hạn theo dõi"), _("Giao theo dõi"),
    )  # fmt: skip
    outcome_fields = format_html(
        '{}<textarea name="outcome" rows="1" class="form-control form-control-sm" '
        'maxlength="2000" aria-label="{}"></textarea><button class="btn btn-sm '
        'btn-outline-success mt-1">{}</button>',
        token, _("Kết quả xử lý"), _("Ghi kết quả"),
    )  # fmt: skip
    due_word, outcome_word = _("hạn"), _("Kết quả")

    def row(warning: AcademicWarning, follows: bool, records: bool) -> dict[str, Any]:
        student, task = warning.student, warning.task
        follow_up: SafeString | str = ""
        if task is not None:
            due = f"{task.due_date:%d/%m/%Y}" if task.due_date else ""
            follow_up = format_html(
                '<br><a href="{}">{}</a> {} {}', task_url(task.pk), task.code, due_word, due
            )
        elif follows:
            follow_up = format_html(
                '\n      <form method="post" action="{}" class="d-flex gap-1 mt-1">{}</form>',
                follow_url(warning.pk), follow_fields,
            )  # fmt: skip
        outcome: SafeString | str = ""
        if warning.outcome:
            on = f"{warning.outcome_on:%d/%m/%Y}" if warning.outcome_on else ""
            outcome = format_html(
                '<div class="mt-1"><strong>{} ({}):</strong> {}</div>',
                outcome_word, on, warning.outcome,
            )  # fmt: skip
        elif records:
            outcome = format_html(
                '\n      <form method="post" action="{}" class="mt-1">{}</form>',
                outcome_url(warning.pk), outcome_fields,
            )  # fmt: skip
        return {
            "pk": warning.pk,
            "status": warning.status,
            "cohort": student.cohort.code,
            "student_url": student_url(student.pk),
            "code": student.code or "—",
            "name": student.full_name,
            "lifted": lifted if warning.lifted else "",
            "reasons": format_html_join("", "<li>{}</li>", ((r,) for r in warning.reasons)),
            "status_name": warning.get_status_display(),
            "follow_up": follow_up,
            "outcome": outcome,
        }

    return format_html_join("", _ROW, (row(*line) for line in lines))
