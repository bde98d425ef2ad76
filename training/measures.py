"""Training's figures that a plan target can be measured by (students.measures): for a school
year, the participants of in-service training, of partnership courses, and the certificates
issued (training.figures)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from students.measures import Compute, Measure, Measured, register
from students.models import Programme
from training import figures
from training.models import CourseKind


def _measured(pick: Callable[[figures.YearFigures], int]) -> Compute:
    def measured(
        school_id: int, programme: Programme | None, year: int | None, today: dt.date
    ) -> Measured | None:
        del programme  # the school's figure
        school_year = year if year is not None else figures.current_school_year(today)
        found = figures.for_year(school_id, school_year)
        day = min(today, dt.date(school_year + 1, 8, 31))
        return Measured(Decimal(pick(found)), day, reverse("training:home"))

    return measured


YEAR = _("năm học (năm bắt đầu)")
CONTINUING_PARTICIPANTS = register(
    Measure(
        "training_continuing_participants", _("Số người tham gia bồi dưỡng trong năm học"),
        _("người"), _measured(lambda f: f.participants.get(CourseKind.CONTINUING, 0)),
        "training:home", uses_programme=False, year=YEAR,
    )
)  # fmt: skip
PARTNERSHIP_PARTICIPANTS = register(
    Measure(
        "training_partnership_participants", _("Số người học liên kết đào tạo mở trong năm học"),
        _("người"), _measured(lambda f: f.participants.get(CourseKind.PARTNERSHIP, 0)),
        "training:home", uses_programme=False, year=YEAR,
    )
)  # fmt: skip
CERTIFICATES = register(
    Measure(
        "training_certificates", _("Số chứng chỉ bồi dưỡng, liên kết cấp trong năm học"),
        _("chứng chỉ"), _measured(lambda f: f.total("certificates")),
        "training:home", uses_programme=False, year=YEAR,
    )
)  # fmt: skip
