"""NĐ 116/2020 support by hand: marking one student (and ending or taking off a mark), and the
school's own repayment grounds as dated rows with their source. Only the student affairs office
and the leadership; history kept; an edit saved in between refused (409) with what was typed
kept; bad input refused (4xx), never a 500, and nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from core.tests.edit_race import conflict_message, form_data, race
from students import services, support
from students.models import PersonalDataView
from students.models_support import RepaymentCase, SupportGrant, SupportRule
from students.tests.conftest import ROLES, Campus
from students.tests.support_helpers import grant_of, supported

__all__ = ["supported"]

UNMARKED = 5  # class K1 (Giáo dục Mầm non, teacher training), not marked by the fixture
LOGIN, OK, FORBIDDEN, NOT_FOUND = 302, 200, 403, 404
# anonymous, outsider, officer, staff, adviser, faculty head, records office, leadership
ON_A_STUDENT = (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)
SCHOOL_WIDE = (LOGIN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)


@pytest.fixture
def own_rule(supported: Campus) -> SupportRule:
    return support.save_school_rule(
        supported.world.school, name="Nghỉ học tạm thời quá hạn", triggers=["suspended"],
        valid_from=dt.date(2023, 9, 1), source="Quy chế của trường số 12/QC-CĐM",
        by=supported.users["leadership"],
    )  # fmt: skip


def _pages(campus: Campus, rule: SupportRule) -> list[tuple[str, tuple[int, ...]]]:
    return [
        (reverse("students:support_grant_form", args=[campus.students[UNMARKED].pk]), ON_A_STUDENT),
        (reverse("students:support_grant_form", args=[campus.students[2].pk]), ON_A_STUDENT),
        (reverse("students:support_unmark", args=[grant_of(campus, 3).pk]), ON_A_STUDENT),
        (reverse("students:support_rule_end", args=[rule.pk]), ON_A_STUDENT),
        (reverse("students:support_rule_add"), SCHOOL_WIDE),
    ]


@pytest.mark.parametrize("index", range(len(ROLES)), ids=ROLES)
def test_only_the_office_and_the_leadership_mark_and_set_grounds(
    supported: Campus, own_rule: SupportRule, index: int
) -> None:
    role = ROLES[index]
    client = supported.client(role)
    for url, expected in _pages(supported, own_rule):
        response = client.get(url)
        assert response.status_code == expected[index], (url, role)
        # A post is refused the same way, and nothing is written.
        before = (SupportGrant.objects.count(), SupportRule.objects.count())
        posted = client.post(url, {"starts_on": "05/09/2023", "name": "x", "source": "y"})
        if expected[index] != OK:
            assert posted.status_code == expected[index], (url, role)
            assert (SupportGrant.objects.count(), SupportRule.objects.count()) == before


def test_the_office_marks_a_student_edits_and_ends_the_mark_with_history(
    supported: Campus,
) -> None:
    campus = supported
    student = campus.students[UNMARKED]
    client = campus.client("records")
    url = reverse("students:support_grant_form", args=[student.pk])
    opened = client.get(url)
    assert opened.status_code == 200
    assert "Đánh dấu hưởng hỗ trợ" in opened.content.decode()
    # Opening the form shows the student's name: logged.
    assert PersonalDataView.objects.filter(user=campus.users["records"], student=student).exists()
    response = client.post(
        url,
        {
            "starts_on": "05/09/2023", "commitment_on": "05/09/2023", "commitment": "Số 15/CK",
            "funding": "ordered", "sponsor": "UBND tỉnh Lạng Sơn", "tuition_per_month": "1000000",
            "living_per_month": "3630000",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    grant = SupportGrant.objects.active().get(student=student)
    assert (grant.funding, grant.per_month, grant.ends_on) == ("ordered", 4630000, None)
    # The student's page offers the edit; the support page lists the mark.
    assert (
        reverse("students:support_grant_form", args=[student.pk])
        in client.get(reverse("students:student", args=[student.pk])).content.decode()
    )
    # Ending the support: the same form with "Đến ngày".
    edit = client.get(url)
    response = client.post(url, form_data(edit, ends_on="31/05/2025"))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.ends_on == dt.date(2025, 5, 31) and grant.version == 2
    assert [h.ends_on for h in grant.history.order_by("history_date")] == [
        None, dt.date(2025, 5, 31),
    ]  # fmt: skip
    assert grant.history.order_by("history_date").last().history_user == campus.users["records"]


def test_a_mark_saved_in_between_is_refused_with_409(supported: Campus) -> None:
    campus = supported
    grant = grant_of(campus, 2)
    url = reverse("students:support_grant_form", args=[campus.students[2].pk])
    result = race(
        url, campus.client("records"), campus.client("leadership"),
        {"commitment": "Cam kết của phòng"}, {"commitment": "Cam kết của hiệu trưởng"},
    )  # fmt: skip
    assert result.first.status_code == 302
    assert result.second.status_code == 409
    assert "vừa được Đỗ Văn Hùng sửa lúc" in conflict_message(result.second)
    assert result.second.context["form"]["commitment"].value() == "Cam kết của hiệu trưởng"
    grant.refresh_from_db()
    assert grant.commitment == "Cam kết của phòng" and grant.history.count() == 2
    # Having seen it, the second saves again on purpose.
    again = campus.client("leadership").post(url, form_data(result.second))
    assert again.status_code == 302
    grant.refresh_from_db()
    assert grant.commitment == "Cam kết của hiệu trưởng"


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"starts_on": "31/02/2024"}, "Hưởng từ ngày"),
        ({"starts_on": ""}, "Hưởng từ ngày"),
        ({"starts_on": "01/01/2020"}, "trước ngày nhập học"),
        ({"ends_on": "01/01/2023"}, "trước ngày bắt đầu"),
        ({"tuition_per_month": "-5"}, ""),
        ({"living_per_month": "1e30"}, ""),
        ({"living_per_month": "abc"}, ""),
        ({"funding": "bogus"}, ""),
        ({"commitment": "x" * 300}, ""),
    ],
)
def test_a_bad_mark_is_refused_and_nothing_is_written(
    supported: Campus, changes: dict[str, str], says: str
) -> None:
    url = reverse("students:support_grant_form", args=[supported.students[UNMARKED].pk])
    data = {"starts_on": "05/09/2023", **changes}
    response = supported.client("records").post(url, data)
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not SupportGrant.objects.filter(student=supported.students[UNMARKED]).exists()


def test_a_student_outside_teacher_training_or_another_school_cannot_be_marked(
    supported: Campus,
) -> None:
    campus = supported
    campus.primary.teacher_training = False
    services.save_programme(campus.primary, by=campus.users["leadership"])
    client = campus.client("records")
    url = reverse("students:support_grant_form", args=[campus.students[9].pk])
    response = client.post(url, {"starts_on": "05/09/2024"})
    assert response.status_code == 400
    assert "không phải ngành đào tạo giáo viên" in response.content.decode()
    assert not SupportGrant.objects.filter(student=campus.students[9]).exists()
    # The student's page offers no mark outside teacher training.
    page = client.get(reverse("students:student", args=[campus.students[9].pk]))
    assert 'id="support-mark"' not in page.content.decode()
    for bad in (0, 10**12):
        assert client.get(f"/students/support/students/{bad}/mark/").status_code == 404
    assert client.get("/students/support/students/abc/mark/").status_code == 404
    # The outsider's own school has no such student.
    other = campus.client("outsider").get(
        reverse("students:support_grant_form", args=[campus.students[2].pk])
    )
    assert other.status_code == 404


def test_an_edit_without_its_version_is_refused(supported: Campus) -> None:
    url = reverse("students:support_grant_form", args=[supported.students[2].pk])
    for version in ("", "abc", "0"):
        response = supported.client("records").post(
            url, {"starts_on": "05/09/2023", "version": version}
        )
        assert response.status_code == 400
    assert grant_of(supported, 2).version == 1


def test_unmark_a_mistake_keeps_history_and_refuses_a_listed_student(supported: Campus) -> None:
    campus = supported
    client = campus.client("leadership")
    grant = grant_of(campus, 3)
    url = reverse("students:support_unmark", args=[grant.pk])
    stale = client.get(url)
    campus_grant = SupportGrant.objects.get(pk=grant.pk)
    support.mark_supported(
        campus.students[3], starts_on=campus_grant.starts_on, note="ghi thêm",
        by=campus.users["records"], expected_version=campus_grant.version,
    )  # fmt: skip
    assert client.post(url, form_data(stale)).status_code == 409
    assert not SupportGrant.objects.get(pk=grant.pk).is_archived
    response = client.post(url, form_data(client.get(url)))
    assert response.status_code == 302
    grant = SupportGrant.objects.get(pk=grant.pk)
    assert grant.is_archived and grant.history.count() == 3
    # Archived: the page is gone for it.
    assert client.get(url).status_code == 404
    # A student on the repayment list: their mark is not a mistake to wipe.
    services.record_change(
        campus.students[4], kind="withdrawn", happened_on=dt.date(2025, 3, 10),
        reason="family", by=campus.users["records"],
    )  # fmt: skip
    listed = grant_of(campus, 4)
    assert RepaymentCase.objects.filter(grant=listed).exists()
    url = reverse("students:support_unmark", args=[listed.pk])
    response = client.post(url, form_data(client.get(url)))
    assert response.status_code == 400
    assert "danh sách bồi hoàn" in response.content.decode()
    assert not SupportGrant.objects.get(pk=listed.pk).is_archived


def test_the_schools_own_ground_puts_a_supported_student_on_the_list(supported: Campus) -> None:
    campus = supported
    client = campus.client("records")
    url = reverse("students:support_rule_add")
    response = client.post(
        url,
        {
            "name": "Nghỉ học tạm thời", "triggers": ["suspended"],
            "other_grounds": "Không nhận nhiệm sở được phân công\n\n",
            "valid_from": "01/09/2024", "source": "Quy chế số 12/QC-CĐM",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = SupportRule.objects.get(school=campus.world.school)
    assert rule.triggers == ["suspended"] and rule.other_grounds == [
        "Không nhận nhiệm sở được phân công"
    ]
    page = client.get(reverse("students:support")).content.decode()
    assert "Quy chế số 12/QC-CĐM" in page
    services.record_change(
        campus.students[8], kind="suspended", happened_on=dt.date(2025, 2, 1),
        reason="health", by=campus.users["records"],
    )  # fmt: skip
    case = RepaymentCase.objects.get(student=campus.students[8])
    assert case.rule == rule


@pytest.mark.parametrize(
    "data",
    [
        {"triggers": ["graduated"]},
        {"triggers": ["merged"]},
        {"triggers": ["nonsense"]},
        {"triggers": []},
        {"source": ""},
        {"name": ""},
        {"valid_from": "2024-13-45"},
        {"valid_from": "01/01/1900"},
        {"name": "x" * 300},
    ],
)
def test_a_bad_ground_is_refused_and_nothing_is_written(
    supported: Campus, data: dict[str, Any]
) -> None:
    base = {
        "name": "Quy định", "triggers": ["suspended"], "valid_from": "01/09/2024",
        "source": "Quy chế",
    }  # fmt: skip
    response = supported.client("leadership").post(
        reverse("students:support_rule_add"), {**base, **data}
    )
    assert response.status_code == 400
    assert not SupportRule.objects.filter(school=supported.world.school).exists()


def test_ending_a_ground_is_dated_refuses_a_stale_form_and_the_national_rules(
    supported: Campus, own_rule: SupportRule
) -> None:
    campus = supported
    url = reverse("students:support_rule_end", args=[own_rule.pk])
    result = race(
        url, campus.client("records"), campus.client("leadership"),
        {"on": "30/06/2025"}, {"on": "31/07/2025"},
    )  # fmt: skip
    assert result.first.status_code == 302
    assert result.second.status_code == 409
    own_rule.refresh_from_db()
    assert own_rule.valid_to == dt.date(2025, 6, 30)
    assert own_rule.history.count() == 2
    # Ended: a second end is refused, not a 500.
    client = campus.client("leadership")
    again = client.post(url, form_data(client.get(url), on="01/08/2025"))
    assert again.status_code == 400
    national = SupportRule.objects.filter(school__isnull=True).first()
    assert national is not None
    assert client.get(reverse("students:support_rule_end", args=[national.pk])).status_code == 404
    fresh = support.save_school_rule(
        campus.world.school, name="Khác", triggers=["deferred"], valid_from=dt.date(2024, 9, 1),
        source="Quy chế", by=campus.users["leadership"],
    )  # fmt: skip
    url = reverse("students:support_rule_end", args=[fresh.pk])
    for bad in ("01/01/2020", "xx", ""):
        assert client.post(url, form_data(client.get(url), on=bad)).status_code == 400
    fresh.refresh_from_db()
    assert fresh.valid_to is None


# Found by a review ---------------------------------------------------------------------------


def test_a_mark_taken_off_since_the_form_opened_is_not_put_back_unawares(
    supported: Campus,
) -> None:
    campus = supported
    grant = grant_of(campus, 2)
    url = reverse("students:support_grant_form", args=[campus.students[2].pk])
    office = campus.client("records")
    opened = office.get(url)
    unmark = reverse("students:support_unmark", args=[grant.pk])
    leader = campus.client("leadership")
    assert leader.post(unmark, form_data(leader.get(unmark))).status_code == 302

    stale = office.post(url, {**form_data(opened), "commitment": "Sửa sau khi đã bỏ"})
    assert stale.status_code == 409
    assert not SupportGrant.objects.active().filter(student=campus.students[2]).exists()
    again = office.post(url, form_data(stale))  # seen, and marked again on purpose
    assert again.status_code == 302
    assert SupportGrant.objects.active().filter(student=campus.students[2]).exists()


def test_a_listed_students_mark_keeps_its_dates_around_the_case(supported: Campus) -> None:
    campus, by = supported, supported.users["records"]
    services.record_change(
        campus.students[4], kind="withdrawn", happened_on=dt.date(2025, 3, 10),
        reason="family", by=by,
    )  # fmt: skip
    grant = grant_of(campus, 4)
    # A later start with "Đến ngày" left empty (the case's day stands as the end), or an end
    # before the change that listed the student.
    for changes in (
        {"starts_on": dt.date(2025, 4, 1), "ends_on": None},
        {"ends_on": dt.date(2025, 1, 1)},
    ):
        values = {"starts_on": grant.starts_on, "ends_on": grant.ends_on, **changes}
        with pytest.raises(support.SupportError, match="danh sách bồi hoàn từ ngày 10/03/2025"):
            support.mark_supported(
                campus.students[4], by=by, expected_version=grant.version, **values
            )
    assert grant_of(campus, 4).history.count() == grant.history.count()


def test_a_ground_added_back_dated_lists_at_once_and_ends_no_earlier_than_its_cases(
    supported: Campus,
) -> None:
    campus, by = supported, supported.users["records"]
    services.record_change(
        campus.students[8], kind="suspended", happened_on=dt.date(2025, 2, 1),
        reason="health", by=by,
    )  # fmt: skip
    assert not RepaymentCase.objects.filter(student=campus.students[8]).exists()
    rule = support.save_school_rule(
        campus.world.school, name="Nghỉ học tạm thời", triggers=["suspended"],
        valid_from=dt.date(2024, 9, 1), source="Quy chế số 12/QC-CĐM", by=by,
    )  # fmt: skip
    case = RepaymentCase.objects.get(student=campus.students[8])
    assert case.rule == rule
    rule.refresh_from_db()
    with pytest.raises(support.SupportError, match="01/02/2025"):
        support.end_school_rule(rule, on=dt.date(2024, 12, 31), by=by)
    support.end_school_rule(rule, on=dt.date(2025, 6, 30), by=by)


def test_the_unmark_page_logs_the_name_it_shows(supported: Campus) -> None:
    campus = supported
    grant = grant_of(campus, 3)
    before = PersonalDataView.objects.count()
    page = campus.client("leadership").get(reverse("students:support_unmark", args=[grant.pk]))
    assert campus.students[3].full_name in page.content.decode()
    assert PersonalDataView.objects.count() == before + 1
