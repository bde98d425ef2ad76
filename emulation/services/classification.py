"""The classification preview: the engine run on the campaign's current data with the rule set in
force, and the warnings leadership needs before the council meets — more HTXS proposed in a unit
and group than the quota allows (who falls under the line and why), levels that the rules will
change (discipline, months worked), levels the year's computed evidence does not bear out
(emulation.facts.evidence_notes), registrations the year will not reach, reviews still missing.

Read-only: nothing is written. The queries do not grow with the number of people.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from core.text import format_number
from emulation.engine import (
    Level,
    Person,
    PersonResult,
    Rules,
    SchoolYear,
    Scope,
    Title,
    Unit,
    UnitResult,
    collective,
    evaluate,
    percent,
)
from emulation.facts import FactsSource, PersonFacts, evidence_facts, evidence_notes
from emulation.models import (
    Campaign,
    Evaluation,
    InitiativeAuthor,
    Registration,
    RuleSet,
    TitleHistory,
)
from emulation.services.common import EmulationError, collective_exclusion
from organisations.models import Organisation, OrganisationKind


@dataclass
class Row:
    evaluation: Evaluation
    name: str  # the id the engine and its reasons use: the person's name, made unique
    facts: PersonFacts
    proposed: Level | None  # the level the engine runs on (None: nobody set one yet)
    registered: list[Title]
    initiative: Scope | None
    result: PersonResult | None = None
    # Where the computed evidence does not bear out the level expected (emulation.facts).
    notes: list[str] = field(default_factory=list)

    @property
    def falls(self) -> bool:
        """Proposed HTXS, brought down to HTT by the quota."""
        return (
            self.proposed is Level.HTXS
            and self.result is not None
            and self.result.level is Level.HTT
            and self.facts.discipline is None
        )

    @property
    def missed(self) -> list[Title]:
        """Registered titles the preview does not give."""
        got = set(self.result.titles) if self.result is not None else set()
        return [title for title in self.registered if title not in got]


@dataclass
class QuotaCheck:
    """One (unit, group) where more people are at HTXS than the quota allows."""

    unit: Organisation
    group: str
    share: str  # the rule set's quota, "20%"
    base: int
    quota: int
    candidates: list[Row]
    kept: list[Row]
    fallen: list[Row]
    unranked: list[Row]


@dataclass
class UnitBlock:
    unit: Organisation
    rows: list[Row]
    result: UnitResult | None
    registered: list[Title] = field(default_factory=list)
    # Why the school's decision gives this unit no collective title (None: it may get one).
    excluded: str | None = None


@dataclass
class Preview:
    campaign: Campaign
    rule_set: RuleSet
    rules: Rules
    units: list[UnitBlock]
    quota: list[QuotaCheck]
    warnings: list[str]
    not_ready: list[Row]
    levels: list[tuple[str, int]]  # (level, how many), in the order of the levels
    titles: list[tuple[str, int]]  # (title, how many), in the order of the titles
    # The school as a whole, over everyone classified: what it may be proposed for to the level
    # above (None: nobody is ready yet). Its own decision gives the school nothing.
    school: UnitResult | None = None

    @property
    def rows(self) -> list[Row]:
        return [row for block in self.units for row in block.rows]


def rules_for(campaign: Campaign) -> tuple[RuleSet, Rules]:
    """The rule set in force at the year's end for the school, as the engine's values."""
    rule_set = RuleSet.in_force(campaign.year.end, campaign.school)
    if rule_set is None:
        raise EmulationError(
            _("Chưa có bộ quy tắc thi đua áp dụng cho năm học %(year)s.")
            % {"year": campaign.year_label}
        )
    parent = campaign.school.parent
    under_ministry = parent is not None and parent.kind == OrganisationKind.MINISTRY
    return rule_set, rule_set.as_rules(under_ministry=under_ministry)


def _unique_names(evaluations: list[Evaluation]) -> dict[int, str]:
    counts = Counter(evaluation.person.full_name for evaluation in evaluations)
    names: dict[int, str] = {}
    for evaluation in evaluations:
        name = evaluation.person.full_name
        if counts[name] > 1:
            name = f"{name} ({evaluation.unit.short_name or evaluation.unit.name}, #{evaluation.person_id})"
        names[evaluation.pk] = name
    return names


def _unit_names(units: list[Organisation]) -> dict[int, str]:
    counts = Counter(unit.short_name or unit.name for unit in units)
    return {
        unit.pk: (unit.short_name or unit.name)
        if counts[unit.short_name or unit.name] == 1
        else f"{unit.name} (#{unit.pk})"
        for unit in units
    }


def preview(campaign: Campaign, *, facts: FactsSource = evidence_facts) -> Preview:
    """The engine on the campaign's evaluations as they stand, with the warnings; the facts
    are the recorded months and discipline with the computed evidence unless `facts` says
    otherwise."""
    rule_set, rules = rules_for(campaign)
    evaluations = list(
        Evaluation.objects.active()
        .filter(campaign=campaign)
        .select_related("person", "unit")
        .order_by("unit__order", "unit__name", "person__sort_key", "pk")
    )
    known = facts(campaign, evaluations)
    people_ids = [evaluation.person_id for evaluation in evaluations]
    registrations = list(Registration.objects.active().filter(campaign=campaign))
    registered: dict[int, list[Title]] = {}
    unit_registered: dict[int, list[Title]] = {}
    for registration in registrations:
        titles = [
            Title(value) for value in registration.titles if value in Title._value2member_map_
        ]
        if registration.person_id is not None:
            registered[registration.person_id] = titles
        else:
            unit_registered[registration.unit_id] = titles
    initiatives = _initiatives(campaign, people_ids)
    history = _history(campaign, people_ids, rules.cstd_higher_streak)

    names = _unique_names(evaluations)
    units = list({evaluation.unit_id: evaluation.unit for evaluation in evaluations}.values())
    unit_names = _unit_names(units)
    rows = [
        Row(
            evaluation=evaluation,
            name=names[evaluation.pk],
            facts=known.get(evaluation.pk) or PersonFacts.recorded(evaluation),
            proposed=evaluation.current_level,
            registered=registered.get(evaluation.person_id, []),
            initiative=initiatives.get(evaluation.person_id),
        )
        for evaluation in evaluations
    ]
    ready = [row for row in rows if row.proposed is not None]
    engine_people = [
        Person(
            id=row.name,
            unit=unit_names[row.evaluation.unit_id],
            group=row.evaluation.task_group,
            months_worked=Decimal(row.facts.months_worked),
            proposed=row.proposed,  # type: ignore[arg-type]  # ready rows have one
            discipline=row.facts.discipline,
            council_rank=row.evaluation.council_rank,
            initiative=row.initiative,
            history=history.get(row.evaluation.person_id, {}),
            leave_months=Decimal(row.facts.leave_months),
            maternity=row.facts.maternity,
        )
        for row in ready
    ]
    excluded = {unit.pk: collective_exclusion(unit, campaign.school_id) for unit in units}
    outcome = evaluate(
        campaign.year,
        [Unit(unit_names[unit.pk], excluded=excluded[unit.pk]) for unit in units],
        engine_people,
        rules,
    )
    for row in ready:
        row.result = outcome.people[row.name]
        if row.facts.evidence is not None:
            row.notes = evidence_notes(
                row.result.level,
                row.facts.evidence,
                manager=row.evaluation.is_manager,
                rules=rules,
            )

    blocks: dict[int, UnitBlock] = {}
    for row in rows:
        unit = row.evaluation.unit
        block = blocks.get(unit.pk)
        if block is None:
            block = blocks[unit.pk] = UnitBlock(
                unit=unit,
                rows=[],
                result=outcome.units.get(unit_names[unit.pk]),
                registered=unit_registered.get(unit.pk, []),
                excluded=excluded[unit.pk],
            )
        block.rows.append(row)
    not_ready = [row for row in rows if row.proposed is None]
    school = collective(engine_people, outcome.people, rules) if engine_people else None
    return Preview(
        campaign=campaign,
        rule_set=rule_set,
        rules=rules,
        units=list(blocks.values()),
        quota=_quota_checks(ready, rules),
        warnings=_warnings(rows, not_ready, rules, blocks.values()),
        not_ready=not_ready,
        levels=_counted(
            [row.result.level.value for row in ready if row.result and row.result.level],
            [level.value for level in Level],
        ),
        titles=_counted(
            [title.value for row in ready if row.result for title in row.result.titles]
            + [
                block.result.title.value
                for block in blocks.values()
                if block.result is not None and block.result.title is not None
            ],
            [title.value for title in Title],
        ),
        school=school,
    )


def _counted(values: list[str], order: list[str]) -> list[tuple[str, int]]:
    counts = Counter(values)
    return [(value, counts[value]) for value in order if counts[value]]


def _initiatives(campaign: Campaign, people_ids: list[int]) -> dict[int, Scope]:
    """Each person's widest initiative or research recognised in the campaign's year."""
    best: dict[int, Scope] = {}
    links = InitiativeAuthor._base_manager.filter(
        person_id__in=people_ids,
        initiative__start_year=campaign.start_year,
        initiative__recognised_on__isnull=False,
        initiative__archived_at__isnull=True,
        initiative__school_id=campaign.school_id,
    ).values_list("person_id", "initiative__scope")
    for person_id, scope in links:
        value = Scope(scope)
        if person_id not in best or value.rank > best[person_id].rank:
            best[person_id] = value
    return best


def _history(
    campaign: Campaign, people_ids: list[int], streak: int
) -> dict[int, dict[SchoolYear, frozenset[Title]]]:
    found: dict[int, dict[SchoolYear, frozenset[Title]]] = defaultdict(dict)
    rows = TitleHistory.objects.active().filter(
        person_id__in=people_ids,
        start_year__lt=campaign.start_year,
        start_year__gte=campaign.start_year - max(streak, 2),
    )
    for row in rows:
        found[row.person_id][SchoolYear(row.start_year)] = row.title_values  # type: ignore[index]  # person rows
    return found


def _quota_checks(ready: list[Row], rules: Rules) -> list[QuotaCheck]:
    groups: dict[tuple[int, str], list[Row]] = defaultdict(list)
    for row in ready:
        groups[(row.evaluation.unit_id, row.evaluation.task_group)].append(row)
    checks: list[QuotaCheck] = []
    for (_unit_id, group), members in groups.items():
        level = {row.name: row.result.level if row.result else None for row in members}
        base = sum(
            1
            for row in members
            if row.result is not None and row.result.level in (Level.HTT, Level.HTXS)
        )
        candidates = [
            row
            for row in members
            if row.proposed is Level.HTXS and row.facts.discipline is None and level[row.name]
        ]
        quota = math.floor(rules.htxs_quota * base)
        if len(candidates) <= quota:
            continue
        fallen = [row for row in candidates if row.falls]
        kept = [row for row in candidates if not row.falls]
        checks.append(
            QuotaCheck(
                unit=members[0].evaluation.unit,
                group=group,
                share=percent(rules.htxs_quota),
                base=base,
                quota=quota,
                candidates=candidates,
                kept=kept,
                fallen=fallen,
                unranked=[row for row in candidates if row.evaluation.council_rank is None],
            )
        )
    return checks


def _warnings(
    rows: list[Row], not_ready: list[Row], rules: Rules, blocks: Iterable[UnitBlock]
) -> list[str]:
    warnings: list[str] = []
    if not_ready:
        warnings.append(
            _(
                "%(n)d người chưa có mức đề nghị (chưa tự đánh giá, chưa được xét) nên chưa được "
                "tính; chỉ tiêu HTXS sẽ thay đổi khi họ được xét."
            )
            % {"n": len(not_ready)}
        )
    for row in rows:
        if row.proposed is None or row.result is None:
            continue
        name = row.name
        if row.result.level is None:
            warnings.append(
                _("%(name)s: không được xếp loại vì công tác %(m)s tháng (dưới %(min)s tháng).")
                % {
                    "name": name,
                    "m": format_number(row.facts.months_worked),
                    "min": format_number(rules.min_months_classified),
                }
            )
        elif row.facts.discipline is not None and row.proposed is not Level.KHT:
            warnings.append(
                _("%(name)s: bị kỷ luật (%(d)s) nên xếp loại KHT, không theo mức đề nghị %(p)s.")
                % {"name": name, "d": row.facts.discipline.value, "p": row.proposed.value}
            )
        else:
            # Capped by the months of leave (NĐ 90/2020 Art. 2 cl. 3).
            capped = [reason for reason in row.result.reasons if reason.startswith("Nghỉ không")]
            warnings.extend(f"{name}: {reason}" for reason in capped)
        if (
            row.facts.maternity
            and row.result.level is not None
            and row.facts.months_worked < rules.min_months_classified
        ):
            warnings.append(
                _(
                    "%(name)s: nghỉ chế độ thai sản, công tác %(m)s tháng (dưới %(min)s tháng) "
                    "nhưng vẫn được xếp loại theo thời gian làm việc thực tế."
                )
                % {
                    "name": name,
                    "m": format_number(row.facts.months_worked),
                    "min": format_number(rules.min_months_classified),
                }
            )
        warnings.extend(f"{name}: {note}" for note in row.notes)
        if row.missed:
            warnings.append(
                _("%(name)s đăng ký %(titles)s nhưng dự kiến không đạt: %(why)s")
                % {
                    "name": name,
                    "titles": ", ".join(title.value for title in row.missed),
                    "why": _why_missed(row),
                }
            )
    for block in blocks:
        got = block.result.title if block.result is not None else None
        missing = [title for title in block.registered if title != got]
        if got is Title.TTLDXS:
            missing = [title for title in missing if title is not Title.TTLDTT]
        if missing:
            warnings.append(
                _("%(unit)s đăng ký %(titles)s nhưng dự kiến %(got)s.")
                % {
                    "unit": block.unit.name,
                    "titles": ", ".join(title.value for title in missing),
                    "got": got.value if got else _("không đạt danh hiệu tập thể"),
                }
            )
    return warnings


def _why_missed(row: Row) -> str:
    reasons = [reason for reason in (row.result.reasons if row.result else ()) if "Không" in reason]
    return " ".join(reasons) or _("không đủ điều kiện.")
