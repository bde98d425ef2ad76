"""The rows of the cohort × term matrix written in Python (a university's matrix is 600 classes
of 8 terms: the template engine took most of the page's time for them). Same markup as the
template wrote; every value escaped. Only the class code depends on who looks (a link to the
class's named list for those who may see it)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from core.text import format_number
from students.figures import CohortLine
from students.models import Level

# Stand-ins for the ids in a URL reversed once.
_A, _B = 987654321, 987654322


def _number(value: object) -> str:
    return "" if value is None else format_number(value)  # type: ignore[arg-type]  # Decimal or int


def rows_html(lines: Iterable[CohortLine], named_ids: set[int]) -> SafeString:
    cohort_url = reverse("students:cohort", args=[_A])
    cell_url = reverse("students:retention_cell", args=[_A, _B])
    levels = {value: escape(str(label)) for value, label in Level.choices}
    dash = "—"
    out: list[str] = []
    for line in lines:
        cohort = line.cohort
        code = escape(cohort.code)
        if cohort.pk in named_ids:
            code = f'<a href="{cohort_url.replace(str(_A), str(cohort.pk))}">{code}</a>'
        programme = cohort.programme
        out.append(
            f'<tr>\n    <td class="text-nowrap">{code}</td>\n'
            f"    <td>{escape(programme.code)} · {levels.get(programme.level, escape(programme.level))}</td>\n"
            f'    <td class="text-end">{_number(line.entered)}</td>\n    '
        )
        base = cell_url.replace(str(_A), str(cohort.pk))
        for cell in line.cells:
            if cell is None:
                out.append('<td class="text-center"></td>')
                continue
            url = base.replace(str(_B), str(cell.term))
            out.append(
                f'<td class="text-center"><a href="{url}" hx-get="{url}" hx-target="#drill" '
                f'hx-swap="innerHTML">{_number(cell.studying)}</a><div class="text-body-secondary">'
                f"{_number(cell.retention) or dash}%</div></td>"
            )
        out.append(
            f'\n    <td class="text-end">{_number(line.retention_now) or dash}%</td>\n  </tr>'
        )
    return mark_safe("".join(out))  # every value above is escaped
