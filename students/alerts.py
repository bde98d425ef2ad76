"""Early warning: each semester's students at risk, with why, by the warning conditions in force
(TT 08/2021/TT-BGDĐT Art. 11 unless the school's regulation replaces them, students.seed), from
the term results imported from the training-management program; following a warning up is a
task of the plan for the adviser's unit, and its outcome is written on the warning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import stamp
from core.errors import DomainError
from core.text import format_number
from organisations import merging
from organisations.models import Organisation, Position
from planning import services as plan_services
from planning.models import Plan, Task
from planning.status import RunState
from students.models import (
    BELOW,
    AcademicWarning,
    RecordsOffice,
    RuleKey,
    TermResult,
    WarningRule,
    WarningStatus,
)
from tracking.models import Confidence
from tracking.services import CheckInData, TrackingError, submit_checkin


class WarningError(DomainError):
    pass


def ensure_open_school(school_id: int | None) -> None:
    """A school merged into another keeps its students' records as history (organisations.merging)."""
    merging.ensure_open_school(school_id, what=_("hồ sơ người học"), error=WarningError)


def term_day(school_year: int, semester: int) -> dt.date:
    """The day a semester's results are judged on (the rules in force then)."""
    return dt.date(school_year + 1, 1, 31) if semester == 1 else dt.date(school_year + 1, 7, 31)


def _value(result: TermResult, key: str) -> Decimal | None:
    if key == RuleKey.FAILED_SHARE:
        if not result.credits_registered or result.credits_failed is None:
            return None
        return Decimal(result.credits_failed) * 100 / Decimal(result.credits_registered)
    column = {
        RuleKey.TERM_AVERAGE: "term_average",
        RuleKey.CUMULATIVE_AVERAGE: "cumulative_average",
        RuleKey.OUTSTANDING: "credits_outstanding",
        RuleKey.ABSENCES: "absences",
        RuleKey.FEES: "fees_unpaid",
        RuleKey.CONDUCT: "conduct_score",
    }[RuleKey(key)]
    value = getattr(result, column)
    return None if value is None else Decimal(value)


def reasons_for(result: TermResult, rules: Iterable[WarningRule]) -> list[str]:
    """Why the result puts the student at risk, one sentence per condition met."""
    term = result.course_term
    found = []
    for rule in rules:
        if not rule.applies_to(term):
            continue
        value = _value(result, rule.key)
        if value is None:
            continue
        met = value < rule.threshold if rule.key in BELOW else value > rule.threshold
        if met:
            found.append(
                _("%(cond)s %(limit)s: %(value)s (%(source)s)")
                % {
                    "cond": RuleKey(rule.key).label,
                    "limit": format_number(rule.threshold),
                    "value": format_number(value.quantize(Decimal("0.01"))),
                    "source": rule.source,
                }
            )
    return found


def refresh_warnings(school: Organisation, results: Iterable[TermResult], *, by: User) -> int:
    """Warn the students whose results meet a condition; a warning whose student no longer
    meets any is marked lifted (kept, with its follow-up). How many warnings are open."""
    ensure_open_school(school.pk)
    rules_by_day: dict[dt.date, list[WarningRule]] = {}
    results = list(results)
    existing = {
        (w.student_id, w.school_year, w.semester): w
        for w in AcademicWarning.objects.filter(
            school=school, student_id__in={r.student_id for r in results}
        )
    }
    flagged = 0
    for result in results:
        day = term_day(result.school_year, result.semester)
        if day not in rules_by_day:
            rules_by_day[day] = WarningRule.in_force(day, school.pk)
        reasons = reasons_for(result, rules_by_day[day])
        warning = existing.get((result.student_id, result.school_year, result.semester))
        if not reasons:
            if warning is not None and not warning.lifted:
                warning.lifted = True
                stamp(warning, by, _("Kết quả mới: không còn thuộc diện cảnh báo"))
                warning.save()
            continue
        flagged += 1
        if warning is None:
            warning = AcademicWarning(
                school=school, student=result.student, school_year=result.school_year,
                semester=result.semester,
            )  # fmt: skip
        elif warning.reasons == reasons and not warning.lifted:
            continue
        warning.reasons, warning.lifted = reasons, False
        stamp(warning, by)
        warning.save()
    return flagged


def unit_for(warning: AcademicWarning) -> Organisation | None:
    """Who follows the warning up: the class adviser's unit, else the programme's faculty, else
    the student affairs office."""
    cohort = warning.student.cohort
    if cohort.adviser_id is not None:
        position = (
            Position.objects.current()
            .filter(person_id=cohort.adviser_id, organisation__school_id=warning.school_id)
            .select_related("organisation")
            .first()
        )
        if position is not None:
            return position.organisation
    if cohort.programme.faculty is not None:
        return cohort.programme.faculty
    office = RecordsOffice.objects.filter(school_id=warning.school_id).first()
    return office.office if office else None


@transaction.atomic
def follow_up(
    warning: AcademicWarning, *, plan: Plan, due: dt.date, serves: Task | None, by: User
) -> Task:
    """A task of the plan, for the adviser's unit, to follow the warning up by `due` (inside an
    amendment when the plan is issued, opened and closed for it as a conference does). As every
    task of a unit's own, it serves a task of the school's (`serves`: e.g. keeping student
    numbers through the course). The task names the class and the semester, never the student
    (the plan is read by all staff)."""
    ensure_open_school(warning.school_id)
    if warning.task_id is not None:
        raise WarningError(_("Cảnh báo này đã có nhiệm vụ theo dõi."))
    if plan.school_id != warning.school_id or plan.is_archived:
        raise WarningError(_("Kế hoạch không thuộc trường hoặc đã lưu trữ."))
    if (
        serves is None
        or serves.plan_id != plan.pk
        or serves.owner_unit_id is not None
        or serves.is_archived
    ):
        raise WarningError(_("Hãy chọn nhiệm vụ của trường mà việc theo dõi phục vụ."))
    if not plan.starts_on <= due <= plan.ends_on:
        raise WarningError(
            _("Hạn theo dõi phải trong năm học của kế hoạch (%(a)s – %(b)s).")
            % {"a": plan.starts_on.strftime("%d/%m/%Y"), "b": plan.ends_on.strftime("%d/%m/%Y")}
        )
    unit = unit_for(warning)
    if unit is None:
        raise WarningError(
            _("Lớp chưa có giáo viên chủ nhiệm, ngành chưa có khoa quản lý: chưa biết giao ai.")
        )
    cohort = warning.student.cohort
    title = _(
        "Theo dõi, hỗ trợ người học bị cảnh báo số %(n)s, lớp %(cohort)s, học kỳ %(s)s "
        "năm học %(y1)s–%(y2)s"
    ) % {
        "n": warning.pk, "cohort": cohort.code, "s": warning.semester,
        "y1": warning.school_year, "y2": warning.school_year + 1,
    }  # fmt: skip
    opened = None
    if plan.is_issued and plan_services.open_amendment_of(plan) is None:
        opened = plan_services.open_amendment(plan, reason=_("Theo dõi cảnh báo người học"), by=by)
    task = Task(
        plan=plan, title=title, owner_unit=unit, lead_unit=unit, serves=serves,
        person_in_charge=cohort.adviser, due_date=due,
        description=_("Giao từ trang cảnh báo người học; kết quả ghi trên cảnh báo."),
    )  # fmt: skip
    try:
        plan_services.save_plan_object(task, by=by, reason=_("Theo dõi cảnh báo người học"))
    except plan_services.PlanningError as error:
        raise WarningError(str(error)) from error
    if opened is not None:
        plan_services.close_amendment(opened, by=by)
    warning.task = task
    warning.status = WarningStatus.FOLLOWING
    stamp(warning, by, _("Giao nhiệm vụ theo dõi"))
    warning.save()
    return task


@transaction.atomic
def record_outcome(warning: AcademicWarning, *, outcome: str, on: dt.date, by: User) -> None:
    ensure_open_school(warning.school_id)
    text = outcome.strip()
    if not text:
        raise WarningError(_("Cần ghi kết quả xử lý."))
    if len(text) > 2000:
        raise WarningError(_("Kết quả xử lý dài quá 2000 ký tự."))
    warning.outcome, warning.outcome_on = text, on
    warning.status = WarningStatus.CLOSED
    stamp(warning, by, _("Ghi kết quả xử lý cảnh báo"))
    warning.save()
    task = warning.task
    if (
        task is not None
        and task.lead_unit is not None
        and task.completed_on is None
        and task.run_state == RunState.ACTIVE
    ):
        # Its follow-up task is done: reported at 100% for its lead unit, so the plan does not
        # keep an open task (overdue after its deadline). The report names no student; the
        # outcome stays here, where only those who may see the student read it.
        try:
            submit_checkin(
                task, by=by, unit=task.lead_unit, on=on,
                data=CheckInData(
                    progress=100, confidence=Confidence.HIGH,
                    done=_("Đã xử lý cảnh báo học tập; kết quả ghi ở trang cảnh báo người học."),
                ),
            )  # fmt: skip
        except TrackingError as error:
            raise WarningError(str(error)) from error


@transaction.atomic
def save_rule(
    school: Organisation,
    *,
    key: str,
    threshold: Decimal,
    from_term: int = 1,
    to_term: int | None = None,
    valid_from: dt.date,
    source: str,
    by: User,
) -> WarningRule:
    """A condition of the school's own regulation (it replaces the national conditions of the
    same key from `valid_from`)."""
    ensure_open_school(school.pk)
    if key not in RuleKey.values:
        raise WarningError(_("Điều kiện không hợp lệ."))
    if threshold < 0 or threshold >= Decimal("1e12"):
        raise WarningError(_("Ngưỡng không hợp lệ."))
    if key in (RuleKey.TERM_AVERAGE, RuleKey.CUMULATIVE_AVERAGE) and threshold > 4:
        raise WarningError(_("Điểm trung bình tính theo thang 4: ngưỡng không quá 4."))
    if not 1 <= from_term <= 16 or (to_term is not None and not from_term <= to_term <= 16):
        raise WarningError(_("Học kỳ áp dụng không hợp lệ."))
    if not source.strip():
        raise WarningError(_("Cần ghi căn cứ (văn bản quy định của trường)."))
    rule = WarningRule(
        school=school, key=key, threshold=threshold, from_term=from_term, to_term=to_term,
        valid_from=valid_from, source=source.strip()[:255],
    )  # fmt: skip
    stamp(rule, by)
    rule.save()
    return rule


@transaction.atomic
def end_rule(rule: WarningRule, *, on: dt.date, by: User) -> None:
    """The school's condition no longer applies after `on` (kept, with its history)."""
    ensure_open_school(rule.school_id)
    if rule.school_id is None:
        raise WarningError(_("Điều kiện của Bộ không sửa ở đây: hãy thêm quy định của trường."))
    if on < rule.valid_from:
        raise WarningError(_("Ngày kết thúc trước ngày áp dụng."))
    rule.valid_to = on
    stamp(rule, by, _("Thôi áp dụng"))
    rule.save()
