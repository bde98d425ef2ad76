"""The body's directives (a Sở GD&ĐT's): the list, a new directive registered and sent down, and
per directive the schools it reached, which have built tasks on it (how many) and which have not.

Only the body's own members reach these pages; a school's members get 403 (what reaches them is
in their own register). A directive of another body is not found (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import history_entries
from core.permissions import get_authorised, require
from core.requests import SignedInRequest
from core.views import attempt, render_form
from documents.models import Document
from organisations.permissions import member_school_id
from province import services
from province.forms import CorrectionForm, DirectiveForm, RecipientsForm, WithdrawForm
from province.models import DirectedSchool, Dispatch

VIEW = "province.view"
ISSUE = "province.issue"
VIEW_DIRECTIVE = "province.view_directive"
SEND = "province.send_directive"
# ?show= on a directive's page: every school, those that built tasks on it, those that have not.
SHOWN = {"all", "acted", "not_acted"}


@login_required
def directive_list(request: SignedInRequest) -> HttpResponse:
    require(request.user, VIEW)
    body_id = member_school_id(request.user)
    documents = list(services.directives(body_id))
    acted = services.acted_on_counts(documents)
    rows = [(document, acted.get(document.pk, 0)) for document in documents]
    context = {
        "rows": rows,
        "can_issue": request.user.has_perm(ISSUE),
        "school_count": services.directed_schools(body_id).count(),
    }
    return render(request, "province/directive_list.html", context)


@login_required
def directive_create(request: SignedInRequest) -> HttpResponse:
    require(request.user, ISSUE)
    body_id = member_school_id(request.user)
    document = Document(school_id=body_id)
    form = DirectiveForm(
        request.POST or None, request.FILES or None, instance=document, body_id=body_id
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sent = attempt(
            request,
            lambda: services.issue_directive(
                form.instance,
                data["audience"],
                level=data.get("level") or "",
                schools=list(data.get("schools") or []),
                by=request.user,
            ),
            form=form,
            success=lambda dispatch: (
                _("Đã vào sổ và gửi văn bản %(symbol)s đến %(count)d trường.")
                % {"symbol": dispatch.document.symbol, "count": dispatch.recipient_count}
            ),
        )
        if sent:
            return redirect("province:directive_detail", pk=sent.value.document_id)
    return render_form(
        request,
        form,
        title=_("Ban hành văn bản chỉ đạo"),
        back=reverse("province:directive_list"),
        submit=_("Vào sổ và gửi"),
        intro=_(
            "Văn bản được vào sổ văn bản của cơ quan và gửi đến các trường đã chọn: mỗi trường "
            "thấy ngay trong sổ văn bản của mình, không phải nhập lại, và gắn nhiệm vụ với văn bản."
        ),
        extra={"multipart": True},
    )


@login_required
def school_list(request: SignedInRequest) -> HttpResponse:
    """The schools the body directs, by level, with their figures for its directives."""
    require(request.user, VIEW)
    body_id = member_school_id(request.user)
    rows = services.school_figures(body_id)
    context = {
        "rows": rows,
        # Those the body stopped directing: kept, listed apart, to take up again.
        "stopped": DirectedSchool.objects.filter(archived_at__isnull=False)
        .filter(body_id=body_id)
        .select_related("school")
        .order_by("school__name"),
        "can_manage": request.user.has_perm("province.manage_schools"),
    }
    return render(request, "province/school_list.html", context)


def _directive(request: SignedInRequest, pk: int, perm: str | None = None) -> Document:
    require(request.user, VIEW)
    return get_authorised(
        request.user,
        Document.objects.active().select_related("doc_type"),
        VIEW_DIRECTIVE,
        perm,
        pk=pk,
    )


@login_required
def directive_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    document = _directive(request, pk)
    rows = services.uptake(document)
    shown = request.GET.get("show", "all")
    if shown not in SHOWN:
        shown = "all"
    listed = [
        row for row in rows if shown == "all" or (row.acted if shown == "acted" else not row.acted)
    ]
    body_id = member_school_id(request.user)
    can_manage = request.user.has_perm(SEND, document)
    can_send = can_manage and not document.is_withdrawn
    context = {
        "document": document,
        "rows": listed,
        "shown": shown,
        "acted_count": sum(1 for row in rows if row.acted),
        "recipient_count": len(rows),
        "dispatches": Dispatch.objects.filter(document=document),
        "can_send": can_send,
        "send_form": RecipientsForm(body_id=body_id, prefix="send") if can_send else None,
        "can_correct": can_manage and services.correctable(document),
        "withdraw_form": WithdrawForm(prefix="withdraw")
        if can_manage and not document.is_withdrawn
        else None,
        "history": history_entries(document),
    }
    return render(request, "province/directive_detail.html", context)


@login_required
@require_POST
def directive_send(request: SignedInRequest, pk: int) -> HttpResponse:
    """Send the directive to more schools (those it already reached are left as they were)."""
    document = _directive(request, pk, SEND)
    form = RecipientsForm(request.POST, body_id=member_school_id(request.user), prefix="send")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("province:directive_detail", pk=document.pk)
    data = form.cleaned_data
    attempt(
        request,
        lambda: services.send_directive(
            document,
            data["audience"],
            level=data.get("level") or "",
            schools=list(data.get("schools") or []),
            by=request.user,
        ),
        success=lambda dispatch: (
            _("Đã gửi thêm đến %(count)d trường.") % {"count": dispatch.recipient_count}
        ),
    )
    return redirect("province:directive_detail", pk=document.pk)


@login_required
def directive_correct(request: SignedInRequest, pk: int) -> HttpResponse:
    """Correct (đính chính) a sent directive's summary or file, before any school acted on it."""
    document = _directive(request, pk, SEND)
    back = reverse("province:directive_detail", args=[document.pk])
    if not services.correctable(document):
        messages.error(
            request,
            _("Văn bản đã được thu hồi, không đính chính được.")
            if document.is_withdrawn
            else _(
                "Đã có trường xây dựng nhiệm vụ trên văn bản này: không đính chính được nữa. "
                "Hãy thu hồi văn bản và ban hành văn bản mới."
            ),
        )
        return redirect(back)
    form = CorrectionForm(request.POST or None, request.FILES or None, instance=document)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            lambda: services.correct_directive(
                form.instance,
                reason=form.cleaned_data["reason"],
                by=request.user,
                expected_version=form.expected_version,
            ),
            form=form,
            success=lambda kept: (
                _("Đã đính chính văn bản %(symbol)s và thông báo cho các trường nhận.")
                % {"symbol": kept.symbol}
            ),
        )
        if saved:
            return redirect(back)
    return render_form(
        request,
        form,
        title=_("Đính chính văn bản %(symbol)s") % {"symbol": document.symbol},
        back=back,
        submit=_("Lưu đính chính"),
        intro=_(
            "Chỉ đính chính được khi chưa trường nào xây dựng nhiệm vụ trên văn bản. Bản trước "
            "được giữ trong lịch sử; các trường nhận được thông báo kèm lý do."
        ),
        extra={"multipart": True},
    )


@login_required
@require_POST
def directive_withdraw(request: SignedInRequest, pk: int) -> HttpResponse:
    """Withdraw (thu hồi) a sent directive, with the reason; nothing is deleted."""
    document = _directive(request, pk, SEND)
    form = WithdrawForm(request.POST, prefix="withdraw")
    if not form.is_valid():
        messages.error(request, _("Hãy ghi lý do thu hồi văn bản."))
        return redirect("province:directive_detail", pk=document.pk)
    attempt(
        request,
        lambda: services.withdraw_directive(
            document, reason=form.cleaned_data["reason"], by=request.user
        ),
        success=_("Đã thu hồi văn bản %(symbol)s và thông báo cho các trường nhận.")
        % {"symbol": document.symbol},
    )
    return redirect("province:directive_detail", pk=document.pk)
