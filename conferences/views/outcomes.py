"""What the conference decides and leaves: conclusions → tasks, the emulation launch and pledge,
photos, and the papers (minutes, resolution, news article; the numbers of the Word papers)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conferences import services, texts
from conferences.forms import (
    ArticleForm,
    ConclusionForm,
    ConclusionTaskForm,
    LaunchForm,
    PhotoForm,
    PledgeForm,
)
from conferences.models import Conclusion, Conference, EmulationLaunch, EmulationPledge, Photo
from conferences.papers import MINUTES_KIND, RESOLUTION_KIND, amendment_due
from conferences.views.common import ASSIGN, MANAGE, VIEW, form_page, get_conference, get_part
from core.permissions import get_authorised
from core.requests import SignedInRequest
from core.views import attempt
from documents.models import DocumentSystem, DocumentType
from papers import registry
from papers.numbering import issue_number
from papers.output import render_word


@login_required
def outcomes(request: SignedInRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk)
    context = {
        "conference": conference,
        "conclusions": conference.conclusions.active().select_related(
            "lead_unit", "task__lead_unit"
        ),
        "launch": EmulationLaunch.objects.filter(conference=conference)
        .select_related("launched_by")
        .first(),
        "pledges": conference.pledges.active().select_related("head", "union", "union_rep"),
        "can_manage": request.user.has_perm(MANAGE, conference),
        "can_assign": request.user.has_perm(ASSIGN, conference),
        "tab": "outcomes",
    }
    return render(request, "conferences/outcomes.html", context)


@login_required
def conclusion_add(request: SignedInRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, MANAGE)
    form = ConclusionForm(request.POST or None, school_id=conference.school_id)
    back = reverse("conferences:outcomes", args=[pk])
    if request.method == "POST" and form.is_valid():
        recorded = attempt(
            request,
            lambda: services.record_conclusion(conference, by=request.user, **form.cleaned_data),
            form=form,
        )
        if recorded:
            return redirect(back)
    return form_page(
        request,
        form,
        title=_("Ghi kết luận của chủ tọa"),
        back=back,
        intro=_(
            "Ghi từng nội dung theo thứ tự chủ tọa kết luận; nội dung giao việc ghi rõ đơn "
            "vị chủ trì và hạn để trở thành nhiệm vụ của kế hoạch."
        ),
    )


@login_required
def conclusion_task(request: SignedInRequest, pk: int) -> HttpResponse:
    conclusion = get_part(request, Conclusion.objects.select_related("lead_unit"), pk, ASSIGN)
    conference = conclusion.conference
    form = ConclusionTaskForm(request.POST or None, plan_id=conference.plan_id)
    back = reverse("conferences:outcomes", args=[conference.pk])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assigned = attempt(
            request,
            lambda: services.conclusion_to_task(
                conclusion,
                existing_task=data["existing_task"],
                parent=data["parent"],
                title=data["title"],
                by=request.user,
            ),
            form=form,
            success=_("Kết luận đã thành nhiệm vụ của kế hoạch."),
        )
        if assigned:
            return redirect(back)
    return form_page(
        request,
        form,
        title=_("Giao nhiệm vụ theo kết luận"),
        back=back,
        intro=conclusion.text,
        submit=_("Giao nhiệm vụ"),
    )


@login_required
def launch_form(request: SignedInRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, MANAGE)
    launch = EmulationLaunch.objects.filter(conference=conference).first() or EmulationLaunch(
        conference=conference
    )
    form = LaunchForm(request.POST or None, instance=launch, school_id=conference.school_id)
    back = reverse("conferences:outcomes", args=[pk])
    if request.method == "POST" and form.is_valid():
        services.save(form.instance, by=request.user)
        return redirect(back)
    return form_page(request, form, title=_("Phát động thi đua"), back=back)


@login_required
def pledge_add(request: SignedInRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, MANAGE)
    pledge = EmulationPledge(conference=conference, signed_on=conference.held_on)
    form = PledgeForm(request.POST or None, instance=pledge, school_id=conference.school_id)
    back = reverse("conferences:outcomes", args=[pk])
    if request.method == "POST" and form.is_valid():
        services.save(form.instance, by=request.user)
        return redirect(back)
    return form_page(
        request, form, title=_("Giao ước thi đua giữa thủ trưởng và công đoàn"), back=back
    )


# Photos -----------------------------------------------------------------------------------------


@login_required
def photos(request: SignedInRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk)
    can_manage = request.user.has_perm(MANAGE, conference)
    form = PhotoForm(request.POST or None, request.FILES or None) if can_manage else None
    if request.method == "POST":
        if form is None:
            return HttpResponse(status=403)
        if form.is_valid():
            data = form.cleaned_data
            added = attempt(
                request,
                lambda: services.add_photo(
                    conference,
                    content=data["image"].read(),
                    caption=data["caption"],
                    by=request.user,
                ),
                form=form,
                field="image",
            )
            if added:
                return redirect("conferences:photos", pk=pk)
    context = {
        "conference": conference,
        "photos": conference.photos.active(),
        "form": form,
        "can_manage": can_manage,
        "tab": "photos",
    }
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, "conferences/photos.html", context, status=status)


@login_required
def photo_file(request: SignedInRequest, pk: int) -> FileResponse:
    """Photos are served only to those who may see the conference, with the type we found."""
    photo = get_part(request, Photo.objects.active(), pk)
    response = FileResponse(photo.image.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


# Papers -----------------------------------------------------------------------------------------

PAPERS = {
    "minutes": (texts.minutes, _("Biên bản hội nghị")),
    "resolution": (texts.resolution, _("Nghị quyết hội nghị")),
}


@login_required
def paper(request: SignedInRequest, pk: int, kind: str) -> HttpResponse:
    conference = get_conference(request, pk)
    if kind not in PAPERS:
        return HttpResponse(status=404)
    write, title = PAPERS[kind]
    context = {
        "conference": conference,
        "text": write(conference),
        "title": title,
        "kind": kind,
        "tab": "papers",
        # Those who run the conference take its papers' numbers.
        "can_number": request.user.has_perm(MANAGE, conference),
    }
    return render(request, "conferences/paper.html", context)


# The Word papers that take a number: the tab → (the paper kind, the document type).
NUMBERED = {"minutes": (MINUTES_KIND, "BB"), "resolution": (RESOLUTION_KIND, "NQ")}


@login_required
@require_POST
def paper_number(request: SignedInRequest, pk: int, kind: str) -> HttpResponse:
    """The biên bản or nghị quyết of a finished conference takes the school's next number."""
    if kind not in NUMBERED:
        raise Http404
    paper_code, type_code = NUMBERED[kind]
    conference = get_authorised(
        request.user,
        Conference.objects.active().select_related("school__parent", "kind"),
        VIEW,
        MANAGE,
        pk=pk,
    )
    back = redirect("conferences:paper", pk=conference.pk, kind=kind)
    if not conference.is_closed:
        messages.error(request, _("Chỉ lấy số khi hội nghị đã kết thúc."))
        return back
    paper_kind = registry.get(paper_code)
    paper = paper_kind.build(conference)
    signer = paper.signatures[-1] if paper.signatures else None
    title = (signer.mark or signer.title) if signer else (paper.signing_mark or paper.signer_title)
    # Reopened since its paper was numbered: what is issued now is an amendment, a new number;
    # the paper already issued stays as it is.
    amends = amendment_due(paper_code, conference)
    attempt(
        request,
        lambda: issue_number(
            issuer=conference.school,
            doc_type=DocumentType.objects.get(code=type_code),
            system=DocumentSystem.STATE,
            on=conference.held_on,
            kind=paper_code,
            object_id=conference.pk,
            summary=paper.summary,
            signer_title=title.capitalize(),
            by=request.user,
            render=lambda: render_word(paper_kind, conference),
            amends=amends,
        ),
        success=lambda issued: (
            _("%(type)s mang số %(symbol)s và đã vào sổ văn bản.")
            % {"type": paper.type_name, "symbol": issued.document.symbol}
        ),
    )
    return back


@login_required
def article(request: SignedInRequest, pk: int) -> HttpResponse:
    """The news article: generated from the data, editable by the secretary before publishing."""
    conference = get_conference(request, pk)
    can_manage = request.user.has_perm(MANAGE, conference)
    generated = texts.article(conference)
    text = conference.article_text or generated
    form = None
    if can_manage:
        form = ArticleForm(request.POST or None, initial={"text": text})
        if request.method == "POST" and form.is_valid():
            text = form.cleaned_data["text"]
            saved = attempt(
                request,
                lambda: services.save_article(conference, text=text, by=request.user),
                form=form,
                success=_("Đã lưu bài tin đã biên tập."),
            )
            if saved:
                return redirect("conferences:article", pk=pk)
    elif request.method == "POST":
        return HttpResponse(status=403)
    context = {
        "conference": conference,
        "text": text,
        "blocks": texts.article_blocks(
            text, list(conference.photos.active().order_by("order", "pk"))
        ),
        "is_edited": bool(conference.article_text) and conference.article_text != generated,
        "form": form,
        "can_manage": can_manage,
        "tab": "papers",
    }
    return render(request, "conferences/article.html", context)


@login_required
@require_POST
def article_regenerate(request: SignedInRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, MANAGE)
    attempt(
        request,
        lambda: services.regenerate_article(conference, by=request.user),
        success=_("Đã viết lại bài tin từ dữ liệu hội nghị."),
    )
    return redirect("conferences:article", pk=pk)


@login_required
@require_POST
def article_publish(request: SignedInRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, MANAGE)
    attempt(
        request,
        lambda: services.publish_article(conference, by=request.user),
        success=_("Đã duyệt đăng bài tin."),
    )
    return redirect("conferences:article", pk=pk)
