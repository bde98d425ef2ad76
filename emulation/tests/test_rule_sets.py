"""The dated rule sets: seeded by migration with their sources, picked by day and school, scoped,
and a school's own set only where the law lets the school decide."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django_scopes import scope

from conftest import World
from emulation.demo import load_demo
from emulation.engine import Discipline, Rules, SchoolYear
from emulation.models import RuleSet
from emulation.seed import load_rule_sets

pytestmark = pytest.mark.django_db

D2024 = dt.date(2024, 1, 1)
D2025 = dt.date(2025, 7, 1)


def national(day: dt.date) -> RuleSet:
    return RuleSet.objects.get(school__isnull=True, valid_from=day)


def own(world: World, valid_from: dt.date, **values: object) -> RuleSet:
    """A school's own set: the national one in force, with `values` changed."""
    base = RuleSet.in_force(valid_from)
    assert base is not None
    fields = {
        "school": world.school,
        "name": "Quy chế thi đua của trường",
        "valid_from": valid_from,
        "source": "Quyết định của Hiệu trưởng",
        "htxs_quota": base.htxs_quota,
        "min_months_classified": base.min_months_classified,
        "ldtt_min_months": base.ldtt_min_months,
        "ttldtt_min_share": base.ttldtt_min_share,
        "ttldxs_min_share": base.ttldxs_min_share,
        "cstd_higher_streak": base.cstd_higher_streak,
        "collective_discipline_bar": base.collective_discipline_bar,
        **values,
    }
    return RuleSet(**fields)


def test_the_migration_seeds_two_national_sets_with_their_sources() -> None:
    sets = list(RuleSet.objects.filter(school__isnull=True).order_by("valid_from"))
    assert [s.valid_from for s in sets] == [D2024, D2025]
    first, second = sets
    for rule_set in sets:
        assert rule_set.htxs_quota == Decimal("0.2")
        assert rule_set.min_months_classified == 6
        assert rule_set.ldtt_min_months == 10
        assert rule_set.ttldtt_min_share == Decimal("0.5")
        assert rule_set.ttldxs_min_share == Decimal("0.7")
        assert rule_set.cstd_higher_streak == 3
        assert rule_set.collective_discipline_bar == "cảnh cáo"
        assert "06/2022/QH15" in rule_set.source
        assert "90/2020/NĐ-CP" in rule_set.source and "48/2023/NĐ-CP" in rule_set.source
        assert "29/2023/TT-BGDĐT" in rule_set.source and "13/2012/NĐ-CP" in rule_set.source
        assert rule_set.notes  # what checking the texts found
    assert "98/2023/NĐ-CP" in first.source
    assert "152/2025/NĐ-CP" in second.source
    assert len(load_rule_sets()) == 2


def test_the_set_in_force_at_the_end_of_each_school_year() -> None:
    assert RuleSet.in_force(SchoolYear(2023).end) == national(D2024)  # 31/5/2024
    assert RuleSet.in_force(SchoolYear(2024).end) == national(D2024)  # 31/5/2025
    assert RuleSet.in_force(SchoolYear(2025).end) == national(D2025)  # 31/5/2026
    assert RuleSet.in_force(dt.date(2025, 6, 30)) == national(D2024)
    assert RuleSet.in_force(dt.date(2025, 7, 1)) == national(D2025)
    assert RuleSet.in_force(SchoolYear(2022).end) is None  # 31/5/2023: none seeded


def test_a_schools_own_set_applies_to_that_school_until_a_newer_national_one(
    world: World,
) -> None:
    mine = own(world, dt.date(2024, 9, 1), htxs_quota=Decimal("0.15"))
    mine.full_clean()
    mine.save()
    day = SchoolYear(2024).end
    assert RuleSet.in_force(day, world.school) == mine
    assert RuleSet.in_force(day, world.other_school) == national(D2024)
    assert RuleSet.in_force(day) == national(D2024)
    # The law changes on 01/7/2025: the national set supersedes the school's older one.
    assert RuleSet.in_force(SchoolYear(2025).end, world.school) == national(D2025)
    # Same day as a national set: the school's own wins.
    same = own(world, D2025, htxs_quota=Decimal("0.1"))
    same.full_clean()
    same.save()
    assert RuleSet.in_force(SchoolYear(2025).end, world.school) == same


def test_as_rules_gives_the_engine_its_values_and_a_runs_overrides() -> None:
    rules = national(D2024).as_rules()
    assert rules == Rules()  # the engine's defaults are the 2024 national set
    assert rules.collective_discipline_bar is Discipline.WARNING
    changed = national(D2024).as_rules(htxs_quota=Decimal("0.3"), under_ministry=True)
    assert changed.htxs_quota == Decimal("0.3") and changed.under_ministry


def test_in_a_schools_scope_the_national_sets_and_its_own_are_seen_not_anothers(
    world: World,
) -> None:
    mine = own(world, dt.date(2024, 9, 1), htxs_quota=Decimal("0.15"))
    mine.save()
    theirs = own(world, dt.date(2024, 9, 1), school=world.other_school)
    theirs.save()
    with scope(school=world.school.pk):
        seen = set(RuleSet.objects.values_list("pk", flat=True))
        assert seen == {national(D2024).pk, national(D2025).pk, mine.pk}
        assert RuleSet.in_force(SchoolYear(2024).end, world.school) == mine
    with scope(school=world.other_school.pk):
        assert mine.pk not in set(RuleSet.objects.values_list("pk", flat=True))
        assert theirs.pk in set(RuleSet.objects.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"htxs_quota": Decimal("0.25")}, "htxs_quota"),  # more HTXS than the law allows
        ({"ttldtt_min_share": Decimal("0.4")}, "ttldtt_min_share"),  # easier collective title
        ({"ttldxs_min_share": Decimal("0.6")}, "ttldxs_min_share"),
        ({"min_months_classified": 4}, "min_months_classified"),  # not the school's to decide
        ({"ldtt_min_months": 8}, "ldtt_min_months"),
        ({"cstd_higher_streak": 2}, "cstd_higher_streak"),
        ({"collective_discipline_bar": None}, "collective_discipline_bar"),
        # The evidence's thresholds: the school may ask more than the decree, not less.
        ({"htt_on_time_share": Decimal("0.9")}, "htt_on_time_share"),
        ({"htxs_ahead_share": Decimal("0.4")}, "htxs_ahead_share"),
        ({"manager_targets_share": Decimal("0.8")}, "manager_targets_share"),
    ],
)
def test_a_schools_own_set_may_only_be_stricter_where_the_law_lets_it_decide(
    world: World, values: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        own(world, dt.date(2024, 9, 1), **values).full_clean()
    assert field in caught.value.message_dict
    assert "Trường chỉ được" in str(caught.value) or "Pháp luật không cho" in str(caught.value)


def test_a_stricter_school_set_is_accepted(world: World) -> None:
    own(
        world,
        dt.date(2024, 9, 1),
        htxs_quota=Decimal("0.1"),
        ttldtt_min_share=Decimal("0.6"),
        ttldxs_min_share=Decimal("0.8"),
        htxs_ahead_share=Decimal("0.6"),
    ).full_clean()


def test_the_national_sets_carry_the_evidence_thresholds_with_their_source() -> None:
    """NĐ 90/2020 Art. 12–13: HTT every task on time, HTXS at least half beyond what was asked,
    a manager's unit every target; data of each set, read by the engine's values."""
    for day in (D2024, D2025):
        rule_set = national(day)
        assert rule_set.htt_on_time_share == Decimal(1)
        assert rule_set.htxs_ahead_share == Decimal("0.5")
        assert rule_set.manager_targets_share == Decimal(1)
        assert "Điều 12" in rule_set.source and "Điều 13" in rule_set.source
        assert "htxs_ahead_share" in national(D2024).notes
        rules = rule_set.as_rules()
        assert (rules.htt_on_time_share, rules.htxs_ahead_share, rules.manager_targets_share) == (
            Decimal(1),
            Decimal("0.5"),
            Decimal(1),
        )


def test_the_migration_fills_the_thresholds_of_existing_rule_sets(world: World) -> None:
    """Migration 0006 on rows made before it: the national sets take the data file's values,
    a school's own set those of the national set in force on its first day."""
    from importlib import import_module

    from django.apps import apps

    mine = own(world, dt.date(2024, 9, 1), htxs_quota=Decimal("0.15"))
    mine.save()
    # As the rows stood before the migration gave them their values.
    RuleSet.objects.update(
        htt_on_time_share=Decimal("0.1"),
        htxs_ahead_share=Decimal("0.1"),
        manager_targets_share=Decimal("0.1"),
    )
    migration = import_module("emulation.migrations.0006_rule_set_evidence_thresholds")
    migration.fill_evidence_thresholds(apps, None)
    for rule_set in RuleSet.objects.all():
        assert rule_set.htt_on_time_share == Decimal(1), rule_set
        assert rule_set.htxs_ahead_share == Decimal("0.5"), rule_set
        assert rule_set.manager_targets_share == Decimal(1), rule_set
    mine.refresh_from_db()
    assert mine.htxs_quota == Decimal("0.15")  # its own values stay


def test_one_national_set_per_day_and_shares_between_zero_and_one() -> None:
    copy = national(D2024)
    copy.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    wrong = national(D2025)
    wrong.htxs_quota = Decimal("1.5")
    with pytest.raises(IntegrityError), transaction.atomic():
        wrong.save()


def test_a_change_of_a_rule_set_is_kept_in_its_history() -> None:
    rule_set = national(D2025)
    rule_set.htxs_quota = Decimal("0.15")
    rule_set.save()
    assert [h.htxs_quota for h in rule_set.history.order_by("history_date")][-1] == Decimal("0.15")


def test_the_demo_puts_back_the_national_sets_a_flush_removed() -> None:
    from unittest import mock

    RuleSet.objects.all().delete()
    # The rule sets only: the campaign itself is the demo's own test (test_demo.py).
    with mock.patch("emulation.demo.load_emulation_demo"):
        load_demo(None, None)  # type: ignore[arg-type]
        assert RuleSet.in_force(SchoolYear(2023).end) == national(D2024)
        assert RuleSet.objects.count() == 2
        load_demo(None, None)  # type: ignore[arg-type]
    assert RuleSet.objects.count() == 2  # written again, not twice


def test_the_sync_leaves_out_values_an_older_model_does_not_have() -> None:
    """The data migration runs with the model as it was then: a value added to the data file
    for a later field must not break it."""
    from unittest import mock

    from emulation import seed
    from emulation.models import RuleSet

    entries = seed.load_rule_sets()
    with mock.patch.object(
        seed, "load_rule_sets", lambda: [{**entries[0], "a_field_of_tomorrow": 1}]
    ):
        assert seed.sync_rule_sets(RuleSet) == 1
