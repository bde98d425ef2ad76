"""The plan's targets measured by students figures: the leadership chooses, per target, which
figure feeds it (students.feeds); everyone in the school sees which targets are fed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import require
from core.query import id_param
from core.requests import SignedInRequest
from core.views import attempt
from planning.models import Plan, Target
from planning.queries import current_plan
from students import feeds, measures
from students.forms import FeedForm
from students.models import TargetFeed
from students.views import FIGURES, _school

FEED = "students.feed_targets"


def _plan(request: SignedInRequest, school_id: int) -> Plan | None:
    plans = Plan.objects.active().filter(school_id=school_id)
    chosen = id_param(request.GET, "plan")
    if chosen is not None:
        return plans.filter(pk=chosen).first()
    plan = current_plan()
    return plan if plan is not None and plan.school_id == school_id else None


@login_required
def targets(request: SignedInRequest) -> HttpResponse:
    school = _school(request, FIGURES)
    plan = _plan(request, school.pk)
    rows = []
    can_feed = request.user.has_perm(FEED, school) and school.is_school
    all_measures = measures.all_measures()
    if plan is not None:
        items = list(plan.targets.active().select_related("area").order_by("order", "pk"))
        fed = {
            f.target_id: f
            for f in TargetFeed.objects.active()
            .filter(target__in=items)
            .select_related("programme")
        }
        for target in items:
            feed = fed.get(target.pk)
            form = None
            if can_feed:
                initial = (
                    {"measure": feed.measure, "programme": feed.programme_id, "year": feed.year}
                    if feed
                    else {}
                )
                form = FeedForm(
                    initial=initial, school_id=school.pk, measures=all_measures,
                    prefix=f"t{target.pk}",
                )  # fmt: skip
            rows.append((target, feed, feeds.label_of(feed) if feed else "", form))
    context = {
        "school": school,
        "plan": plan,
        "plans": Plan.objects.active().filter(school_id=school.pk).order_by("-start_year"),
        "rows": rows,
        "can_feed": can_feed,
        "measures": all_measures,
    }
    return render(request, "students/targets.html", context)


@login_required
@require_POST
def target_feed(request: SignedInRequest, pk: int) -> HttpResponse:
    school = _school(request, FIGURES)
    require(request.user, FEED, school)
    target = get_object_or_404(
        Target.objects.active().select_related("plan"), pk=pk, plan__school=school
    )
    form = FeedForm(
        request.POST, school_id=school.pk, measures=measures.all_measures(), prefix=f"t{pk}"
    )
    back = redirect(f"{reverse('students:targets')}?plan={target.plan_id}")
    if not form.is_valid():
        messages.error(request, _("Số liệu, ngành/nghề hoặc năm không hợp lệ."))
        return back
    data = form.cleaned_data
    attempt(
        request,
        lambda: feeds.set_feed(
            target, measure=data["measure"], programme=data["programme"], year=data["year"],
            by=request.user,
        ),
        success=_("Đã lưu cách đo chỉ tiêu."),
    )  # fmt: skip
    return back
