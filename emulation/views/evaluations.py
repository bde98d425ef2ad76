"""Evaluation pages: my self-assessment, one evaluation with its steps and history, a unit's
review page (a row per person, reviewed in place with htmx), the facts the rules read, and the
leadership's classification preview with its warnings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import history_entries
from core.clock import today
from core.permissions import require
from core.query import int_param
from core.requests import SignedInHtmxRequest, SignedInRequest
from core.views import attempt, render_form
from emulation.facts import CampaignEvidence, campaign_evidence, evidence_day
from emulation.forms import FactsForm, LevelForm, MinutesForm
from emulation.models import Evaluation, ReviewStep, Stage
from emulation.review_rows import csrf_input, review_row
from emulation.services import classification
from emulation.services import evaluations as services
from emulation.services.common import EmulationError
from emulation.services.registrations import campaign_unit
from emulation.views.common import authorised_campaign, authorised_evaluation, unit_part
from organisations.membership import membership_of
from organisations.models import Person

STEP_PERMS = {
    ReviewStep.GROUP: "emulation.review_group",
    ReviewStep.UNIT: "emulation.review_unit",
    ReviewStep.LEADERSHIP: "emulation.review_leadership",
}


def evidence_url(evidence: CampaignEvidence, person_id: int) -> str:
    """The person's evidence page, on the day the campaign reads it."""
    url = reverse("emulation_evidence:person", args=[evidence.plan.pk, person_id])
    return f"{url}?on={evidence.on:%d/%m/%Y}" if evidence.past else url


def _steps_for(
    request: SignedInRequest, evaluation: Evaluation, submitted: bool | None = None
) -> list[ReviewStep]:
    """The review steps the user may take on the evaluation now."""
    return [
        step
        for step, perm in STEP_PERMS.items()
        if request.user.has_perm(perm, evaluation)
        and services.step_open(evaluation, step, reviews_submitted=submitted) is None
    ]


@login_required
def my_evaluation(request: SignedInRequest, pk: int) -> HttpResponse:
    """My self-assessment: the form while it may be made, then my evaluation's page."""
    campaign = authorised_campaign(request, pk, "emulation.register")
    person = membership_of(request.user).person
    evaluation = Evaluation.objects.active().filter(campaign=campaign, person=person).first()
    editable = evaluation is None or evaluation.stage in (Stage.PENDING, Stage.SELF_ASSESSED)
    if evaluation is not None and not editable:
        return redirect("emulation:evaluation", pk=evaluation.pk)
    form = LevelForm(
        request.POST or None,
        instance=evaluation,
        label=_("Tự nhận xét: ưu điểm, hạn chế, kết quả thực hiện nhiệm vụ"),
        initial={"level": evaluation.self_level, "comment": evaluation.self_comment}
        if evaluation
        else None,
    )
    if request.method == "POST" and form.is_valid():

        def assess() -> Evaluation:
            own = evaluation or services.evaluation_for(campaign, person, by=request.user)  # type: ignore[arg-type]  # the register permission needs a staff record
            return services.self_assess(
                own,
                level=form.cleaned_data["level"],
                comment=form.cleaned_data["comment"],
                by=request.user,
                expected_version=form.expected_version,
            )

        done = attempt(request, assess, form=form, success=_("Đã ghi tự đánh giá của bạn."))
        if done:
            return redirect("emulation:evaluation", pk=done.value.pk)
    evidence = campaign_evidence(campaign, [person]) if person is not None else None
    window = _("Thời hạn tự đánh giá: %(start)s – %(end)s.") % {
        "start": campaign.self_assessment_opens.strftime("%d/%m/%Y"),
        "end": campaign.self_assessment_closes.strftime("%d/%m/%Y"),
    }
    return render_form(
        request,
        form,
        title=_("Tự đánh giá, xếp loại năm học %(year)s") % {"year": campaign.year_label},
        back=reverse("emulation:campaign", args=[campaign.pk]),
        intro=window,
        submit=_("Ghi tự đánh giá"),
        template="emulation/self_assessment.html",
        extra={
            "campaign": campaign,
            "evaluation": evaluation,
            "window_open": campaign.self_assessment_open_on(today()),
            "evidence": evidence,
            "ev": evidence.of(person.pk) if evidence and person else None,
            "evidence_url": evidence_url(evidence, person.pk) if evidence and person else "",
        },
    )


@login_required
def evaluation_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    evaluation = authorised_evaluation(request, pk)
    steps = _steps_for(request, evaluation)
    forms = {
        step.value: LevelForm(
            instance=evaluation,
            prefix=step.value,
            initial={
                "level": getattr(evaluation, f"{step.value}_level") or evaluation.current_level,
            },
        )
        for step in steps
    }
    context: dict[str, Any] = {
        "evaluation": evaluation,
        "campaign": evaluation.campaign,
        "forms": forms,
        "why_not": {
            step.value: services.step_open(evaluation, step)
            for step, perm in STEP_PERMS.items()
            if request.user.has_perm(perm, evaluation) and step not in steps
        },
        "can_record_facts": request.user.has_perm("emulation.record_facts", evaluation),
        "is_own": evaluation.person_id == getattr(membership_of(request.user).person, "pk", None),
        "history": history_entries(evaluation),
    }
    evidence = campaign_evidence(evaluation.campaign, [evaluation.person])
    if evidence is not None:
        context |= {
            "evidence": evidence,
            "ev": evidence.of(evaluation.person_id),
            "evidence_url": evidence_url(evidence, evaluation.person_id),
        }
    return render(request, "emulation/evaluation_detail.html", context)


@login_required
@require_POST
def evaluation_review(request: SignedInHtmxRequest, pk: int, step: str) -> HttpResponse:
    """One reviewer's level and comments; from the unit page (htmx) the row comes back."""
    try:
        review_step = ReviewStep(step)
    except ValueError as error:
        raise Http404 from error
    evaluation = authorised_evaluation(request, pk, STEP_PERMS[review_step])
    form = LevelForm(request.POST, instance=evaluation, prefix=review_step.value)
    done = None
    if form.is_valid():
        done = attempt(
            request,
            lambda: services.review(
                evaluation,
                review_step,
                level=form.cleaned_data["level"],
                comment=form.cleaned_data["comment"],
                by=request.user,
                expected_version=form.expected_version,
            ),
            form=form,
            success=None if request.htmx else _("Đã ghi nhận xét."),
        )
    if request.htmx:
        if done:
            evaluation = done.value
        else:
            evaluation.refresh_from_db()
        row = _unit_row(
            request, evaluation, campaign_evidence(evaluation.campaign, [evaluation.person])
        )
        return HttpResponse(
            review_row(
                row,
                csrf=csrf_input(get_token(request)),
                form_error=form.errors if not done else None,
            ),
            status=200 if done else 400,
        )
    if not done:
        errors = "; ".join(
            str(message) for messages_ in form.errors.values() for message in messages_
        )
        messages.error(request, errors or _("Chưa ghi được nhận xét."))
    return redirect("emulation:evaluation", pk=evaluation.pk)


@login_required
def evaluation_facts(request: SignedInRequest, pk: int) -> HttpResponse:
    """Months worked, discipline, the group of similar tasks: what the rules read besides the
    levels (the page shows nothing of the self-assessment or the reviews)."""
    evaluation = authorised_evaluation(request, pk, "emulation.record_facts", view=None)
    back = (
        reverse("emulation:evaluation", args=[evaluation.pk])
        if request.user.has_perm("emulation.view_evaluation", evaluation)
        else reverse("emulation:facts", args=[evaluation.campaign_id])
    )
    form = FactsForm(
        request.POST or None,
        instance=evaluation,
        initial={
            "months_worked": evaluation.months_worked,
            "leave_months": evaluation.leave_months,
            "maternity_leave": evaluation.maternity_leave,
            "discipline": evaluation.discipline or "",
            "task_group": evaluation.task_group,
        },
    )
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: services.record_facts(
                evaluation,
                months_worked=form.cleaned_data["months_worked"],
                leave_months=form.cleaned_data["leave_months"],
                maternity_leave=form.cleaned_data["maternity_leave"],
                discipline=form.cleaned_data["discipline"] or None,
                task_group=form.cleaned_data["task_group"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                expected_version=form.expected_version,
            ),
            form=form,
            success=_("Đã cập nhật thông tin xét."),
        )
        if done:
            return redirect(back)
    return render_form(
        request,
        form,
        title=_("Thông tin xét của %(name)s") % {"name": evaluation.person.full_name},
        back=back,
        intro=_(
            "Quy tắc xếp loại đọc các thông tin này: dưới 6 tháng công tác không xếp loại, trừ "
            "nghỉ chế độ thai sản (xếp loại theo thời gian làm việc thực tế); nghỉ theo quy "
            "định từ 3 tháng trở lên vẫn xếp loại nhưng không từ Hoàn thành tốt nhiệm vụ trở "
            "lên; bị kỷ luật trong năm xếp loại Không hoàn thành nhiệm vụ."
        ),
    )


@login_required
def facts_list(request: SignedInRequest, pk: int) -> HttpResponse:
    """Every evaluated person's facts (months worked, discipline, group), for the leadership and
    its office to complete: no level or comment is shown."""
    campaign = authorised_campaign(request, pk)
    require(request.user, "emulation.record_facts", Evaluation(campaign=campaign))
    rows = (
        Evaluation.objects.active()
        .filter(campaign=campaign)
        .select_related("person", "unit")
        .order_by("unit__order", "unit__name", "person__sort_key", "pk")
    )
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(person__in=Person.objects.active().search(query))
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "emulation/facts.html",
        {"campaign": campaign, "page": page, "query": query},
    )


@login_required
@require_POST
def prepare(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk, "emulation.manage_campaign")
    attempt(
        request,
        lambda: services.prepare_evaluations(campaign, by=request.user),
        success=lambda made: (
            _("Đã lập %(n)d phiếu đánh giá; mọi người đã được thông báo.") % {"n": made}
        ),
    )
    return redirect("emulation:campaign", pk=campaign.pk)


def _unit_row(
    request: SignedInRequest,
    evaluation: Evaluation,
    evidence: CampaignEvidence | None,
    submitted: bool | None = None,
) -> dict[str, Any]:
    steps = _steps_for(request, evaluation, submitted)
    return {
        "evaluation": evaluation,
        "ev": evidence.of(evaluation.person_id) if evidence else None,
        "evidence_url": evidence_url(evidence, evaluation.person_id) if evidence else "",
        "steps": steps,
        "forms": {
            step.value: LevelForm(
                instance=evaluation,
                prefix=step.value,
                initial={
                    "level": getattr(evaluation, f"{step.value}_level") or evaluation.current_level,
                    "comment": getattr(evaluation, f"{step.value}_comment"),
                },
            )
            for step in steps
        },
    }


@login_required
def unit_review(request: SignedInRequest, pk: int, unit_pk: int) -> HttpResponse:
    """The unit head's page: every person of the unit with their self-assessment and reviews,
    each reviewed in place; the unit meeting's minutes; sending the reviews on."""
    campaign = authorised_campaign(request, pk)
    part = unit_part(request, campaign, unit_pk, "emulation.consolidate_unit")
    evaluations = list(
        Evaluation.objects.active()
        .filter(campaign=campaign, unit=part.unit)
        .select_related(
            "person",
            "subunit",
            "group_reviewed_by",
            "unit_reviewed_by",
            "leadership_reviewed_by",
        )
        .order_by("subunit__name", "person__sort_key", "pk")
    )
    for evaluation in evaluations:
        evaluation.campaign = campaign
        evaluation.unit = part.unit
    submitted = part.reviews_submitted
    evidence = campaign_evidence(campaign, [evaluation.person for evaluation in evaluations])
    minutes_form = MinutesForm(
        request.POST or None,
        instance=part if part.pk else None,
        initial={"meeting_on": part.review_meeting_on, "minutes": part.review_minutes},
    )
    if request.method == "POST" and minutes_form.is_valid():

        def save() -> Any:
            from_db = part if part.pk else campaign_unit(campaign, part.unit)
            return services.save_unit_minutes(
                from_db,
                meeting_on=minutes_form.cleaned_data["meeting_on"],
                minutes=minutes_form.cleaned_data["minutes"],
                by=request.user,
                expected_version=minutes_form.expected_version,
            )

        if attempt(request, save, form=minutes_form, success=_("Đã ghi biên bản họp xét.")):
            return redirect("emulation:unit_review", pk=campaign.pk, unit_pk=part.unit.pk)
    csrf = csrf_input(get_token(request))
    context = {
        "campaign": campaign,
        "part": part,
        "unit": part.unit,
        "rows": [
            review_row(_unit_row(request, evaluation, evidence, submitted), csrf=csrf)
            for evaluation in evaluations
        ],
        "minutes_form": minutes_form,
        "reviewed": sum(1 for e in evaluations if e.proposed_level),
    }
    status = 400 if minutes_form.is_bound and minutes_form.errors else 200
    return render(request, "emulation/unit_review.html", context, status=status)


@login_required
@require_POST
def unit_review_submit(request: SignedInRequest, pk: int, unit_pk: int) -> HttpResponse:
    campaign = authorised_campaign(request, pk)
    part = unit_part(request, campaign, unit_pk, "emulation.consolidate_unit")
    attempt(
        request,
        lambda: services.submit_unit_reviews(campaign, part.unit, by=request.user),
        success=_("Đã gửi kết quả xét của đơn vị lên Ban giám hiệu."),
    )
    return redirect("emulation:unit_review", pk=campaign.pk, unit_pk=part.unit.pk)


@login_required
def classification_page(request: SignedInRequest, pk: int) -> HttpResponse:
    """The leadership's preview: the engine on the current data, and its warnings; the council's
    ranking of HTXS candidates may be set here."""
    campaign = authorised_campaign(request, pk, "emulation.classify")
    if request.method == "POST":
        ranks = _ranks(request)
        attempt(
            request,
            lambda: services.set_council_ranks(campaign, ranks, by=request.user),
            success=lambda n: _("Đã ghi thứ hạng (%(n)d thay đổi).") % {"n": n},
        )
        return redirect("emulation:classification", pk=campaign.pk)
    try:
        result = classification.preview(campaign)
    except EmulationError as error:
        return render(
            request,
            "emulation/classification.html",
            {"campaign": campaign, "problem": str(error)},
        )
    plan = campaign.plan
    on, past = evidence_day(campaign, plan) if plan else (None, False)
    return render(
        request,
        "emulation/classification.html",
        {
            "campaign": campaign,
            "preview": result,
            "evidence_plan": plan,
            "evidence_on": on,
            "evidence_past": past,
        },
    )


def _ranks(request: SignedInRequest) -> dict[int, int | None]:
    """rank-<evaluation id> fields: a whole number from 1, or empty for none; anything else is
    left as it was."""
    ranks: dict[int, int | None] = {}
    for key in request.POST:
        if not key.startswith("rank-"):
            continue
        pk = int_param({"pk": key.removeprefix("rank-")}, "pk")
        if pk is None:
            continue
        text = request.POST.get(key, "").strip()
        if not text:
            ranks[pk] = None
            continue
        value = int_param({"v": text}, "v")
        if value is not None and 1 <= value <= 10_000:
            ranks[pk] = value
    return ranks
