"""Teaching-load actions: targets from the rules, the balancer's instance, runs, locks, results.

A run is queued here and executed by the background job in ``workload.tasks``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import stamp
from core.errors import DomainError
from organisations.models import Position
from workload import norms, notices
from workload.balancer import instance as problem
from workload.models import (
    Availability,
    BalanceRun,
    Lecturer,
    RuleSet,
    RunStatus,
    Section,
    Term,
)
from workload.tasks import balance_term

SizeBand = tuple[int, int | None, Decimal]
"""A class-size band of the rules: (smallest size, largest size or None, coefficient)."""


class WorkloadError(DomainError):
    """A rule of the workload module was broken; the message is shown as is."""


def rules_for(term: Term) -> RuleSet:
    rules = RuleSet.in_force(term.school_id, term.starts_on)
    if rules is None:
        raise WorkloadError(
            _("Chưa có quy định khối lượng giảng dạy áp dụng cho %(term)s.") % {"term": term}
        )
    return rules


def size_bands(rules: RuleSet) -> list[SizeBand]:
    return [(b.min_size, b.max_size, b.coefficient) for b in rules.size_bands.all()]


def refresh_hours(section: Section, rules: RuleSet, bands: list[SizeBand] | None = None) -> None:
    """Convert the section to giờ chuẩn with the school's table in force."""
    if section.kind.rules_id != rules.pk:
        raise WorkloadError(_("Loại hoạt động không thuộc quy định đang áp dụng."))
    section.hours = norms.section_hours(
        section.units,
        section.kind.hours_per_unit,
        section.class_size,
        bands if bands is not None else size_bands(rules),
        applies_class_size=section.kind.applies_class_size,
    )


@transaction.atomic
def save_section(section: Section, *, by: User) -> Section:
    refresh_hours(section, rules_for(section.term))
    stamp(section, by)
    section.save()
    return section


@dataclass
class LecturerRow:
    lecturer: Lecturer
    target: norms.Target
    load: Decimal = Decimal(0)
    manual_load: Decimal = Decimal(0)
    other_load: Decimal = Decimal(0)  # the other semester of the year

    @property
    def ratio(self) -> float | None:
        return float(self.load / self.target.target) if self.target.target else None


def lecturers_of(term: Term) -> list[Lecturer]:
    return list(
        Lecturer.objects.filter(group__school_id=term.school_id, is_active=True)
        .select_related("person", "group")
        .order_by("person__sort_key")
    )


def _loads(term: Term | None, field: str) -> dict[int, Decimal]:
    loads: dict[int, Decimal] = defaultdict(Decimal)
    if term is None:
        return loads
    for lecturer_id, hours in (
        Section.objects.active()
        .filter(term=term)
        .exclude(**{field: None})
        .values_list(field, "hours")
    ):
        loads[lecturer_id] += hours
    return loads


def lecturer_rows(term: Term) -> list[LecturerRow]:
    """Every lecturer's target, maximum and loads this semester, in a fixed number of queries."""
    rules = rules_for(term)
    lecturers = lecturers_of(term)
    reductions = {r.position_title: r.teaching_share for r in rules.reductions.all()}
    norms_by_title = {n.title: n.hours_per_year for n in rules.norms.all()}
    titles: dict[int, list[str]] = defaultdict(list)
    for person_id, title in (
        Position.objects.current(term.starts_on)
        .filter(person__in=[lec.person_id for lec in lecturers])
        .values_list("person_id", "title")
    ):
        titles[person_id].append(title)
    other = term.other
    availability: dict[tuple[int, int], Decimal] = {
        (a.term_id, a.lecturer_id): a.share
        for a in Availability.objects.filter(term__in=[t for t in (term, other) if t])
    }
    first_term = term if term.semester == 1 else other
    second_term = other if term.semester == 1 else term
    first_loads = _loads(first_term, "assigned_to") if term.semester == 2 else {}
    other_loads = _loads(other, "assigned_to")
    loads = _loads(term, "assigned_to")
    manual = _loads(term, "manual_to")
    missing = sorted({lec.title for lec in lecturers if lec.title not in norms_by_title})
    if missing:
        raise WorkloadError(
            _("Chưa có định mức giờ chuẩn cho chức danh: %(titles)s.")
            % {"titles": ", ".join(missing)}
        )
    rows = []
    for lecturer in lecturers:
        shares = (
            availability.get((first_term.pk, lecturer.pk), Decimal(1))
            if first_term
            else Decimal(1),
            availability.get((second_term.pk, lecturer.pk), Decimal(1))
            if second_term
            else Decimal(1),
        )
        target = norms.semester_target(
            norms_by_title[lecturer.title],
            norms.teaching_share(titles.get(lecturer.person_id, []), reductions),
            shares,
            term.semester,
            rules.overtime_cap_year,
            first_semester_load=first_loads.get(lecturer.pk, Decimal(0))
            if term.semester == 2 and first_term
            else None,
        )
        rows.append(
            LecturerRow(
                lecturer=lecturer,
                target=target,
                load=loads.get(lecturer.pk, Decimal(0)),
                manual_load=manual.get(lecturer.pk, Decimal(0)),
                other_load=other_loads.get(lecturer.pk, Decimal(0)),
            )
        )
    return rows


def eligible_ids(
    section: Section, lecturers: list[Lecturer], by_group: dict[int, list[int]]
) -> list[int]:
    only = [lec.pk for lec in section.only_lecturers.all()]
    if only:
        candidates = only
    else:
        groups = [section.group_id, *(g.pk for g in section.open_to_groups.all())]
        candidates = [pk for group in groups for pk in by_group.get(group, [])]
    excluded = {lec.pk for lec in section.excluded.all()}
    return [pk for pk in dict.fromkeys(candidates) if pk not in excluded]


def build_instance(term: Term, *, previous: str | None = "assigned_to") -> problem.Instance:
    """The balancer's exchange format for this semester (ids are lecturer and section codes)."""
    rows = lecturer_rows(term)
    lecturers = [row.lecturer for row in rows]
    ids = {lec.pk: f"L{lec.pk}" for lec in lecturers}
    by_group: dict[int, list[int]] = defaultdict(list)
    for lecturer in lecturers:
        by_group[lecturer.group_id].append(lecturer.pk)
    sections = (
        Section.objects.active()
        .filter(term=term)
        .prefetch_related("open_to_groups", "only_lecturers", "excluded", "preferred_by")
    )
    instance_sections = []
    previous_assignment: dict[str, str] = {}
    for section in sections:
        eligible = [ids[pk] for pk in eligible_ids(section, lecturers, by_group) if pk in ids]
        instance_sections.append(
            problem.Section(
                id=f"S{section.pk}",
                hours=float(section.hours),
                eligible=tuple(eligible),
                locked_to=ids.get(section.locked_to_id) if section.locked_to_id else None,
                preferred=tuple(ids[lec.pk] for lec in section.preferred_by.all() if lec.pk in ids),
                extra={"code": section.code, "course": section.course},
            )
        )
        assigned = getattr(section, f"{previous}_id") if previous else None
        if assigned in ids:
            previous_assignment[f"S{section.pk}"] = ids[assigned]
    return problem.Instance(
        lecturers=[
            problem.Lecturer(
                id=ids[row.lecturer.pk],
                target=float(row.target.target),
                max_load=float(row.target.max_load),
                extra={"name": row.lecturer.person.full_name, "code": row.lecturer.code},
            )
            for row in rows
        ],
        sections=instance_sections,
        previous_assignment=previous_assignment or None,
    )


@transaction.atomic
def start_run(term: Term, *, by: User, time_limit: int = 60) -> BalanceRun:
    """Queue a balancing run; the worker picks it up after the transaction commits."""
    if term.runs.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists():
        raise WorkloadError(_("Đang có một lượt phân công tự động chưa xong."))
    if not 5 <= time_limit <= 900:
        raise WorkloadError(_("Thời gian tính phải từ 5 đến 900 giây."))
    instance = build_instance(term)
    if not instance.sections:
        raise WorkloadError(_("Học kỳ chưa có lớp học phần nào."))
    run = BalanceRun.objects.create(
        term=term, created_by=by, time_limit=time_limit, instance=instance.to_dict()
    )
    transaction.on_commit(lambda: balance_term.enqueue(run.pk))
    return run


@transaction.atomic
def apply_run(run: BalanceRun, *, by: User) -> int:
    """Make the run's assignment the semester's assignment; returns how many sections changed."""
    if run.status != RunStatus.DONE:
        raise WorkloadError(_("Chỉ áp dụng được một lượt tính đã có phương án."))
    assignment: dict[str, str] = run.result.get("assignment", {})
    sections = {f"S{s.pk}": s for s in Section.objects.active().filter(term=run.term)}
    if set(assignment) != set(sections):
        raise WorkloadError(
            _("Danh sách lớp học phần đã thay đổi sau lượt tính này: hãy chạy lại phân công.")
        )
    changed = 0
    for key, section in sections.items():
        lecturer_id = int(assignment[key].removeprefix("L"))
        if section.assigned_to_id != lecturer_id:
            section.assigned_to_id = lecturer_id
            stamp(section, by, _("Áp dụng phân công tự động"))
            section.save(update_fields=["assigned_to"])
            changed += 1
    run.applied_at = timezone.now()
    run.save(update_fields=["applied_at"])
    notices.assignment_applied(run.term, changed, by=by)
    return changed


@transaction.atomic
def lock_section(section: Section, lecturer: Lecturer | None, *, by: User) -> Section:
    """A head of department fixes (or frees) a section's lecturer; the optimiser keeps it."""
    if lecturer is not None and lecturer.group.school_id != section.term.school_id:
        raise WorkloadError(_("Giảng viên không thuộc trường."))
    section.locked_to = lecturer
    if lecturer is not None:
        section.assigned_to = lecturer
    stamp(section, by, _("Chốt phân công") if lecturer else _("Bỏ chốt phân công"))
    section.save(update_fields=["locked_to", "assigned_to"])
    return section


def spread(rows: list[LecturerRow], field: str) -> dict[str, float | None]:
    """max_deviation and imbalance of one set of loads (the balancer's definitions)."""
    active = [r for r in rows if r.target.target > 0]
    total_target = sum(float(r.target.target) for r in active)
    total_hours = sum(float(getattr(r, field)) for r in rows)
    if not active or total_target == 0:
        return {"max_deviation": None, "imbalance": None, "rho": None}
    rho = total_hours / total_target
    deviations = [abs(float(getattr(r, field)) / float(r.target.target) - rho) for r in active]
    imbalance = sum(
        (float(getattr(r, field)) - rho * float(r.target.target)) ** 2 / float(r.target.target)
        for r in active
    )
    return {"max_deviation": max(deviations), "imbalance": imbalance, "rho": rho}


def ensure_term(school_id: int, start_year: int, semester: int) -> Term:
    starts_on = dt.date(start_year, 8, 15) if semester == 1 else dt.date(start_year + 1, 1, 15)
    term, _created = Term.objects.get_or_create(
        school_id=school_id,
        start_year=start_year,
        semester=semester,
        defaults={"starts_on": starts_on},
    )
    return term


@transaction.atomic
def toggle_wish(section: Section, lecturer: Lecturer, *, by: User) -> bool:
    """Add or remove the lecturer's wish for the section; returns whether it is now wished."""
    if section.preferred_by.filter(pk=lecturer.pk).exists():
        section.preferred_by.remove(lecturer)
        return False
    section.preferred_by.add(lecturer)
    return True


@dataclass
class YearRow:
    lecturer: Lecturer
    year_target: Decimal
    first: Decimal
    second: Decimal

    @property
    def total(self) -> Decimal:
        return self.first + self.second

    @property
    def ratio(self) -> float | None:
        return float(self.total / self.year_target) if self.year_target else None


def year_rows(first: Term | None, second: Term | None) -> list[YearRow]:
    """Each lecturer's year: the target over both semesters against the loads of each."""
    term = first or second
    if term is None:
        return []
    rows = lecturer_rows(term)
    first_loads = _loads(first, "assigned_to")
    second_loads = _loads(second, "assigned_to")
    result = []
    for row in rows:
        yearly = row.target.annual_norm * row.target.share / norms.HUNDRED
        result.append(
            YearRow(
                lecturer=row.lecturer,
                year_target=yearly.quantize(norms.TWO_PLACES),
                first=first_loads.get(row.lecturer.pk, Decimal(0)),
                second=second_loads.get(row.lecturer.pk, Decimal(0)),
            )
        )
    return result
