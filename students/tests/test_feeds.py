"""Plan targets fed by students figures, end to end: choosing the figure writes the target's
first reading (dated by the count); a new count, a change of status or an import writes the next
one through tracking, so the dashboard's red/amber/green follows; a typed value on a fed target
is refused (form, Excel report) saying where it comes from; only the leadership chooses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planning.models import Target
from students import excel, feeds, measures, services
from students.models import Student, TargetFeed
from students.tests.conftest import Campus
from students.tests.test_imports import CHANGE_HEADER, workbook
from tracking import sources
from tracking.models import TargetReading
from tracking.services import CheckInData, TrackingError, submit_checkin
from tracking.target_figures import target_states


def _target(campus: Campus) -> Target:
    target = campus.world.target
    target.amber_threshold, target.red_threshold = Decimal("70"), Decimal("50")
    target.save()
    return target


def _rag(campus: Campus) -> str | None:
    state = next(
        s for s in target_states(campus.world.plan) if s.target.pk == campus.world.target.pk
    )
    return str(state.rag) if state.rag else None


def test_a_count_changes_the_reading_and_the_dashboards_rag(campus: Campus) -> None:
    target, by = _target(campus), campus.users["leadership"]
    feeds.set_feed(target, measure="enrolment_fill", year=2024, by=by)
    target.refresh_from_db()
    # 60 enrolled of a quota of 100, counted on 30/9/2024
    assert (target.actual_value, target.actual_on) == (Decimal("60.00"), dt.date(2024, 9, 30))
    assert _rag(campus) == "amber"
    services.record_enrolment(
        campus.intakes[1], counted_on=dt.date(2024, 10, 15), applications=200, admitted=100,
        enrolled=95, by=campus.users["records"],
    )  # fmt: skip
    target.refresh_from_db()
    assert (target.actual_value, target.actual_on) == (Decimal("95.00"), dt.date(2024, 10, 15))
    assert list(TargetReading.objects.filter(target=target).values_list("value", flat=True)) == [
        Decimal("60.00"), Decimal("95.00"),
    ]  # fmt: skip
    assert _rag(campus) == "green"
    page = campus.client("leadership").get(
        reverse("tracking:dashboard", args=[campus.world.plan.pk])
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert f'href="{reverse("students:enrolment")}" data-source="{target.pk}"' in html
    assert "15/10/2024" in html
    # The same count again writes no new reading.
    feeds.refresh(campus.world.school.pk, by=by)
    assert TargetReading.objects.filter(target=target).count() == 2


def test_a_change_of_status_and_an_import_feed_retention(campus: Campus) -> None:
    target, by = _target(campus), campus.users["leadership"]
    feeds.set_feed(target, measure="retention", programme=campus.preschool, year=2023, by=by)
    target.refresh_from_db()
    # 6 entered K1; one withdrew, one is suspended (still enrolled): 5 of 6
    assert target.actual_value == Decimal("83.30")
    services.record_change(
        campus.students[2], kind="withdrawn", happened_on=dt.date(2025, 3, 1),
        reason="family", by=by,
    )  # fmt: skip
    target.refresh_from_db()
    assert target.actual_value == Decimal("66.70")
    data = workbook("Thay đổi tình trạng", CHANGE_HEADER, [
        ["SV003", "", "", "Thôi học", "01/04/2025", "Gia đình", ""],
        ["SV004", "", "", "Chuyển trường", "02/04/2025", "Học nơi khác, ngành khác", ""],
    ])  # fmt: skip
    count = TargetReading.objects.filter(target=target).count()
    excel.import_changes(campus.world.school, data, by=by)
    target.refresh_from_db()
    assert target.actual_value == Decimal("33.30")
    assert TargetReading.objects.filter(target=target).count() == count + 1  # once per import


def test_a_typed_value_on_a_fed_target_is_refused_saying_where_it_comes_from(
    campus: Campus,
) -> None:
    target, world = _target(campus), campus.world
    feeds.set_feed(target, measure="enrolled", year=2024, by=campus.users["leadership"])
    with pytest.raises(TrackingError, match="lấy số liệu tự động từ Người học – Số nhập học"):
        submit_checkin(
            world.task, by=campus.users["leadership"], unit=world.faculty,
            data=CheckInData(progress=50, done="Đã tuyển", confidence="high",
                             actual_value=Decimal("99")),
            on=dt.date(2024, 10, 1),
        )  # fmt: skip
    assert sources.source_of(target) is not None
    feeds.set_feed(target, measure="", by=campus.users["leadership"])  # typed again
    assert sources.source_of(target) is None
    submit_checkin(
        world.task, by=campus.users["leadership"], unit=world.faculty,
        data=CheckInData(progress=50, done="Đã tuyển", confidence="high",
                         actual_value=Decimal("99")),
        on=dt.date(2024, 10, 1),
    )  # fmt: skip
    target.refresh_from_db()
    assert target.actual_value == Decimal("99")


@pytest.mark.parametrize(
    ("measure", "kwargs", "says"),
    [
        ("nothing", {}, "Không có số liệu"),
        ("enrolment_fill", {}, "Cần chọn năm tuyển sinh"),
        ("enrolment_fill", {"year": 1200}, "Năm không hợp lệ"),
    ],
)
def test_a_wrong_choice_is_refused(campus: Campus, measure: str, kwargs: Any, says: str) -> None:
    with pytest.raises(feeds.FeedError, match=says):
        feeds.set_feed(
            campus.world.target, measure=measure, by=campus.users["leadership"], **kwargs
        )
    assert not TargetFeed.objects.exists()


def test_every_measure_answers_for_the_campus(campus: Campus) -> None:
    school = campus.world.school.pk
    day = dt.date(2025, 10, 1)
    found = {m.key: m.compute(school, None, 2024, day) for m in measures.all_measures()}
    assert found["enrolment_fill"].value == Decimal("60.0")  # type: ignore[union-attr]
    assert found["enrolled"].value == 60  # type: ignore[union-attr]
    assert found["scale"].value == 8  # type: ignore[union-attr]  # 10 − withdrawn − expelled
    # school year 2024–25: 10 enrolled on 1/9/2024 less the one who withdrew in 1/2024 → 9;
    # one expelled in 2/2025
    assert found["dropout_rate"].value == Decimal("11.1")  # type: ignore[union-attr]


ROLES_FEED = {
    "anonymous": 302, "outsider": 404, "officer": 404, "staff": 403, "adviser": 403,
    "faculty_head": 403, "records": 403, "leadership": 302,
}  # fmt: skip


@pytest.mark.parametrize("role", list(ROLES_FEED))
def test_only_the_leadership_chooses_a_figure(campus: Campus, role: str) -> None:
    target = campus.world.target
    response = campus.client(role).post(
        reverse("students:target_feed", args=[target.pk]),
        {f"t{target.pk}-measure": "enrolment_fill", f"t{target.pk}-year": "2024"},
    )
    assert response.status_code == ROLES_FEED[role]
    assert TargetFeed.objects.filter(target=target).exists() == (role == "leadership")


@pytest.mark.parametrize(
    "role",
    [
        "anonymous",
        "outsider",
        "officer",
        "staff",
        "adviser",
        "faculty_head",
        "records",
        "leadership",
    ],
)
def test_the_targets_page_for_every_role(campus: Campus, role: str) -> None:
    feeds.set_feed(
        campus.world.target, measure="enrolled", year=2024, by=campus.users["leadership"]
    )
    response = campus.client(role).get(reverse("students:targets"))
    assert response.status_code == (302 if role == "anonymous" else 200)
    html = response.content.decode()
    # Another school's leader and the Sở see their own organisation: no plan of this school.
    assert ("Người học – Số nhập học – 2024" in html) == (
        role not in ("anonymous", "outsider", "officer")
    )
    assert (f"t{campus.world.target.pk}-measure" in html) == (role == "leadership")


@pytest.mark.parametrize("bad", [{"x-measure": "1"}, {"t0-year": "abc"}])
def test_bad_input_is_no_500(campus: Campus, bad: dict[str, str]) -> None:
    target = campus.world.target
    data = {
        k.replace("x", f"t{target.pk}").replace("t0", f"t{target.pk}"): v for k, v in bad.items()
    }
    response = campus.client("leadership").post(
        reverse("students:target_feed", args=[target.pk]), data
    )
    assert response.status_code == 302
    response = campus.client("leadership").get(reverse("students:targets") + "?plan=abc")
    assert response.status_code == 200


def test_the_checkin_form_says_the_value_comes_from_the_figures(campus: Campus) -> None:
    world = campus.world
    feeds.set_feed(world.target, measure="enrolled", year=2024, by=campus.users["leadership"])
    url = reverse("tracking:checkin_create", args=[world.task.pk])
    html = campus.client("leadership").get(url).content.decode()
    assert "Lấy tự động từ Người học – Số nhập học – 2024" in html
    # A value posted all the same is ignored (the field is disabled), the target keeps its figure
    response = campus.client("leadership").post(
        url,
        {"unit": world.faculty.pk, "progress": 40, "done": "Đã tuyển", "confidence": "high",
         "actual_value": "999", "version": world.task.version},
    )  # fmt: skip
    assert response.status_code in (200, 302)
    world.target.refresh_from_db()
    assert world.target.actual_value == Decimal("60.00")


def test_refreshing_costs_the_same_with_more_students(campus: Campus) -> None:
    by = campus.users["leadership"]
    for measure, year in (("retention", 2023), ("dropout_rate", 2024), ("scale", None)):
        target = Target.objects.create(
            plan=campus.world.plan, area=campus.world.area, name=measure, code=measure[:10]
        )
        feeds.set_feed(target, measure=measure, year=year, by=by)
    school = campus.world.school.pk
    with CaptureQueriesContext(connection) as few:
        assert feeds.refresh(school, by=by) == 0
    for index in range(25):
        services.save_student(
            Student(school=campus.world.school, cohort=campus.k1, code=f"SVY{index:02d}",
                    full_name=f"Lăng Văn Thêm {index}", birth_date=dt.date(2005, 3, 1),
                    entered_on=campus.k1.starts_on),
            by=by,
        )  # fmt: skip
    # each new student moved the training scale at once (8 enrolled before, 33 now)
    assert Target.objects.get(name="scale").actual_value == Decimal("33.00")
    with CaptureQueriesContext(connection) as many:
        assert feeds.refresh(school, by=by) == 0
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
