"""Conference pages: list, setup (chairs, groups, agenda), the live attendance and quorum."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Q, When
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conferences import services
from conferences.forms import AgendaItemForm, ChairForm, ConferenceForm, GroupForm
from conferences.models import (
    AgendaItem,
    Attendance,
    Conclusion,
    Conference,
    ConferenceChair,
    ConferenceStatus,
    EmulationPledge,
    Invitation,
    InviteeGroup,
    Opinion,
    Photo,
    VoteItem,
)
from conferences.quorum import quorum
from conferences.views.common import MANAGE, form_page, get_conference, get_part
from core.audit import history_entries
from core.permissions import require
from core.requests import SignedInRequest
from core.views import attempt
from organisations.membership import membership_of
from organisations.permissions import member_school_id


@login_required
def conference_list(request: SignedInRequest) -> HttpResponse:
    membership = membership_of(request.user)
    conferences = (
        Conference.objects.active()
        .filter(school_id=membership.school_id)
        .select_related("kind", "plan")
        .annotate(
            # The conference in session comes first: it is the one people open during it.
            live=Case(When(status=ConferenceStatus.IN_SESSION, then=0), default=1),
            opinion_count=Count(
                "opinions", filter=Q(opinions__archived_at__isnull=True), distinct=True
            ),
            summoned=Count(
                "invitations",
                filter=Q(
                    invitations__archived_at__isnull=True,
                    invitations__group__counts_for_quorum=True,
                ),
                distinct=True,
            ),
            present=Count(
                "invitations",
                filter=Q(
                    invitations__archived_at__isnull=True,
                    invitations__group__counts_for_quorum=True,
                    invitations__attendance=Attendance.PRESENT,
                ),
                distinct=True,
            ),
        )
        .order_by("live", "-held_on", "-pk")
    )
    return render(
        request,
        "conferences/conference_list.html",
        {
            "conferences": conferences,
            "can_add": request.user.has_perm("conferences.add_conference"),
        },
    )


@login_required
def conference_form(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    if pk is not None:
        conference = get_conference(request, pk, MANAGE)
    else:
        require(request.user, "conferences.add_conference")
        conference = Conference(school_id=member_school_id(request.user))
    form = ConferenceForm(request.POST or None, instance=conference, school_id=conference.school_id)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            lambda: services.create_conference(
                form.instance, by=request.user, expected_version=form.expected_version
            ),
            form=form,
        )
        if saved:
            return redirect("conferences:detail", pk=saved.value.pk)
    back = reverse("conferences:detail", args=[pk]) if pk else reverse("conferences:list")
    return form_page(request, form, title=_("Sửa hội nghị") if pk else _("Hội nghị mới"), back=back)


@login_required
def conference_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk)
    groups = (
        conference.groups.active()
        .annotate(size=Count("members", filter=Q(members__archived_at__isnull=True)))
        .order_by("order", "pk")
    )
    context = {
        "conference": conference,
        "chairs": conference.chairs.active().select_related("person"),
        "groups": groups,
        "agenda": conference.agenda_items.active().select_related("presenter"),
        "quorum": quorum(conference),
        "can_manage": request.user.has_perm(MANAGE, conference),
        "statuses": ConferenceStatus.choices,
        "history": history_entries(conference),
        "tab": "overview",
    }
    return render(request, "conferences/conference_detail.html", context)


@login_required
@require_POST
def conference_status(request: SignedInRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, MANAGE)
    if request.POST.get("status") == ConferenceStatus.CLOSED:
        # Closing is irreversible in part: it goes through the page that shows what it does.
        return redirect("conferences:close", pk=pk)
    attempt(
        request,
        lambda: services.set_status(
            conference,
            request.POST.get("status", ""),
            by=request.user,
            reason=request.POST.get("reason", ""),
        ),
    )
    return redirect("conferences:detail", pk=pk)


@login_required
def chair_add(request: SignedInRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, MANAGE)
    chair = ConferenceChair(conference=conference, order=conference.chairs.count() + 1)
    form = ChairForm(request.POST or None, instance=chair, school_id=conference.school_id)
    if request.method == "POST" and form.is_valid():
        services.save(form.instance, by=request.user)
        return redirect("conferences:detail", pk=pk)
    return form_page(
        request, form, title=_("Thêm chủ tọa"), back=reverse("conferences:detail", args=[pk])
    )


@login_required
def group_add(request: SignedInRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, MANAGE)
    form = GroupForm(request.POST or None, school_id=conference.school_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = services.select_people(
            conference.school_id,
            whole_school=data["whole_school"],
            units=data["units"],
            roles=data["roles"],
            on=conference.held_on,
        )
        people += [p for p in data["people"] if p not in people]
        summoned = attempt(
            request,
            lambda: services.summon_group(
                conference,
                name=data["name"],
                people=people,
                guests=data["guests"].splitlines(),
                counts_for_quorum=data["counts_for_quorum"],
                by=request.user,
            ),
            form=form,
        )
        if summoned:
            return redirect("conferences:detail", pk=pk)
    return form_page(
        request,
        form,
        title=_("Thêm thành phần được triệu tập"),
        back=reverse("conferences:detail", args=[pk]),
        template="conferences/group_form.html",
        intro=_("Người đã có trong thành phần trước được giữ ở đó và chỉ tính một lần vào túc số."),
    )


@login_required
def agenda_form(
    request: SignedInRequest, pk: int | None = None, item_pk: int | None = None
) -> HttpResponse:
    if item_pk is not None:
        item = get_part(request, AgendaItem.objects.all(), item_pk, MANAGE)
        conference = item.conference
    else:
        conference = get_conference(request, pk, MANAGE)  # type: ignore[arg-type]
        item = AgendaItem(conference=conference, order=conference.agenda_items.count() + 1)
    form = AgendaItemForm(request.POST or None, instance=item, school_id=conference.school_id)
    if request.method == "POST" and form.is_valid():
        services.save(form.instance, by=request.user)
        return redirect(reverse("conferences:detail", args=[conference.pk]) + "#chuong-trinh")
    return form_page(
        request,
        form,
        title=_("Sửa mục chương trình") if item_pk else _("Thêm mục chương trình"),
        back=reverse("conferences:detail", args=[conference.pk]),
        intro=_(
            "Nội dung ghi như việc người trình bày làm, ví dụ “Triển khai nhiệm vụ trọng tâm năm "
            "học 2023-2024”: bài tin và biên bản được viết từ đây."
        ),
    )


# Archive ----------------------------------------------------------------------------------------

ARCHIVABLE: dict[str, Any] = {
    "chair": ConferenceChair,
    "group": InviteeGroup,
    "invitation": Invitation,
    "agenda": AgendaItem,
    "opinion": Opinion,
    "vote": VoteItem,
    "conclusion": Conclusion,
    "pledge": EmulationPledge,
    "photo": Photo,
}


BACK_TO = {
    "invitation": "conferences:attendance",
    "opinion": "conferences:opinions",
    "vote": "conferences:votes",
    "conclusion": "conferences:outcomes",
    "pledge": "conferences:outcomes",
    "photo": "conferences:photos",
}


@login_required
@require_POST
def archive(request: SignedInRequest, kind: str, pk: int) -> HttpResponse:
    """Archive a conference or one of its rows (never a hard delete)."""
    if kind == "conference":
        conference = get_conference(request, pk, MANAGE)
        services.archive_conference_object(conference, by=request.user)
        messages.success(request, _("Đã lưu trữ hội nghị."))
        return redirect("conferences:list")
    model = ARCHIVABLE.get(kind)
    if model is None:
        raise PermissionDenied
    obj = get_part(request, model.objects.all(), pk, MANAGE)
    attempt(
        request,
        lambda: services.archive_conference_object(obj, by=request.user),
        success=_("Đã lưu trữ."),
    )
    return redirect(BACK_TO.get(kind, "conferences:detail"), pk=obj.conference_id)
