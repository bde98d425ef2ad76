"""The document register: list, search, register, and every task implementing a document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import history_entries
from core.permissions import get_authorised, require
from core.requests import SignedInRequest
from core.views import attempt, render_form
from documents import importing, services
from documents.forms import DocumentForm, ImportRowFormSet, ImportTextForm
from documents.models import Document, DocumentType
from organisations.membership import membership_of
from organisations.permissions import member_school_id

VIEW = "documents.view_document"
CHANGE = "documents.change_document"
SHARE = "documents.share_receipt"
PAGE_SIZE = 50


@login_required
def document_list(request: SignedInRequest) -> HttpResponse:
    documents = services.register_list(membership_of(request.user).school_id, request.GET)
    query = request.GET.get("q", "").strip()
    doc_type = request.GET.get("type", "")
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "doc_type": doc_type,
        "types": DocumentType.objects.all(),
        "can_register": request.user.has_perm("documents.register"),
    }
    return render(request, "documents/document_list.html", context)


@login_required
def document_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    document = get_authorised(
        request.user, Document.objects.select_related("doc_type", "issuer", "school"), VIEW, pk=pk
    )
    receipt = services.receipt_of(document, membership_of(request.user).school_id)
    links = (
        document.task_links.active()
        .filter(task__archived_at__isnull=True)
        .select_related("task__plan", "task__lead_unit")
        .order_by("task__plan__start_year", "task__order", "task__pk")
    )
    context = {
        "document": document,
        "links": links,
        "plans": document.plans.active(),
        "can_change": request.user.has_perm(CHANGE, document) and not services.is_sent(document),
        # Sent by a body above: read-only here, and its editors' trail is the sender's.
        "receipt": receipt,
        "can_share": receipt is not None and request.user.has_perm(SHARE, receipt),
        "history": history_entries(document),
    }
    return render(request, "documents/document_detail.html", context)


@login_required
def document_form(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    if pk is not None:
        document = get_authorised(request.user, Document, VIEW, CHANGE, pk=pk)
    else:
        require(request.user, "documents.register")
        document = Document(school_id=member_school_id(request.user))
    if services.is_sent(document):
        # A directive sent down is corrected or withdrawn where its recipients are told.
        messages.error(request, services.sent_message())
        return redirect("documents:document_detail", pk=document.pk)
    form = DocumentForm(request.POST or None, request.FILES or None, instance=document)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            lambda: services.register_document(
                form.instance, by=request.user, expected_version=form.expected_version
            ),
            form=form,
            success=lambda kept: _("Đã lưu văn bản %(symbol)s.") % {"symbol": kept.symbol},
        )
        if saved:
            return redirect("documents:document_detail", pk=saved.value.pk)
    back = (
        reverse("documents:document_detail", args=[pk])
        if pk
        else reverse("documents:document_list")
    )
    return render_form(
        request,
        form,
        title=_("Sửa văn bản") if pk else _("Vào sổ văn bản căn cứ"),
        back=back,
        intro=_(
            "Số, ký hiệu được ghép theo Nghị định 30/2020/NĐ-CP (ví dụ 2457/QĐ-BGDĐT, "
            "01/2024/TT-BGDĐT, công văn 5155/BGDĐT-GDĐH) hoặc Hướng dẫn 36-HD/VPTW với văn bản "
            "của Đảng (ví dụ 63-NQ/TU)."
        ),
        extra={"multipart": True},
    )


@login_required
@require_POST
def document_archive(request: SignedInRequest, pk: int) -> HttpResponse:
    document = get_authorised(request.user, Document, VIEW, CHANGE, pk=pk)
    if services.is_sent(document):
        messages.error(request, services.sent_message())
        return redirect("documents:document_detail", pk=document.pk)
    if not attempt(
        request,
        lambda: services.archive_document(document, by=request.user),
        success=_("Đã lưu trữ văn bản."),
    ):
        return redirect("documents:document_detail", pk=document.pk)
    return redirect("documents:document_list")


@login_required
@require_POST
def document_share(request: SignedInRequest, pk: int) -> HttpResponse:
    """A received document: the school's leadership shares (or stops sharing) the names of the
    school's tasks implementing it with the body that sent it."""
    document = get_authorised(request.user, Document, VIEW, pk=pk)
    receipt = services.receipt_of(document, membership_of(request.user).school_id)
    if receipt is None:
        raise Http404
    require(request.user, SHARE, receipt)
    shares = request.POST.get("shares") == "1"
    attempt(
        request,
        lambda: services.share_tasks(receipt, shares, by=request.user),
        success=_("Cơ quan gửi văn bản xem được tên các nhiệm vụ của trường thực hiện văn bản.")
        if shares
        else _("Cơ quan gửi văn bản chỉ xem số nhiệm vụ, không xem tên."),
    )
    return redirect("documents:document_detail", pk=document.pk)


@login_required
def document_file(request: SignedInRequest, pk: int) -> FileResponse:
    """Attachments are served only to those who may see the document."""
    document = get_authorised(request.user, Document, VIEW, pk=pk)
    if not document.file:
        raise Http404
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
    )


@dataclass(frozen=True)
class ImportTarget:
    """Where the documents read from a text are linked, for a page above the register.

    `context` names the object for the page ("plan" or "task"), `back` is where the user returns,
    `link` links the confirmed documents (inside the same transaction as their registration).
    """

    back: str
    link: Callable[[list[Document]], None]
    context: dict[str, Any] = field(default_factory=dict)


@login_required
def document_import(request: SignedInRequest) -> HttpResponse:
    """The register's own "Nhập từ văn bản": the documents are registered, linked nowhere."""
    require(request.user, "documents.register")
    return import_page(request)


def import_page(request: SignedInRequest, target: ImportTarget | None = None) -> HttpResponse:
    """Paste or upload text → preview of every cited document → confirm → registered and linked.

    The caller has checked the user's right on the target (planning: to change the plan).
    """
    back = target.back if target else reverse("documents:document_list")
    school_id = member_school_id(request.user)
    context: dict[str, Any] = {**(target.context if target else {}), "back": back}
    step = request.POST.get("step")
    if request.method == "POST" and step == "confirm":
        text = request.POST.get("text", "")
        formset = ImportRowFormSet(request.POST, prefix="row", form_kwargs={"school_id": school_id})
        if formset.is_valid():
            registered = attempt(  # refused by the register's rules, or the linking caller's
                request,
                lambda: importing.register_rows(
                    formset.cleaned_data,
                    school_id=school_id,
                    by=request.user,
                    link=target.link if target else None,
                ),
                success=lambda result: (
                    _("Đã vào sổ %(created)d văn bản mới, dùng lại %(reused)d văn bản đã có.")
                    % {"created": len(result.created), "reused": len(result.reused)}
                ),
            )
            if registered:
                return redirect(back)
        return _preview(request, text, school_id, context, formset)
    form = ImportTextForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        return _preview(request, form.cleaned_data["text"], school_id, context)
    return render(
        request,
        "documents/import_form.html",
        {**context, "form": form},
        status=400 if form.errors else 200,
    )


def _preview(
    request: HttpRequest, text: str, school_id: int, context: dict[str, Any], formset: Any = None
) -> HttpResponse:
    candidates = importing.find_candidates(text, school_id)
    if formset is None:
        formset = ImportRowFormSet(
            initial=[c.initial for c in candidates],
            prefix="row",
            form_kwargs={"school_id": school_id},
        )
    rows = list(zip(candidates, formset.forms, strict=False))
    return render(
        request,
        "documents/import_preview.html",
        {
            **context,
            "text": text,
            "highlighted": importing.highlight(text, [c.reference for c in candidates]),
            "rows": rows,
            "formset": formset,
        },
        status=400 if formset.is_bound and not formset.is_valid() else 200,
    )
