"""What the residence lists of a university's size need besides the template engine: a page of
off-campus students read class by class from the classes' counts (no count over the school's
students, no sort of all of them), and the links page's rows written in Python (a university has
600 classes; the template engine took most of the page's time for them)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import overload

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from residence.figures import ClassCount
from residence.models import Term
from students.models import Cohort, Student

# A stand-in for the id in a URL reversed once.
_A = 987654321


class ByClass(Sequence[Student]):
    """The students of `students` (a list of off-campus students, sorted by class code, then
    name) as a sequence a paginator slices: its length is the sum of the classes' counts, and a
    slice reads only the classes it spans (their students sorted by name; the classes are sorted
    by code, unique in a school)."""

    def __init__(self, students: QuerySet[Student], classes: list[tuple[int, int]]) -> None:
        # classes: (class id, how many of `students` it has), in the order of the list.
        self.students = students
        self.classes = [(pk, n) for pk, n in classes if n > 0]
        self.total = sum(n for _pk, n in self.classes)

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, index: int) -> Student: ...
    @overload
    def __getitem__(self, index: slice) -> list[Student]: ...
    def __getitem__(self, index: int | slice) -> Student | list[Student]:
        if isinstance(index, int):
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        bottom, top, _step = index.indices(self.total)
        if top <= bottom:
            return []
        spanned: list[int] = []
        start = skip = 0
        for pk, n in self.classes:
            if start + n > bottom and start < top:
                if not spanned:
                    skip = bottom - start
                spanned.append(pk)
            start += n
        rows = (
            self.students.filter(cohort_id__in=spanned)
            .select_related("cohort")
            .order_by("cohort__code", "cohort_id", "name_key", "pk")
        )
        return list(rows[skip : skip + top - bottom])


def link_rows(
    cohorts: list[Cohort], counts: dict[int, ClassCount], term: Term, csrf_token: str
) -> SafeString:
    """The links page's rows: a class, its adviser, its off-campus students, how many declared,
    the download of its codes and the form that renews them (same markup as the template wrote;
    every value escaped)."""
    if not cohorts:
        empty = escape(_("Không có lớp nào."))
        return mark_safe(f'<tr><td colspan="5" class="text-body-secondary">{empty}</td></tr>')
    url = reverse("residence:cohort_links", args=[_A])
    download, renew = escape(_("Tải mã (Excel)")), escape(_("Cấp lại"))
    token = escape(csrf_token)
    none = ClassCount(0, 0)
    out = []
    for cohort in cohorts:
        count = counts.get(cohort.pk, none)
        address = f"{url.replace(str(_A), str(cohort.pk))}?term={term.pk}"
        adviser = escape(str(cohort.adviser)) if cohort.adviser else "—"
        out.append(
            f'<tr><td>{escape(cohort.code)}</td><td>{adviser}</td><td class="text-end">'
            f'{count.off_campus}</td><td class="text-end">{count.declared}</td>\n'
            f'<td class="d-flex gap-1"><a class="btn btn-sm btn-outline-primary" href="{address}">'
            f'{download}</a>\n<form method="post" action="{address}"><input type="hidden" '
            f'name="csrfmiddlewaretoken" value="{token}"><button class="btn btn-sm '
            f'btn-outline-danger">{renew}</button></form></td></tr>'
        )
    return mark_safe("".join(out))  # every value above is escaped
