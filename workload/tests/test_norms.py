from decimal import Decimal

import pytest

from workload.norms import class_coefficient, gini, section_hours, semester_target, teaching_share

BANDS = [
    (1, 40, Decimal("1.0")),
    (41, 50, Decimal("1.1")),
    (51, 80, Decimal("1.3")),
    (81, None, Decimal("1.5")),
]
REDUCTIONS = {"Hiệu trưởng": Decimal(15), "Trưởng khoa": Decimal(70), "Tổ trưởng": Decimal(85)}


def test_class_size_coefficient_bands() -> None:
    assert class_coefficient(40, BANDS) == Decimal("1.0")
    assert class_coefficient(41, BANDS) == Decimal("1.1")
    assert class_coefficient(120, BANDS) == Decimal("1.5")
    assert class_coefficient(10, []) == Decimal(1)


def test_section_hours() -> None:
    assert section_hours(
        Decimal(45), Decimal("1.0"), 55, BANDS, applies_class_size=True
    ) == Decimal("58.50")
    assert section_hours(
        Decimal(30), Decimal("0.5"), 30, BANDS, applies_class_size=True
    ) == Decimal("15.00")
    assert section_hours(Decimal(3), Decimal(15), 1, BANDS, applies_class_size=False) == Decimal(
        "45.00"
    )


def test_largest_reduction_applies_and_prefix_match() -> None:
    assert teaching_share(["Giảng viên"], REDUCTIONS) == 100
    assert teaching_share(["Trưởng khoa Tự nhiên"], REDUCTIONS) == 70
    assert teaching_share(["Phó Trưởng khoa Tự nhiên"], REDUCTIONS) == 100
    assert (
        teaching_share(["Trưởng khoa Xã hội", "Tổ trưởng Tổ Toán", "Hiệu trưởng"], REDUCTIONS) == 15
    )


def test_first_semester_is_half_the_year() -> None:
    t = semester_target(Decimal(300), Decimal(100), (Decimal(1), Decimal(1)), 1, Decimal(200))
    assert (t.target, t.max_load) == (Decimal("150.00"), Decimal("250.00"))
    half = semester_target(
        Decimal(300), Decimal(100), (Decimal("0.5"), Decimal(1)), 1, Decimal(200)
    )
    assert (half.target, half.max_load) == (Decimal("75.00"), Decimal("125.00"))


def test_second_semester_compensates_the_first() -> None:
    under = semester_target(
        Decimal(300),
        Decimal(100),
        (Decimal(1), Decimal(1)),
        2,
        Decimal(200),
        first_semester_load=Decimal(120),
    )
    assert under.target == Decimal("180.00")  # 300 − 120
    assert under.max_load == Decimal("380.00")  # full overtime allowance left
    over = semester_target(
        Decimal(300),
        Decimal(100),
        (Decimal(1), Decimal(1)),
        2,
        Decimal(200),
        first_semester_load=Decimal(190),
    )
    assert over.target == Decimal("110.00")
    assert over.max_load == Decimal("270.00")  # 40 h of overtime already used
    leave = semester_target(
        Decimal(300),
        Decimal(100),
        (Decimal(1), Decimal(0)),
        2,
        Decimal(200),
        first_semester_load=Decimal(150),
    )
    assert (leave.target, leave.max_load) == (Decimal(0), Decimal(0))


@pytest.mark.parametrize(
    ("values", "expected"), [([1, 1, 1, 1], 0.0), ([0, 0, 0, 4], 0.75), ([], 0.0), ([0, 0], 0.0)]
)
def test_gini(values: list[float], expected: float) -> None:
    assert gini(values) == pytest.approx(expected)
