"""Download the papers the product writes (as they were issued, once numbered); the school's own
Word templates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.permissions import get_authorised
from core.requests import SignedInRequest
from core.views import attempt
from organisations.membership import staff_records
from organisations.models import Organisation
from organisations.permissions import member_school_id
from papers import registry, sandbox, services, tasks
from papers.docx_templates import MAX_TEMPLATE_BYTES, known_placeholders, starter_template
from papers.models import IssuedPaper, PaperTemplate
from papers.output import DOCX, FORMATS, PDF, render_word
from papers.pdf import PdfError, PdfUnavailable
from papers.placeholders import COMMON

VIEW_TEMPLATES = "papers.view_templates"
MANAGE_TEMPLATES = "papers.manage_templates"


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def download(request: SignedInRequest, kind: str, pk: int, fmt: str) -> HttpResponse:
    """Any registered paper, as .docx or (where LibreOffice is installed) PDF."""
    if kind not in registry.KINDS or fmt not in FORMATS:
        raise Http404
    paper_kind = registry.get(kind)
    obj = paper_kind.load(request, pk)
    content, name = current_docx(paper_kind, obj)
    if fmt == "docx":
        return _attachment(content, f"{name}.docx", DOCX)
    return _pdf_answer(
        request,
        content,
        f"{name}.pdf",
        label=paper_kind.label,
        docx_url=reverse("papers:download", args=[kind, pk, "docx"]),
        status_url=lambda key: reverse("papers:pdf_status", args=[kind, pk, key]),
    )


def current_docx(paper_kind: registry.PaperKind, obj: Any) -> tuple[bytes, str]:
    """(the .docx, its download name without extension) of the paper about `obj`: once numbered,
    what was issued, byte for byte, whatever changed since; before, written now."""
    issued = (
        IssuedPaper.objects.filter(kind=paper_kind.code, object_id=obj.pk, amends=None)
        .exclude(file="")
        .first()
    )
    if issued is not None:
        return _issued_docx(issued, paper_kind, obj)
    return render_word(paper_kind, obj), paper_kind.filename(obj)


def docx_answer(paper_kind: registry.PaperKind, obj: Any) -> HttpResponse:
    """The paper about `obj` as a .docx download (see current_docx)."""
    content, name = current_docx(paper_kind, obj)
    return _attachment(content, f"{name}.docx", DOCX)


def _issued_docx(
    issued: IssuedPaper, paper_kind: registry.PaperKind, obj: Any
) -> tuple[bytes, str]:
    name = paper_kind.filename(obj)
    if issued.amends_id:
        name += f"-sua-doi-bo-sung-so-{issued.number:02d}"
    try:
        return issued.read(), name
    except OSError as error:  # the stored file is gone (a database restored without its files)
        raise Http404(_("Không tìm thấy tệp văn bản đã ban hành.")) from error


def _pdf_unavailable(request: HttpRequest, message: str, label: str, docx_url: str) -> HttpResponse:
    context = {"message": message, "label": label, "docx_url": docx_url}
    return render(request, "papers/pdf_unavailable.html", context, status=503)


def _pdf_answer(
    request: HttpRequest,
    content: bytes,
    filename: str,
    *,
    label: str,
    docx_url: str,
    status_url: Callable[[str], str],
) -> HttpResponse:
    """The PDF when it is made; else a page that waits for the worker's job (202)."""
    try:
        state = tasks.request_pdf(content)
    except (PdfUnavailable, PdfError) as error:
        return _pdf_unavailable(request, str(error), label, docx_url)
    if state.data is not None:
        return _attachment(state.data, filename, PDF)
    if state.error is not None:
        return _pdf_unavailable(request, state.error, label, docx_url)
    context = {
        "label": label,
        "docx_url": docx_url,
        "status_url": status_url(state.key),
        "polling": True,
    }
    return render(request, "papers/pdf_pending.html", context, status=202)


def _pdf_status(
    request: HttpRequest, key: str, *, label: str, pdf_url: str, docx_url: str, status_url: str
) -> HttpResponse:
    """The fragment the waiting page polls: the link when the PDF is made, the failure, or the
    same poller again."""
    if not tasks.is_key(key):
        raise Http404
    state = tasks.state(key)
    context: dict[str, Any] = {
        "label": label,
        "docx_url": docx_url,
        "status_url": status_url,
        "pdf_url": pdf_url if state.data is not None else None,
        "error": state.error,
        "lost": state.data is None and state.error is None and not tasks.is_queued(key),
    }
    context["polling"] = not (context["pdf_url"] or context["error"] or context["lost"])
    return render(request, "papers/_pdf_status.html", context)


@login_required
def pdf_status(request: SignedInRequest, kind: str, pk: int, key: str) -> HttpResponse:
    """Whether the PDF of a paper is made yet (the paper's own permission)."""
    if kind not in registry.KINDS:
        raise Http404
    paper_kind = registry.get(kind)
    paper_kind.load(request, pk)
    return _pdf_status(
        request,
        key,
        label=paper_kind.label,
        pdf_url=reverse("papers:download", args=[kind, pk, "pdf"]),
        docx_url=reverse("papers:download", args=[kind, pk, "docx"]),
        status_url=reverse("papers:pdf_status", args=[kind, pk, key]),
    )


def _issued_paper(request: HttpRequest, pk: int) -> tuple[IssuedPaper, registry.PaperKind, Any]:
    issued = IssuedPaper.objects.filter(pk=pk).exclude(file="").first()
    if issued is None or issued.kind not in registry.KINDS:
        raise Http404
    paper_kind = registry.get(issued.kind)
    obj = paper_kind.load(request, issued.object_id)  # the same rules as the paper's pages
    return issued, paper_kind, obj


@login_required
def issued_file(request: SignedInRequest, pk: int, fmt: str) -> HttpResponse:
    """One issued paper (an original or an amendment) as it was issued."""
    if fmt not in FORMATS:
        raise Http404
    issued, paper_kind, obj = _issued_paper(request, pk)
    content, name = _issued_docx(issued, paper_kind, obj)
    if fmt == "docx":
        return _attachment(content, f"{name}.docx", DOCX)
    return _pdf_answer(
        request,
        content,
        f"{name}.pdf",
        label=paper_kind.label,
        docx_url=reverse("papers:issued_file", args=[pk, "docx"]),
        status_url=lambda key: reverse("papers:issued_pdf_status", args=[pk, key]),
    )


@login_required
def issued_pdf_status(request: SignedInRequest, pk: int, key: str) -> HttpResponse:
    """Whether the PDF of an issued paper is made yet (the paper's own permission)."""
    _issued, paper_kind, _obj = _issued_paper(request, pk)
    return _pdf_status(
        request,
        key,
        label=paper_kind.label,
        pdf_url=reverse("papers:issued_file", args=[pk, "pdf"]),
        docx_url=reverse("papers:issued_file", args=[pk, "docx"]),
        status_url=reverse("papers:issued_pdf_status", args=[pk, key]),
    )


# --- the school's own Word templates ---------------------------------------------------------


class TemplateForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp mẫu (.docx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )


def _school(request: HttpRequest, school_pk: int, perm: str | None = MANAGE_TEMPLATES) -> Any:
    return get_authorised(
        request.user, Organisation.objects.filter(kind="school"), VIEW_TEMPLATES, perm, pk=school_pk
    )


def _kind(code: str) -> registry.PaperKind:
    if code not in registry.KINDS:
        raise Http404
    return registry.get(code)


@login_required
def my_templates(request: SignedInRequest) -> HttpResponse:
    return redirect("papers:templates", school_pk=member_school_id(request.user))


@login_required
def templates(request: SignedInRequest, school_pk: int) -> HttpResponse:
    """Each registered kind: its placeholders, the template in use, the starter, an upload form."""
    school = _school(request, school_pk)
    posted_kind = request.POST.get("kind") if request.method == "POST" else None
    errors: dict[str, str] = {}
    if posted_kind is not None:
        _kind(posted_kind)
        form = TemplateForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_TEMPLATE_BYTES:
                errors[posted_kind] = _("Tệp mẫu lớn hơn %(mb)s MB.") % {
                    "mb": MAX_TEMPLATE_BYTES // (1024 * 1024)
                }
            else:
                try:
                    services.upload_template(
                        school, posted_kind, data=upload.read(), name=upload.name, by=request.user
                    )
                except ValidationError as error:
                    errors[posted_kind] = " ".join(error.messages)
                else:
                    messages.success(
                        request,
                        _("Đã dùng mẫu mới cho “%(kind)s”.")
                        % {"kind": registry.get(posted_kind).label},
                    )
                    return redirect("papers:templates", school_pk=school.pk)
        else:
            errors[posted_kind] = " ".join(str(m) for e in form.errors.values() for m in e)
    stored = list(
        PaperTemplate.objects.filter(school=school)
        .select_related("uploaded_by")
        .prefetch_related(staff_records("uploaded_by"))
        .order_by("-uploaded_at", "-pk")
    )
    kinds = []
    for code, kind in sorted(registry.KINDS.items(), key=lambda item: item[1].label):
        sample = kind.latest(school) if kind.latest else None
        own = {k: v for k, v in known_placeholders(kind, sample).items() if k not in COMMON}
        kinds.append({
            "kind": kind,
            "own": own,
            "current": next((t for t in stored if t.kind == code and t.is_active), None),
            "old": [t for t in stored if t.kind == code and not t.is_active],
            "error": errors.get(code, ""),
            "form": TemplateForm(),
        })  # fmt: skip
    intro = _(
        "%(school)s có thể thay mẫu dựng sẵn (thể thức theo Nghị định 30/2020/NĐ-CP) bằng mẫu "
        "Word .docx của trường. Trong mẫu, ghi chỗ trống bằng ngoặc nhọn, ví dụ {{ trich_yeu }}; "
        "danh sách thì lặp theo đoạn ({%%p for n in noi_nhan %%}, - {{ n }}, {%%p endfor %%}, mỗi "
        "thẻ một đoạn riêng) hoặc theo dòng bảng ({%%tr for dong in … %%} … {%%tr endfor %%}). "
        "Cách dễ nhất: tải mẫu khởi đầu của từng loại, sửa trong Word rồi tải lên. Mẫu được kiểm "
        "tra bằng dữ liệu của trường trước khi dùng; mẫu cũ được lưu lại, không bị xóa."
    ) % {"school": school.name}
    context = {
        "school": school,
        "kinds": kinds,
        "common": COMMON,
        "intro": intro,
        "filters": ", ".join(sandbox.FILTERS),
    }
    return render(request, "papers/templates.html", context, status=400 if errors else 200)


@login_required
def starter(request: SignedInRequest, school_pk: int, kind: str) -> HttpResponse:
    school = _school(request, school_pk)
    paper_kind = _kind(kind)
    sample = paper_kind.latest(school) if paper_kind.latest else None
    return _attachment(starter_template(paper_kind, sample), f"mau-{kind}.docx", DOCX)


@login_required
def template_file(request: SignedInRequest, pk: int) -> HttpResponse:
    template = PaperTemplate.objects.select_related("school").filter(pk=pk).first()
    if template is None:
        raise Http404
    _school(request, template.school_id)
    with template.file.open("rb") as handle:
        content = handle.read()
    return _attachment(content, f"mau-{template.kind}-{template.pk}.docx", DOCX)


@login_required
@require_POST
def template_stop(request: SignedInRequest, school_pk: int, kind: str) -> HttpResponse:
    school = _school(request, school_pk)
    paper_kind = _kind(kind)
    attempt(
        request,
        lambda: services.stop_template(school, kind, by=request.user),
        success=_("“%(kind)s” trở lại mẫu dựng sẵn của hệ thống.") % {"kind": paper_kind.label},
    )
    return redirect("papers:templates", school_pk=school.pk)
