"""Reports a body asks its schools for: the request (a school report the reports app writes, or the
figures of chosen targets) with a deadline, sent to all its schools, a level or a list; each
school's submission, frozen when it is made; the body's return of one, with a reason.

A submission is made from the school's own data: for a report, a paper the school has issued (its
.docx and its headline figures, as `papers.registry` gives them: this app knows no report); for
targets, each requested target's figures in the school's plan of the year, with a sheet of them.
Punctuality is the first submission's: a return asks for a correction, it does not make a school
that answered in time late.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import stamp
from core.clock import today
from core.text import fold, format_date, format_number, school_year_label
from organisations.models import Organisation
from papers import registry
from papers.models import IssuedPaper
from papers.output import render
from planning.models import Direction, Plan, PlanStatus, Target
from planning.status import Rag
from province import excel, notices
from province.models import (
    Audience,
    DirectedSchool,
    ReportRequest,
    RequestedSchool,
    RequestKind,
    SchoolLevel,
    Submission,
    SubmissionState,
)
from province.services import ProvinceError, recipients, require_directing
from tracking.target_figures import rag_of

TITLE_LIMIT = 300
TEXT_LIMIT = 10_000
NOTE_LIMIT = 1000
TARGETS_LIMIT = 30
# A target is named by its code or its name (a column of the Sở's sheet).
TARGET_LABEL_LIMIT = 300


def local_day(moment: dt.datetime) -> dt.date:
    """The day in the site's time zone (a submission at 23:30 on the deadline is on time)."""
    return timezone.localtime(moment).date()


def parse_targets(text: str) -> list[str]:
    """The targets asked for, one a line (a code or a name), blank lines and repeats dropped."""
    seen: set[str] = set()
    found = []
    for line in (text or "").splitlines():
        label = " ".join(line.split())
        if label and fold(label) not in seen:
            seen.add(fold(label))
            found.append(label)
    return found


@transaction.atomic
def create_request(
    body: Organisation,
    *,
    kind: str,
    title: str,
    start_year: int,
    deadline: dt.date,
    text: str = "",
    targets: Sequence[str] = (),
    audience: str,
    level: str = "",
    schools: Sequence[Organisation] = (),
    by: User,
    at: dt.datetime | None = None,
) -> ReportRequest:
    """Ask the schools addressed for a report by a deadline; each one's clerks and leadership are
    told (after commit)."""
    require_directing(body)
    if kind not in RequestKind.values:
        raise ProvinceError(_("Hãy chọn loại báo cáo."))
    title = (title or "").strip()
    if not title or len(title) > TITLE_LIMIT:
        raise ProvinceError(_("Hãy ghi tên báo cáo (tối đa %(n)s ký tự).") % {"n": TITLE_LIMIT})
    if len(text or "") > TEXT_LIMIT:
        raise ProvinceError(_("Nội dung yêu cầu dài quá %(n)s ký tự.") % {"n": TEXT_LIMIT})
    now = at or timezone.now()
    if deadline < local_day(now):
        raise ProvinceError(_("Hạn nộp không được trước hôm nay."))
    wanted = [label for label in targets if label.strip()]
    if kind == RequestKind.TARGETS and not wanted:
        raise ProvinceError(_("Hãy ghi các chỉ tiêu cần báo cáo, mỗi dòng một mã hoặc tên."))
    if len(wanted) > TARGETS_LIMIT:
        raise ProvinceError(_("Tối đa %(n)s chỉ tiêu mỗi yêu cầu.") % {"n": TARGETS_LIMIT})
    if any(len(label) > TARGET_LABEL_LIMIT for label in wanted):
        raise ProvinceError(
            _("Mỗi chỉ tiêu ghi tối đa %(n)s ký tự (mã hoặc tên).") % {"n": TARGET_LABEL_LIMIT}
        )
    addressed = recipients(body, audience, level=level, schools=schools)
    request = ReportRequest(
        body=body,
        kind=kind,
        title=title,
        start_year=start_year,
        deadline=deadline,
        text=(text or "").strip(),
        targets=wanted if kind == RequestKind.TARGETS else [],
        audience=audience,
        level=level if audience == Audience.LEVEL else "",
        created_by=by if getattr(by, "is_authenticated", False) else None,
        created_at=now,
    )
    stamp(request, by, _("Yêu cầu các trường báo cáo"))
    request.save()
    RequestedSchool.objects.bulk_create(
        RequestedSchool(request=request, school=school, added_at=now) for school in addressed
    )
    notices.report_requested(request, addressed, by=by)
    return request


def requests_of(body_id: int) -> QuerySet[ReportRequest]:
    """The body's requests, latest deadline first, with how many schools were asked and how many
    have submitted."""
    return (
        ReportRequest.objects.active()
        .filter(body_id=body_id)
        .annotate(
            school_count=Count("recipients", distinct=True),
            submitted_count=Count("submissions__school", distinct=True),
        )
        .order_by("-deadline", "-pk")
    )


def received_by(school_id: int) -> list[ReportRequest]:
    """The requests addressed to the school, latest deadline first."""
    return list(
        ReportRequest.objects.active()
        .filter(recipients__school_id=school_id)
        .select_related("body")
        .order_by("-deadline", "-pk")
    )


@dataclass
class Standing:
    """One school's standing on one request: its state, its current submission (the latest),
    its first (punctuality is the first's), and how many days past the deadline."""

    school: Organisation
    level: str
    state: str
    submissions: list[Submission] = field(default_factory=list)
    days_late: int = 0

    @property
    def current(self) -> Submission | None:
        return self.submissions[0] if self.submissions else None

    @property
    def first(self) -> Submission | None:
        return self.submissions[-1] if self.submissions else None

    @property
    def state_label(self) -> str:
        return str(SubmissionState(self.state).label)

    @property
    def level_label(self) -> str:
        return str(dict(SchoolLevel.choices).get(self.level, ""))

    @property
    def figures(self) -> dict[str, str]:
        current = self.current
        return {label: value for label, value in current.figures} if current else {}


def standing(
    school: Organisation, deadline: dt.date, submissions: list[Submission], on: dt.date, level: str
) -> Standing:
    """`submissions`: the school's, newest first."""
    if not submissions:
        late = max((on - deadline).days, 0)
        return Standing(school, level, SubmissionState.MISSING, [], late)
    current, first = submissions[0], submissions[-1]
    late = max((local_day(first.submitted_at) - deadline).days, 0)
    if current.is_returned:
        state = SubmissionState.RETURNED
    else:
        state = SubmissionState.ON_TIME if first.on_time else SubmissionState.LATE
    return Standing(school, level, state, submissions, late)


def standings(request: ReportRequest, on: dt.date | None = None) -> list[Standing]:
    """Every school asked, with its standing (three queries whatever the number of schools)."""
    day = on or today()
    asked = list(
        RequestedSchool.objects.filter(request=request)
        .select_related("school")
        .order_by("school__order", "school__name")
    )
    levels = dict(
        DirectedSchool.objects.filter(body_id=request.body_id).values_list("school_id", "level")
    )
    by_school: dict[int, list[Submission]] = defaultdict(list)
    for submission in Submission.objects.filter(request=request).order_by("school_id", "-number"):
        by_school[submission.school_id].append(submission)
    return [
        standing(
            entry.school,
            request.deadline,
            by_school.get(entry.school_id, []),
            day,
            levels.get(entry.school_id, ""),
        )
        for entry in asked
    ]


def figure_labels(rows: Sequence[Standing], request: ReportRequest) -> list[str]:
    """The columns of the figures side by side: the requested targets in their order, or the
    labels of the papers' headline figures in the order they first appear."""
    labels: list[str] = list(request.targets) if request.kind == RequestKind.TARGETS else []
    for row in rows:
        for label in row.figures:
            if label not in labels:
                labels.append(label)
    return labels


def standing_of(request: ReportRequest, school: Organisation) -> Standing:
    return school_standings([request], school)[0][1]


def school_standings(
    requests: Sequence[ReportRequest], school: Organisation
) -> list[tuple[ReportRequest, Standing]]:
    """One school's standing in each request (one query whatever the number of requests)."""
    by_request: dict[int, list[Submission]] = defaultdict(list)
    for submission in Submission.objects.filter(
        request__in=[request.pk for request in requests], school=school
    ).order_by("request_id", "-number"):
        by_request[submission.request_id].append(submission)
    day = today()
    return [
        (request, standing(school, request.deadline, by_request.get(request.pk, []), day, ""))
        for request in requests
    ]


# Submitting ------------------------------------------------------------------------------------


def issued_papers(request: ReportRequest, school_id: int) -> list[IssuedPaper]:
    """The school's issued papers of the kind asked for (the original numbers, not amendments),
    latest first: what it may submit."""
    if not request.asks_for_paper:
        return []
    return list(
        IssuedPaper.objects.filter(kind=request.kind, amends=None, document__school_id=school_id)
        .select_related("document")
        .order_by("-document__issued_on", "-pk")
    )


def _number(value: Decimal | None) -> str:
    return format_number(value) if value is not None else ""


def _target_value(target: Target) -> str:
    if target.direction == Direction.RANGE:
        return f"{_number(target.range_min)}–{_number(target.range_max)}"
    if target.direction == Direction.BOOLEAN:
        return _("Đạt")
    return _number(target.target_value)


def _actual(target: Target) -> str:
    if target.actual_value is None:
        return ""
    if target.direction == Direction.BOOLEAN:
        return _("Đạt") if target.actual_value else _("Chưa đạt")
    return _number(target.actual_value)


@dataclass(frozen=True)
class TargetLine:
    """One requested target as the school's plan has it (None: the plan has no such target)."""

    asked: str
    target: Target | None
    rag: Rag | None = None

    @property
    def shown(self) -> str:
        """What the body's table shows: the value measured, its unit and the state."""
        if self.target is None:
            return _("Không có chỉ tiêu này")
        actual = _actual(self.target)
        if not actual:
            return _("Chưa có số liệu")
        unit = self.target.unit_of_measure
        state = f" ({Rag(self.rag).label.lower()})" if self.rag else ""
        return f"{actual}{'' if unit == '%' else ' '}{unit}{state}".strip()

    def cells(self) -> list[Any]:
        target = self.target
        if target is None:
            return [self.asked, "", "", "", "", "", None, self.shown]
        return [
            self.asked,
            target.code,
            target.name,
            target.unit_of_measure,
            _target_value(target),
            _actual(target),
            target.actual_on,
            str(Rag(self.rag).label) if self.rag else _("Chưa có số liệu"),
        ]


def plan_of(school_id: int, start_year: int) -> Plan | None:
    """The school's plan of the year: the issued one (a draft is the school's own business)."""
    return (
        Plan.objects.active()
        .filter(school_id=school_id, start_year=start_year, status=PlanStatus.ISSUED)
        .order_by("-pk")
        .first()
    )


def target_lines(request: ReportRequest, school_id: int) -> tuple[Plan | None, list[TargetLine]]:
    """Each requested target in the school's plan of the year, matched by code, else by name
    (without diacritics or case)."""
    plan = plan_of(school_id, request.start_year)
    targets = list(plan.targets.active().order_by("order", "pk")) if plan is not None else []
    by_code = {fold(t.code): t for t in targets if t.code}
    by_name = {fold(t.name): t for t in targets}
    lines = []
    for asked in request.targets:
        key = fold(asked)
        target = by_code.get(key) or by_name.get(key)
        lines.append(TargetLine(asked, target, rag_of(target) if target is not None else None))
    return plan, lines


def _next_number(request: ReportRequest, school: Organisation) -> int:
    # The school's row of the request, locked: two submissions at once take two numbers.
    RequestedSchool.objects.select_for_update().filter(request=request, school=school).first()
    last = (
        Submission.objects.filter(request=request, school=school)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return (last or 0) + 1


@transaction.atomic
def submit(
    request: ReportRequest,
    school: Organisation,
    *,
    by: User,
    paper: Any = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Submission:
    """The school answers the request, frozen: for a report, `paper` is the report it issued (its
    paper and headline figures are copied); for targets, the figures are read from its plan of
    the year. A school may submit again (a correction, or after a return): the next number."""
    if request.is_archived:
        raise ProvinceError(_("Yêu cầu báo cáo đã được lưu trữ."))
    if not RequestedSchool.objects.filter(request=request, school=school).exists():
        raise ProvinceError(_("Trường không thuộc diện được yêu cầu báo cáo này."))
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise ProvinceError(_("Ghi chú dài quá %(n)s ký tự.") % {"n": NOTE_LIMIT})
    now = at or timezone.now()
    if request.asks_for_paper:
        content, filename, source, figures = _paper(request, school, paper)
    else:
        content, filename, source, figures = _targets(request, school)
    submission = Submission(
        request=request,
        school=school,
        number=_next_number(request, school),
        submitted_at=now,
        submitted_by=by if getattr(by, "is_authenticated", False) else None,
        on_time=local_day(now) <= request.deadline,
        note=note,
        source=source,
        figures=figures,
        filename=filename,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    submission.file.save(filename, ContentFile(content), save=False)
    stamp(submission, by, _("Nộp báo cáo lần %(n)s") % {"n": submission.number})
    submission.save()
    notices.report_submitted(submission, by=by)
    return submission


def _paper(
    request: ReportRequest, school: Organisation, paper: Any
) -> tuple[bytes, str, str, list[list[str]]]:
    kind = registry.KINDS.get(request.kind)
    if kind is None or paper is None:
        raise ProvinceError(_("Hãy chọn báo cáo đã ban hành để nộp."))
    if kind.school_of(paper).pk != school.pk:
        raise ProvinceError(_("Chỉ nộp được báo cáo của trường mình."))
    issued = (
        IssuedPaper.objects.filter(kind=kind.code, object_id=paper.pk, amends=None)
        .select_related("document")
        .first()
    )
    if issued is None:
        raise ProvinceError(
            _("Báo cáo chưa ban hành: chỉ nộp được báo cáo đã có số, ký hiệu (đã ban hành).")
        )
    content, filename, _type = render(kind, paper, "docx")
    document = issued.document
    source = _("Số %(symbol)s ngày %(day)s") % {
        "symbol": document.symbol,
        "day": format_date(document.issued_on),
    }
    headline = kind.headline(paper) if kind.headline is not None else {}
    return content, filename, source, [[label, value] for label, value in headline.items()]


def _targets(
    request: ReportRequest, school: Organisation
) -> tuple[bytes, str, str, list[list[str]]]:
    plan, lines = target_lines(request, school.pk)
    if plan is None:
        raise ProvinceError(
            _("Trường chưa có kế hoạch năm học %(year)s đã ban hành để lấy số liệu chỉ tiêu.")
            % {"year": school_year_label(request.start_year)}
        )
    content = excel.target_sheet(request, school, plan, lines)
    filename = f"so-lieu-chi-tieu-{school.code or school.pk}-{request.pk}.xlsx"
    return content, filename, plan.title, [[line.asked, line.shown] for line in lines]


@transaction.atomic
def return_submission(
    submission: Submission, *, by: User, reason: str, at: dt.datetime | None = None
) -> Submission:
    """The body returns the school's latest submission with a reason; the school is told and
    submits again. What was submitted stays as it was."""
    fresh = Submission.objects.select_for_update().select_related("request").get(pk=submission.pk)
    latest = (
        Submission.objects.filter(request_id=fresh.request_id, school_id=fresh.school_id)
        .order_by("-number")
        .values_list("pk", flat=True)
        .first()
    )
    if latest != fresh.pk:
        raise ProvinceError(_("Chỉ trả lại được lần nộp mới nhất của trường."))
    if fresh.is_returned:
        raise ProvinceError(_("Lần nộp này đã được trả lại."))
    reason = (reason or "").strip()
    if not reason:
        raise ProvinceError(_("Hãy ghi lý do trả lại, để trường biết cần sửa gì."))
    if len(reason) > NOTE_LIMIT:
        raise ProvinceError(_("Lý do trả lại dài quá %(n)s ký tự.") % {"n": NOTE_LIMIT})
    fresh.returned_at = at or timezone.now()
    fresh.returned_by = by if getattr(by, "is_authenticated", False) else None
    fresh.return_reason = reason
    stamp(fresh, by, _("Trả lại báo cáo"))
    fresh.save(update_fields=["returned_at", "returned_by", "return_reason"])
    notices.submission_returned(fresh, by=by)
    return fresh


@transaction.atomic
def archive_request(request: ReportRequest, *, by: User) -> ReportRequest:
    """A request withdrawn: kept (with what was submitted), no longer listed or reminded of."""
    stamp(request, by, _("Lưu trữ yêu cầu báo cáo"))
    request.archived_at = timezone.now()
    request.save(update_fields=["archived_at"])
    return request


# A school's grant ------------------------------------------------------------------------------


def entries_of_school(school_id: int) -> QuerySet[DirectedSchool]:
    """The bodies that direct the school (its entries in their lists)."""
    return (
        DirectedSchool.objects.active()
        .filter(school_id=school_id, body__archived_at__isnull=True)
        .select_related("body")
    )


@transaction.atomic
def set_sharing(entry: DirectedSchool, shares: bool, *, by: User) -> DirectedSchool:
    """The school lets the body see the lists behind its summary figures (its overdue tasks and
    its targets not met, by name), or stops doing so; the figures are always seen."""
    if entry.shares_details != shares:
        entry.shares_details = shares
        stamp(
            entry,
            by,
            _("Cho cơ quan chỉ đạo xem danh sách chi tiết")
            if shares
            else _("Thôi cho cơ quan chỉ đạo xem danh sách chi tiết"),
        )
        entry.save(update_fields=["shares_details"])
    return entry


def punctuality(body_id: int, school_ids: Sequence[int], on: dt.date) -> dict[int, tuple[int, int]]:
    """For each school: (requests of the body due by `on` or already answered, those answered on
    time), in two queries."""
    asked = RequestedSchool.objects.filter(
        request__body_id=body_id,
        request__archived_at__isnull=True,
        school_id__in=list(school_ids),
    ).values_list("request_id", "school_id", "request__deadline")
    first_on_time: dict[tuple[int, int], bool] = {}
    for request_id, school_id, on_time in (
        Submission.objects.filter(
            request__body_id=body_id,
            request__archived_at__isnull=True,
            school_id__in=list(school_ids),
        )
        .order_by("request_id", "school_id", "number")
        .values_list("request_id", "school_id", "on_time")
    ):
        first_on_time.setdefault((request_id, school_id), on_time)
    counts: dict[int, tuple[int, int]] = {}
    for request_id, school_id, deadline in asked:
        answered = (request_id, school_id) in first_on_time
        if not answered and deadline >= on:
            continue  # not due yet, nothing sent: neither on time nor late
        due, kept = counts.get(school_id, (0, 0))
        counts[school_id] = (due + 1, kept + int(first_on_time.get((request_id, school_id), False)))
    return counts
