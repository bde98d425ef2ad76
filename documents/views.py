"""The document register: list, search, register, and every task implementing a document."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import history_entries
from core.permissions import get_authorised, member_school_id, require
from core.views import render_form
from documents import services
from documents.forms import DocumentForm
from documents.models import Document, DocumentType
from organisations.membership import membership_of

VIEW = "documents.view_document"
CHANGE = "documents.change_document"
PAGE_SIZE = 50


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request.user)
    documents = (
        Document.objects.active()
        .filter(school_id=membership.school_id)
        .select_related("doc_type", "issuer")
        .annotate(
            task_count=Count(
                "task_links", filter=Q(task_links__archived_at__isnull=True), distinct=True
            )
        )
        .order_by("-issued_on", "symbol", "pk")
    )
    query = request.GET.get("q", "").strip()
    if query:
        documents = documents.search(query)
    doc_type = request.GET.get("type", "")
    if doc_type:
        documents = documents.filter(doc_type__code=doc_type)
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
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_authorised(
        request.user, Document.objects.select_related("doc_type", "issuer", "school"), VIEW, pk=pk
    )
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
        "can_change": request.user.has_perm(CHANGE, document),
        "history": history_entries(document),
    }
    return render(request, "documents/document_detail.html", context)


@login_required
def document_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is not None:
        document = get_authorised(request.user, Document, VIEW, CHANGE, pk=pk)
    else:
        require(request.user, "documents.register")
        document = Document(school_id=member_school_id(request.user))
    form = DocumentForm(request.POST or None, request.FILES or None, instance=document)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.register_document(form.instance, by=request.user)
        except services.DuplicateDocument as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu văn bản %(symbol)s.") % {"symbol": saved.symbol})
            return redirect("documents:document_detail", pk=saved.pk)
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
def document_archive(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_authorised(request.user, Document, VIEW, CHANGE, pk=pk)
    services.archive_document(document, by=request.user)
    messages.success(request, _("Đã lưu trữ văn bản."))
    return redirect("documents:document_list")


@login_required
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """Attachments are served only to those who may see the document."""
    document = get_authorised(request.user, Document, VIEW, pk=pk)
    if not document.file:
        raise Http404
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
    )
