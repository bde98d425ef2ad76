"""Properties of the engine over generated schools (hypothesis).

The quota is never exceeded per (unit, group); adding discipline or months of leave to a person
never raises their level, nor does taking away their maternity leave; removing an initiative never adds a title, to anyone or any unit; the results do not
depend on the order of the people.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from emulation.engine import (
    Discipline,
    Level,
    Person,
    Rules,
    SchoolYear,
    Scope,
    Title,
    Unit,
    evaluate,
    unit_title_rank,
)

YEAR = SchoolYear(2023)
UNITS = ["K1", "K2", "K3"]
SETTINGS = settings(max_examples=100, deadline=None)


@st.composite
def people(draw: st.DrawFn) -> list[Person]:
    count = draw(st.integers(min_value=0, max_value=30))
    result = []
    for index in range(count):
        history = draw(
            st.dictionaries(
                st.integers(min_value=2018, max_value=2022).map(SchoolYear),
                st.frozensets(st.sampled_from([Title.LDTT, Title.CSTDCS, Title.CSTD_PROVINCE])),
                max_size=5,
            )
        )
        result.append(
            Person(
                id=f"P{index}",
                unit=draw(st.sampled_from(UNITS)),
                group=draw(st.sampled_from(["GV", "NV"])),
                months_worked=Decimal(draw(st.integers(min_value=0, max_value=24))) / 2,
                proposed=draw(st.sampled_from(list(Level))),
                discipline=draw(st.none() | st.sampled_from(list(Discipline))),
                council_rank=draw(st.none() | st.integers(min_value=1, max_value=6)),
                initiative=draw(st.none() | st.sampled_from(list(Scope))),
                history=history,
                leave_months=Decimal(draw(st.integers(min_value=0, max_value=12))) / 2,
                maternity=draw(st.booleans()),
            )
        )
    return result


rules_strategy = st.builds(
    Rules,
    htxs_quota=st.sampled_from(
        [Decimal(0), Decimal("0.1"), Decimal("0.2"), Decimal("0.5"), Decimal(1)]
    ),
    min_months_classified=st.sampled_from([Decimal(0), Decimal(6), Decimal("6.5")]),
    ldtt_min_months=st.sampled_from([Decimal(6), Decimal(10), Decimal(12)]),
    collective_discipline_bar=st.none() | st.sampled_from(list(Discipline)),
    under_ministry=st.booleans(),
    leave_cap_months=st.sampled_from([Decimal(0), Decimal(3), Decimal("4.5")]),
    leave_cap_level=st.sampled_from(list(Level)),
    maternity_classified=st.booleans(),
)


def run(school: list[Person], rules: Rules):  # type: ignore[no-untyped-def]
    return evaluate(YEAR, [Unit(unit) for unit in UNITS], school, rules)


def level_rank(level: Level | None) -> int:
    return -1 if level is None else level.rank


@SETTINGS
@given(people(), rules_strategy)
def test_the_htxs_quota_is_never_exceeded(school: list[Person], rules: Rules) -> None:
    result = run(school, rules)
    base: Counter[tuple[str, str]] = Counter()
    htxs: Counter[tuple[str, str]] = Counter()
    for member in school:
        key = (member.unit, member.group)
        classified = member.months_worked >= rules.min_months_classified or (
            member.maternity and rules.maternity_classified
        )
        level = member.proposed
        capped = member.leave_months >= rules.leave_cap_months
        if capped and level.rank > rules.leave_cap_level.rank:
            level = rules.leave_cap_level
        if classified and member.discipline is None and level in (Level.HTT, Level.HTXS):
            base[key] += 1
        if result.people[member.id].level is Level.HTXS:
            htxs[key] += 1
            assert member.proposed is Level.HTXS  # nobody is raised to HTXS
    for key, count in htxs.items():
        assert count <= math.floor(rules.htxs_quota * base[key])


@SETTINGS
@given(people(), rules_strategy, st.data())
def test_adding_discipline_never_raises_a_level(
    school: list[Person], rules: Rules, data: st.DataObject
) -> None:
    clean = [index for index, member in enumerate(school) if member.discipline is None]
    if not clean:
        return
    index = data.draw(st.sampled_from(clean))
    discipline = data.draw(st.sampled_from(list(Discipline)))
    before = run(school, rules).people[school[index].id]
    changed = list(school)
    changed[index] = replace(school[index], discipline=discipline)
    after = run(changed, rules).people[school[index].id]
    assert level_rank(after.level) <= level_rank(before.level)
    assert set(after.titles) <= set(before.titles)


@SETTINGS
@given(people(), rules_strategy, st.data())
def test_adding_leave_never_raises_a_level(
    school: list[Person], rules: Rules, data: st.DataObject
) -> None:
    """NĐ 90/2020 Art. 2 cl. 3: more months of leave (the months worked as they are, or fewer by
    the same) never raise the person's level nor add a title."""
    if not school:
        return
    index = data.draw(st.integers(min_value=0, max_value=len(school) - 1))
    member = school[index]
    more = Decimal(data.draw(st.integers(min_value=1, max_value=12))) / 2
    fewer_months = data.draw(st.booleans())
    before = run(school, rules).people[member.id]
    changed = list(school)
    changed[index] = replace(
        member,
        leave_months=member.leave_months + more,
        months_worked=max(Decimal(0), member.months_worked - more)
        if fewer_months
        else member.months_worked,
    )
    after = run(changed, rules).people[member.id]
    assert level_rank(after.level) <= level_rank(before.level)
    assert set(after.titles) <= set(before.titles)


@SETTINGS
@given(people(), rules_strategy, st.data())
def test_without_maternity_leave_nobody_is_classified_higher(
    school: list[Person], rules: Rules, data: st.DataObject
) -> None:
    on_leave = [index for index, member in enumerate(school) if member.maternity]
    if not on_leave:
        return
    index = data.draw(st.sampled_from(on_leave))
    before = run(school, rules).people[school[index].id]
    changed = list(school)
    changed[index] = replace(school[index], maternity=False)
    after = run(changed, rules).people[school[index].id]
    assert level_rank(after.level) <= level_rank(before.level)
    assert set(after.titles) <= set(before.titles)


@SETTINGS
@given(people(), rules_strategy, st.data())
def test_removing_an_initiative_never_adds_a_title(
    school: list[Person], rules: Rules, data: st.DataObject
) -> None:
    with_one = [index for index, member in enumerate(school) if member.initiative is not None]
    if not with_one:
        return
    index = data.draw(st.sampled_from(with_one))
    before = run(school, rules)
    changed = list(school)
    changed[index] = replace(school[index], initiative=None)
    after = run(changed, rules)
    for pid, result in after.people.items():
        assert set(result.titles) <= set(before.people[pid].titles)
        assert result.level is before.people[pid].level
    for uid, result in after.units.items():
        assert unit_title_rank(result.title) <= unit_title_rank(before.units[uid].title)


@SETTINGS
@given(people(), rules_strategy, st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_people(
    school: list[Person], rules: Rules, random: object
) -> None:
    shuffled = list(school)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    first, second = run(school, rules), run(shuffled, rules)
    assert first == second
    assert json.dumps(first.to_dict(), ensure_ascii=False) == json.dumps(
        second.to_dict(), ensure_ascii=False
    )
