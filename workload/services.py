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
from core.text import format_number
from organisations import merging
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


def ensure_open_school(school_id: int | None) -> None:
    """A school merged into another keeps its teaching loads as history: no term, section or
    balancing run is added or changed (organisations.merging)."""
    merging.ensure_open_school(school_id, what=_("khối lượng giảng dạy"), error=WorkloadError)


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
    ensure_open_school(section.term.school_id)
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
    ensure_open_school(term.school_id)
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


@dataclass
class HoursChange:
    """One lecturer's hours before and after applying a run."""

    lecturer: Lecturer
    target: Decimal
    max_load: Decimal
    before: Decimal
    after: Decimal
    gained: list[str]  # codes of the sections they would take over
    lost: list[str]  # codes of the sections they would give up

    @property
    def delta(self) -> Decimal:
        return self.after - self.before

    @property
    def share_before(self) -> float | None:
        return float(self.before / self.target) if self.target else None

    @property
    def share_after(self) -> float | None:
        return float(self.after / self.target) if self.target else None

    @property
    def over_max(self) -> bool:
        return self.after > self.max_load


@dataclass
class ApplyPreview:
    """What applying a run would do, and what stops it or deserves a look first."""

    run: BalanceRun
    changed_sections: int
    kept_locked: int
    total_sections: int
    gains: list[HoursChange]
    losses: list[HoursChange]
    blocking: list[str]
    warnings: list[str]
    new_assignment: dict[int, int]  # section pk → lecturer pk

    @property
    def can_apply(self) -> bool:
        return not self.blocking


def apply_preview(run: BalanceRun) -> ApplyPreview:
    """Compare the run's assignment with the semester's current one, section by section."""
    blocking: list[str] = []
    warnings: list[str] = []
    if run.status != RunStatus.DONE:
        blocking.append(_("Lượt tính này chưa có phương án phân công."))
    if run.applied_at is not None:
        blocking.append(_("Phương án này đã được áp dụng."))
    assignment: dict[str, str] = (run.result or {}).get("assignment", {})
    sections = {
        f"S{s.pk}": s
        for s in Section.objects.active()
        .filter(term=run.term)
        .select_related("locked_to__person", "assigned_to__person")
    }
    computed_hours = {
        item["id"]: item.get("hours") for item in (run.instance or {}).get("sections", [])
    }
    if assignment and set(assignment) != set(sections):
        blocking.append(
            _(
                "Danh sách lớp học phần đã thay đổi sau lượt tính này (thêm hoặc bớt lớp): "
                "hãy chạy lại phân công tự động."
            )
        )
    lecturers = {row.lecturer.pk: row for row in lecturer_rows(run.term)}
    new_assignment: dict[int, int] = {}
    gained: dict[int, list[str]] = defaultdict(list)
    lost: dict[int, list[str]] = defaultdict(list)
    before: dict[int, Decimal] = defaultdict(Decimal)
    after: dict[int, Decimal] = defaultdict(Decimal)
    changed = kept_locked = 0
    for key, section in sections.items():
        if section.assigned_to_id:
            before[section.assigned_to_id] += section.hours
        if key not in assignment:
            if section.assigned_to_id:
                after[section.assigned_to_id] += section.hours
            continue
        lecturer_id = int(assignment[key].removeprefix("L"))
        new_assignment[section.pk] = lecturer_id
        after[lecturer_id] += section.hours
        if lecturer_id not in lecturers:
            blocking.append(
                _("Lớp %(code)s được giao cho một giảng viên nay không còn trong danh sách.")
                % {"code": section.code}
            )
        if section.locked_to_id and section.locked_to_id != lecturer_id:
            blocking.append(
                _(
                    "Lớp %(code)s đã được chốt cho %(who)s sau lượt tính này; phương án lại giao "
                    "cho người khác: hãy chạy lại phân công tự động."
                )
                % {
                    "code": section.code,
                    "who": section.locked_to.person.full_name if section.locked_to else "",
                }
            )
        elif section.locked_to_id:
            kept_locked += 1
        hours_then = computed_hours.get(key)
        if hours_then is not None and Decimal(str(hours_then)) != section.hours:
            warnings.append(
                _(
                    "Lớp %(code)s đã đổi số giờ chuẩn sau lượt tính (%(then)s → %(now)s giờ): "
                    "phương án được tính với số cũ."
                )
                % {
                    "code": section.code,
                    "then": format_number(Decimal(str(hours_then))),
                    "now": format_number(section.hours),
                }
            )
        if section.assigned_to_id != lecturer_id:
            changed += 1
            gained[lecturer_id].append(section.code)
            if section.assigned_to_id:
                lost[section.assigned_to_id].append(section.code)
    changes = []
    for pk, row in lecturers.items():
        if after[pk] > row.target.max_load:
            warnings.append(
                _(
                    "%(who)s sẽ dạy %(after)s giờ, quá mức tối đa %(max)s giờ (kể cả giờ vượt "
                    "định mức)."
                )
                % {
                    "who": row.lecturer.person.full_name,
                    "after": format_number(after[pk]),
                    "max": format_number(row.target.max_load),
                }
            )
        if before[pk] == after[pk] and not gained[pk] and not lost[pk]:
            continue
        changes.append(
            HoursChange(
                lecturer=row.lecturer,
                target=row.target.target,
                max_load=row.target.max_load,
                before=before[pk],
                after=after[pk],
                gained=sorted(gained[pk]),
                lost=sorted(lost[pk]),
            )
        )

    def name(change: HoursChange) -> str:
        return change.lecturer.person.sort_key

    return ApplyPreview(
        run=run,
        changed_sections=changed,
        kept_locked=kept_locked,
        total_sections=len(sections),
        gains=sorted((c for c in changes if c.delta > 0), key=lambda c: (-c.delta, name(c))),
        losses=sorted((c for c in changes if c.delta < 0), key=lambda c: (c.delta, name(c))),
        blocking=list(dict.fromkeys(blocking)),
        warnings=warnings,
        new_assignment=new_assignment,
    )


@transaction.atomic
def apply_run(run: BalanceRun, *, by: User) -> int:
    """Make the run's assignment the semester's assignment; returns how many sections changed.

    Refused for whatever the preview shows as blocking (the page shows the same list first)."""
    ensure_open_school(run.term.school_id)
    run = BalanceRun.objects.select_for_update().select_related("term").get(pk=run.pk)
    preview = apply_preview(run)
    if preview.blocking:
        raise WorkloadError(" ".join(preview.blocking))
    replaced: dict[str, int | None] = {}
    for section in Section.objects.active().filter(pk__in=preview.new_assignment):
        lecturer_id = preview.new_assignment[section.pk]
        if section.assigned_to_id != lecturer_id:
            replaced[str(section.pk)] = section.assigned_to_id
            section.assigned_to_id = lecturer_id
            stamp(section, by, _("Áp dụng phân công tự động"))
            section.save(update_fields=["assigned_to"])
    run.applied_at = timezone.now()
    run.replaced = replaced
    run.save(update_fields=["applied_at", "replaced"])
    notices.assignment_applied(run.term, len(replaced), by=by)
    return len(replaced)


@transaction.atomic
def undo_apply(run: BalanceRun, *, by: User) -> tuple[int, list[str]]:
    """Give back each section the lecturer it had before the run was applied.

    A section changed since (locked or reassigned by hand) keeps its new lecturer: returns how
    many were given back and the codes of those left as they are."""
    ensure_open_school(run.term.school_id)
    run = BalanceRun.objects.select_for_update().select_related("term").get(pk=run.pk)
    if run.applied_at is None:
        raise WorkloadError(_("Phương án này chưa được áp dụng, không có gì để hoàn tác."))
    if run.term.runs.filter(applied_at__gt=run.applied_at).exists():
        raise WorkloadError(
            _("Đã áp dụng một phương án khác sau phương án này: hãy hoàn tác phương án đó trước.")
        )
    assignment: dict[str, str] = (run.result or {}).get("assignment", {})
    restored, kept = 0, []
    for section in Section.objects.filter(pk__in=[int(pk) for pk in run.replaced]):
        set_to = assignment.get(f"S{section.pk}", "").removeprefix("L")
        if str(section.assigned_to_id) != set_to:
            kept.append(section.code)
            continue
        section.assigned_to_id = run.replaced[str(section.pk)]
        stamp(section, by, _("Hoàn tác phân công tự động"))
        section.save(update_fields=["assigned_to"])
        restored += 1
    run.applied_at = None
    run.replaced = {}
    run.save(update_fields=["applied_at", "replaced"])
    return restored, sorted(kept)


@transaction.atomic
def lock_section(section: Section, lecturer: Lecturer | None, *, by: User) -> Section:
    """A head of department fixes (or frees) a section's lecturer; the optimiser keeps it."""
    ensure_open_school(section.term.school_id)
    if lecturer is not None and lecturer.group.school_id != section.term.school_id:
        raise WorkloadError(_("Giảng viên không thuộc trường."))
    section.locked_to = lecturer
    if lecturer is not None:
        section.assigned_to = lecturer
    stamp(section, by, _("Chốt phân công") if lecturer else _("Bỏ chốt phân công"))
    section.save(update_fields=["locked_to", "assigned_to"])
    return section


def spread(rows: list[LecturerRow], field: str) -> dict[str, float | None]:
    """How even one set of loads is: the balancer's max_deviation and imbalance, the common
    share ``rho`` (total hours over total targets) and the lowest and highest share of a
    lecturer's own target. Pages show the shares, never the balancer's terms (``wording``)."""
    active = [r for r in rows if r.target.target > 0]
    total_target = sum(float(r.target.target) for r in active)
    total_hours = sum(float(getattr(r, field)) for r in rows)
    if not active or total_target == 0:
        return {
            "max_deviation": None,
            "imbalance": None,
            "rho": None,
            "lowest": None,
            "highest": None,
        }
    rho = total_hours / total_target
    ratios = [float(getattr(r, field)) / float(r.target.target) for r in active]
    deviations = [abs(ratio - rho) for ratio in ratios]
    imbalance = sum(
        (float(getattr(r, field)) - rho * float(r.target.target)) ** 2 / float(r.target.target)
        for r in active
    )
    return {
        "max_deviation": max(deviations),
        "imbalance": imbalance,
        "rho": rho,
        "lowest": min(ratios),
        "highest": max(ratios),
    }


def ensure_term(school_id: int, start_year: int, semester: int) -> Term:
    ensure_open_school(school_id)
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
    ensure_open_school(section.term.school_id)
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
