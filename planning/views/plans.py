"""The plan pages: the list, a plan, its editing, issuing, amendments and copy."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.audit import history_entries
from core.permissions import require
from core.requests import SignedInRequest
from core.views import attempt, render_form
from organisations.membership import membership_of
from organisations.models import Organisation
from organisations.permissions import member_school_id
from planning import restoring, review, services
from planning.forms import AmendmentForm, CopyPlanForm, PlanBasesForm, PlanForm
from planning.models import Plan
from planning.tree import plan_tree
from planning.views.archive import archived_count
from planning.views.common import CHANGE, authorised_plan, confirm_page


@login_required
def plan_list(request: SignedInRequest) -> HttpResponse:
    membership = membership_of(request.user)
    plans = (
        Plan.objects.active().filter(school_id=membership.school_id).select_related("copied_from")
    )
    can_add = request.user.has_perm("planning.add_plan")
    archived: list[restoring.ArchivedRow] = []
    if can_add:  # only leadership archives plans, and only they may restore them
        archived = restoring.archived_rows(
            [
                plan
                for plan in Plan.objects.filter(
                    school_id=membership.school_id, archived_at__isnull=False
                ).order_by("-archived_at")
                if request.user.has_perm(CHANGE, plan)
            ]
        )
    return render(
        request,
        "planning/plan_list.html",
        {"plans": plans, "can_add": can_add, "archived": archived},
    )


@login_required
def plan_create(request: SignedInRequest) -> HttpResponse:
    require(request.user, "planning.add_plan")
    school = get_object_or_404(Organisation, pk=member_school_id(request.user))
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = attempt(
            request,
            lambda: services.create_plan(school=school, by=request.user, **form.cleaned_data),
            form=form,
            success=_("Đã tạo dự thảo kế hoạch."),
        )
        if created:
            return redirect("planning:plan_detail", pk=created.value.pk)
    return render_form(
        request, form, title=_("Kế hoạch năm học mới"), back=reverse("planning:plan_list")
    )


@login_required
def plan_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = authorised_plan(request, pk)
    # The tree is the page's heaviest part (hundreds of tasks): assembled from rows stored by
    # what they show, only the rows a change touched rendered again (planning/tree.py).
    parts = plan_tree(plan)
    can_change = request.user.has_perm(CHANGE, plan)
    bases = plan.basis_links.select_related("document__doc_type", "document__issuer")
    next_plan = plan.next_year_plan()
    context = {
        "plan": plan,
        # Next year's plan once it exists, linked instead of offering another copy; no copy is
        # offered from a draft copy either (it is next year's plan, still being written).
        "next_plan": next_plan,
        "offer_copy": can_change and next_plan is None and not plan.is_draft_copy,
        # Rendered by our own templates (autoescaped) and stored as text: safe to insert.
        "tree_html": mark_safe(parts["tree_html"]),
        "root_count": parts["root_count"],
        "targets_html": mark_safe(parts[f"targets_html_{int(can_change)}"]),
        "bases": bases,
        "amendment": services.open_amendment_of(plan),
        "amendments": plan.amendments.select_related("opened_by"),
        "can_change": can_change,
        "archived_count": archived_count(request, plan),
        "history": history_entries(plan),
    }
    return render(request, "planning/plan_detail.html", context)


@login_required
def plan_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = authorised_plan(request, pk, CHANGE)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            lambda: services.save_plan_object(
                form.instance, by=request.user, expected_version=form.expected_version
            ),
            form=form,
        )
        if saved:
            return redirect("planning:plan_detail", pk=plan.pk)
    return render_form(
        request, form, title=_("Sửa kế hoạch"), back=reverse("planning:plan_detail", args=[pk])
    )


@login_required
def plan_bases(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = authorised_plan(request, pk, CHANGE)
    initial = {"documents": [link.document_id for link in plan.basis_links.all()]}
    form = PlanBasesForm(request.POST or None, initial=initial, school_id=plan.school_id)
    if request.method == "POST" and form.is_valid():
        documents = list(form.cleaned_data["documents"])
        if attempt(
            request, lambda: services.set_plan_bases(plan, documents, by=request.user), form=form
        ):
            return redirect("planning:plan_detail", pk=plan.pk)
    return render_form(
        request,
        form,
        title=_("Văn bản căn cứ của kế hoạch"),
        back=reverse("planning:plan_detail", args=[pk]),
        intro=_("Giữ Ctrl (hoặc chạm giữ trên điện thoại) để chọn nhiều văn bản."),
    )


@login_required
def plan_issue(request: SignedInRequest, pk: int) -> HttpResponse:
    """Issuing shows what it will do and the problems found, and waits for a confirmation made
    against the plan as reviewed: any change since (the figures version) asks to look again."""
    plan = authorised_plan(request, pk, CHANGE)
    return confirm_page(
        request,
        lambda: review.issue_review(plan),
        seen=plan.figures_version,
        act=lambda: services.issue_plan(plan, by=request.user),
        success=_("Đã ban hành kế hoạch. Từ nay mọi thay đổi cần một đợt sửa đổi, bổ sung."),
        done=reverse("planning:plan_detail", args=[plan.pk]),
    )


@login_required
def amendment_open(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = authorised_plan(request, pk, CHANGE)
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if attempt(
            request,
            lambda: services.open_amendment(plan, reason=reason, by=request.user),
            form=form,
        ):
            return redirect("planning:plan_detail", pk=plan.pk)
    return render_form(
        request,
        form,
        title=_("Mở đợt sửa đổi, bổ sung kế hoạch"),
        back=reverse("planning:plan_detail", args=[pk]),
    )


@login_required
def amendment_close(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = authorised_plan(request, pk, CHANGE)
    amendment = services.open_amendment_of(plan)

    def close() -> object:
        if amendment is None:
            raise services.PlanningError(_("Không có đợt sửa đổi nào đang mở."))
        return services.close_amendment(amendment, by=request.user)

    return confirm_page(
        request,
        lambda: review.amendment_close_review(plan, amendment),
        seen=plan.figures_version,
        act=close,
        success=_("Đã kết thúc đợt sửa đổi; kế hoạch được khóa lại."),
        done=reverse("planning:plan_detail", args=[plan.pk]),
    )


@login_required
def plan_copy(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = authorised_plan(request, pk, CHANGE)
    form = CopyPlanForm(request.POST or None, initial={"start_year": plan.start_year + 1})
    if request.method == "POST" and form.is_valid():
        start_year = form.cleaned_data["start_year"]
        copied = attempt(
            request,
            lambda: services.copy_plan(plan, start_year=start_year, by=request.user),
            form=form,
            success=_("Đã tạo dự thảo kế hoạch năm học mới từ kế hoạch này."),
        )
        if copied:
            return redirect("planning:plan_detail", pk=copied.value.pk)
    return render_form(
        request,
        form,
        title=_("Sao kế hoạch sang năm học mới"),
        back=reverse("planning:plan_detail", args=[pk]),
        intro=_(
            "Lĩnh vực, chỉ tiêu thường niên và các nhiệm vụ chưa hoàn thành được chuyển sang dự thảo "
            "mới, kèm liên kết về nơi xuất xứ."
        ),
        submit=_("Tạo dự thảo"),
    )
