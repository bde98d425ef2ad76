"""Download the papers the product writes; give an issued paper its number."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import get_authorised
from documents.models import DocumentSystem, DocumentType
from papers import registry
from papers.layout import render_docx
from papers.numbering import NumberingError, issue_number
from papers.output import render
from papers.plan_paper import PLAN_KIND, plan_paper, signer_of
from planning.models import Plan

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _plan(request: HttpRequest, pk: int, perm: str | None = None) -> Plan:
    return get_authorised(
        request.user,
        Plan.objects.select_related("school__parent"),
        "planning.view_plan",
        perm,
        pk=pk,
    )


@login_required
def download(request: HttpRequest, kind: str, pk: int, fmt: str) -> HttpResponse:
    """Any registered paper, as .docx (or PDF where the output supports it)."""
    if kind not in registry.KINDS:
        raise Http404
    paper_kind = registry.get(kind)
    obj = paper_kind.load(request, pk)
    content, filename, content_type = render(paper_kind, obj, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    response = HttpResponse(render_docx(plan_paper(plan)), content_type=DOCX)
    response["Content-Disposition"] = (
        f'attachment; filename="ke-hoach-{plan.start_year}-{plan.start_year + 1}.docx"'
    )
    return response


@login_required
@require_POST
def plan_number(request: HttpRequest, pk: int) -> HttpResponse:
    """Take the next number of the school's Kế hoạch series for the plan's year of issue."""
    plan = _plan(request, pk, "planning.change_plan")
    if not plan.is_issued or plan.issued_on is None:
        messages.error(request, _("Chỉ lấy số cho kế hoạch đã ban hành."))
        return redirect("planning:plan_detail", pk=plan.pk)
    _mark, title, _name = signer_of(plan)
    try:
        paper = issue_number(
            issuer=plan.school,
            doc_type=DocumentType.objects.get(code="KH"),
            system=DocumentSystem.STATE,
            on=plan.issued_on,
            kind=PLAN_KIND,
            object_id=plan.pk,
            summary=plan.title.removeprefix("Kế hoạch ").strip(),
            signer_title=title,
            by=request.user,
        )
    except NumberingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Kế hoạch mang số %(symbol)s và đã vào sổ văn bản.")
            % {"symbol": paper.document.symbol},
        )
    return redirect("planning:plan_detail", pk=plan.pk)
