"""Opinions: staff submit (named or anonymous), the secretary merges, the leadership answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conferences import services
from conferences.forms import AnswerForm, OpinionForm
from conferences.models import Opinion
from conferences.views.common import ANSWER, MANAGE, form_page, get_conference, get_part
from core.requests import SignedInRequest
from core.views import attempt
from organisations.membership import membership_of, staff_records


@login_required
def opinion_list(request: SignedInRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk)
    opinions = list(
        Opinion.objects.main()
        .filter(conference=conference)
        .select_related("author", "task", "target", "forwarded_to", "resulting_task", "answered_by")
        .prefetch_related(
            staff_records("answered_by"),
            Prefetch(
                "duplicates",
                queryset=Opinion.objects.active().select_related("author").order_by("number"),
                to_attr="active_duplicates",
            ),
        )
    )
    received = sum(1 + len(o.active_duplicates) for o in opinions)
    context = {
        "conference": conference,
        "opinions": opinions,
        "received": received,
        "answered": sum(1 for o in opinions if o.is_answered),
        "unnumbered": sum(1 for o in opinions if o.number is None),
        "can_submit": conference.accepts_opinions
        and request.user.has_perm("conferences.submit_opinion", conference),
        "can_manage": request.user.has_perm(MANAGE, conference),
        "can_answer": request.user.has_perm(ANSWER, conference),
        "tab": "opinions",
    }
    return render(request, "conferences/opinion_list.html", context)


@login_required
def opinion_submit(request: SignedInRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conferences.submit_opinion")
    form = OpinionForm(request.POST or None, plan_id=conference.plan_id)
    back = reverse("conferences:opinions", args=[pk])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sent = attempt(
            request,
            lambda: services.submit_opinion(
                conference,
                author=membership_of(request.user).person,
                anonymous=data["anonymous"],
                topic=data["topic"],
                content=data["content"],
                task=data["task"],
                target=data["target"],
            ),
            form=form,
            # The same message either way: nothing about the new opinion goes into the session.
            success=_("Đã gửi ý kiến. Câu trả lời sẽ được công khai tại đây."),
        )
        if sent:
            return redirect(back)
    return form_page(
        request,
        form,
        title=_("Góp ý: %(title)s") % {"title": conference.title},
        back=back,
        submit=_("Gửi ý kiến"),
        intro=_(
            "Ý kiến về dự thảo kế hoạch, các chỉ tiêu hoặc nhiệm vụ. Lãnh đạo nhà trường trả "
            "lời từng ý kiến bằng văn bản; mọi người cùng xem được câu trả lời."
        ),
    )


@login_required
def opinion_answer(request: SignedInRequest, pk: int) -> HttpResponse:
    opinion = get_part(
        request, Opinion.objects.select_related("author", "task", "target"), pk, ANSWER
    )
    conference = opinion.conference
    initial = {
        "kind": opinion.answer_kind or None,
        "answer": opinion.answer,
        "forwarded_to": opinion.forwarded_to_id,
        "task_parent": opinion.task_id,
    }
    form = AnswerForm(
        request.POST or None,
        initial=initial,
        school_id=conference.school_id,
        plan_id=conference.plan_id,
    )
    anchor = opinion.number or f"moi-{opinion.pk}"
    back = reverse("conferences:opinions", args=[conference.pk]) + f"#y-kien-{anchor}"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_task = None
        if data["kind"] == "accepted" and data["task_title"]:
            new_task = services.NewTask(
                title=data["task_title"],
                lead_unit=data["lead_unit"],
                due_date=data["due_date"],
                parent=data["task_parent"],
            )
        answered = attempt(
            request,
            lambda: services.answer_opinion(
                opinion,
                kind=data["kind"],
                answer=data["answer"],
                forwarded_to=data["forwarded_to"],
                existing_task=data["existing_task"],
                new_task=new_task,
                by=request.user,
            ),
            form=form,
            # Made once the answer is saved, with the opinion's number as it is then.
            success=lambda _answered: _("Đã trả lời ý kiến số %(n)s.") % {"n": opinion.number},
        )
        if answered:
            return redirect(
                reverse("conferences:opinions", args=[conference.pk]) + f"#y-kien-{opinion.number}"
            )
    return form_page(
        request,
        form,
        title=_("Trả lời: %(opinion)s") % {"opinion": opinion.label},
        back=back,
        submit=_("Lưu câu trả lời"),
        template="conferences/opinion_answer.html",
        extra={"opinion": opinion, "conference": conference},
    )


@login_required
@require_POST
def opinion_merge(request: SignedInRequest, pk: int) -> HttpResponse:
    opinion = get_part(request, Opinion.objects.all(), pk, MANAGE)
    into = get_object_or_404(
        Opinion.objects.active(), pk=request.POST.get("into") or 0, conference=opinion.conference
    )
    if attempt(request, lambda: services.merge_opinion(opinion, into=into, by=request.user)):
        opinion.refresh_from_db()
        into.refresh_from_db()
        messages.success(
            request,
            _("Đã gộp ý kiến số %(a)s vào ý kiến số %(b)s.")
            % {"a": opinion.number, "b": into.number},
        )
    return redirect("conferences:opinions", pk=opinion.conference_id)


@login_required
@require_POST
def opinion_number(request: SignedInRequest, pk: int) -> HttpResponse:
    """The secretary numbers the opinions received since the last numbering."""
    conference = get_conference(request, pk, MANAGE)
    attempt(
        request,
        lambda: services.number_opinions(conference, by=request.user),
        success=lambda count: _("Đã đánh số %(n)s ý kiến.") % {"n": count},
    )
    return redirect("conferences:opinions", pk=pk)


@login_required
@require_POST
def opinion_unmerge(request: SignedInRequest, pk: int) -> HttpResponse:
    opinion = get_part(request, Opinion.objects.all(), pk, MANAGE)
    services.unmerge_opinion(opinion, by=request.user)
    return redirect("conferences:opinions", pk=opinion.conference_id)
