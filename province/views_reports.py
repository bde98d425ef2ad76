"""Report requests, from both ends.

The body's (a Sở's officers): the list of its requests, a new request, and per request every
school asked with its state (chưa nộp, nộp đúng hạn, nộp muộn, trả lại), its submission dates and
the figures side by side (also as Excel); its leadership and clerks return a submission.

The school's (the inbox): the requests it received, and per request its state, what it submitted
and, for its leadership and clerks, the form to submit (an issued report of the kind asked for,
or the figures of the targets asked for, read from its plan). A school sees only the requests
addressed to it and its own submissions; the body never sees a draft (only issued reports are
submitted).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.clock import today
from core.permissions import get_authorised, require
from core.requests import SignedInRequest
from core.sheets.writing import file_slug, xlsx_response
from core.text import format_date
from core.views import attempt, render_form
from organisations.models import Organisation
from organisations.permissions import member_school_id
from papers import registry
from planning.models import Plan
from province import reporting
from province.dashboard import school_year
from province.excel import request_sheet
from province.forms import RequestForm, ReturnForm, SubmitForm
from province.models import ReportRequest, Submission, SubmissionState

VIEW = "province.view"
ISSUE = "province.issue"
VIEW_REQUEST = "province.view_request"
MANAGE_REQUEST = "province.manage_request"
INBOX = "province.inbox"
SUBMIT = "province.submit"
SHARE = "province.share"
SHOWN = {"all", *SubmissionState.values}


@login_required
def request_list(request: SignedInRequest) -> HttpResponse:
    require(request.user, VIEW)
    body_id = member_school_id(request.user)
    context = {
        "requests": list(reporting.requests_of(body_id)),
        "can_issue": request.user.has_perm(ISSUE),
        "today": today(),
    }
    return render(request, "province/request_list.html", context)


@login_required
def request_create(request: SignedInRequest) -> HttpResponse:
    require(request.user, ISSUE)
    body_id = member_school_id(request.user)
    day = today()
    form = RequestForm(
        request.POST or None,
        body_id=body_id,
        initial={"start_year": school_year(day), "audience": "all"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            request,
            lambda: reporting.create_request(
                Organisation.objects.get(pk=body_id),
                kind=data["kind"],
                title=data["title"],
                start_year=data["start_year"],
                deadline=data["deadline"],
                text=data.get("text") or "",
                targets=reporting.parse_targets(data.get("targets") or ""),
                audience=data["audience"],
                level=data.get("level") or "",
                schools=list(data.get("schools") or []),
                by=request.user,
            ),
            form=form,
            success=lambda made: (
                _("Đã gửi yêu cầu báo cáo đến %(n)d trường.") % {"n": made.recipients.count()}
            ),
        )
        if done:
            return redirect("province:request_detail", pk=done.value.pk)
    return render_form(
        request,
        form,
        title=_("Yêu cầu các trường báo cáo"),
        back=reverse("province:request_list"),
        submit=_("Gửi yêu cầu"),
        intro=_(
            "Mỗi trường nộp báo cáo từ số liệu của mình: báo cáo đã ban hành (kèm tệp Word), hoặc "
            "số liệu các chỉ tiêu lấy từ kế hoạch năm học (kèm tệp Excel). Văn thư và Ban giám "
            "hiệu các trường được thông báo và được nhắc trước, sau hạn nộp."
        ),
    )


def _own_request(request: SignedInRequest, pk: int, perm: str | None = None) -> ReportRequest:
    require(request.user, VIEW)
    return get_authorised(
        request.user,
        ReportRequest.objects.active().select_related("body"),
        VIEW_REQUEST,
        perm,
        pk=pk,
    )


@login_required
def request_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    asked = _own_request(request, pk)
    rows = reporting.standings(asked)
    shown = request.GET.get("show", "all")
    if shown not in SHOWN:
        shown = "all"
    counts = {state: sum(1 for row in rows if row.state == state) for state in SubmissionState}
    listed = [row for row in rows if shown == "all" or row.state == shown]
    context = {
        "asked": asked,
        "rows": listed,
        "labels": reporting.figure_labels(rows, asked),
        "counts": [(state, state.label, counts[state]) for state in SubmissionState],
        "total": len(rows),
        "shown": shown,
        "can_manage": request.user.has_perm(MANAGE_REQUEST, asked),
        "return_form": ReturnForm(),
        "today": today(),
    }
    return render(request, "province/request_detail.html", context)


@login_required
def request_export(request: SignedInRequest, pk: int) -> HttpResponse:
    asked = _own_request(request, pk)
    rows = reporting.standings(asked)
    content = request_sheet(asked, rows, reporting.figure_labels(rows, asked))
    return xlsx_response(content, f"{file_slug(asked.title)}.xlsx")


@login_required
@require_POST
def request_archive(request: SignedInRequest, pk: int) -> HttpResponse:
    asked = _own_request(request, pk, MANAGE_REQUEST)
    attempt(
        request,
        lambda: reporting.archive_request(asked, by=request.user),
        success=_("Đã lưu trữ yêu cầu báo cáo."),
    )
    return redirect("province:request_list")


@login_required
@require_POST
def submission_return(request: SignedInRequest, pk: int) -> HttpResponse:
    """The body returns a school's latest submission, with a reason."""
    require(request.user, VIEW)
    submission = get_object_or_404(Submission.objects.select_related("request"), pk=pk)
    if not request.user.has_perm(VIEW_REQUEST, submission.request):
        raise Http404
    require(request.user, MANAGE_REQUEST, submission.request)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi lý do trả lại (tối đa 1000 ký tự)."))
    else:
        attempt(
            request,
            lambda: reporting.return_submission(
                submission, by=request.user, reason=form.cleaned_data["reason"]
            ),
            success=_("Đã trả lại báo cáo của %(school)s.") % {"school": submission.school.name},
        )
    return redirect("province:request_detail", pk=submission.request_id)


@login_required
def submission_file(request: SignedInRequest, pk: int) -> HttpResponse:
    """A submission's file: for the body that asked, and for the school that submitted it."""
    submission = get_object_or_404(Submission.objects.select_related("request"), pk=pk)
    user = request.user
    body_reads = user.has_perm(VIEW) and user.has_perm(VIEW_REQUEST, submission.request)
    school_reads = user.has_perm(INBOX) and member_school_id(user) == submission.school_id
    if not (body_reads or school_reads) or not submission.file:
        raise Http404
    content_type = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if submission.filename.endswith(".docx")
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(submission.read(), content_type=content_type)
    name = f"lan-{submission.number}-{submission.filename}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The school's side ------------------------------------------------------------------------------


@login_required
def inbox(request: SignedInRequest) -> HttpResponse:
    """The requests the school received, with its state on each, and the bodies that direct it
    (what each sees of it; its leadership grants or withdraws the lists)."""
    require(request.user, INBOX)
    school_id = member_school_id(request.user)
    received = reporting.received_by(school_id)
    by_request: dict[int, list[Submission]] = {}
    for submission in Submission.objects.filter(
        school_id=school_id, request__in=[r.pk for r in received]
    ).order_by("request_id", "-number"):
        by_request.setdefault(submission.request_id, []).append(submission)
    school = Organisation.objects.get(pk=school_id)
    day = today()
    rows = [
        (asked, reporting.standing(school, asked.deadline, by_request.get(asked.pk, []), day, ""))
        for asked in received
    ]
    context = {
        "rows": rows,
        "entries": list(reporting.entries_of_school(school_id)),
        "can_share": request.user.has_perm(SHARE),
    }
    return render(request, "province/inbox.html", context)


def _received(request: SignedInRequest, pk: int) -> tuple[ReportRequest, Organisation]:
    require(request.user, INBOX)
    school_id = member_school_id(request.user)
    asked = get_object_or_404(
        ReportRequest.objects.active().select_related("body"),
        pk=pk,
        recipients__school_id=school_id,
    )
    return asked, Organisation.objects.get(pk=school_id)


def _paper_choices(asked: ReportRequest, school_id: int) -> list[tuple[int, str]] | None:
    if not asked.asks_for_paper:
        return None
    return [
        (
            paper.pk,
            f"{paper.document.symbol} ngày {format_date(paper.document.issued_on)} – "
            f"{paper.document.summary}",
        )
        for paper in reporting.issued_papers(asked, school_id)
    ]


@login_required
def inbox_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    asked, school = _received(request, pk)
    standing = reporting.standing_of(asked, school)
    can_submit = request.user.has_perm(SUBMIT)
    plan: Plan | None = None
    lines: list[reporting.TargetLine] = []
    if not asked.asks_for_paper:
        plan, lines = reporting.target_lines(asked, school.pk)
    choices = _paper_choices(asked, school.pk)
    context = {
        "asked": asked,
        "standing": standing,
        "plan": plan,
        "lines": lines,
        "choices": choices,
        "can_submit": can_submit,
        "form": SubmitForm(papers=choices) if can_submit else None,
        "today": today(),
    }
    return render(request, "province/inbox_detail.html", context)


@login_required
@require_POST
def inbox_submit(request: SignedInRequest, pk: int) -> HttpResponse:
    asked, school = _received(request, pk)
    require(request.user, SUBMIT)
    choices = _paper_choices(asked, school.pk)
    form = SubmitForm(request.POST, papers=choices)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("province:inbox_detail", pk=asked.pk)
    paper = None
    if choices is not None:
        chosen = next(
            (
                p
                for p in reporting.issued_papers(asked, school.pk)
                if p.pk == form.cleaned_data["paper"]
            ),
            None,
        )
        if chosen is None:
            messages.error(request, _("Hãy chọn báo cáo đã ban hành để nộp."))
            return redirect("province:inbox_detail", pk=asked.pk)
        # The paper's own loader: the same permission as its page (a member who may not read
        # the report may not submit it).
        paper = registry.get(asked.kind).load(request, chosen.object_id)
    attempt(
        request,
        lambda: reporting.submit(
            asked, school, by=request.user, paper=paper, note=form.cleaned_data.get("note") or ""
        ),
        success=lambda made: (
            _("Đã nộp báo cáo (lần %(n)s), đúng hạn.") % {"n": made.number}
            if made.on_time
            else _("Đã nộp báo cáo (lần %(n)s), sau hạn nộp.") % {"n": made.number}
        ),
    )
    return redirect("province:inbox_detail", pk=asked.pk)


@login_required
@require_POST
def share(request: SignedInRequest, pk: int) -> HttpResponse:
    """The school's leadership lets a body that directs it see the lists behind its figures."""
    require(request.user, SHARE)
    school_id = member_school_id(request.user)
    entry = get_object_or_404(reporting.entries_of_school(school_id), pk=pk)
    shares = request.POST.get("shares") == "1"
    attempt(
        request,
        lambda: reporting.set_sharing(entry, shares, by=request.user),
        success=(
            _("%(body)s xem được danh sách nhiệm vụ quá hạn, chỉ tiêu chưa đạt của trường.")
            if shares
            else _("%(body)s chỉ còn xem số liệu tổng hợp của trường.")
        )
        % {"body": entry.body.name},
    )
    return redirect("province:inbox")
