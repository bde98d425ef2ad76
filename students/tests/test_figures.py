"""The figures: enrolment against quota with the 3-year average and the dated benchmark, the
cohort × term matrix, dropout, and the changes' sequence rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from students import figures, services
from students.models import Benchmark, Status, Student
from students.tests.conftest import TODAY, Campus


def test_enrolment_table_fills_share_and_three_year_average(campus: Campus) -> None:
    table = figures.enrolment_table(campus.world.school.pk, TODAY)
    row = next(r for r in table.rows if r.programme == campus.preschool)
    assert [row.years[y].filled for y in (2023, 2024, 2025)] == [
        Decimal("40.0"),
        Decimal("60.0"),
        Decimal("35.0"),
    ]
    assert row.average == Decimal("45.0")
    assert row.below  # under the 50% benchmark
    assert table.benchmark is not None and "TT 01/2024/TT-BGDĐT" in table.benchmark.source


def test_the_average_takes_the_latest_count_of_each_intake(campus: Campus) -> None:
    services.record_enrolment(
        campus.intakes[2], counted_on=dt.date(2025, 10, 15), applications=200, admitted=90,
        enrolled=85, by=campus.users["leadership"],
    )  # fmt: skip
    table = figures.enrolment_table(campus.world.school.pk, TODAY)
    row = next(r for r in table.rows if r.programme == campus.preschool)
    assert row.years[2025].enrolled == 85
    assert row.average == Decimal("61.7") and not row.below


def test_a_school_benchmark_overrides_the_national_one(campus: Campus) -> None:
    Benchmark.objects.create(
        school=campus.world.school, key=Benchmark.ENROLMENT_FILL, name="Trường", minimum=40,
        years=3, valid_from=dt.date(2024, 1, 1), source="QĐ của Hiệu trưởng",
    )  # fmt: skip
    table = figures.enrolment_table(campus.world.school.pk, TODAY)
    assert table.benchmark is not None and table.benchmark.source == "QĐ của Hiệu trưởng"
    assert not next(r for r in table.rows if r.programme == campus.preschool).below


def test_retention_matrix_counts_each_term(campus: Campus) -> None:
    terms, lines = figures.retention_matrix([campus.k1, campus.k2], TODAY)
    assert terms == [1, 2, 3, 4, 5, 6]
    k1 = lines[0]
    assert k1.entered == 6
    first, second = k1.cells[0], k1.cells[1]
    assert first is not None and second is not None
    assert (first.studying, first.retained) == (5, 5)  # withdrew 10/01/2024
    assert (second.studying, second.retained) == (4, 5)  # one suspended: still enrolled
    assert k1.cells[4] is not None and k1.cells[5] is None  # term 6 has not begun
    k2 = lines[1]
    assert k2.cells[0] is not None and k2.cells[0].studying == 3  # expelled 01/02/2025
    assert k2.retention_now == Decimal("75.0")


def test_dropout_by_reason_programme_and_year(campus: Campus) -> None:
    result = figures.dropout(campus.world.school.pk)
    assert result.by_reason == {
        (campus.preschool.pk, "financial"): 1,
        (campus.primary.pk, "academic"): 1,
    }
    assert result.by_year == {(campus.preschool.pk, 1): 1, (campus.primary.pk, 1): 1}
    assert result.rate(campus.preschool.pk) == Decimal("16.7")


def test_changes_follow_each_other(campus: Campus) -> None:
    by = campus.users["leadership"]
    withdrawn = campus.students[0]
    with pytest.raises(services.StudentsError):
        services.record_change(
            withdrawn, kind="returned", happened_on=dt.date(2024, 9, 1), reason="other", by=by
        )
    suspended = Student.objects.get(pk=campus.students[1].pk)
    assert suspended.status == Status.SUSPENDED
    services.record_change(
        suspended, kind="returned", happened_on=dt.date(2024, 9, 1), reason="health", by=by
    )
    assert Student.objects.get(pk=suspended.pk).status == Status.STUDYING
    with pytest.raises(services.StudentsError):
        services.record_change(
            suspended, kind="graduated", happened_on=dt.date(2023, 1, 1), reason="completed", by=by
        )


def test_enrolment_counts_are_checked(campus: Campus) -> None:
    with pytest.raises(services.StudentsError):
        services.record_enrolment(
            campus.intakes[0], counted_on=dt.date(2023, 10, 1), applications=10, admitted=5,
            enrolled=6, by=campus.users["leadership"],
        )  # fmt: skip
