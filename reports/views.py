"""Report pages: thin views that parse, authorise, call a service and render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import history_entries
from core.clock import today
from core.permissions import get_authorised
from core.requests import SignedInRequest
from core.views import attempt, render_form
from organisations.membership import membership_of
from organisations.models import Organisation
from papers.models import IssuedPaper
from planning.models import Plan
from reports import figures, services
from reports.forms import IssueForm, NarrativeForm, ReportCreateForm, ReturnForm, SubmitForm
from reports.models import Report, ReportKind
from reports.notices import signers_to_tell
from reports.papers import figures_of
from reports.rules import may_write_for

VIEW = "reports.view_report"
CHANGE = "reports.change_report"
SUBMIT = "reports.submit_report"
RETURN = "reports.return_report"
ISSUE = "reports.issue_report"


def _plan(request: HttpRequest, pk: int, perm: str | None = None) -> Plan:
    return get_authorised(
        request.user, Plan.objects.select_related("school"), "reports.view_reports", perm, pk=pk
    )


def _report(request: HttpRequest, pk: int, perm: str | None = None) -> Report:
    return get_authorised(
        request.user,
        Report.objects.select_related("plan__school__parent", "unit"),
        VIEW,
        perm,
        pk=pk,
    )


def _numbers(reports: list[Report]) -> dict[tuple[str, int], str]:
    """The register symbol of each issued report, in one query."""
    rows = IssuedPaper.objects.filter(
        kind__in=[f"report_{k}" for k in ReportKind.values], object_id__in=[r.pk for r in reports]
    ).values_list("kind", "object_id", "document__symbol")
    return {(kind, object_id): symbol for kind, object_id, symbol in rows}


@login_required
def report_list(request: SignedInRequest, plan_pk: int) -> HttpResponse:
    plan = _plan(request, plan_pk)
    reports = list(
        Report.objects.active()
        .filter(plan=plan)
        .select_related("plan", "unit")
        .order_by("-cutoff", "-pk")
    )
    numbers = _numbers(reports)
    for report in reports:
        # The list shows each report's number; an attribute set for the template only.
        report.symbol = numbers.get((report.paper_kind, report.pk), "")  # type: ignore[attr-defined]
    return render(
        request,
        "reports/report_list.html",
        {
            "plan": plan,
            "reports": reports,
            "can_add": request.user.has_perm("reports.add_report", plan),
        },
    )


def _writable_units(request: HttpRequest, plan: Plan) -> Any:
    membership = membership_of(request.user)
    units = (
        Organisation.objects.active().filter(school_id=plan.school_id).exclude(pk=plan.school_id)
    )
    if not (membership.leads_school(plan.school_id) or request.user.is_superuser):
        units = units.filter(pk__in=membership.headed_unit_ids)
    return units.order_by("order", "name")


@login_required
def report_create(request: SignedInRequest, plan_pk: int) -> HttpResponse:
    plan = _plan(request, plan_pk, "reports.add_report")
    leads = may_write_for(request.user, plan, None)
    kinds = [(k.value, str(k.label)) for k in ReportKind if leads or k == ReportKind.UNIT]
    units = _writable_units(request, plan)
    only = list(units[:2]) if not leads else []
    form = ReportCreateForm(
        request.POST or None,
        kinds=kinds,
        units=units,
        initial={
            "cutoff": min(today(), plan.ends_on),
            "kind": kinds[0][0],
            # A unit head of one unit reports for it.
            "unit": only[0].pk if len(only) == 1 else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not may_write_for(request.user, plan, data["unit"]):
            raise PermissionDenied
        created = attempt(
            request,
            lambda: services.create_report(
                plan,
                kind=data["kind"],
                cutoff=data["cutoff"],
                unit=data["unit"],
                period=data.get("period") or None,
                period_start=data.get("period_start"),
                by=request.user,
            ),
            form=form,
            success=_(
                "Đã tạo dự thảo báo cáo; phần nội dung đã soạn sẵn từ báo cáo tiến độ, hãy rà soát."
            ),
        )
        if created:
            return redirect("reports:report_detail", pk=created.value.pk)
    return render_form(
        request,
        form,
        title=_("Tạo báo cáo – %(plan)s") % {"plan": plan.title},
        back=reverse("reports:report_list", args=[plan.pk]),
        submit=_("Tạo dự thảo"),
        intro=_(
            "Số liệu được tính từ dữ liệu theo dõi đến ngày chọn; phần nội dung (tình hình, tồn tại, "
            "phương hướng, đề xuất) được soạn sẵn từ các báo cáo tiến độ để Ban giám hiệu hoặc "
            "trưởng đơn vị sửa trước khi ban hành."
        ),
    )


@login_required
def report_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    live_view = request.GET.get("live") == "1"
    changed: list[str] = []
    if report.is_issued and report.snapshot is not None:
        live = figures.compute(report)
        changed = figures.differences(report.snapshot, live)
        data = live if live_view else report.snapshot
    else:
        data = figures_of(report)
    issued = (
        IssuedPaper.objects.filter(kind=report.paper_kind, object_id=report.pk)
        .select_related("document")
        .first()
    )
    areas = list(report.plan.areas.active().order_by("order", "pk"))
    counts = {str(row["id"]): row for row in data["by_area"]}
    area_rows = [
        (area, counts.get(str(area.pk)), (report.area_comments or {}).get(str(area.pk), ""))
        for area in areas
    ]
    user = request.user
    open_ = not report.is_issued and not report.is_archived
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "plan": report.plan,
            "data": data,
            "area_rows": area_rows,
            "issued": issued,
            "changed": changed,
            "live_view": live_view,
            "can_change": open_ and user.has_perm(CHANGE, report),
            "can_submit": open_ and not report.is_submitted and user.has_perm(SUBMIT, report),
            "can_return": open_
            and report.is_submitted
            and report.submitted_by_id != user.pk
            and user.has_perm(RETURN, report),
            "can_issue": open_ and user.has_perm(ISSUE, report),
            # Who the report waits for ("Đã trình ký — chờ … ký"), and what changed since.
            "signers": _awaited(report),
            "changed_since": services.changed_since_submission(report),
            "history": history_entries(report),
        },
    )


def _awaited(report: Report) -> list[Any]:
    """Whose signature a submitted report waits for: those who may sign it but the one who
    submitted it (unless nobody else may)."""
    if not report.is_submitted:
        return []
    signers = services.signer_choices(report, today())
    others = [p for p in signers if p.person.user_id != report.submitted_by_id]
    return others or signers


def _differing(latest: Report, form: NarrativeForm) -> list[tuple[str, str]]:
    """The parts whose saved text differs from what this editor sent: (label, latest text)."""
    posted = form.texts()
    saved = {
        "situation": latest.situation,
        "shortcomings": latest.shortcomings,
        "direction": latest.direction,
        "proposals": latest.proposals,
    }
    parts = []
    for name, field in form.fields.items():
        if name.startswith("area_"):
            key = name.removeprefix("area_")
            mine = posted["area_comments"].get(key, "")
            theirs = (latest.area_comments or {}).get(key, "")
        elif name in saved:
            mine, theirs = posted[name], saved[name]
        else:
            continue
        if (mine or "").strip() != (theirs or "").strip():
            parts.append((str(field.label), theirs))
    return parts


@login_required
def report_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    """The narrative parts. Posted with the version it was opened at: if someone saved in
    between, the editor is told, sees the latest text, and keeps what they wrote."""
    report = _report(request, pk, CHANGE)
    back = reverse("reports:report_detail", args=[report.pk])
    if report.is_issued:
        messages.error(request, _("Báo cáo đã ban hành, không sửa được nữa."))
        return redirect(back)
    areas = list(report.plan.areas.active().order_by("order", "pk"))
    initial = {
        "version": report.version,
        "situation": report.situation,
        "shortcomings": report.shortcomings,
        "direction": report.direction,
        "proposals": report.proposals,
        **{f"area_{a.pk}": (report.area_comments or {}).get(str(a.pk), "") for a in areas},
    }
    data = request.POST.copy() if request.method == "POST" else None
    form = NarrativeForm(data, initial=initial, areas=areas)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_narrative(
                report,
                by=request.user,
                texts=form.texts(),
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleReport as error:
            stale = error.report
            form.add_error(None, error.message)
            data["version"] = str(stale.version)  # type: ignore[index]
        except services.ReportError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Đã lưu nội dung báo cáo."))
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = back
                return response
            return redirect(back)
    context = {
        "form": form,
        "report": report,
        "stale": stale,
        "stale_parts": _differing(stale, form) if stale else [],
        "back": back,
    }
    status = 409 if stale else (400 if form.is_bound and form.errors else 200)
    if request.headers.get("HX-Request"):
        # htmx swaps only 2xx answers: the form with its message comes back as 200.
        return render(request, "reports/_narrative_form.html", context)
    return render(request, "reports/report_edit.html", context, status=status)


def _refuse(
    request: HttpRequest, report: Report, *, wrong_state: bool, message: str
) -> HttpResponse | None:
    """Back to the report, saying why, when it is not in a state for this step of the review."""
    if report.is_issued:
        message = _("Báo cáo đã ban hành.")
    elif report.is_archived:
        message = _("Báo cáo đã lưu trữ.")
    elif not wrong_state:
        return None
    messages.info(request, message)
    return redirect("reports:report_detail", pk=report.pk)


def _review_page(
    request: SignedInRequest,
    report: Report,
    form: SubmitForm | ReturnForm,
    action: Callable[[dict[str, Any]], Report],
    *,
    success: str,
    title: str,
    submit: str,
    intro: str,
    extra: dict[str, Any],
) -> HttpResponse:
    """A step of the review: the form, the service, then back to the report, or the form again
    with what refused it (a rule: 400; someone changed the report in between: 409)."""
    back = reverse("reports:report_detail", args=[report.pk])
    if request.method == "POST" and form.is_valid():
        try:
            action(form.cleaned_data)
        except services.StaleReport as error:
            form.stale(error)
        except services.ReportError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, success)
            return redirect(back)
    return render_form(
        request,
        form,
        title=title,
        back=back,
        submit=submit,
        intro=intro,
        template="reports/report_review.html",
        extra={"report": report, **extra},
    )


@login_required
def report_submit(request: SignedInRequest, pk: int) -> HttpResponse:
    """Trình ký: the drafter sends the draft to the people who may sign it."""
    report = _report(request, pk, SUBMIT)
    refused = _refuse(
        request,
        report,
        wrong_state=report.is_submitted,
        message=_("Báo cáo đã được trình ký, đang chờ ký."),
    )
    if refused is not None:
        return refused
    form = SubmitForm(request.POST or None, initial={"version": report.version})
    told = signers_to_tell(report)
    preview = services.issue_preview(report, max(today(), report.cutoff))
    return _review_page(
        request,
        report,
        form,
        lambda data: services.submit_report(
            report, by=request.user, note=data["note"], expected_version=data["version"]
        ),
        success=_("Đã trình ký báo cáo; người ký đã nhận được thông báo."),
        title=_("Trình ký: %(report)s") % {"report": report.summary},
        submit=_("Trình ký"),
        intro=_(
            "Người ký nhận được thông báo kèm đường dẫn tới báo cáo. Trong lúc chờ ký, nội dung "
            "vẫn sửa được; mỗi lần sửa được ghi trong lịch sử và người ký thấy phần đã sửa."
        ),
        extra={
            "step": "submit",
            "told": [user for user in told if user.pk != request.user.pk],
            "problems": preview["blocking"] + preview["warnings"],
        },
    )


@login_required
def report_return(request: SignedInRequest, pk: int) -> HttpResponse:
    """Trả lại để chỉnh sửa: a signer sends the submitted report back, saying why."""
    report = _report(request, pk, RETURN)
    refused = _refuse(
        request,
        report,
        wrong_state=not report.is_submitted,
        message=_("Chỉ trả lại được báo cáo đang chờ ký."),
    )
    if refused is not None:
        return refused
    form = ReturnForm(request.POST or None, initial={"version": report.version})
    return _review_page(
        request,
        report,
        form,
        lambda data: services.return_report(
            report, by=request.user, reason=data["reason"], expected_version=data["version"]
        ),
        success=_("Đã trả lại báo cáo; người trình ký đã nhận được thông báo kèm lý do."),
        title=_("Trả lại để chỉnh sửa: %(report)s") % {"report": report.summary},
        submit=_("Trả lại"),
        intro=_(
            "Báo cáo trở về dự thảo, người trình ký được báo kèm lý do; họ sửa rồi trình ký lại. "
            "Nếu chỉ cần sửa nhỏ, bạn có thể tự sửa nội dung rồi ban hành."
        ),
        extra={"step": "return", "told": [report.submitted_by] if report.submitted_by else []},
    )


@login_required
def report_issue(request: SignedInRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, ISSUE)
    back = reverse("reports:report_detail", args=[report.pk])
    if report.is_issued:
        messages.info(request, _("Báo cáo đã ban hành."))
        return redirect(back)
    signers = services.signer_choices(report, today())
    person = services.person_of(request.user)
    default = next((p for p in signers if person and p.person_id == person.pk), None)
    form = IssueForm(
        request.POST or None,
        signers=signers,
        initial={
            "version": report.version,
            "issued_on": max(today(), report.cutoff),
            "signer": default.pk if default else (signers[0].pk if signers else None),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        issued = attempt(
            request,
            lambda: services.issue_report(
                report,
                by=request.user,
                on=data["issued_on"],
                signer=data["signer"],
                expected_version=data["version"],
            ),
            form=form,
            success=_("Đã ban hành báo cáo; số liệu được giữ nguyên như lúc ban hành."),
        )
        if issued:
            return redirect(back)
    # The preview follows the date the user chose, even when the form is sent back unconfirmed.
    on = (
        form.cleaned_data.get("issued_on")
        if form.is_bound and hasattr(form, "cleaned_data")
        else None
    )
    preview = services.issue_preview(report, on or max(today(), report.cutoff))
    return render_form(
        request,
        form,
        title=_("Ban hành: %(report)s") % {"report": report.summary},
        back=back,
        submit=_("Xác nhận: lấy số và ban hành"),
        template="reports/report_issue.html",
        extra={"report": report, "preview": preview},
    )


@login_required
@require_POST
def report_archive(request: SignedInRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, CHANGE)
    archived = attempt(
        request,
        lambda: services.archive_report(report, by=request.user),
        success=_("Đã lưu trữ dự thảo báo cáo."),
    )
    if not archived:
        return redirect("reports:report_detail", pk=report.pk)
    return redirect("reports:report_list", plan_pk=report.plan_id)
