"""The project shell's own pages: the home page ("Việc của tôi") and the search across the school's data.

Both read the active organisation's rows through the request's scope (organisations.scoping):
a query here cannot reach another school's data.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from core.clock import today
from core.requests import SignedInRequest
from core.text import search_terms
from documents.models import Document
from organisations.membership import membership_of
from organisations.models import Organisation, Person
from planning.models import Plan, Task
from planning.queries import DUE_SOON_DAYS
from trongtam.home import my_work

SEARCH_LIMIT = 20


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    """ "Việc của tôi": what needs the person today (trongtam/home.py), most urgent first."""
    membership = membership_of(request.user)
    if not membership.is_member:
        return render(request, "shell/no_school.html")
    work = my_work(request, membership)
    context = {
        "work": work,
        "today": today(),
        "due_soon_days": DUE_SOON_DAYS,
        # "See all" of a unit head's overdue tasks: the task list narrowed to their unit.
        "unit_link": min(membership.headed_root_ids, default=None),
    }
    return render(request, "shell/home.html", context)


@login_required
def search(request: SignedInRequest) -> HttpResponse:
    """Search plans, tasks, documents, people and units, ignoring diacritics."""
    query = request.GET.get("q", "").strip()
    membership = membership_of(request.user)
    results: dict[str, list[Any]] = {}
    if query and search_terms(query) and membership.is_member:
        results = {
            "plans": list(Plan.objects.active().search(query)[:SEARCH_LIMIT]),
            "tasks": list(
                Task.objects.active()
                .filter(plan__archived_at__isnull=True)
                .search(query)
                .select_related("plan", "lead_unit")[:SEARCH_LIMIT]
            ),
            "documents": list(
                Document.objects.active().search(query).select_related("doc_type")[:SEARCH_LIMIT]
            ),
            "people": list(Person.objects.active().search(query)[:SEARCH_LIMIT]),
            # The organisation tree is shared (not scoped): its units are picked by hand.
            "units": list(
                Organisation.objects.active()
                .filter(school_id=membership.school_id)
                .search(query)[:SEARCH_LIMIT]
            ),
        }
    total = sum(len(rows) for rows in results.values())
    return render(
        request, "shell/search.html", {"query": query, "results": results, "total": total}
    )
