"""The merger pages for every role: the Sở's officer and the administrator preview, run dry and
confirm; a plain member of the Sở sees the list only; a school's leadership (old or new), its
staff and another school's leader get 403; anonymous users go to the login. After the merger the
old school's pages say where it went, for its former staff and for the new school's leadership,
and stay readable; nobody gets a 500 for a bad query string or a forged form."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from conftest import make_person
from organisations import merging
from organisations.models import Organisation, Role
from planning.models import Task
from province.models import SchoolChange
from province.tests.conftest import Province

OK, LOGIN, FORBIDDEN, NOT_FOUND, BAD = 200, 302, 403, 404, 400

ROLES = [
    "anonymous", "officer", "sgd_member", "admin", "leadership", "new_leader", "staff", "outsider",
]  # fmt: skip
NO = FORBIDDEN
LIST = dict(zip(ROLES, (LOGIN, OK, OK, OK, NO, NO, NO, NO), strict=True))
MERGE = dict(zip(ROLES, (LOGIN, OK, NO, OK, NO, NO, NO, NO), strict=True))

FORM = {
    "effective_on": "27/08/2025",
    "decision_number": "1234",
    "decision_issuer_code": "UBND",
    "decision_issued_on": "20/08/2025",
    "decision_issuer_name": "Chủ tịch Ủy ban nhân dân tỉnh Mẫu",
    "decision_summary": "Về việc sáp nhập Trường Cao đẳng Mẫu",
}


@pytest.fixture
def users(province: Province) -> dict[str, Any]:
    _person, new_leader = make_person(
        province.college, province.college, "Lương Văn Tân", "new_leader", "Hiệu trưởng",
        Role.LEADERSHIP,
    )  # fmt: skip
    admin = get_user_model().objects.create_superuser(username="quantri", password="x-quantri")
    return {
        **province.users,
        **province.world.users,
        "new_leader": new_leader,
        "admin": admin,
    }


def _client(users: dict[str, Any], role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    return client


def _merge_url(province: Province, into: bool = True) -> str:
    url = reverse("province:school_merge", args=[province.world.school.pk])
    return f"{url}?into={province.college.pk}" if into else url


@pytest.mark.parametrize("role", ROLES)
def test_merger_list_per_role(province: Province, users: dict[str, Any], role: str) -> None:
    response = _client(users, role).get(reverse("province:merger_list"))
    assert response.status_code == LIST[role]
    if role in ("officer", "admin"):
        assert _merge_url(province, into=False) in response.content.decode()
    if role == "sgd_member":
        assert _merge_url(province, into=False) not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_merge_page_per_role(province: Province, users: dict[str, Any], role: str) -> None:
    response = _client(users, role).get(_merge_url(province))
    assert response.status_code == MERGE[role]
    if response.status_code == OK:
        page = response.content.decode()
        assert 'data-key="tasks"' in page and "Phòng Đào tạo" in page
        assert "Xác nhận sáp nhập" in page
    posted = _client(users, role).post(_merge_url(province), {**FORM, "action": "confirm"})
    assert posted.status_code in ({LOGIN} if role == "anonymous" else {FORBIDDEN, LOGIN})
    if MERGE[role] != OK:
        assert merging.absorbed_by(province.world.school.pk) is None


def test_dry_run_then_confirm(province: Province, users: dict[str, Any]) -> None:
    client = _client(users, "officer")
    tasks = Task.objects.count()
    response = client.post(_merge_url(province), {**FORM, "action": "preview"})
    assert response.status_code == OK
    page = response.content.decode()
    assert 'id="dry-run"' in page and "Chạy thử (chưa ghi gì)" in page
    assert Task.objects.count() == tasks and not SchoolChange.objects.exists()

    response = client.post(_merge_url(province), {**FORM, "action": "confirm"})
    assert response.status_code == LOGIN
    assert response["Location"] == reverse("province:merger_list")
    change = SchoolChange.objects.get()
    assert change.moved["tasks"] == 3 and change.moved["staff"] == 4
    listing = client.get(reverse("province:merger_list")).content.decode()
    assert "3 nhiệm vụ, 4 cán bộ, 0 người học" in listing

    # The page of a merged school says so and takes no second merger.
    again = client.get(_merge_url(province))
    assert again.status_code == OK and 'id="merged-notice"' in again.content.decode()
    assert "Quyết định số 1234/QĐ-UBND ngày 20/08/2025" in again.content.decode()
    refused = client.post(_merge_url(province), {**FORM, "action": "confirm"})
    assert refused.status_code == BAD
    assert SchoolChange.objects.count() == 1


def test_merging_into_a_new_school_from_the_page(province: Province, users: dict[str, Any]) -> None:
    response = _client(users, "admin").post(
        _merge_url(province, into=False),
        {**FORM, "new_name": "Trường Cao đẳng Hợp nhất", "action": "confirm"},
    )
    assert response.status_code == LOGIN
    assert Organisation.objects.get(name="Trường Cao đẳng Hợp nhất").kind == "school"


def test_form_errors_are_in_vietnamese(province: Province, users: dict[str, Any]) -> None:
    client = _client(users, "officer")
    response = client.post(_merge_url(province, into=False), {"action": "confirm"})
    assert response.status_code == BAD
    page = response.content.decode()
    assert "Hãy ghi tên trường tiếp nhận" in page
    assert not SchoolChange.objects.exists()
    forged = client.post(
        _merge_url(province),
        {**FORM, f"unit_{province.world.office.pk}": "999999", "action": "confirm"},
    )
    assert forged.status_code == BAD
    assert not SchoolChange.objects.exists()
    # The same day a merger from the same school, refused by the service: the message shows.
    wrong = client.post(
        _merge_url(province),
        {**FORM, "decision_issued_on": "", "action": "preview"},
    )
    assert wrong.status_code == BAD


@pytest.mark.parametrize(
    "query",
    ["?into=abc", "?into=-1", "?into=99999999999999999999999", "?into=%00", "?into=", "?x=1"],
)
def test_bad_query_strings(province: Province, users: dict[str, Any], query: str) -> None:
    url = reverse("province:school_merge", args=[province.world.school.pk]) + query
    client = _client(users, "officer")
    assert client.get(url).status_code == OK
    assert client.post(url, {"action": "preview"}).status_code == BAD


def test_not_a_school_is_not_found(province: Province, users: dict[str, Any]) -> None:
    client = _client(users, "officer")
    for pk in (province.world.office.pk, 999999):
        assert client.get(reverse("province:school_merge", args=[pk])).status_code == NOT_FOUND
    # A school the Sở does not direct: not the officer's to merge.
    stranger = Organisation.objects.create(name="Trường Lạ", kind="school")
    assert client.get(reverse("province:school_merge", args=[stranger.pk])).status_code == 403


@pytest.fixture
def merged(province: Province, users: dict[str, Any]) -> Province:
    response = _client(users, "officer").post(_merge_url(province), {**FORM, "action": "confirm"})
    assert response.status_code == LOGIN
    return province


def _pages(province: Province) -> list[str]:
    world = province.world
    return [
        reverse("home"),
        reverse("planning:plan_list"),
        reverse("planning:plan_detail", args=[world.plan.pk]),
        reverse("planning:task_detail", args=[world.task.pk]),
        reverse("organisations:tree"),
        reverse("organisations:person_list"),
        reverse("documents:document_list"),
        reverse("tracking:home"),
        reverse("students:home"),
    ]


@pytest.mark.parametrize("role", ["staff", "leadership", "new_leader"])
def test_old_school_stays_readable_with_the_notice(
    merged: Province, users: dict[str, Any], role: str
) -> None:
    world = merged.world
    client = _client(users, role)
    switched = client.post(reverse("organisations:switch"), {"organisation": world.school.pk})
    assert switched.status_code == LOGIN
    for url in _pages(merged):
        response = client.get(url, follow=True)
        assert response.status_code == OK, url
        page = response.content.decode()
        assert "đã sáp nhập vào Trường Cao đẳng Thứ Hai theo Quyết định số 1234/QĐ-UBND" in page
    task_page = client.get(reverse("planning:task_detail", args=[world.task.pk])).content.decode()
    assert world.task.title in task_page
    assert (
        "Đã chuyển sang" in task_page
        and "Trường Cao đẳng Thứ Hai (kế hoạch năm học 2025–2026)" in task_page
    )
    # Nothing new in the old school.
    response = client.post(
        reverse("planning:plan_create"), {"start_year": 2025, "title": "Kế hoạch mới"}
    )
    assert response.status_code in (BAD, FORBIDDEN, OK)
    assert not world.school.plans.filter(start_year=2025).exists()


def test_the_new_school_sees_the_moved_data_and_not_the_old(
    merged: Province, users: dict[str, Any]
) -> None:
    world = merged.world
    client = _client(users, "staff")  # works in the new school by default now
    copy = Task.objects.get(carried_from=world.task)
    page = client.get(reverse("planning:task_detail", args=[copy.pk]))
    assert page.status_code == OK
    assert "đã sáp nhập" not in page.content.decode()
    assert "(Trường Cao đẳng Mẫu, năm học 2023–2024)" in page.content.decode()
    assert client.get(reverse("planning:task_detail", args=[world.task.pk])).status_code == 404


def test_an_outsider_cannot_open_the_old_school(merged: Province, users: dict[str, Any]) -> None:
    client = _client(users, "outsider")
    response = client.post(
        reverse("organisations:switch"), {"organisation": merged.world.school.pk}
    )
    assert response.status_code == NOT_FOUND
    plan = merged.world.plan
    assert client.get(reverse("planning:plan_detail", args=[plan.pk])).status_code == 404


def test_merger_history_on_the_old_school(merged: Province, users: dict[str, Any]) -> None:
    change = SchoolChange.objects.get()
    assert change.history.latest().history_change_reason.startswith("Sáp nhập")
    assert change.effective_on == dt.date(2025, 8, 27)


READER_PAGES = [
    ("conferences:list", []),
    ("workload:home", []),
    ("emulation:home", []),
    ("emulation_evidence:index", []),
    ("residence:home", []),
    ("training:home", []),
    ("papers:my_templates", []),
    ("organisations:person_list", []),
    ("documents:document_list", []),
]


@pytest.mark.parametrize("role", ["new_leader", "staff"])
@pytest.mark.parametrize(("name", "args"), READER_PAGES)
def test_every_page_of_the_old_school_answers_without_error(
    merged: Province, users: dict[str, Any], role: str, name: str, args: list[Any]
) -> None:
    """The new school's leader reads the old school without a staff record there; a former
    staff member with no position left: no page fails for either."""
    client = _client(users, role)
    client.post(reverse("organisations:switch"), {"organisation": merged.world.school.pk})
    response = client.get(reverse(name, args=args), follow=True)
    assert response.status_code in (OK, FORBIDDEN), name
    assert response.redirect_chain == [] or response.redirect_chain[-1][1] == 302


def test_the_merger_list_costs_the_same_for_more_schools(
    province: Province, users: dict[str, Any]
) -> None:
    """Which schools were merged away is read once, not asked school by school."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from province.models import DirectedSchool

    client = _client(users, "officer")
    url = reverse("province:merger_list")
    client.get(url)  # the session and the membership

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = cost()
    for number in range(12):
        school = Organisation.objects.create(name=f"Trường Cao đẳng Số {number}", kind="school")
        DirectedSchool.objects.create(body=province.sgd, school=school, level="college")
    listing = client.get(url).content.decode()
    assert "Trường Cao đẳng Số 11" in listing
    assert cost() == before
