"""The home page of an officer above the schools (the Sở): the report requests some school has
not answered, soonest deadline first, and the schools' emulation dossiers waiting to be accepted;
nothing of a school's own home ("the school has no plan", "my units")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from emulation.models import Campaign, UpwardDossier
from organisations.models import Organisation
from province.models import DirectedSchool, SchoolLevel
from province.tests.conftest import Province
from province.tests.requests import DEADLINE, TITLE, ask_semester

pytestmark = pytest.mark.django_db


def _home(province: Province, role: str = "officer") -> str:
    response = province.client(role).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def _dossier(province: Province, n: int, status: str = "submitted") -> UpwardDossier:
    school = Organisation.objects.create(name=f"Trường Thêm {n}", kind="school", code=f"them-{n}")
    DirectedSchool.objects.create(body=province.sgd, school=school, level=SchoolLevel.COLLEGE)
    campaign = Campaign.objects.create(
        school=school,
        start_year=2023,
        name=f"Phong trào {n}",
        period_start=dt.date(2023, 9, 1),
        period_end=dt.date(2024, 5, 31),
        registration_opens=dt.date(2023, 9, 15),
        registration_closes=dt.date(2023, 10, 15),
        self_assessment_opens=dt.date(2024, 5, 1),
        self_assessment_closes=dt.date(2024, 5, 15),
    )
    return UpwardDossier.objects.create(
        school=school, body=province.sgd, campaign=campaign, start_year=2023, status=status
    )


def test_the_officer_sees_the_requests_not_answered_and_no_school_page(province: Province) -> None:
    asked = ask_semester(province)
    html = _home(province)
    assert TITLE in html
    assert reverse("province:request_detail", args=[asked.pk]) in html
    assert "Quá hạn nộp" in html  # the deadline (15/01/2024) is past
    assert "0/2 trường đã nộp" in html  # the two colleges were asked
    assert DEADLINE.strftime("%d/%m/%Y") in html
    assert "Trường chưa có kế hoạch năm học" not in html
    assert reverse("planning:my_units") not in html
    assert reverse("province:dashboard") in html
    assert "Hôm nay không có việc nào đang chờ bạn" not in html


def test_with_nothing_asked_the_officer_is_told_so(province: Province) -> None:
    html = _home(province, "sgd_member")
    assert "Mọi yêu cầu báo cáo đã được các trường nộp đủ." in html
    assert "Hôm nay không có việc nào đang chờ bạn" in html
    assert "Trường chưa có kế hoạch năm học" not in html


def test_the_dossiers_waiting_are_counted_and_linked(province: Province) -> None:
    _dossier(province, 1)
    _dossier(province, 2)
    _dossier(province, 3, status="accepted")
    html = _home(province)
    assert "2 hồ sơ đề nghị khen thưởng của các trường đang chờ tiếp nhận" in html
    assert reverse("emulation:dossiers") + "?status=submitted" in html


def test_a_school_s_home_has_no_province_block(province: Province) -> None:
    ask_semester(province)
    for role in ("leadership", "staff"):
        assert "Báo cáo các trường chưa nộp đủ" not in _home(province, role)


def test_the_officer_s_home_costs_the_same_with_one_request_or_eight(province: Province) -> None:
    ask_semester(province)
    province.client("officer").get(reverse("home"))  # warm what a first view fills
    with CaptureQueriesContext(connection) as one:
        _home(province)
    for n in range(7):
        ask_semester(province, title=f"{TITLE} ({n})")
        _dossier(province, n)
    with CaptureQueriesContext(connection) as eight:
        html = _home(province)
    assert "và 3 yêu cầu khác" in html  # five shown, three more
    assert len(eight) == len(one)
