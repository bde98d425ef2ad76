"""The residence figures: the term in force, who must declare, the occupancy rate of the
dormitory and the declaration rate of off-campus students.

`occupancy(school, term)` and `declaration_rate(school, term)` return (value in %, day) so that
a plan's target can read them (the students app's registry of figures)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from core.clock import today
from core.models import ArchivableQuerySet
from organisations.models import Organisation
from residence.models import Allocation, Declaration, Room, Term
from students.models import Status, Student, share


def current_term(school_id: int, day: dt.date | None = None) -> Term | None:
    """The term running on `day`, else the latest begun, else the first to come."""
    day = day or today()
    terms = Term.objects.filter(school_id=school_id)
    return (
        terms.filter(starts_on__lte=day, ends_on__gte=day).order_by("-starts_on").first()
        or terms.filter(starts_on__lte=day).order_by("-starts_on").first()
        or terms.order_by("starts_on").first()
    )


def term_day(term: Term, day: dt.date | None = None) -> dt.date:
    """The day a term's figures are taken: today, within the term."""
    return min(max(day or today(), term.starts_on), term.ends_on)


def placed(term: Term) -> QuerySet[Allocation]:
    """The places held now (a move or a departure ends one)."""
    return Allocation.objects.filter(term=term, left_on__isnull=True)


def off_campus(term: Term) -> ArchivableQuerySet[Student]:
    """The students who must declare an address: studying, without a place in the dormitory."""
    return (
        Student.objects.active()
        .filter(school_id=term.school_id, status=Status.STUDYING)
        .exclude(pk__in=placed(term).values("student_id"))
    )


def not_declared(term: Term) -> ArchivableQuerySet[Student]:
    return off_campus(term).exclude(
        pk__in=Declaration.objects.filter(term=term).values("student_id")
    )


@dataclass(frozen=True)
class ClassCount:
    """A class's off-campus students in a term and how many of them declared."""

    off_campus: int
    declared: int

    @property
    def missing(self) -> int:
        return self.off_campus - self.declared


def class_counts(term: Term) -> dict[int, ClassCount]:
    """Per class (its id): the term's off-campus students and how many declared, in two grouped
    queries over the school's students. The pages keep it per version of the school's students
    and residence data (`students.versions`), which a declaration, a place, a change of status
    and an import renew."""
    expected = off_campus(term)
    off = dict(
        expected.order_by()
        .values_list("cohort_id")
        .annotate(n=Count("pk"))
        .values_list("cohort_id", "n")
    )
    declared = dict(
        Declaration.objects.filter(term=term, student__in=expected)
        .order_by()
        .values_list("student__cohort_id")
        .annotate(n=Count("pk"))
        .values_list("student__cohort_id", "n")
    )
    return {pk: ClassCount(n, declared.get(pk, 0)) for pk, n in off.items()}


def beds(school_id: int) -> int:
    total = (
        Room.objects.active()
        .filter(building__school_id=school_id, building__archived_at__isnull=True)
        .aggregate(n=Sum("capacity"))["n"]
    )
    return int(total or 0)


def occupancy(school: Organisation, term: Term | None = None) -> tuple[Decimal | None, dt.date]:
    """Beds taken ÷ beds of the dormitory, in % (None without beds or term)."""
    term = term or current_term(school.pk)
    if term is None:
        return None, today()
    day = term_day(term)
    held = (
        Allocation.objects.filter(term=term, moved_in_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .count()
    )
    return share(held, beds(school.pk)), day


def declaration_rate(
    school: Organisation, term: Term | None = None
) -> tuple[Decimal | None, dt.date]:
    """Off-campus students who declared their address for the term ÷ those who must, in %."""
    term = term or current_term(school.pk)
    if term is None:
        return None, today()
    expected = off_campus(term)
    declared = Declaration.objects.filter(term=term, student__in=expected).count()
    return share(declared, expected.count()), term_day(term)
