"""A past year's title by hand: the leadership or the clerk adds a person's titles of a year
before the campaign's, corrects them with a reason (history kept) or withdraws them (archived,
never deleted); the eligibility for CSTĐ cấp tỉnh/bộ reads what is in force. Bad input is refused
with a Vietnamese message, never a 500; nobody else may do it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from emulation.engine import Title
from emulation.models import Evaluation, Initiative, InitiativeAuthor, TitleHistory, TitleSource
from emulation.services import classification
from emulation.services import evaluations as evaluation_services
from emulation.services import records as record_services
from emulation.services.common import EmulationError
from emulation.tests.conftest import ASSESSMENT_DAY, Cycle

pytestmark = pytest.mark.django_db


def url(name: str, *args: object) -> str:
    return reverse(f"emulation:{name}", args=args)


def row_data(cycle: Cycle, **values: Any) -> dict[str, Any]:
    return {
        "person": str(cycle.people["staff"].pk),
        "start_year": "2022",
        "titles": ["LĐTT", "CSTĐCS"],
        "level": "HTT",
        "decision": "Quyết định số 95/QĐ-CĐ ngày 30/6/2023",
        "note": "",
        **values,
    }


def staff_titles(cycle: Cycle) -> tuple[Title, ...]:
    preview = classification.preview(cycle.fresh())
    row = next(r for r in preview.rows if r.evaluation.person_id == cycle.people["staff"].pk)
    assert row.result is not None
    return row.result.titles


@pytest.fixture
def candidate(cycle: Cycle) -> Cycle:
    """The staff member proposed HTT, with an initiative of province scope this year: CSTĐCS,
    and CSTĐ cấp bộ (the school is under the Bộ) once two CSTĐCS years come before."""
    cycle.clock.set(ASSESSMENT_DAY)
    evaluation_services.prepare_evaluations(cycle.campaign, by=cycle.users["leadership"])
    Evaluation.objects.filter(person=cycle.people["staff"]).update(
        self_level="HTT", unit_level="HTT", proposed_level="HTT", stage="unit_reviewed"
    )
    initiative = Initiative.objects.create(
        school=cycle.world.school,
        title="Học liệu số môn Toán",
        scope="province",
        start_year=2023,
        recognised_on=dt.date(2024, 5, 20),
        recognised_by="Sở Giáo dục và Đào tạo",
    )
    InitiativeAuthor.objects.create(initiative=initiative, person=cycle.people["staff"])
    return cycle


def test_past_titles_entered_by_hand_are_read_by_the_eligibility(candidate: Cycle) -> None:
    cycle = candidate
    assert staff_titles(cycle) == (Title.LDTT, Title.CSTDCS)
    clerk = cycle.client("clerk")
    page = clerk.get(url("title_create"))
    assert page.status_code == 200 and 'name="start_year"' in page.content.decode()
    for year in ("2021", "2022"):
        response = clerk.post(url("title_create"), row_data(cycle, start_year=year))
        assert response.status_code == 302, response.content.decode()[:2000]
    rows = list(TitleHistory.objects.filter(person=cycle.people["staff"]).order_by("start_year"))
    assert [(r.start_year, r.titles, r.source) for r in rows] == [
        (2021, ["LĐTT", "CSTĐCS"], TitleSource.ENTERED),
        (2022, ["LĐTT", "CSTĐCS"], TitleSource.ENTERED),
    ]
    assert staff_titles(cycle) == (Title.LDTT, Title.CSTDCS, Title.CSTD_MINISTRY)
    listing = cycle.client("staff").get(url("titles")).content.decode()
    assert "2021–2022" in listing and "Nhập tay" in listing
    assert "data-title-edit" not in listing  # a staff member only reads the list
    # Withdrawn: archived with its reason, no longer read; never deleted.
    first, second = rows
    response = cycle.client("leadership").post(
        url("title_withdraw", second.pk), {"reason": "Nhập nhầm năm học", "version": "1"}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.is_archived
    assert second.history.latest().history_change_reason == "Thu hồi: Nhập nhầm năm học"
    assert staff_titles(cycle) == (Title.LDTT, Title.CSTDCS)
    assert cycle.client("clerk").get(url("title_edit", second.pk)).status_code == 404
    # The year entered again (a new row: the withdrawn one stays as it was).
    assert clerk.post(url("title_create"), row_data(cycle)).status_code == 302
    assert staff_titles(cycle) == (Title.LDTT, Title.CSTDCS, Title.CSTD_MINISTRY)
    # Corrected with a reason, kept in history.
    page = clerk.get(url("title_edit", first.pk)).content.decode()
    assert 'name="reason"' in page
    assert 'name="version" value="1"' in page
    data = row_data(cycle, start_year="2021", titles=["LĐTT"], version="1")
    data.pop("person")
    response = clerk.post(url("title_edit", first.pk), data)
    assert response.status_code == 400 and "Hãy ghi lý do sửa" in response.content.decode()
    data["reason"] = "Quyết định năm 2021–2022 chỉ công nhận LĐTT"
    # A person sent with the correction is ignored: the row keeps its person.
    data["person"] = str(cycle.people["colleague"].pk)
    assert clerk.post(url("title_edit", first.pk), data).status_code == 302
    first.refresh_from_db()
    assert first.titles == ["LĐTT"] and first.person == cycle.people["staff"]
    assert first.history.latest().history_change_reason == (
        "Sửa: Quyết định năm 2021–2022 chỉ công nhận LĐTT"
    )
    assert [h.titles for h in first.history.order_by("history_date")] == [
        ["LĐTT", "CSTĐCS"],
        ["LĐTT"],
    ]
    assert staff_titles(cycle) == (Title.LDTT, Title.CSTDCS)
    assert TitleHistory.objects.filter(person=cycle.people["staff"]).count() == 3


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"start_year": "2023"}, "Năm học 2023–2024 không phải năm trước năm học 2023–2024"),
        ({"start_year": "2030"}, "Năm học 2030–2031 không phải năm trước năm học 2023–2024"),
        ({"titles": ["Bằng khen"]}, "“Bằng khen” không phải danh hiệu cá nhân"),
        ({"titles": ["TTLĐTT"]}, "“TTLĐTT” không phải danh hiệu cá nhân"),
        ({"titles": [], "level": ""}, "Hãy chọn ít nhất một danh hiệu hoặc mức xếp loại."),
        ({"start_year": "abc"}, "Năm học ghi bằng số năm bắt đầu"),
        ({"start_year": "1800"}, "Năm học phải từ 1990 trở đi."),
        ({"start_year": "9" * 30}, "Năm học"),
        ({"level": "XUẤT SẮC"}, "không phải là một trong các lựa chọn"),
        ({"person": "999999"}, "Hãy chọn cán bộ, viên chức của trường."),
        ({"person": "abc"}, "Hãy chọn cán bộ, viên chức của trường."),
        ({"person": ""}, "bắt buộc"),
    ],
)
def test_bad_input_is_refused_in_vietnamese(
    cycle: Cycle, values: dict[str, Any], message: str
) -> None:
    response = cycle.client("leadership").post(url("title_create"), row_data(cycle, **values))
    assert response.status_code == 400, values
    assert message in response.content.decode(), values
    assert not TitleHistory.objects.exists()


def test_a_second_row_for_the_same_year_and_another_schools_person_are_refused(
    cycle: Cycle,
) -> None:
    leader = cycle.client("leadership")
    assert leader.post(url("title_create"), row_data(cycle)).status_code == 302
    response = leader.post(url("title_create"), row_data(cycle, titles=["LĐTT"]))
    assert response.status_code == 400
    text = response.content.decode()
    assert "đã có danh hiệu năm học 2022–2023 (LĐTT, CSTĐCS): hãy sửa dòng đó" in text
    outsider = cycle.people["outsider"]
    response = leader.post(url("title_create"), row_data(cycle, person=str(outsider.pk)))
    assert response.status_code == 400
    assert "Hãy chọn cán bộ, viên chức của trường." in response.content.decode()
    assert TitleHistory.objects.count() == 1
    # The service says the same whoever calls it.
    row = TitleHistory(school=cycle.world.school, person=outsider, start_year=2021, titles=["LĐTT"])
    with pytest.raises(EmulationError, match="cán bộ, viên chức của trường"):
        record_services.enter_past_title(row, by=cycle.users["leadership"])


def test_a_title_the_systems_decision_wrote_is_not_changed_by_hand(cycle: Cycle) -> None:
    row = TitleHistory.objects.create(
        school=cycle.world.school,
        person=cycle.people["staff"],
        start_year=2022,
        titles=["LĐTT"],
        source=TitleSource.DECIDED,
    )
    leader = cycle.client("leadership")
    response = leader.post(url("title_withdraw", row.pk), {"reason": "x", "version": "1"})
    assert (
        response.status_code == 400 and "theo quyết định trên hệ thống" in response.content.decode()
    )
    data = row_data(cycle, titles=["LĐTT", "CSTĐCS"], reason="Sửa tay", version="1")
    response = leader.post(url("title_edit", row.pk), data)
    assert (
        response.status_code == 400 and "theo quyết định trên hệ thống" in response.content.decode()
    )
    row.refresh_from_db()
    assert row.titles == ["LĐTT"] and not row.is_archived


def test_withdraw_needs_a_reason_and_the_roles_are_checked(cycle: Cycle) -> None:
    row = TitleHistory.objects.create(
        school=cycle.world.school, person=cycle.people["staff"], start_year=2022, titles=["LĐTT"]
    )
    response = cycle.client("clerk").post(
        url("title_withdraw", row.pk), {"reason": "  ", "version": "1"}
    )
    assert response.status_code == 400
    for role, status in (("staff", 403), ("unit_head", 403), ("officer", 404), ("outsider", 404)):
        assert (
            cycle.client(role)
            .post(url("title_withdraw", row.pk), {"reason": "x", "version": "1"})
            .status_code
            == status
        ), role
        assert (
            cycle.client(role)
            .post(
                url("title_edit", row.pk),
                row_data(cycle, reason="x", titles=["CSTĐCS"], version="1"),
            )
            .status_code
            == status
        ), role
    # The Sở's officer and another school's leader add titles in their own organisation only.
    for role in ("officer", "outsider"):
        response = cycle.client(role).post(url("title_create"), row_data(cycle, start_year="2021"))
        assert response.status_code in (400, 403), role
    assert cycle.client("staff").post(url("title_create"), row_data(cycle)).status_code == 403
    row.refresh_from_db()
    assert row.titles == ["LĐTT"] and not row.is_archived
    assert TitleHistory.objects.count() == 1
    assert cycle.client("leadership").get(url("title_edit", 999999)).status_code == 404


def test_two_people_editing_the_same_row_do_not_overwrite_each_other(cycle: Cycle) -> None:
    """core.versioning: the second save opened at the same version is refused with 409, shows
    who changed what meanwhile and keeps what was typed; saved again, it goes through."""
    row = TitleHistory.objects.create(
        school=cycle.world.school, person=cycle.people["staff"], start_year=2022, titles=["LĐTT"]
    )
    clerk, leader = cycle.client("clerk"), cycle.client("leadership")
    # Both open the correction form at version 1.
    for client in (clerk, leader):
        assert 'name="version" value="1"' in client.get(url("title_edit", row.pk)).content.decode()
    data = row_data(cycle, titles=["LĐTT", "CSTĐCS"], reason="Bổ sung CSTĐCS", version="1")
    assert clerk.post(url("title_edit", row.pk), data).status_code == 302
    stale = row_data(cycle, titles=[], level="HT", reason="Chỉ xếp loại HT", version="1")
    response = leader.post(url("title_edit", row.pk), stale)
    text = response.content.decode()
    assert response.status_code == 409
    assert "vừa được" in text and "trong khi bạn đang sửa" in text
    assert "Chỉ xếp loại HT" in text  # what the leader typed stays in the form
    assert 'name="version" value="2"' in text  # armed for a deliberate second save
    row.refresh_from_db()
    assert (row.titles, row.level, row.version) == (["LĐTT", "CSTĐCS"], "HTT", 2)
    # A withdrawal opened before the correction is refused too, nothing archived.
    response = leader.post(url("title_withdraw", row.pk), {"reason": "Nhập nhầm", "version": "1"})
    assert response.status_code == 409 and "trong khi bạn đang sửa" in response.content.decode()
    row.refresh_from_db()
    assert not row.is_archived
    # Having seen the change, the leader saves again at the version shown.
    assert leader.post(url("title_edit", row.pk), {**stale, "version": "2"}).status_code == 302
    row.refresh_from_db()
    assert (row.titles, row.level, row.version) == ([], "HT", 3)
    assert row.history.latest().history_change_reason == "Sửa: Chỉ xếp loại HT"
    # The withdrawal at the current version goes through.
    assert (
        leader.post(
            url("title_withdraw", row.pk), {"reason": "Nhập nhầm", "version": "3"}
        ).status_code
        == 302
    )
    row.refresh_from_db()
    assert row.is_archived


@pytest.mark.parametrize("version", ["", "abc", "0", "-1", "9" * 40])
def test_a_missing_or_bad_version_is_refused_in_vietnamese(cycle: Cycle, version: str) -> None:
    row = TitleHistory.objects.create(
        school=cycle.world.school, person=cycle.people["staff"], start_year=2022, titles=["LĐTT"]
    )
    leader = cycle.client("leadership")
    data = row_data(cycle, titles=["LĐTT", "CSTĐCS"], reason="Bổ sung", version=version)
    for response in (
        leader.post(url("title_edit", row.pk), data),
        leader.post(url("title_withdraw", row.pk), {"reason": "x", "version": version}),
    ):
        assert response.status_code in (400, 409), version
        text = response.content.decode()
        assert "phiên bản" in text or "trong khi bạn đang sửa" in text, version
    row.refresh_from_db()
    assert row.titles == ["LĐTT"] and not row.is_archived
