"""The roll call and the hall: the secretary's roll (search, sort, filter, mark all shown), the
hall's screen with the self check-in link, the attendee's own check-in, and closing the
conference after a preview of what it does."""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conferences import services
from conferences.closing import closing_preview
from conferences.models import Invitation
from conferences.quorum import quorum
from conferences.roll import SORTS, STATES, RollQuery, read_roll
from conferences.services.checkin import TOKEN_MAX_AGE
from conferences.views.common import MANAGE, get_conference, get_part
from core.errors import DomainError
from core.requests import SignedInHtmxRequest, SignedInRequest
from core.views import attempt
from organisations.membership import membership_of

# How often the hall's screen fetches a fresh check-in link (the link lives TOKEN_MAX_AGE).
LINK_REFRESH_SECONDS = 60


def _query_string(query: RollQuery) -> str:
    params = {
        "q": query.q,
        "group": query.group or "",
        "state": query.state,
        "sort": query.sort if query.sort != "group" else "",
    }
    return urlencode({k: v for k, v in params.items() if v})


@login_required
def attendance(request: SignedInHtmxRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, MANAGE)
    query = RollQuery.from_params(request.GET.dict())
    context = {
        "conference": conference,
        "roll": read_roll(conference, query),
        "roll_query": query,
        "query_string": _query_string(query),
        "sorts": SORTS,
        "states": STATES,
        "quorum": quorum(conference),
        "tab": "attendance",
    }
    if request.htmx and request.htmx.target == "roll":
        return render(request, "conferences/_roll.html", context)
    return render(request, "conferences/attendance.html", context)


@login_required
@require_POST
def mark(request: SignedInHtmxRequest, pk: int) -> HttpResponse:
    """Mark one invitee present or absent; HTMX gets the row back and the quorum, live."""
    invitation = get_part(request, Invitation.objects.select_related("person"), pk, MANAGE)
    attempt(
        request,
        lambda: services.mark_attendance(
            invitation,
            attendance=request.POST.get("attendance", ""),
            reason=request.POST.get("reason", ""),
            by=request.user,
        ),
    )
    if request.htmx:
        context = {
            "invitation": invitation,
            "conference": invitation.conference,
            "quorum": quorum(invitation.conference),
            "oob": True,
        }
        return render(request, "conferences/_attendance_row.html", context)
    return redirect("conferences:attendance", pk=invitation.conference_id)


@login_required
@require_POST
def mark_all(request: SignedInRequest, pk: int) -> HttpResponse:
    """Mark present, at once, the unmarked people the secretary was shown (their ids)."""
    conference = get_conference(request, pk, MANAGE)
    ids = [int(i) for i in request.POST.get("ids", "").split(",") if i.isdigit() and len(i) < 12]
    attempt(
        request,
        lambda: services.mark_unmarked_present(conference, ids, by=request.user),
        success=lambda n: _("Đã điểm danh có mặt %(n)s người.") % {"n": n},
    )
    query = RollQuery.from_params(
        {k: request.POST.get(k, "") for k in ("q", "group", "state", "sort")}
    )
    url = reverse("conferences:attendance", args=[pk])
    query_string = _query_string(query)
    return redirect(f"{url}?{query_string}" if query_string else url)


@login_required
def quorum_box(request: SignedInRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk)
    return render(
        request,
        "conferences/_quorum.html",
        {"conference": conference, "quorum": quorum(conference)},
    )


# The hall's screen and the attendee's own check-in -----------------------------------------


def qr_svg(link: str) -> str:
    """The link as a QR code, an inline SVG scaled to fill its box (drawn here, no script)."""
    return segno.make(link, error="m").svg_inline(scale=1, border=2, omitsize=True)


def _link_context(request: SignedInRequest, conference: object) -> dict[str, object]:
    link = ""
    if getattr(conference, "in_session", False):
        token = services.checkin_token(conference)  # type: ignore[arg-type]  # a Conference
        link = request.build_absolute_uri(reverse("conferences:checkin", args=[token]))
    return {
        "conference": conference,
        "link": link,
        # Drawn by segno from our own link: safe to insert.
        "qr": mark_safe(qr_svg(link)) if link else "",
        "refresh": LINK_REFRESH_SECONDS,
        "valid_minutes": int(TOKEN_MAX_AGE.total_seconds() // 60),
    }


@login_required
def hall_screen(request: SignedInRequest, pk: int) -> HttpResponse:
    """What the secretary puts on the hall's screen: the check-in link, renewed every minute,
    and the live quorum."""
    conference = get_conference(request, pk, MANAGE)
    context = {
        **_link_context(request, conference),
        "quorum": quorum(conference),
        "tab": "attendance",
    }
    return render(request, "conferences/hall_screen.html", context)


@login_required
def hall_link(request: SignedInRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, MANAGE)
    return render(request, "conferences/_hall_link.html", _link_context(request, conference))


@login_required
def checkin(request: SignedInRequest, token: str) -> HttpResponse:
    """The attendee's own phone: confirm, then marked present. Only their own invitation."""
    context: dict[str, object] = {"token": token}
    try:
        conference_pk = services.conference_of_token(token)
    except DomainError as error:
        return render(
            request, "conferences/checkin.html", {**context, "error": error}, status=error.status
        )
    conference = get_conference(request, conference_pk)  # 404 to another school's user
    person = membership_of(request.user).person
    context["conference"] = conference
    try:
        if request.method == "POST":
            context["invitation"] = services.check_in_self(
                conference, token=token, person=person, by=request.user
            )
            return redirect("conferences:checkin", token=token)
        context["invitation"] = services.check_token(conference, token, person)
    except DomainError as error:
        return render(
            request, "conferences/checkin.html", {**context, "error": error}, status=error.status
        )
    return render(request, "conferences/checkin.html", context)


# Closing ---------------------------------------------------------------------------------------


@login_required
def close(request: SignedInRequest, pk: int) -> HttpResponse:
    """What closing does, the problems found, and the confirmation."""
    conference = get_conference(request, pk, MANAGE)
    status = 200
    if request.method == "POST":
        done = attempt(
            request,
            lambda: services.close_conference(
                conference, fingerprint=request.POST.get("fingerprint", ""), by=request.user
            ),
            success=_(
                "Đã kết thúc hội nghị. Điểm danh và ý kiến đã được khóa; có thể mở lại bằng nút "
                "“Đang họp” ở trang tổng quan."
            ),
        )
        if done:
            return redirect("conferences:detail", pk=pk)
        conference.refresh_from_db()
        status = 409
    context = {
        "conference": conference,
        "preview": closing_preview(conference),
        "tab": "overview",
    }
    return render(request, "conferences/close.html", context, status=status)
