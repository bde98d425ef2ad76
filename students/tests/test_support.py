"""The teacher-training support: a recorded change of status that the rules in force name puts a
supported student on the repayment list (once), a move to a programme that trains teachers does
not, the rule version follows the day, the office is told; marks refused outside teacher
training; cases followed up with history, never deleted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from notifications.models import Notification
from students import services, support
from students.models import Status
from students.models_support import CaseStatus, RepaymentCase, SupportGrant
from students.tests.conftest import Campus
from students.tests.support_helpers import LIVING, TUITION, grant_of, social_work, supported

__all__ = ["supported"]


def record(campus: Campus, index: int, kind: str, on: dt.date, **extra: object) -> None:
    services.record_change(
        campus.students[index], kind=kind, happened_on=on, reason="other",
        by=campus.users["records"], **extra,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("start", "end", "cap", "months"),
    [
        (dt.date(2023, 9, 5), dt.date(2024, 3, 15), 10, 7),
        (dt.date(2023, 9, 1), dt.date(2024, 8, 31), 10, 10),
        (dt.date(2023, 9, 5), dt.date(2025, 3, 10), 10, 17),
        (dt.date(2023, 9, 1), dt.date(2024, 8, 31), None, 12),
        (dt.date(2024, 3, 1), dt.date(2024, 2, 1), 10, 0),
    ],
)
def test_months_received_are_capped_per_school_year(
    start: dt.date, end: dt.date, cap: int | None, months: int
) -> None:
    assert support.months_received(start, end, cap) == months


def test_a_supported_student_who_withdraws_goes_on_the_list(supported: Campus) -> None:
    campus = supported
    record(campus, 2, "withdrawn", dt.date(2024, 3, 15))
    case = RepaymentCase.objects.get()
    assert case.student == campus.students[2] and case.ground == "withdrawn"
    assert case.happened_on == dt.date(2024, 3, 15) and case.status == CaseStatus.NOTIFIED
    assert case.months == 7 and case.amount == (TUITION + LIVING) * 7
    assert case.rule is not None and case.rule.source.startswith("NĐ 116/2020/NĐ-CP ngày")
    assert grant_of(campus, 2).ends_on == dt.date(2024, 3, 15)
    assert case.history.count() == 1
    # The office is told, not the leadership (and not the office's member who recorded it).
    assert not Notification.objects.exists()


def test_the_student_affairs_office_is_told_without_the_name(supported: Campus) -> None:
    campus = supported
    record(campus, 2, "expelled", dt.date(2024, 5, 2))  # recorded by the office's member:
    assert not Notification.objects.exists()  # the actor is never told
    services.record_change(
        campus.students[3], kind="withdrawn", happened_on=dt.date(2024, 5, 2), reason="family",
        by=campus.users["leadership"],
    )  # fmt: skip
    notice = Notification.objects.get(user=campus.users["records"])
    assert "CĐMN-K1" in notice.title and "SV003" in notice.title
    assert "Nguyễn Văn Học" not in notice.title + notice.body
    assert "Tự thôi học" in notice.body and "116/2020" in notice.body


def test_an_unsupported_student_is_not_listed(supported: Campus) -> None:
    record(supported, 5, "withdrawn", dt.date(2024, 3, 15))
    assert not RepaymentCase.objects.exists()


def test_a_programme_change_counts_only_towards_one_that_does_not_train_teachers(
    supported: Campus,
) -> None:
    campus = supported
    record(campus, 3, "changed_programme", dt.date(2024, 2, 1), new_programme=campus.primary)
    assert not RepaymentCase.objects.exists()
    assert grant_of(campus, 3).ends_on is None
    record(campus, 4, "changed_programme", dt.date(2024, 2, 1), new_programme=social_work())
    case = RepaymentCase.objects.get()
    assert case.student == campus.students[4] and case.ground == "changed_programme"
    assert case.note == ""
    # Where they moved is not known: listed, to be checked.
    record(campus, 7, "changed_programme", dt.date(2025, 2, 1))
    unknown = RepaymentCase.objects.get(student=campus.students[7])
    assert "Chưa ghi ngành chuyển đến" in unknown.note


def test_the_rule_version_follows_the_day_of_the_change(supported: Campus) -> None:
    record(supported, 8, "withdrawn", dt.date(2025, 5, 1))
    case = RepaymentCase.objects.get()
    assert case.rule is not None and "60/2025/NĐ-CP" in case.rule.source
    record(supported, 7, "withdrawn", dt.date(2025, 4, 19))
    earlier = RepaymentCase.objects.get(student=supported.students[7])
    assert earlier.rule is not None and "60/2025" not in earlier.rule.source


def test_a_transfer_counts_only_under_the_schools_own_rule(supported: Campus) -> None:
    campus = supported
    record(campus, 3, "transferred", dt.date(2024, 2, 1))
    assert not RepaymentCase.objects.exists()
    support.save_school_rule(
        campus.world.school, name="Chuyển trường", triggers=["transferred"],
        valid_from=dt.date(2023, 9, 1), source="Quy chế của trường", by=campus.users["leadership"],
    )  # fmt: skip
    # In force from 01/09/2023: the transfer already recorded under it lists its student now.
    listed = RepaymentCase.objects.get()
    assert listed.student == campus.students[3] and listed.ground == "transferred"
    record(campus, 4, "transferred", dt.date(2024, 2, 1))
    case = RepaymentCase.objects.get(student=campus.students[4])
    assert case.ground == "transferred" and case.rule is not None
    assert case.rule.source == "Quy chế của trường"


def test_recording_the_same_change_again_changes_nothing(supported: Campus) -> None:
    by = supported.users["leadership"]
    for _ in range(2):
        services.record_change(
            supported.students[2], kind="withdrawn", happened_on=dt.date(2024, 3, 15),
            reason="family", by=by,
        )  # fmt: skip
    assert RepaymentCase.objects.count() == 1
    assert Notification.objects.filter(user=supported.users["records"]).count() == 1


def test_marking_someone_who_already_left_lists_them(supported: Campus) -> None:
    campus = supported
    assert campus.students[0].status == Status.WITHDRAWN  # left on 10/01/2024
    support.mark_supported(
        campus.students[0], starts_on=dt.date(2023, 9, 5), by=campus.users["records"]
    )
    case = RepaymentCase.objects.get()
    assert (case.student, case.happened_on, case.amount) == (
        campus.students[0],
        dt.date(2024, 1, 10),
        None,  # no amount recorded for this mark
    )
    assert case.months == 5


@pytest.mark.parametrize(
    ("index", "kwargs", "says"),
    [
        (9, {"starts_on": dt.date(2024, 9, 5)}, "không phải ngành đào tạo giáo viên"),
        (5, {"starts_on": dt.date(2023, 1, 1)}, "trước ngày nhập học"),
        (5, {"starts_on": dt.date(2023, 9, 5), "ends_on": dt.date(2023, 9, 1)}, "kết thúc"),
        (5, {"starts_on": dt.date(2023, 9, 5), "living_per_month": Decimal(-1)}, "không hợp lệ"),
    ],
    ids=["not teacher training", "before entering", "ends before it starts", "negative amount"],
)
def test_marks_the_school_could_not_give_are_refused(
    supported: Campus, index: int, kwargs: dict[str, object], says: str
) -> None:
    campus = supported
    if index == 9:
        campus.primary.teacher_training = False
        services.save_programme(campus.primary, by=campus.users["leadership"])
    before = SupportGrant.objects.count()
    with pytest.raises(support.SupportError, match=says):
        support.mark_supported(campus.students[index], by=campus.users["records"], **kwargs)  # type: ignore[arg-type]
    assert SupportGrant.objects.count() == before


def test_a_case_is_followed_up_and_never_deleted(supported: Campus) -> None:
    campus = supported
    by = campus.users["records"]
    record(campus, 2, "withdrawn", dt.date(2024, 3, 15))
    case = RepaymentCase.objects.get()
    with pytest.raises(support.SupportError, match="lý do"):
        support.set_case_status(case, status=CaseStatus.EXEMPT, by=by)
    support.set_case_status(case, status=CaseStatus.REPAYING, note="Nộp lần 1", by=by)
    support.set_case_status(case, status=CaseStatus.REPAID, by=by)
    case.refresh_from_db()
    assert case.status == CaseStatus.REPAID and case.note == "Nộp lần 1"
    assert [h.status for h in case.history.order_by("history_date")] == [
        "notified", "repaying", "repaid",
    ]  # fmt: skip
    support.unmark(grant_of(campus, 3), by=by)
    assert SupportGrant.objects.filter(student=campus.students[3]).get().is_archived


@pytest.mark.django_db
def test_the_migration_marks_the_teacher_training_programmes_of_every_level(world: Any) -> None:
    """College and intermediate codes have eight digits, university codes seven: the group
    1402 stands before the programme's last two digits in each."""
    import importlib

    from django.apps import apps

    from students.models import Programme

    migration = importlib.import_module("students.migrations.0005_teacher_training_support")
    codes = {"51140201": True, "42140201": True, "7140209": True, "6760101": False}
    for code in codes:
        Programme.objects.create(
            school=world.school, code=code, name=f"Ngành {code}", level="college", mode="full_time"
        )
    migration.mark_teacher_training(apps, None)
    assert dict(Programme.objects.values_list("code", "teacher_training")) == codes


def remark(campus: Campus, index: int, **changed: Any) -> None:
    student = campus.students[index]
    grant = grant_of(campus, index)
    values: dict[str, Any] = {
        "starts_on": grant.starts_on, "ends_on": grant.ends_on,
        "commitment_on": grant.commitment_on, "commitment": grant.commitment,
        "funding": grant.funding, "tuition_per_month": grant.tuition_per_month,
        "living_per_month": grant.living_per_month, **changed,
    }  # fmt: skip
    support.mark_supported(student, by=campus.users["records"], reason="Sửa mức", **values)


def test_an_open_case_owes_what_the_corrected_mark_says(supported: Campus) -> None:
    campus = supported
    record(campus, 2, "withdrawn", dt.date(2024, 3, 15))
    case = RepaymentCase.objects.get(student=campus.students[2])
    assert case.months == 7 and case.amount == (TUITION + LIVING) * 7
    remark(campus, 2, living_per_month=Decimal("4000000"))
    case.refresh_from_db()
    assert case.months == 7 and case.amount == (TUITION + Decimal("4000000")) * 7
    # The support began later than first recorded: fewer months.
    start = grant_of(campus, 2).starts_on
    later = dt.date(start.year, start.month, 1) + dt.timedelta(days=62)
    remark(campus, 2, starts_on=later)
    case.refresh_from_db()
    months = support.months_received(later, dt.date(2024, 3, 15), 10)
    assert months < 7 and case.months == months
    assert case.amount == (TUITION + Decimal("4000000")) * months
    # While the student repays, the debt is still open: a correction still counts (the history
    # keeps each figure and why it changed).
    support.set_case_status(case, status=CaseStatus.REPAYING, by=campus.users["records"])
    remark(campus, 2, tuition_per_month=Decimal("0"))
    case.refresh_from_db()
    assert case.amount == Decimal("4000000") * months
    history = list(case.history.order_by("history_date", "history_id"))
    assert [(h.months, h.amount) for h in history][:3] == [
        (7, (TUITION + LIVING) * 7),
        (7, (TUITION + Decimal("4000000")) * 7),
        (months, (TUITION + Decimal("4000000")) * months),
    ]
    assert history[1].history_change_reason == "Tính lại theo mức hỗ trợ đã sửa"
    assert history[1].history_user == campus.users["records"]


@pytest.mark.parametrize("status", [CaseStatus.REPAID, CaseStatus.EXEMPT])
def test_a_settled_case_keeps_its_figures(supported: Campus, status: str) -> None:
    campus = supported
    by = campus.users["records"]
    record(campus, 2, "withdrawn", dt.date(2024, 3, 15))
    case = RepaymentCase.objects.get(student=campus.students[2])
    support.set_case_status(case, status=status, note="Quyết định số 12/QĐ", by=by)
    remark(campus, 2, living_per_month=Decimal("4000000"))
    case.refresh_from_db()
    assert case.months == 7 and case.amount == (TUITION + LIVING) * 7
    assert grant_of(campus, 2).living_per_month == Decimal("4000000")


def test_a_case_recorded_by_hand_keeps_the_figures_typed(supported: Campus) -> None:
    campus = supported
    case = support.open_case(
        grant_of(campus, 3), ground="not_in_education", happened_on=dt.date(2025, 6, 1),
        months=12, amount=Decimal("50000000"), by=campus.users["records"],
    )  # fmt: skip
    remark(campus, 3, living_per_month=Decimal("4000000"))
    case.refresh_from_db()
    assert (case.months, case.amount) == (12, Decimal("50000000"))
