"""Every change of a report is a named, atomic action here: views, the demo and tests call these."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import stamp
from core.errors import DomainError
from documents.models import DocumentSystem, DocumentType
from organisations.membership import person_record
from organisations.models import Organisation, Person, Position, Role
from papers.models import NumberSeries
from papers.numbering import NumberingError, issue_number, series_period
from planning.models import Plan
from reports import drafting, figures, notices
from reports.models import NARRATIVE_FIELDS, Report, ReportKind, ReportPeriod, ReportStatus

TEXT_LIMIT = 50_000
# A submission's message and a return's reason: a few lines, not a second report.
NOTE_LIMIT = 1000


class ReportError(DomainError):
    """A rule of reports was broken; the message is shown to the user as is."""


class StaleReport(ReportError):
    """Someone else saved the report since the form was opened (optimistic concurrency)."""

    status = 409

    def __init__(self, report: Report) -> None:
        self.report = report
        record = report.history.select_related("history_user").first()
        who = ""
        if record is not None and record.history_user is not None:
            person = person_record(record.history_user)
            who = str(person) if person else record.history_user.get_username()
        self.who = who
        super().__init__(
            _(
                "Báo cáo vừa được người khác sửa trong lúc bạn soạn%(who)s. Nội dung mới nhất "
                "hiện bên dưới; phần bạn viết vẫn còn trong ô, hãy đối chiếu rồi lưu lại."
            )
            % {"who": f" ({who})" if who else ""}
        )


def default_period(kind: str, plan: Plan) -> str:
    return ReportPeriod.YEAR if kind == ReportKind.YEAR else ReportPeriod.SEMESTER


@transaction.atomic
def create_report(
    plan: Plan,
    *,
    kind: str,
    cutoff: dt.date,
    by: User,
    unit: Organisation | None = None,
    period: str | None = None,
    period_start: dt.date | None = None,
    is_sample: bool = False,
) -> Report:
    """A new draft report whose narrative parts are drafted from the check-ins up to the cut-off."""
    if kind not in ReportKind.values:
        raise ReportError(_("Loại báo cáo không hợp lệ."))
    if (kind == ReportKind.UNIT) != (unit is not None):
        raise ReportError(_("Báo cáo của đơn vị cần chọn đơn vị; báo cáo của trường thì không."))
    if unit is not None and unit.school_id != plan.school_id:
        raise ReportError(_("Đơn vị không thuộc trường của kế hoạch."))
    start = period_start or plan.starts_on
    if not plan.starts_on <= cutoff <= plan.ends_on:
        raise ReportError(
            _("Ngày tính số liệu phải trong năm học (%(start)s – %(end)s).")
            % {
                "start": plan.starts_on.strftime("%d/%m/%Y"),
                "end": plan.ends_on.strftime("%d/%m/%Y"),
            }
        )
    if start > cutoff:
        raise ReportError(_("Ngày bắt đầu kỳ báo cáo phải trước ngày tính số liệu."))
    report = Report(
        plan=plan,
        kind=kind,
        unit=unit,
        period=period or default_period(kind, plan),
        period_start=start,
        cutoff=cutoff,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        is_sample=is_sample,
    )
    for field, value in drafting.draft(report).items():
        setattr(report, field, value)
    stamp(report, by, _("Tạo báo cáo, phần nội dung soạn sẵn từ báo cáo tiến độ"))
    report.save()
    return report


def _lock(report: Report, expected_version: int | None) -> Report:
    fresh = (
        Report.objects.select_for_update(of=("self",))
        .select_related("plan__school", "unit")
        .get(pk=report.pk)
    )
    if expected_version is not None and fresh.version != expected_version:
        raise StaleReport(fresh)
    if fresh.is_issued:
        raise ReportError(_("Báo cáo đã ban hành, không sửa được nữa."))
    if fresh.is_archived:
        raise ReportError(_("Báo cáo đã lưu trữ."))
    return fresh


@transaction.atomic
def update_narrative(
    report: Report,
    *,
    by: User,
    texts: dict[str, Any],
    expected_version: int | None,
) -> Report:
    """Save the edited narrative parts; refused if someone saved the report in between."""
    fresh = _lock(report, expected_version)
    for field in NARRATIVE_FIELDS:
        if field in texts:
            value = (texts[field] or "").strip()
            if len(value) > TEXT_LIMIT:
                raise ReportError(
                    _("Một phần của báo cáo dài quá %(n)s ký tự.") % {"n": TEXT_LIMIT}
                )
            setattr(fresh, field, value)
    if "area_comments" in texts:
        area_ids = {str(pk) for pk in fresh.plan.areas.values_list("pk", flat=True)}
        comments = {
            key: value.strip()
            for key, value in (texts["area_comments"] or {}).items()
            if key in area_ids and (value or "").strip()
        }
        fresh.area_comments = comments
    # A submitted report may still be corrected; it stays submitted, and the history (and the
    # page, through changed_since_submission) shows the signer what changed since.
    stamp(
        fresh,
        by,
        _("Sửa nội dung báo cáo sau khi trình ký")
        if fresh.is_submitted
        else _("Sửa nội dung báo cáo"),
    )
    fresh.save()
    return fresh


def _bounded(text: str | None, what: str) -> str:
    value = (text or "").strip()
    if len(value) > NOTE_LIMIT:
        raise ReportError(_("%(what)s dài quá %(n)s ký tự.") % {"what": what, "n": NOTE_LIMIT})
    return value


@transaction.atomic
def submit_report(
    report: Report, *, by: User, note: str = "", expected_version: int | None
) -> Report:
    """Submit the draft for signature (trình ký), with an optional message: the people who may
    sign it are told. A returned report is submitted again the same way."""
    fresh = _lock(report, expected_version)
    if fresh.is_submitted:
        raise ReportError(_("Báo cáo đã được trình ký, đang chờ ký."))
    fresh.submission_note = _bounded(note, _("Lời trình"))
    fresh.status = ReportStatus.SUBMITTED
    fresh.submitted_at = timezone.now()
    fresh.submitted_by = by if getattr(by, "is_authenticated", False) else None
    # The previous return stays in the history; the page shows the report as it is now.
    fresh.returned_at, fresh.returned_by, fresh.return_reason = None, None, ""
    stamp(fresh, by, _("Trình ký báo cáo"))
    fresh.save()
    notices.report_submitted(fresh, by=by)
    return fresh


@transaction.atomic
def return_report(report: Report, *, by: User, reason: str, expected_version: int | None) -> Report:
    """A signer sends the submitted report back to be revised, saying why; the one who submitted
    it is told. It stays a draft that anyone who may write it revises and submits again."""
    fresh = _lock(report, expected_version)
    if not fresh.is_submitted:
        raise ReportError(_("Chỉ trả lại được báo cáo đang chờ ký."))
    if fresh.submitted_by_id is not None and fresh.submitted_by_id == getattr(by, "pk", None):
        raise ReportError(
            _("Bạn là người đã trình ký báo cáo này: hãy sửa trực tiếp, không cần trả lại.")
        )
    reason = _bounded(reason, _("Lý do trả lại"))
    if not reason:
        raise ReportError(_("Hãy ghi lý do trả lại, để người soạn biết cần sửa gì."))
    fresh.status = ReportStatus.RETURNED
    fresh.returned_at = timezone.now()
    fresh.returned_by = by if getattr(by, "is_authenticated", False) else None
    fresh.return_reason = reason
    stamp(fresh, by, _("Trả lại báo cáo để chỉnh sửa"))
    fresh.save()
    notices.report_returned(fresh, by=by)
    return fresh


def changed_since_submission(report: Report) -> list[str]:
    """The parts of a submitted report edited since it was submitted (their labels), read from
    its history: what the signer has not seen when they were told."""
    if not report.is_submitted or report.submitted_at is None:
        return []
    submitted = (
        report.history.filter(status=ReportStatus.SUBMITTED, submitted_at=report.submitted_at)
        .order_by("history_date", "history_id")
        .first()
    )
    if submitted is None:
        return []
    return [
        label
        for field, label in _part_labels().items()
        if getattr(submitted, field) != getattr(report, field)
    ]


def _part_labels() -> dict[str, str]:
    """The narrative parts in the order of the paper, by their headings."""
    return {
        "situation": _("Tình hình chung"),
        "area_comments": _("Nhận xét kết quả theo lĩnh vực"),
        "shortcomings": _("Tồn tại, hạn chế và nguyên nhân"),
        "direction": _("Phương hướng, nhiệm vụ kỳ tới"),
        "proposals": _("Đề xuất, kiến nghị"),
    }


def signer_choices(report: Report, on: dt.date | None = None) -> list[Position]:
    """Who may sign: the school's leadership, or the unit's head and deputies."""
    positions = Position.objects.current(on).select_related("person")
    if report.unit_id is None:
        positions = positions.filter(organisation_id=report.plan.school_id, role=Role.LEADERSHIP)
    else:
        positions = positions.filter(
            organisation_id=report.unit_id, role__in=[Role.HEAD, Role.DEPUTY]
        )
    return sorted(positions, key=lambda p: (p.title.lower().startswith("phó"), p.order, p.pk))


def signing_block(position: Position) -> tuple[str, str, str]:
    """(mark, title, name): a deputy signs "KT." for the head ("KT. HIỆU TRƯỞNG")."""
    title = position.title
    if title.lower().startswith("phó "):
        return f"KT. {title[4:].upper()}", title, position.person.full_name
    return "", title, position.person.full_name


# What the draft leaves for leadership (or the unit head) to write: "(Ban giám hiệu bổ sung …)".
_TO_FILL = re.compile(r"\((?:Ban giám hiệu|Trưởng đơn vị)? ?bổ sung[^)]*\)", re.IGNORECASE)


def issue_preview(report: Report, on: dt.date) -> dict[str, Any]:
    """What issuing the report would do, and the problems worth a look before it is issued."""
    data = figures.compute(report)
    issuer = report.unit or report.plan.school
    blocking: list[str] = []
    warnings: list[str] = []
    if not issuer.abbreviation:
        blocking.append(
            _("%(issuer)s chưa có chữ viết tắt dùng trong số, ký hiệu văn bản (BC-…).")
            % {"issuer": issuer.name}
        )
    if not signer_choices(report, on):
        blocking.append(_("Chưa có ai giữ chức vụ ký báo cáo này vào ngày ban hành."))
    for field, label in _part_labels().items():
        if field == "area_comments":
            continue
        text = getattr(report, field) or ""
        if not text.strip():
            warnings.append(_("Phần “%(part)s” còn trống.") % {"part": label})
        for gap in _TO_FILL.findall(text):
            warnings.append(
                _("Phần “%(part)s” còn chỗ để trống của bản soạn sẵn: %(gap)s")
                % {"part": label, "gap": gap}
            )
    missing = data["target_states"]["none"]
    if missing:
        warnings.append(
            _("%(n)s chỉ tiêu chưa có số liệu đến ngày %(day)s.")
            % {"n": missing, "day": data["cutoff"]}
        )
    silent = [row["unit"] for row in data.get("punctuality", []) if not row["checkins"]]
    if silent:
        warnings.append(
            _("Chưa gửi báo cáo tiến độ nào trong kỳ: %(units)s.") % {"units": ", ".join(silent)}
        )
    series = NumberSeries.objects.filter(
        issuer=issuer, doc_type__code="BC", period=series_period(issuer, DocumentSystem.STATE, on)
    ).first()
    next_number = (series.last_number if series else 0) + 1
    return {
        "blocking": blocking,
        "warnings": warnings,
        "symbol": f"{next_number:02d}/BC-{issuer.abbreviation or '…'}",
        "year": on.year,
        "issuer": issuer,
        "data": data,
        "overdue_units": sorted({t["unit"] for t in data["overdue"] if t["unit"]}),
    }


@transaction.atomic
def issue_report(
    report: Report,
    *,
    by: User,
    on: dt.date,
    signer: Position,
    expected_version: int | None = None,
) -> Report:
    """Give the report its number (BC series of the school or unit), name the signer and freeze
    the figures as they stand."""
    fresh = _lock(report, expected_version)
    if signer not in signer_choices(fresh, on):
        raise ReportError(_("Người ký không có chức vụ ký báo cáo này."))
    if on < fresh.cutoff:
        raise ReportError(_("Ngày ban hành không được trước ngày tính số liệu."))
    issuer = fresh.unit or fresh.plan.school
    mark, title, name = signing_block(signer)
    try:
        issue_number(
            issuer=issuer,
            doc_type=DocumentType.objects.get(code="BC"),
            system=DocumentSystem.STATE,
            on=on,
            kind=fresh.paper_kind,
            object_id=fresh.pk,
            summary=fresh.summary,
            signer_title=title,
            by=by,
        )
    except NumberingError as error:
        raise ReportError(str(error)) from error
    fresh.snapshot = figures.compute(fresh)
    fresh.status = ReportStatus.ISSUED
    fresh.issued_on = on
    fresh.issued_by = by if getattr(by, "is_authenticated", False) else None
    fresh.signer = signer.person
    fresh.signing_mark, fresh.signer_title, fresh.signer_name = mark, title, name
    stamp(fresh, by, _("Ban hành báo cáo"))
    fresh.save()
    notices.report_issued(fresh, by=by)
    return fresh


@transaction.atomic
def archive_report(report: Report, *, by: User) -> Report:
    """Drafts are archived, never deleted; an issued report stays (it is in the register)."""
    fresh = _lock(report, None)
    stamp(fresh, by, _("Lưu trữ báo cáo"))
    fresh.archived_at = timezone.now()
    fresh.save(update_fields=["archived_at"])
    return fresh


def person_of(user: Any) -> Person | None:
    return (
        Person.objects.filter(user=user).first()
        if getattr(user, "is_authenticated", False)
        else None
    )
