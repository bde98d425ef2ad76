"""The task list's rows as HTML, built here rather than in the template: the list is the page
read most after the dashboard (50 rows a page, each some 25 template nodes), and the template
engine spent about 9 of the page's 26 ms on them (docs/PERFORMANCE.md). Same markup, escaped by
format_html; the page's template keeps everything else."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from decimal import Decimal

from django.template.defaultfilters import truncatechars
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.text import format_date, format_number
from planning.models import Task
from tracking.task_figures import BreakdownRow

ROW = (
    '<tr data-status="{status}">'
    '<td><a href="{url}">{code}. {title}</a>{person}'
    '<div class="d-md-none mt-1">{badge} {progress}% · {due_word} {due} · {lead_short}</div></td>'
    '<td class="d-none d-md-table-cell">{lead}</td>'
    '<td class="text-nowrap d-none d-md-table-cell">{due}{first_due}</td>'
    '<td class="text-nowrap d-none d-md-table-cell">{badge} <span class="tt-progress">'
    '<span style="width: {progress}%"></span></span> {progress}%</td>'
    "</tr>\n"
)


def task_list_rows(tasks: Iterable[Task], *, task_url_prefix: str) -> SafeString:
    """One table row per task; each task carries `status_info` (planning.status.StatusInfo)."""
    days = _("ngày")
    due_word = _("hạn")
    first_due_label = _("Hạn ban đầu")
    rows = []
    for task in tasks:
        info = task.status_info  # type: ignore[attr-defined]  # set by the view for the day
        late = f" {info.days_late} {days}" if info.days_late else ""
        badge = format_html(
            '<span class="badge text-bg-{}">{}{}</span>', info.colour, info.label, late
        )
        person = task.person_in_charge
        lead = task.lead_unit
        first_due = (
            format_html(
                '<div class="text-body-secondary" title="{}">({})</div>',
                first_due_label,
                format_date(task.original_due_date),
            )
            if task.original_due_date
            else ""
        )
        rows.append(
            (
                format_html(
                    ROW,
                    status=info.status.value,
                    url=f"{task_url_prefix}{task.pk}/",
                    code=task.code,
                    title=_shortened(task.title, 90),
                    person=format_html(
                        '<div class="text-body-secondary">{}</div>', person.full_name
                    )
                    if person
                    else "",
                    badge=badge,
                    progress=task.effective_progress,
                    due_word=due_word,
                    due=format_date(task.due_date) or "—",
                    lead_short=str(lead) if lead else "",
                    lead=str(lead) if lead else "—",
                    first_due=first_due,
                ),
            )
        )
    return format_html_join("", "{}", rows)


def _shortened(text: str, limit: int) -> str:
    """`truncatechars(text, limit)`, without its slow count for the titles that fit (most): it
    counts characters of the NFC form and never counts combining marks, so a text of at most
    `limit` characters in that form is returned whole."""
    text = unicodedata.normalize("NFC", text)
    return text if len(text) <= limit else truncatechars(text, limit)


def breakdown_rows(
    rows: Iterable[BreakdownRow],
    kind: str,
    *,
    list_url: str,
    unit_dashboard_prefix: str,
    unit_query: str,
    day_query: str,
) -> SafeString:
    """The dashboard's tables by work area (`kind` "area") and by lead unit ("unit"): one row
    per group, its matrix cells linked to the task list. Built here for the reason above: the
    two tables were some 5 of the dashboard's 7 ms of rendering after a change."""
    html = []
    for row in rows:
        key = f"{row.pk or '0'}"
        # What every link of the row carries: its group, and the unit or the day of the page.
        group = f"area={key}{unit_query}" if kind == "area" else f"lead={key}{day_query}"
        if kind == "unit" and row.pk:
            name = format_html('<a href="{}{}/">{}</a>', unit_dashboard_prefix, row.pk, row.name)
        else:
            name = conditional_escape(row.name)
        cells = []
        for cell in row.cells:
            if cell.count:
                share = (
                    format_html(
                        ' <span class="text-body-secondary d-none d-sm-inline">({}%)</span>',
                        format_number(Decimal(str(cell.share))),
                    )
                    if cell.share is not None
                    else ""
                )
                cells.append(
                    format_html(
                        '<td class="text-end"><a href="{}?cell={}&amp;{}">{}</a>{}</td>',
                        list_url,
                        cell.key,
                        group,
                        cell.count,
                        share,
                    )
                )
            else:
                cells.append(
                    mark_safe(
                        '<td class="text-end"><span class="text-body-secondary">0</span></td>'
                    )
                )
        html.append(
            format_html(
                "\n  <tr>\n    <td>{}</td>\n    {}\n"
                '    <td class="text-end"><a href="{}?{}">{}</a></td>\n  </tr>\n  ',
                name,
                mark_safe("".join(cells)),
                list_url,
                group,
                row.total,
            )
        )
    return mark_safe("".join(html))
