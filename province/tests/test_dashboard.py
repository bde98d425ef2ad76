"""The province dashboard: each school's figures from its issued plan (as the school's own dashboard
counts them), its targets not met, its punctuality on the Sở's requests and the domains' summaries;
the same number of queries for 3 schools or 30; the lists behind the figures only when the school
shares them; a draft plan is the school's own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.clock import today
from organisations.models import Organisation
from planning import services as plan_services
from planning.models import Plan, PlanStatus, Target, Task
from planning.status import Rag, default_day
from province import dashboard, reporting
from province.models import DirectedSchool, ReportRequest, SchoolLevel
from province.tests.conftest import Province
from province.tests.requests import ask_semester, issued_semester, moment
from tracking import summaries
from tracking.target_figures import rag_of
from tracking.task_figures import headline, scope


@pytest.fixture
def tracked(province: Province) -> Province:
    """The world's plan issued with its progress (reports' helpers) and a target far from met;
    the sơ kết asked of the colleges and submitted on time by the world's school."""
    world = province.world
    report = issued_semester(province)
    # Set as its readings would (the plan is issued, locked for plain edits).
    Target.objects.create(
        plan=world.plan, area=world.area, code="CT09", name="Số đề tài nghiệm thu",
        unit_of_measure="đề tài", target_value=Decimal("10"), actual_value=Decimal("1"),
        actual_on=dt.date(2024, 1, 5),
    )  # fmt: skip
    asked = ask_semester(province)
    reporting.submit(
        asked, world.school, by=world.users["clerk"], paper=report, at=moment(dt.date(2024, 1, 10))
    )
    return province


def _row(rows: list[dashboard.SchoolRow], school: Organisation) -> dashboard.SchoolRow:
    return next(row for row in rows if row.school.pk == school.pk)


def test_each_schools_figures_are_its_own_dashboards(tracked: Province) -> None:
    world = tracked.world
    rows = dashboard.rows(tracked.sgd.pk, today())
    assert [row.school.pk for row in rows] == [
        world.school.pk,
        tracked.college.pk,
        world.other_school.pk,
    ]
    ours = _row(rows, world.school)
    on = default_day(world.plan, today())
    expected = headline(scope(world.plan), on)
    assert ours.plan == world.plan and ours.on == on
    assert ours.headline["done_rate"] == expected["done_rate"] is not None
    assert ours.headline["on_time_rate"] == expected["on_time_rate"]
    assert ours.overdue == scope(world.plan).overdue(on=on).count() > 0
    assert ours.task_total == scope(world.plan).count()
    states = [rag_of(t) for t in Target.objects.filter(plan=world.plan, archived_at__isnull=True)]
    assert ours.targets["red"] == states.count(Rag.RED) == 1
    assert ours.targets["green"] == states.count(Rag.GREEN)
    assert (ours.reports_due, ours.reports_on_time) == (1, 1)
    theirs = _row(rows, tracked.college)
    assert theirs.plan is None and theirs.task_total == 0 and theirs.headline == {}
    # The second college was asked and has not answered, its deadline long past.
    assert (theirs.reports_due, theirs.reports_on_time) == (1, 0)


def test_a_draft_plan_is_the_schools_own(tracked: Province) -> None:
    college = tracked.college
    by = tracked.world.users["leadership"]
    plan = plan_services.create_plan(
        school=college, start_year=2023, title="Kế hoạch nháp của trường", by=by
    )
    plan_services.save_plan_object(Task(plan=plan, title="Nhiệm vụ dự thảo"), by=by)
    row = _row(dashboard.rows(tracked.sgd.pk, today()), college)
    assert row.plan is None and row.task_total == 0
    html = tracked.client("officer").get(reverse("province:dashboard")).content.decode()
    assert "Nhiệm vụ dự thảo" not in html and "Kế hoạch nháp của trường" not in html


def test_the_page_shows_the_figures_and_the_summaries_registered(
    tracked: Province, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = tracked.world
    fake = summaries.Summary(
        "test_fill",
        "Nhập học so với chỉ tiêu (thử)",
        lambda ids, day: {world.school.pk: summaries.Figure("88,5% (2023)", alert=True)},
    )
    monkeypatch.setitem(summaries._summaries, fake.key, fake)
    html = tracked.client("officer").get(reverse("province:dashboard")).content.decode()
    table = html.split('id="province-schools"')[1].split("</table>")[0]
    ours = table.split(f'data-school="{world.school.pk}"')[1].split("</tr>")[0]
    row = _row(dashboard.rows(tracked.sgd.pk, today()), world.school)
    assert f"{row.headline['done_rate']}".replace(".", ",") in ours
    assert '<span class="badge text-bg-danger">1</span>' in ours
    assert "100% <span" in ours  # reports on time: 1 of 1
    assert "Nhập học so với chỉ tiêu (thử)" in table
    assert 'class="text-danger">88,5% (2023)</span>' in ours
    theirs = table.split(f'data-school="{tracked.college.pk}"')[1].split("</tr>")[0]
    assert "Chưa ban hành" in theirs
    # Names of tasks, targets and people are not on it.
    assert world.task.title not in html and "Số đề tài nghiệm thu" not in html
    assert world.people["staff"].full_name not in html


def test_the_lists_behind_the_figures_only_when_the_school_shares_them(
    tracked: Province,
) -> None:
    world = tracked.world
    client = tracked.client("officer")
    url = reverse("province:school_detail", args=[world.school.pk])
    html = client.get(url).content.decode()
    assert 'id="not-shared"' in html and 'id="shared"' not in html
    assert "Tổng kết thi học kỳ" not in html and "Số đề tài nghiệm thu" not in html
    assert "Báo cáo sơ kết học kỳ I năm học 2023–2024" in html and "Nộp đúng hạn" in html
    entry = DirectedSchool.objects.get(body=tracked.sgd, school=world.school)
    reporting.set_sharing(entry, True, by=world.users["leadership"])
    html = client.get(url).content.decode()
    shared = html.split('id="shared"')[1]
    assert "3. Tổng kết thi học kỳ" in shared.split('id="shared-red"')[0]
    assert "CT09. Số đề tài nghiệm thu" in shared.split('id="shared-red"')[1]
    # Still no page of the school's own.
    assert client.get(reverse("planning:task_detail", args=[world.task.pk])).status_code == 404
    reporting.set_sharing(entry, False, by=world.users["leadership"])
    assert 'id="not-shared"' in client.get(url).content.decode()
    assert entry.history.count() == 3


def _more_schools(province: Province, count: int) -> None:
    """Schools of the Sở, each with an issued plan, a task overdue, a target and a request."""
    for n in range(count):
        school = Organisation.objects.create(name=f"Trường THPT Số {n}", kind="school")
        DirectedSchool.objects.create(
            body=province.sgd, school=school, level=SchoolLevel.UPPER_SECONDARY
        )
        plan = Plan.objects.create(
            school=school, start_year=2023, title=f"Kế hoạch {n}", status=PlanStatus.ISSUED
        )
        Task.objects.create(plan=plan, title=f"Nhiệm vụ {n}", due_date=dt.date(2023, 10, 1))
        Target.objects.create(
            plan=plan, name="Tỷ lệ", unit_of_measure="%", target_value=Decimal("90"),
            actual_value=Decimal(str(50 + n)),
        )  # fmt: skip


def _queries(province: Province) -> int:
    client = province.client("officer")
    client.get(reverse("province:dashboard"))  # sessions, caches warmed
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("province:dashboard"))
    assert response.status_code == 200
    return len(captured)


def test_the_dashboard_costs_the_same_for_3_schools_or_30(tracked: Province) -> None:
    few = _queries(tracked)
    _more_schools(tracked, 27)
    assert len(dashboard.rows(tracked.sgd.pk, today())) == 30
    assert _queries(tracked) == few


def test_a_requests_page_costs_the_same_for_3_schools_or_30(tracked: Province) -> None:
    few = ReportRequest.objects.get()  # asked of the two colleges, one submitted
    _more_schools(tracked, 27)
    many = reporting.create_request(
        tracked.sgd, kind="targets", title="Số liệu tuyển sinh", start_year=2023,
        deadline=dt.date(2024, 1, 15), targets=["Tỷ lệ"], audience="all",
        by=tracked.users["officer"], at=moment(dt.date(2023, 12, 20)),
    )  # fmt: skip
    for school in Organisation.objects.filter(name__startswith="Trường THPT Số")[:20]:
        reporting.submit(many, school, by=tracked.users["officer"], at=moment(dt.date(2024, 1, 9)))
    client = tracked.client("officer")

    def queries(asked: ReportRequest) -> int:
        url = reverse("province:request_detail", args=[asked.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    assert many.recipients.count() == 30
    assert queries(few) == queries(many)


def test_on_a_phone_each_school_is_a_card_with_its_figures_named(tracked: Province) -> None:
    """The table stacks on a phone (app.css .tt-stack-sm): every figure's cell carries its
    column's name, the school's name stands alone."""
    import re

    html = tracked.client("officer").get(reverse("province:dashboard")).content.decode()
    table = (
        html.split('id="province-schools"')[0].rsplit("<table", 1)[1]
        + html.split('id="province-schools"')[1].split("</table>")[0]
    )
    assert "tt-stack-sm" in table
    row = table.split(f'data-school="{tracked.world.school.pk}"')[1].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>", row)
    headers = re.findall(r'<th[^>]*role="columnheader"[^>]*>([^<]*)</th>', table)
    assert len(cells) == len(headers) > 8
    assert "data-label" not in cells[0]
    labels = [re.search(r'data-label="([^"]*)"', cell) for cell in cells[1:]]
    assert [label[1] if label else None for label in labels] == [h.strip() for h in headers[1:]]
