"""The dossiers a school sends the Sở: the list (the Sở's received ones with filters and an Excel
export; a school's own sent ones), sending one from the campaign's tờ trình, its page with the
trail and every version, and the Sở's actions (accept, return with a reason, record the
decision) and the school's resending after a return."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import get_authorised, require
from core.query import id_param, int_param
from core.requests import SignedInRequest
from core.sheets.writing import xlsx_response
from core.views import attempt, render_form
from emulation.excel_upward import dossiers_workbook
from emulation.forms_upward import DecideForm, DossierForm, ReturnForm
from emulation.models import Campaign, DossierItem, DossierStatus, UpwardDossier
from emulation.services import province_campaigns as campaign_services
from emulation.services import upward as services
from emulation.views.common import authorised_campaign
from organisations.membership import membership_of
from province.rules import works_above_schools
from province.services import directed_schools

VIEW = "emulation.view_dossier"
LIST = "emulation.list_dossiers"
ANSWER = "emulation.answer_dossier"
RESUBMIT = "emulation.resubmit_dossier"
DECIDE = "emulation.decide"


def _filters(request: SignedInRequest) -> dict[str, Any]:
    status = str(request.GET.get("status") or "")
    return {
        "year": int_param(request.GET, "year"),
        "status": status if status in DossierStatus.values else "",
        "school": id_param(request.GET, "school"),
        "campaign": id_param(request.GET, "campaign"),
    }


def _received(body_id: int, chosen: dict[str, Any]) -> Any:
    dossiers = services.received_dossiers(body_id)
    if chosen["year"] is not None:
        dossiers = dossiers.filter(start_year=chosen["year"])
    if chosen["status"]:
        dossiers = dossiers.filter(status=chosen["status"])
    if chosen["school"] is not None:
        dossiers = dossiers.filter(school_id=chosen["school"])
    if chosen["campaign"] is not None:
        dossiers = dossiers.filter(campaign__province_campaign_id=chosen["campaign"])
    return dossiers


@login_required
def dossier_list(request: SignedInRequest) -> HttpResponse:
    require(request.user, LIST)
    membership = membership_of(request.user)
    if membership.school_id is None:
        raise PermissionDenied
    if works_above_schools(request.user):
        chosen = _filters(request)
        body_id = membership.school_id
        context: dict[str, Any] = {
            "received": True,
            "dossiers": list(_received(body_id, chosen)),
            "chosen": chosen,
            "statuses": DossierStatus.choices,
            "years": sorted(
                set(services.received_dossiers(body_id).values_list("start_year", flat=True)),
                reverse=True,
            ),
            "schools": [entry.school for entry in directed_schools(body_id)],
            "campaigns": list(campaign_services.launched(body_id).values_list("pk", "name")),
            "query": request.GET.urlencode(),
        }
    else:
        school_id = membership.school_id
        context = {
            "received": False,
            "dossiers": list(services.school_dossiers(school_id)),
            # The year's campaigns whose tờ trình is issued and not sent yet.
            "to_send": list(
                Campaign.objects.active()
                .filter(school_id=school_id, decision__proposal_on__isnull=False)
                .exclude(
                    pk__in=UpwardDossier._base_manager.filter(archived_at=None).values(
                        "campaign_id"
                    )
                )
                .order_by("-start_year")
            ),
        }
    return render(request, "emulation/upward/dossier_list.html", context)


@login_required
def dossiers_xlsx(request: SignedInRequest) -> HttpResponse:
    if not works_above_schools(request.user):
        raise PermissionDenied
    body_id = membership_of(request.user).school_id
    assert body_id is not None  # works_above_schools: a member of a body
    dossiers = list(_received(body_id, _filters(request)))
    items = DossierItem._base_manager.filter(
        version_id__in=[dossier.current_id for dossier in dossiers]
    ).order_by("version_id", "order", "pk")
    return xlsx_response(dossiers_workbook(dossiers, items), "ho-so-de-nghi-khen-thuong.xlsx")


@login_required
def dossier_submit(request: SignedInRequest, pk: int) -> HttpResponse:
    """Send the Sở the campaign's proposals (those of its tờ trình)."""
    campaign = authorised_campaign(request, pk, DECIDE)
    proposals = services.proposals(campaign)
    bodies = services.bodies_of(campaign.school_id)
    form = DossierForm(request.POST or None, proposals=proposals, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        body = next(entry for entry in bodies if entry.pk == data["body"])  # one of the choices
        done = attempt(
            request,
            lambda: services.submit_dossier(
                campaign,
                body,
                keys=data["keys"],
                achievements=form.achievements(),
                letter=data.get("letter") or "",
                by=request.user,
            ),
            form=form,
            success=_("Đã gửi hồ sơ đề nghị khen thưởng lên cấp trên."),
        )
        if done:
            return redirect("emulation:dossier", pk=done.value.pk)
    intro = (
        _(
            "Hồ sơ gồm các đề nghị trong tờ trình của trường, thành tích của từng người, tập thể, "
            "kèm Quyết định công nhận, tờ trình và kết quả bỏ phiếu của Hội đồng."
        )
        if proposals and bodies
        else _(
            "Chưa gửi được: cần ban hành quyết định công nhận và tờ trình có đề nghị lên cấp "
            "trên, và trường phải thuộc danh sách trường do Sở chỉ đạo."
        )
    )
    return render_form(
        request,
        form,
        title=_("Gửi hồ sơ đề nghị khen thưởng lên cấp trên"),
        back=reverse("emulation:decision", args=[campaign.pk]),
        submit=_("Gửi hồ sơ"),
        intro=str(intro),
    )


def _dossier(request: SignedInRequest, pk: int, perm: str | None = None) -> UpwardDossier:
    return get_authorised(
        request.user,
        UpwardDossier.objects.active().select_related("school", "body", "campaign", "current"),
        VIEW,
        perm,
        pk=pk,
    )


@login_required
def dossier_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk)
    versions = services.versions(dossier)
    current = versions[0] if versions else None
    can_answer = request.user.has_perm(ANSWER, dossier)
    context = {
        "dossier": dossier,
        "current": current,
        "older": versions[1:],
        "trail": [(event, services.format_event(event)) for event in services.trail(dossier)],
        "can_answer": can_answer,
        "can_resubmit": request.user.has_perm(RESUBMIT, dossier)
        and dossier.status == DossierStatus.RETURNED,
        "return_form": ReturnForm(prefix="return")
        if can_answer and dossier.status in (DossierStatus.SUBMITTED, DossierStatus.ACCEPTED)
        else None,
        "decide_form": DecideForm(
            prefix="decide",
            items=current.item_list if current else [],  # type: ignore[attr-defined]
            initial={"issuer": dossier.body.name},
        )
        if can_answer and dossier.status == DossierStatus.ACCEPTED
        else None,
    }
    return render(request, "emulation/upward/dossier_detail.html", context)


@login_required
def dossier_resubmit(request: SignedInRequest, pk: int) -> HttpResponse:
    """After a return: the school corrects and sends a new version."""
    dossier = _dossier(request, pk, RESUBMIT)
    campaign = dossier.campaign
    previous = {
        f"{item.kind}:{item.person_id or item.unit_id}": item.achievements
        for item in DossierItem._base_manager.filter(version_id=dossier.current_id)
    }
    form = DossierForm(
        request.POST or None,
        proposals=services.proposals(campaign),
        achievements=previous,
        initial={"keys": list(previous), "letter": ""},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            request,
            lambda: services.resubmit_dossier(
                dossier,
                keys=data["keys"],
                achievements=form.achievements(),
                letter=data.get("letter") or "",
                by=request.user,
            ),
            form=form,
            success=_("Đã gửi lại hồ sơ."),
        )
        if done:
            return redirect("emulation:dossier", pk=dossier.pk)
    return render_form(
        request,
        form,
        title=_("Bổ sung và gửi lại hồ sơ"),
        back=reverse("emulation:dossier", args=[dossier.pk]),
        submit=_("Gửi lại"),
        intro=_("Lần gửi trước được giữ nguyên; lần gửi này là một phiên bản mới của hồ sơ."),
    )


@login_required
@require_POST
def dossier_accept(request: SignedInRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk, ANSWER)
    attempt(
        request,
        lambda: services.accept_dossier(dossier, by=request.user),
        success=_("Đã tiếp nhận hồ sơ."),
    )
    return redirect("emulation:dossier", pk=dossier.pk)


@login_required
@require_POST
def dossier_return(request: SignedInRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk, ANSWER)
    form = ReturnForm(request.POST, prefix="return")
    if not form.is_valid():
        messages.error(request, _("Hãy ghi lý do trả lại hồ sơ."))
        return redirect("emulation:dossier", pk=dossier.pk)
    attempt(
        request,
        lambda: services.return_dossier(
            dossier, reason=form.cleaned_data["reason"], by=request.user
        ),
        success=_("Đã trả lại hồ sơ cho trường."),
    )
    return redirect("emulation:dossier", pk=dossier.pk)


@login_required
@require_POST
def dossier_decide(request: SignedInRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk, ANSWER)
    items = list(DossierItem._base_manager.filter(version_id=dossier.current_id))
    form = DecideForm(request.POST, prefix="decide", items=items)
    if not form.is_valid():
        messages.error(
            request,
            _("Hãy ghi số, ngày (dd/mm/yyyy) của quyết định và kết quả của từng đề nghị."),
        )
        return redirect("emulation:dossier", pk=dossier.pk)
    data = form.cleaned_data
    attempt(
        request,
        lambda: services.decide_dossier(
            dossier,
            symbol=data["symbol"],
            on=data["decided_on"],
            issuer=data.get("issuer") or "",
            outcomes=form.outcomes(),
            by=request.user,
        ),
        success=_("Đã ghi quyết định; kết quả đã gửi về trường."),
    )
    return redirect("emulation:dossier", pk=dossier.pk)


@login_required
def dossier_paper(request: SignedInRequest, pk: int, paper_pk: int) -> FileResponse:
    """A paper the dossier encloses (the school's Quyết định, its tờ trình), as issued."""
    dossier = _dossier(request, pk)
    paper = services.enclosed_paper(dossier, paper_pk)
    if paper is None or not paper.file:
        raise Http404
    return FileResponse(
        paper.file.open("rb"),
        as_attachment=True,
        filename=f"{paper.kind}-{paper.document.number or paper.pk}.docx",
    )
