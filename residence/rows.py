"""What the off-campus lists of a university's size need: a page of off-campus students read
class by class from the classes' counts (no count over the school's students, no sort of all of
them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload

from django.db.models import QuerySet

from students.models import Student


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
