"""The warning list's rows written in Python (a page of 50 warnings, each with the forms of its
follow-up and its outcome: the template engine took two thirds of the page's time for them).
Same markup as the template wrote; every value escaped."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from students.models import AcademicWarning

# A stand-in for the id in a URL reversed once.
_A = 987654321


def _url(pattern: str, pk: int) -> str:
    return pattern.replace(str(_A), str(pk))


def rows_html(
    lines: Iterable[tuple[AcademicWarning, bool, bool]], serves: int | None, csrf_token: str
) -> SafeString:
    """`lines`: (the warning, whether the user may follow it up, whether they may record its
    outcome)."""
    student_url = reverse("students:student", args=[_A])
    task_url = reverse("planning:task_detail", args=[_A])
    follow_url = reverse("students:warning_follow_up", args=[_A])
    outcome_url = reverse("students:warning_outcome", args=[_A])
    token = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
    lifted = (
        '<br><span class="badge text-bg-success">'
        f"{escape(_('Kết quả mới không còn thuộc diện cảnh báo'))}</span>"
    )
    due_word = escape(_("hạn"))
    follow_form = (
        f'{token}<input type="hidden" name="serves" value="{serves or ""}"><input name="due" '
        'class="form-control form-control-sm" style="width:8rem" placeholder="dd/mm/yyyy" '
        f'aria-label="{escape(_("Hạn theo dõi"))}"><button class="btn btn-sm '
        f'btn-outline-primary">{escape(_("Giao theo dõi"))}</button></form>'
    )
    outcome_form = (
        f'{token}<textarea name="outcome" rows="1" class="form-control form-control-sm" '
        f'maxlength="2000" aria-label="{escape(_("Kết quả xử lý"))}"></textarea><button '
        f'class="btn btn-sm btn-outline-success mt-1">{escape(_("Ghi kết quả"))}</button></form>'
    )
    outcome_word = escape(_("Kết quả"))
    out: list[str] = []
    for warning, follows, records in lines:
        pk, student = warning.pk, warning.student
        reasons = "".join(f"<li>{escape(str(r))}</li>" for r in warning.reasons)
        out.append(
            f'\n  <tr id="w{pk}" data-warning="{pk}" data-status="{escape(warning.status)}">\n'
            f"    <td>{escape(student.cohort.code)}</td>\n"
            f'    <td><a href="{_url(student_url, student.pk)}">{escape(student.code or "—")} '
            f"{escape(student.full_name)}</a>{lifted if warning.lifted else ''}</td>\n"
            f'    <td><ul class="mb-0 ps-3">{reasons}</ul></td>\n    <td>\n'
            f'      <span class="badge text-bg-secondary">'
            f"{escape(str(warning.get_status_display()))}</span>\n      "
        )
        task = warning.task
        if task is not None:
            due = f"{task.due_date:%d/%m/%Y}" if task.due_date else ""
            out.append(
                f'<br><a href="{_url(task_url, task.pk)}">{escape(task.code)}</a> {due_word} {due}'
            )
        elif follows:
            out.append(
                f'\n      <form method="post" action="{_url(follow_url, pk)}" '
                f'class="d-flex gap-1 mt-1">{follow_form}'
            )
        out.append("\n      ")
        if warning.outcome:
            on = f"{warning.outcome_on:%d/%m/%Y}" if warning.outcome_on else ""
            out.append(
                f'<div class="mt-1"><strong>{outcome_word} ({on}):</strong> '
                f"{escape(warning.outcome)}</div>"
            )
        elif records:
            out.append(
                f'\n      <form method="post" action="{_url(outcome_url, pk)}" class="mt-1">'
                f"{outcome_form}"
            )
        out.append("\n    </td>\n  </tr>")
    return mark_safe("".join(out))  # every value above is escaped
