"""Residence's figures that a plan target can be measured by (students.measures): the
dormitory's occupancy and the off-campus students' declaration rate, each of the school's
current term (the term whose dates hold today, else the latest begun)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation
from residence import figures
from students.measures import Compute, Measure, Measured, register
from students.models import Programme


def _measured(
    compute: Callable[[Organisation], tuple[Decimal | None, dt.date]], url: str
) -> Compute:
    """A figure of residence.figures as a students measure's compute."""

    def measured(
        school_id: int, programme: Programme | None, year: int | None, today: dt.date
    ) -> Measured | None:
        del programme, year, today  # the current term's figure
        value, day = compute(Organisation(pk=school_id))
        return None if value is None else Measured(value, day, reverse(url))

    return measured


OCCUPANCY = register(
    Measure(
        "residence_occupancy", _("Tỷ lệ sử dụng chỗ ở ký túc xá (học kỳ hiện tại)"), "%",
        _measured(figures.occupancy, "residence:dormitory"), "residence:dormitory",
        uses_programme=False,
    )
)  # fmt: skip
DECLARATION_RATE = register(
    Measure(
        "residence_declaration_rate",
        _("Tỷ lệ người học ngoại trú đã khai báo nơi ở (học kỳ hiện tại)"), "%",
        _measured(figures.declaration_rate, "residence:declarations"), "residence:declarations",
        uses_programme=False,
    )
)  # fmt: skip
