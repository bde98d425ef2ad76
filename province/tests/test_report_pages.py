"""Every page of report requests and of the province dashboard for every role: anonymous → login;
the Sở's officer sees and acts; a plain member of the Sở sees; a school's leadership and staff see
their own school's requests (the leadership and clerks submit); another school sees nothing of
this one. A Sở officer reads the province's figures and the reports submitted to it, never a
school's draft, task page or staff's personal data; no page answers 500 to bad input."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from province import reporting
from province.models import ReportRequest, Submission
from province.tests.conftest import ROLES, Province
from province.tests.requests import ask_semester, college_principal, issued_semester, moment
from reports.models import Report
from reports.tests.helpers import CUTOFF

OK, LOGIN, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404


@dataclass
class Scene:
    province: Province
    asked: ReportRequest
    report: Report
    submission: Submission
    draft: Report


@pytest.fixture
def scene(province: Province) -> Scene:
    """The sơ kết asked of both colleges; the world's school submitted its issued report; a draft
    year-end report of the school stays its own."""
    world = province.world
    report = issued_semester(province)
    draft = Report.objects.create(
        plan=world.plan, kind="year", period="year", period_start=world.plan.starts_on,
        cutoff=CUTOFF, situation="Dự thảo tổng kết: chỉ của trường",
    )  # fmt: skip
    asked = ask_semester(province)
    submission = reporting.submit(
        asked, world.school, by=world.users["clerk"], paper=report, at=moment(dt.date(2024, 1, 10))
    )
    return Scene(province, asked, report, submission, draft)


# anonymous, officer, sgd_member, leadership, staff, outsider (another school's leader)
SGD_PAGE = (LOGIN, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)
SGD_ASKS = (LOGIN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)
SCHOOL_PAGE = (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK)
ADDRESSED = (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, NOT_FOUND)
FILE = (LOGIN, OK, OK, OK, OK, NOT_FOUND)

PAGES: list[tuple[str, Callable[[Scene], str], tuple[int, ...]]] = [
    ("requests", lambda s: reverse("province:request_list"), SGD_PAGE),
    ("new request", lambda s: reverse("province:request_create"), SGD_ASKS),
    ("request", lambda s: reverse("province:request_detail", args=[s.asked.pk]), SGD_PAGE),
    ("export", lambda s: reverse("province:request_export", args=[s.asked.pk]), SGD_PAGE),
    ("dashboard", lambda s: reverse("province:dashboard"), SGD_PAGE),
    (
        "school",
        lambda s: reverse("province:school_detail", args=[s.province.world.school.pk]),
        SGD_PAGE,
    ),
    ("inbox", lambda s: reverse("province:inbox"), SCHOOL_PAGE),
    ("received", lambda s: reverse("province:inbox_detail", args=[s.asked.pk]), ADDRESSED),
    ("file", lambda s: reverse("province:submission_file", args=[s.submission.pk]), FILE),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "address", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_for_role(
    scene: Scene, role: str, name: str, address: Any, expected: tuple[int, ...]
) -> None:
    response = scene.province.client(role).get(address(scene))
    assert response.status_code == expected[ROLES.index(role)], f"{name} as {role}"
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_the_sgd_sees_each_schools_state_dates_and_figures_side_by_side(scene: Scene) -> None:
    world = scene.province.world
    html = (
        scene.province.client("officer")
        .get(reverse("province:request_detail", args=[scene.asked.pk]))
        .content.decode()
    )
    table = html.split('id="standings"')[1].split("</table>")[0]
    ours = table.split(f'data-school="{world.school.pk}"')[1].split("</tr>")[0]
    theirs = table.split(f'data-school="{scene.province.college.pk}"')[1].split("</tr>")[0]
    assert 'data-state="on_time"' in table and "Nộp đúng hạn" in ours
    assert "10/01/2024" in ours and "Số 01/BC-CĐM ngày 05/01/2024" in ours
    assert scene.report.snapshot["on_time_rate"] + "%" in ours
    assert "Chưa nộp" in theirs
    assert "Tỷ lệ hoàn thành đúng hạn" in table.split("</thead>")[0]
    # The school's draft, its tasks and its people are not there.
    assert "Dự thảo tổng kết" not in html and world.task.title not in html
    assert world.people["staff"].full_name not in html


def test_the_excel_export_lays_the_schools_side_by_side(scene: Scene) -> None:
    response = scene.province.client("sgd_member").get(
        reverse("province:request_export", args=[scene.asked.pk])
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert header[:4] == ["STT", "Trường", "Cấp học, loại trường", "Tình trạng"]
    assert "Tỷ lệ hoàn thành đúng hạn" in header
    ours = rows[scene.province.world.school.name]
    assert ours[3] == "Nộp đúng hạn" and ours[4] == 1
    assert (
        ours[header.index("Tỷ lệ hoàn thành đúng hạn")]
        == scene.report.snapshot["on_time_rate"] + "%"
    )
    assert rows[scene.province.college.name][3] == "Chưa nộp"


def test_a_sgd_officer_opens_no_schools_draft_task_or_staff(scene: Scene) -> None:
    world = scene.province.world
    client = scene.province.client("officer")
    for url in (
        reverse("reports:report_detail", args=[scene.draft.pk]),
        reverse("reports:report_detail", args=[scene.report.pk]),
        reverse("planning:task_detail", args=[world.task.pk]),
        reverse("organisations:person_detail", args=[world.people["staff"].pk]),
        reverse("papers:download", args=["report_semester", scene.report.pk, "docx"]),
    ):
        assert client.get(url).status_code in (FORBIDDEN, NOT_FOUND), url


def test_another_school_sees_nothing_of_this_one(scene: Scene) -> None:
    """The second college was asked too: it sees the request and its own state, not the world
    school's submission, its file, or the Sở's table."""
    client = scene.province.client("anonymous")
    client.force_login(college_principal(scene.province))
    page = client.get(reverse("province:inbox_detail", args=[scene.asked.pk]))
    html = page.content.decode()
    assert page.status_code == OK and "Chưa nộp" in html
    assert "01/BC-CĐM" not in html and scene.province.world.school.name not in html
    file = reverse("province:submission_file", args=[scene.submission.pk])
    assert client.get(file).status_code == NOT_FOUND
    detail = reverse("province:request_detail", args=[scene.asked.pk])
    assert client.get(detail).status_code == FORBIDDEN


@pytest.mark.parametrize("role", ROLES[1:])
def test_only_the_schools_leadership_and_clerks_submit(scene: Scene, role: str) -> None:
    url = reverse("province:inbox_submit", args=[scene.asked.pk])
    paper = reporting.issued_papers(scene.asked, scene.province.world.school.pk)[0]
    response = scene.province.client(role).post(url, {"paper": paper.pk})
    count = Submission.objects.filter(request=scene.asked).count()
    expected = {"leadership": 302, "outsider": NOT_FOUND}.get(role, FORBIDDEN)
    assert response.status_code == expected
    assert count == (2 if role == "leadership" else 1)


def test_the_clerk_submits_from_the_page(scene: Scene) -> None:
    client = scene.province.world.client("clerk")
    paper = reporting.issued_papers(scene.asked, scene.province.world.school.pk)[0]
    response = client.post(
        reverse("province:inbox_submit", args=[scene.asked.pk]),
        {"paper": paper.pk, "note": "Bổ sung phụ lục"},
        follow=True,
    )
    latest = Submission.objects.filter(request=scene.asked).order_by("-number").first()
    assert latest is not None and (latest.number, latest.note) == (2, "Bổ sung phụ lục")
    assert "Lần 2" in response.content.decode()


@pytest.mark.parametrize("role", ["officer", "sgd_member", "leadership", "staff", "outsider"])
def test_only_the_sgds_officer_returns_a_submission(scene: Scene, role: str) -> None:
    response = scene.province.client(role).post(
        reverse("province:submission_return", args=[scene.submission.pk]),
        {"reason": "Thiếu số liệu"},
    )
    scene.submission.refresh_from_db()
    if role == "officer":
        assert response.status_code == 302 and scene.submission.return_reason == "Thiếu số liệu"
    else:
        assert response.status_code in (FORBIDDEN, NOT_FOUND)
        assert not scene.submission.is_returned


@pytest.mark.parametrize("role", ["officer", "staff", "outsider", "leadership"])
def test_only_the_schools_leadership_grants_the_lists(scene: Scene, role: str) -> None:
    from province.models import DirectedSchool

    entry = DirectedSchool.objects.get(body=scene.province.sgd, school=scene.province.world.school)
    response = scene.province.client(role).post(
        reverse("province:share", args=[entry.pk]), {"shares": "1"}
    )
    entry.refresh_from_db()
    if role == "leadership":
        assert response.status_code == 302 and entry.shares_details
    else:
        assert response.status_code in (FORBIDDEN, NOT_FOUND) and not entry.shares_details


def test_the_officer_asks_from_the_form(province: Province) -> None:
    deadline = (dt.date.today() + dt.timedelta(days=20)).strftime("%d/%m/%Y")
    response = province.client("officer").post(
        reverse("province:request_create"),
        {"kind": "targets", "title": "Số liệu tuyển sinh", "start_year": "2023",
         "deadline": deadline, "targets": "Tỷ lệ tuyển sinh\n\nCT02\n", "audience": "list",
         "schools": [province.college.pk]},
    )  # fmt: skip
    asked = ReportRequest.objects.get()
    assert response.status_code == 302
    assert asked.targets == ["Tỷ lệ tuyển sinh", "CT02"]
    assert list(asked.recipients.values_list("school_id", flat=True)) == [province.college.pk]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "targets", "title": "X", "start_year": "2023", "deadline": "01/01/2099",
         "audience": "all", "targets": "  "},
        {"kind": "report_year", "title": "X", "start_year": "abc", "deadline": "31/02/2024",
         "audience": "all"},
        {"kind": "report_year", "title": "X", "start_year": "2023", "deadline": "01/01/2020",
         "audience": "all"},
        {"kind": "report_year", "title": "X", "start_year": "2023", "deadline": "01/01/2099",
         "audience": "list", "schools": ["999999"]},
    ],
)  # fmt: skip
def test_no_500_on_a_bad_request_form(province: Province, data: dict[str, Any]) -> None:
    response = province.client("officer").post(reverse("province:request_create"), data)
    # Nothing posted shows the empty form again; anything else, the form with its errors.
    assert response.status_code == (400 if data else 200)
    assert not ReportRequest.objects.exists()


@pytest.mark.parametrize(
    "query", ["?show=", "?show=nonsense", "?show=late", "?show=returned", "?show[]=1", "?show=%00"]
)
def test_no_500_on_bad_query_strings(scene: Scene, query: str) -> None:
    officer = scene.province.client("officer")
    pages = [
        reverse("province:request_detail", args=[scene.asked.pk]),
        reverse("province:request_list"),
        reverse("province:dashboard"),
        reverse("province:school_detail", args=[scene.province.world.school.pk]),
    ]
    for url in pages:
        assert officer.get(url + query).status_code == OK, url
    for sort in ("?sort=", "?sort=red", "?sort=done", "?sort=%00", "?sort=x&sort=y"):
        assert officer.get(reverse("province:dashboard") + sort).status_code == OK
    leader = scene.province.client("leadership")
    assert leader.get(reverse("province:inbox") + query).status_code == OK
    url = reverse("province:inbox_detail", args=[scene.asked.pk])
    assert leader.get(url + query).status_code == OK


@pytest.mark.parametrize(
    "data", [{}, {"paper": "x"}, {"paper": "999999"}, {"paper": "", "note": "n" * 2000}]
)
def test_no_500_on_a_bad_submission(scene: Scene, data: dict[str, Any]) -> None:
    response = scene.province.client("leadership").post(
        reverse("province:inbox_submit", args=[scene.asked.pk]), data
    )
    assert response.status_code == 302
    assert Submission.objects.filter(request=scene.asked).count() == 1


def test_no_500_on_a_bad_return_or_unknown_objects(scene: Scene) -> None:
    officer = scene.province.client("officer")
    url = reverse("province:submission_return", args=[scene.submission.pk])
    assert officer.post(url, {"reason": ""}).status_code == 302
    assert officer.post(url, {"reason": "x" * 2000}).status_code == 302
    scene.submission.refresh_from_db()
    assert not scene.submission.is_returned
    for name in ("request_detail", "request_export"):
        assert officer.get(reverse(f"province:{name}", args=[999999])).status_code == NOT_FOUND
    assert officer.get(reverse("province:school_detail", args=[999999])).status_code == NOT_FOUND
    other = reverse("province:school_detail", args=[scene.province.world.other_school.pk])
    assert officer.get(other).status_code == OK  # the Sở directs it (upper secondary)
    leader = scene.province.client("leadership")
    assert leader.get(reverse("province:inbox_detail", args=[999999])).status_code == NOT_FOUND
    share = reverse("province:share", args=[999999])
    assert leader.post(share, {"shares": "1"}).status_code == NOT_FOUND


def test_a_schools_page_costs_the_same_for_more_requests(scene: Scene) -> None:
    """The school's standing in each request asked of it is read at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer = scene.province.client("officer")
    url = reverse("province:school_detail", args=[scene.province.world.school.pk])
    officer.get(url)

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert officer.get(url).status_code == OK
        return len(queries)

    before = cost()
    for number in range(4):
        ask_semester(scene.province, title=f"Báo cáo chuyên đề số {number}")
    page = officer.get(url).content.decode()
    assert "Báo cáo chuyên đề số 3" in page
    assert cost() == before
