"""The teacher-training student support (NĐ 116/2020/NĐ-CP as amended by NĐ 60/2025/NĐ-CP) as
named, atomic actions: marking a student as supported, putting a supported student on the
repayment list when a change of status the rules in force name is recorded (students.services and
the changes import call `on_status_change`), following a case up, and the yearly report.

Which changes count is data (`SupportRule`, students.seed), never a constant here. A rule that
refuses raises SupportError with the Vietnamese message the user sees.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils.translation import gettext as _

from core.audit import stamp
from core.clock import school_year_of
from core.errors import DomainError
from core.versioning import EditConflict, claim_version
from organisations import merging
from organisations.models import Organisation
from students import notices
from students.models import ChangeKind, StatusChange, Student
from students.models_support import (
    CaseStatus,
    Funding,
    Ground,
    RepaymentCase,
    SupportGrant,
    SupportReport,
    SupportRule,
)

MAX_AMOUNT = Decimal("100000000")  # đồng a month: anything above is a typing error


class SupportError(DomainError):
    pass


def ensure_open_school(school_id: int | None) -> None:
    """A school merged into another keeps its students' records as history (organisations.merging)."""
    merging.ensure_open_school(school_id, what=_("hồ sơ người học"), error=SupportError)


def months_received(starts_on: dt.date, ends_on: dt.date, cap: int | None) -> int:
    """The months of support between two days, as an estimate when the school has not recorded
    them: each calendar month begun counts, at most `cap` in a school year (September to
    August; NĐ 116/2020 Art. 4: no more than 10 months a school year)."""
    if ends_on < starts_on:
        return 0
    by_year: dict[int, int] = {}
    year, month = starts_on.year, starts_on.month
    while (year, month) <= (ends_on.year, ends_on.month):
        school_year = school_year_of(dt.date(year, month, 1))
        by_year[school_year] = by_year.get(school_year, 0) + 1
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return sum(min(n, cap) if cap else n for n in by_year.values())


def _check_amount(value: Decimal | None, what: str) -> None:
    if value is not None and not Decimal(0) <= value <= MAX_AMOUNT:
        raise SupportError(_("%(what)s không hợp lệ.") % {"what": what})


@transaction.atomic
def mark_supported(
    student: Student,
    *,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    commitment_on: dt.date | None = None,
    commitment: str = "",
    funding: str = "",
    sponsor: str = "",
    tuition_per_month: Decimal | None = None,
    living_per_month: Decimal | None = None,
    note: str = "",
    by: User,
    reason: str | None = None,
    expected_version: int | None = None,
) -> SupportGrant:
    """Mark the student as receiving the support (or change their mark); a change of status
    already recorded after `starts_on` that the rules name puts them on the repayment list.
    `expected_version`: the mark's version the form was opened at (an edit saved in between is
    refused with EditConflict, nothing written)."""
    ensure_open_school(student.school_id)
    problems = grant_problems(student, starts_on=starts_on, ends_on=ends_on, funding=funding)
    if problems:
        raise SupportError(problems[0][1])
    _check_amount(tuition_per_month, _("Tiền đóng học phí"))
    _check_amount(living_per_month, _("Chi phí sinh hoạt"))
    grant = SupportGrant.objects.active().filter(student=student).first()
    if grant is None:
        if expected_version is not None:
            # The form was opened on a mark someone has taken off since: not marked again
            # unawares (the conflict page shows who took it off; saving again marks anew).
            taken_off = (
                SupportGrant._base_manager.filter(student=student, archived_at__isnull=False)
                .order_by("-archived_at", "-pk")
                .first()
            )
            if taken_off is not None and taken_off.version != expected_version:
                raise EditConflict(taken_off, expected_version)
        grant = SupportGrant(school_id=student.school_id, student=student)
    else:
        case_end = case_ends([student.pk]).get(student.pk)
        ends_on = kept_end(ends_on, case_end)
        if case_end is not None and (starts_on > case_end or (ends_on or case_end) < case_end):
            raise SupportError(
                _(
                    "Người học đã vào danh sách bồi hoàn từ ngày %(day)s: ngày bắt đầu hưởng "
                    "phải trước ngày đó và ngày thôi hưởng không trước ngày đó."
                )
                % {"day": case_end.strftime("%d/%m/%Y")}
            )
    values = {
        "starts_on": starts_on, "ends_on": ends_on, "commitment_on": commitment_on,
        "commitment": commitment[:255], "funding": funding, "sponsor": sponsor[:255],
        "tuition_per_month": tuition_per_month, "living_per_month": living_per_month,
        "note": note[:500],
    }  # fmt: skip
    if grant.pk and all(getattr(grant, k) == v for k, v in values.items()):
        if expected_version is not None and expected_version != grant.version:
            claim_version(grant, expected_version)  # raises: the mark changed meanwhile
        return grant
    edited = grant.pk is not None
    if edited:
        claim_version(grant, expected_version)
    for key, value in values.items():
        setattr(grant, key, value)
    stamp(grant, by, reason)
    try:
        with transaction.atomic():
            grant.save()
    except IntegrityError as error:  # marked by someone else since the form was opened
        raise SupportError(
            _("Người học vừa được người khác đánh dấu hưởng hỗ trợ; hãy tải lại trang."),
            status=409,
        ) from error
    if edited:
        recompute_cases(grant, by=by)
    for change in StatusChange.objects.filter(student=student, happened_on__gte=starts_on):
        on_status_change(change, by=by)
    return grant


# The cases whose debt is still open: a correction of the mark is carried into them. A repaid or
# exempt case is settled on the figures it was closed with (a receipt, a decision name them);
# changing them afterwards would rewrite what the student was told and paid.
OPEN_CASES = (CaseStatus.NOTIFIED, CaseStatus.REPAYING)


def _received(
    grant: SupportGrant, happened_on: dt.date, rules: list[SupportRule]
) -> tuple[int, Decimal | None]:
    """The months of support up to `happened_on` and what they came to, by the mark."""
    cap = next((r.max_months_per_year for r in rules if r.max_months_per_year), None)
    months = months_received(grant.starts_on, happened_on, cap)
    per_month = grant.per_month
    return months, per_month * months if per_month is not None else None


def recompute_cases(grant: SupportGrant, *, by: User) -> list[RepaymentCase]:
    """After the mark's amounts or start changed: each open case made from a change of status
    owes again what the mark now says (months, amount), under a lock on the case's row so that
    a follow-up saved at the same moment is not overwritten with stale figures; the history
    keeps the old figures and why they changed. A case the school recorded by hand keeps the
    months and amount it typed; a settled one (repaid, exempt) keeps its own."""
    changed = []
    cases = RepaymentCase.objects.select_for_update().filter(
        grant=grant, status__in=OPEN_CASES, change__isnull=False
    )
    for case in cases.order_by("pk"):
        rules = SupportRule.in_force(case.happened_on, grant.school_id)
        months, amount = _received(grant, case.happened_on, rules)
        if (case.months, case.amount) == (months, amount):
            continue
        case.months, case.amount = months, amount
        stamp(case, by, _("Tính lại theo mức hỗ trợ đã sửa"))
        case.save(update_fields=["months", "amount"])
        changed.append(case)
    return changed


def case_ends(student_ids: list[int]) -> dict[int, dt.date]:
    """The day each student's support ended by a repayment case (the earliest), by student."""
    return dict(
        RepaymentCase.objects.filter(student_id__in=student_ids)
        .order_by()
        .values("student_id")
        .annotate(day=Min("happened_on"))
        .values_list("student_id", "day")
    )


def kept_end(ends_on: dt.date | None, case_end: dt.date | None) -> dt.date | None:
    """The end a mark keeps: the day a repayment case ended the support stands; a sheet or a
    form (an empty "Đến ngày", a later day) does not reopen it."""
    if case_end is not None and (ends_on is None or ends_on > case_end):
        return case_end
    return ends_on


def grant_problems(
    student: Student, *, starts_on: dt.date, ends_on: dt.date | None, funding: str
) -> list[tuple[str, str]]:
    """Why the school could not give this mark, as (field, message): "student", "starts_on",
    "ends_on" or "funding" (the import's dry run puts each under its column)."""
    problems = []
    if student.is_archived:
        problems.append(("student", _("Người học đã lưu trữ.")))
    if not student.cohort.programme.teacher_training:
        problems.append(
            (
                "student",
                _("Ngành %(p)s không phải ngành đào tạo giáo viên: không thuộc diện hỗ trợ.")
                % {"p": student.cohort.programme.name},
            )
        )
    if starts_on < student.entered_on:
        problems.append(("starts_on", _("Ngày bắt đầu hưởng trước ngày nhập học.")))
    if ends_on is not None and ends_on < starts_on:
        problems.append(("ends_on", _("Ngày kết thúc trước ngày bắt đầu hưởng.")))
    if funding and funding not in Funding.values:
        problems.append(("funding", _("Hình thức không hợp lệ.")))
    return problems


@transaction.atomic
def unmark(grant: SupportGrant, *, by: User, expected_version: int | None = None) -> None:
    """The mark given by mistake: archived (its history and any case stay). A mark that led to a
    repayment case is not a mistake to wipe: its support ends with the case instead."""
    ensure_open_school(grant.school_id)
    if grant.is_archived:
        raise SupportError(_("Người học không còn được đánh dấu hưởng hỗ trợ."))
    claim_version(grant, expected_version)
    if RepaymentCase.objects.filter(grant=grant).exists():
        raise SupportError(
            _(
                "Người học đã có trong danh sách bồi hoàn: không bỏ đánh dấu được, chỉ ghi ngày thôi hưởng."
            )
        )
    stamp(grant, by, _("Bỏ đánh dấu hưởng hỗ trợ"))
    grant.archive()


def _triggering_rule(change: StatusChange, rules: list[SupportRule]) -> SupportRule | None:
    for rule in rules:
        if change.kind not in rule.triggers:
            continue
        if (
            change.kind == ChangeKind.CHANGED_PROGRAMME
            and rule.programme_change_outside_only
            and change.new_programme is not None
            and change.new_programme.teacher_training
        ):
            continue
        return rule
    return None


@transaction.atomic
def on_status_change(change: StatusChange, *, by: User) -> RepaymentCase | None:
    """Put the student on the repayment list when they receive the support and the rules in
    force on the day of the change name it (the case is made once; recording the same change
    again changes nothing). The student affairs office is told."""
    student = change.student
    grant = SupportGrant.objects.active().filter(student=student).first()
    if grant is None or change.happened_on < grant.starts_on:
        return None
    if grant.ends_on is not None and change.happened_on > grant.ends_on:
        return None
    rules = SupportRule.in_force(change.happened_on, student.school_id)
    rule = _triggering_rule(change, rules)
    if rule is None:
        return None
    case = RepaymentCase.objects.filter(
        grant=grant, ground=change.kind, happened_on=change.happened_on
    ).first()
    if case is not None:
        return case
    months, amount = _received(grant, change.happened_on, rules)
    note = ""
    if change.kind == ChangeKind.CHANGED_PROGRAMME and change.new_programme is None:
        note = _("Chưa ghi ngành chuyển đến: cần xác minh có phải ngành đào tạo giáo viên.")
    case = RepaymentCase(
        school_id=student.school_id, grant=grant, student=student, ground=change.kind,
        happened_on=change.happened_on, change=change, rule=rule, months=months, amount=amount,
        note=note,
    )  # fmt: skip
    stamp(case, by, _("Thay đổi tình trạng: %(k)s") % {"k": change.get_kind_display()})
    case.save()
    grant.ends_on = change.happened_on
    stamp(grant, by, _("Thôi hưởng hỗ trợ"))
    grant.save(update_fields=["ends_on"])
    notices.repayment_listed(case, by=by)
    return case


@transaction.atomic
def open_case(
    grant: SupportGrant,
    *,
    ground: str,
    happened_on: dt.date,
    months: int | None = None,
    amount: Decimal | None = None,
    note: str = "",
    by: User,
) -> RepaymentCase:
    """A case found by the school itself (e.g. not working in education two years after
    graduating), with what the student received when known."""
    ensure_open_school(grant.school_id)
    if grant.is_archived:
        raise SupportError(_("Người học không còn được đánh dấu hưởng hỗ trợ."))
    if ground not in Ground.values:
        raise SupportError(_("Lý do không hợp lệ."))
    if happened_on < grant.starts_on:
        raise SupportError(_("Ngày trước ngày bắt đầu hưởng hỗ trợ."))
    if months is not None and not 0 <= months <= 200:
        raise SupportError(_("Số tháng không hợp lệ."))
    if amount is not None and not Decimal(0) <= amount < Decimal("1e13"):
        raise SupportError(_("Số tiền không hợp lệ."))
    if RepaymentCase.objects.filter(grant=grant, ground=ground, happened_on=happened_on).exists():
        raise SupportError(_("Người học đã có trong danh sách bồi hoàn với lý do và ngày này."))
    rules = SupportRule.in_force(happened_on, grant.school_id)
    case = RepaymentCase(
        school_id=grant.school_id, grant=grant, student=grant.student, ground=ground,
        happened_on=happened_on, rule=rules[0] if rules else None, months=months, amount=amount,
        note=note[:500],
    )  # fmt: skip
    stamp(case, by, _("Ghi vào danh sách bồi hoàn"))
    case.save()
    notices.repayment_listed(case, by=by)
    return case


@transaction.atomic
def set_case_status(case: RepaymentCase, *, status: str, note: str = "", by: User) -> None:
    """Where the case stands (notified, repaying, repaid, exempt), with why; never deleted."""
    ensure_open_school(case.school_id)
    if status not in CaseStatus.values:
        raise SupportError(_("Tình trạng không hợp lệ."))
    if status == CaseStatus.EXEMPT and not note.strip():
        raise SupportError(_("Cần ghi lý do không phải bồi hoàn."))
    if case.status == status and (not note.strip() or case.note == note.strip()):
        return
    case.status = status
    if note.strip():
        case.note = note.strip()[:500]
    stamp(case, by, _("Cập nhật tình trạng bồi hoàn"))
    case.save()


@transaction.atomic
def save_report(
    school: Organisation, *, school_year: int, dated: dt.date, recipient: str = "", by: User
) -> SupportReport:
    """The school's report on a school year (one per year; asking again changes its date)."""
    ensure_open_school(school.pk)
    if not 2020 <= school_year <= 2100:
        raise SupportError(_("Năm học không hợp lệ."))
    if dated < dt.date(school_year, 9, 1):
        raise SupportError(_("Ngày báo cáo trước khi năm học bắt đầu."))
    report = SupportReport.objects.filter(school=school, school_year=school_year).first()
    if report is None:
        report = SupportReport(school=school, school_year=school_year)
    if not recipient.strip() and school.parent is not None:
        recipient = school.parent.name
    report.dated, report.recipient = dated, recipient.strip()[:255]
    stamp(report, by)
    report.save()
    return report


# The changes a school may name as its own grounds: a merger moves the student on, a return or
# a graduation ends nothing.
SCHOOL_TRIGGERS = (
    ChangeKind.WITHDRAWN,
    ChangeKind.EXPELLED,
    ChangeKind.TRANSFERRED,
    ChangeKind.CHANGED_PROGRAMME,
    ChangeKind.SUSPENDED,
    ChangeKind.DEFERRED,
)


@transaction.atomic
def save_school_rule(
    school: Organisation,
    *,
    name: str,
    triggers: list[str],
    valid_from: dt.date,
    source: str,
    other_grounds: list[str] | None = None,
    by: User,
) -> SupportRule:
    """A rule of the school's own (its regulation): the changes it names put a supported student
    on the repayment list too, beside the national grounds, from `valid_from`; its other grounds
    (one sentence each) are recorded by hand when found."""
    ensure_open_school(school.pk)
    grounds = [g.strip()[:500] for g in other_grounds or [] if g.strip()]
    if any(t not in SCHOOL_TRIGGERS for t in triggers) or len(set(triggers)) != len(triggers):
        raise SupportError(_("Loại thay đổi không hợp lệ."))
    if not triggers and not grounds:
        raise SupportError(_("Cần chọn ít nhất một thay đổi tình trạng hoặc ghi trường hợp khác."))
    if len(grounds) > 20:
        raise SupportError(_("Ghi tối đa 20 trường hợp khác."))
    if not source.strip() or not name.strip():
        raise SupportError(_("Cần ghi tên và căn cứ (văn bản quy định của trường)."))
    if not 2020 <= valid_from.year <= 2100:
        raise SupportError(_("Ngày áp dụng không hợp lệ."))
    rule = SupportRule(
        school=school, name=name.strip()[:255], triggers=sorted(set(triggers)),
        other_grounds=grounds, valid_from=valid_from, source=source.strip()[:255],
    )  # fmt: skip
    stamp(rule, by)
    rule.save()
    # Changes already recorded from `valid_from` that the new ground names: their students go on
    # the list now, not at some later unrelated edit of their mark.
    supported = SupportGrant.objects.active().filter(school=school).values("student_id")
    for change in StatusChange.objects.filter(
        student_id__in=supported, kind__in=rule.triggers, happened_on__gte=valid_from
    ).order_by("happened_on", "pk"):
        on_status_change(change, by=by)
    return rule


@transaction.atomic
def end_school_rule(
    rule: SupportRule, *, on: dt.date, by: User, expected_version: int | None = None
) -> None:
    """The school's own ground no longer applies after `on` (the row stays, with its history);
    the national rules change only by a new dated row, never here."""
    ensure_open_school(rule.school_id)
    if rule.school_id is None:
        raise SupportError(
            _("Quy định của Nhà nước không sửa ở đây: hãy thêm quy định của trường.")
        )
    claim_version(rule, expected_version)
    if rule.valid_to is not None and rule.valid_to <= on:
        raise SupportError(_("Quy định này đã thôi áp dụng."))
    if on < rule.valid_from:
        raise SupportError(_("Ngày thôi áp dụng trước ngày bắt đầu áp dụng."))
    last = RepaymentCase.objects.filter(rule=rule).aggregate(day=Max("happened_on"))["day"]
    if last is not None and on < last:
        raise SupportError(
            _(
                "Đã có người học vào danh sách bồi hoàn theo quy định này ngày %(day)s: ngày thôi "
                "áp dụng không trước ngày đó."
            )
            % {"day": last.strftime("%d/%m/%Y")}
        )
    rule.valid_to = on
    stamp(rule, by, _("Thôi áp dụng"))
    rule.save()
