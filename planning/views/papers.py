"""The plan's Kế hoạch: its .docx download and its number in the school's register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import get_authorised
from core.requests import SignedInRequest
from core.views import attempt
from documents.models import DocumentSystem, DocumentType
from papers import registry
from papers.numbering import issue_number
from papers.output import render_word
from papers.views import docx_answer
from planning.models import Plan
from planning.papers import PLAN_KIND, plan_amendment_due, signer_of


def _plan(request: HttpRequest, pk: int, perm: str | None = None) -> Plan:
    return get_authorised(
        request.user,
        Plan.objects.select_related("school__parent"),
        "planning.view_plan",
        perm,
        pk=pk,
    )


@login_required
def plan_docx(request: SignedInRequest, pk: int) -> HttpResponse:
    """The plan as a Kế hoạch (the school's own template when it has one); once numbered, the
    paper as it was issued, byte for byte."""
    return docx_answer(registry.get(PLAN_KIND), _plan(request, pk))


@login_required
@require_POST
def plan_number(request: SignedInRequest, pk: int) -> HttpResponse:
    """Take the next number of the school's Kế hoạch series for the plan's year of issue; the
    numbered paper is kept as issued. After a closed amendment, the amended plan takes a number
    of its own as a Kế hoạch sửa đổi, bổ sung, and the first paper stays as it was."""
    plan = _plan(request, pk, "planning.change_plan")
    if not plan.is_issued or plan.issued_on is None:
        messages.error(request, _("Chỉ lấy số cho kế hoạch đã ban hành."))
        return redirect("planning:plan_detail", pk=plan.pk)
    _mark, title, _name = signer_of(plan)
    amends = plan_amendment_due(plan)
    paper_kind = registry.get(PLAN_KIND)
    summary = plan.title.removeprefix("Kế hoạch ").strip()
    on = timezone.localdate() if amends else plan.issued_on
    attempt(
        request,
        lambda: issue_number(
            issuer=plan.school,
            doc_type=DocumentType.objects.get(code="KH"),
            system=DocumentSystem.STATE,
            on=on,
            kind=PLAN_KIND,
            object_id=plan.pk,
            summary=f"Sửa đổi, bổ sung {summary}" if amends else summary,
            signer_title=title,
            by=request.user,
            render=lambda: render_word(paper_kind, plan),
            amends=amends,
        ),
        success=lambda paper: (
            _("Kế hoạch mang số %(symbol)s và đã vào sổ văn bản.")
            % {"symbol": paper.document.symbol}
        ),
    )
    return redirect("planning:plan_detail", pk=plan.pk)
