"""The province dashboard (a Sở's officers): each school's summary figures side by side, and one
school's figures with its state on each of the body's report requests; the lists behind the
figures only when the school shares them. A school's own pages stay closed to the body."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from core.clock import today
from core.permissions import require
from core.requests import SignedInRequest
from organisations.permissions import member_school_id
from province import dashboard, reporting
from province.models import ReportRequest
from tracking.summaries import summaries

VIEW = "province.view"
# ?sort= on the dashboard: by name (the list's order), or the figure needing attention first.
SORTS = {"name", "done", "on_time", "red", "reports"}


def _sorted(rows: list[dashboard.SchoolRow], sort: str) -> list[dashboard.SchoolRow]:
    def rate(value: float | None) -> float:
        return value if value is not None else 101.0

    keys = {
        "done": lambda r: rate(r.headline.get("done_rate")),
        "on_time": lambda r: rate(r.headline.get("on_time_rate")),
        "red": lambda r: -r.targets["red"],
        "reports": lambda r: rate(r.reports_rate),
    }
    if sort not in keys:
        return rows
    return sorted(rows, key=keys[sort])


@login_required
def province_dashboard(request: SignedInRequest) -> HttpResponse:
    require(request.user, VIEW)
    body_id = member_school_id(request.user)
    sort = request.GET.get("sort", "name")
    if sort not in SORTS:
        sort = "name"
    rows = _sorted(dashboard.rows(body_id, today()), sort)
    context = {"rows": rows, "sort": sort, "summaries": summaries()}
    return render(request, "province/dashboard.html", context)


@login_required
def school_detail(request: SignedInRequest, school_id: int) -> HttpResponse:
    require(request.user, VIEW)
    body_id = member_school_id(request.user)
    found = dashboard.rows(body_id, today(), school_id=school_id)
    if not found:
        raise Http404
    row = found[0]
    requests = list(
        ReportRequest.objects.active()
        .filter(body_id=body_id, recipients__school_id=school_id)
        .order_by("-deadline", "-pk")
    )
    standings = reporting.school_standings(requests, row.school)
    context = {
        "row": row,
        "standings": standings,
        "shared": dashboard.shared_lists(row),
        "summaries": summaries(),
    }
    return render(request, "province/school_detail.html", context)
