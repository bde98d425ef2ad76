"""Mergers of schools: the list of those recorded and of the schools one may merge, and per
school the page that previews a merger (what would move, the unit mapping), runs it dry and
confirms it.

Who (province.rules): the officer of a body directing the school (its leadership or clerk) and
the site's administrator. Everyone else gets 403 before anything of the school is read.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from core.clock import today
from core.permissions import require
from core.query import id_param
from core.requests import SignedInRequest
from core.views import attempt
from organisations import merging
from organisations.membership import membership_of
from organisations.models import Organisation, OrganisationKind, Succession, SuccessionKind
from province import mergers
from province.forms import MergerForm
from province.models import SchoolChange
from province.services import directed_schools

MERGE = "province.merge_school"
VIEW_MERGERS = "province.view_mergers"


def _body_of(request: SignedInRequest) -> Organisation | None:
    """The body the user records for (their Sở), None for the site's administrator."""
    person = membership_of(request.user).person
    return person.school if person is not None and not request.user.is_superuser else None


def _schools_for(request: SignedInRequest) -> list[Organisation]:
    """The schools the user may merge, or merge into: the body's directed schools; every school
    for the administrator."""
    body = _body_of(request)
    with scopes_disabled():
        if body is None:
            schools = Organisation.objects.active().filter(kind=OrganisationKind.SCHOOL)
        else:
            schools = Organisation.objects.filter(
                pk__in=directed_schools(body.pk).values("school_id")
            )
        return list(schools.order_by("order", "name"))


@login_required
def merger_list(request: SignedInRequest) -> HttpResponse:
    require(request.user, VIEW_MERGERS)
    body = _body_of(request)
    with scopes_disabled():
        changes = SchoolChange.objects.select_related(
            "school", "successor", "new_parent", "decision", "recorded_by"
        )
        if body is not None:
            changes = changes.filter(body=body)
        rows = list(changes)
        merged = {change.school_id for change in rows if change.kind == "merger"}
        merged |= set(merging.carried_out_mergers().values_list("predecessor_id", flat=True))
        schools = [school for school in _schools_for(request) if school.pk not in merged]
    # Every listed school is one the user's body directs (or any, for the administrator): one
    # check answers for all.
    can_merge = bool(schools) and request.user.has_perm(MERGE, schools[0])
    context = {"changes": rows, "schools": schools if can_merge else []}
    return render(request, "province/merger_list.html", context)


@login_required
def school_merge(request: SignedInRequest, pk: int) -> HttpResponse:
    school = get_object_or_404(Organisation.objects.filter(kind=OrganisationKind.SCHOOL), pk=pk)
    require(request.user, MERGE, school)
    absorbed = merging.absorbed_by(school.pk)
    candidates = [s for s in _schools_for(request) if s.pk != school.pk]
    # A successor already noted in the tree (the succession drawn before the decision came).
    noted = [
        succession.successor
        for succession in Succession.objects.filter(
            predecessor=school, kind=SuccessionKind.MERGED, successor__kind=OrganisationKind.SCHOOL
        ).select_related("successor")
    ]
    candidates += [s for s in noted if s.pk not in {c.pk for c in candidates}]
    into_id = id_param(request.GET, "into")
    if "into" not in request.GET and noted:
        into_id = noted[0].pk
    into = next((s for s in candidates if s.pk == into_id), None)
    with scopes_disabled():
        units = merging.units_to_map(school)
        targets = list(Organisation.objects.active().units_of(into)) if into else []
        defaults = merging.default_unit_map(school, into)
    form = MergerForm(
        request.POST or None,
        units=units,
        targets=targets,
        defaults=defaults,
        creating=into is None,
    )
    outcome = None
    if request.method == "POST" and absorbed is None and form.is_valid():
        data = form.cleaned_data
        dry_run = request.POST.get("action") != "confirm"
        done = attempt(
            request,
            lambda: mergers.merge_school(
                school,
                into=into,
                new_school=None
                if into is not None
                else mergers.NewSchool(
                    name=data["new_name"],
                    short_name=data.get("new_short_name") or "",
                    abbreviation=data.get("new_abbreviation") or "",
                ),
                decision=mergers.Decision(
                    number=data["decision_number"],
                    issuer_code=data["decision_issuer_code"],
                    issued_on=data["decision_issued_on"],
                    issuer_name=data.get("decision_issuer_name") or "",
                    summary=data.get("decision_summary") or "",
                ),
                effective_on=data["effective_on"],
                unit_map=form.unit_map(),
                receiving_year=data.get("receiving_year"),
                body=_body_of(request),
                by=request.user,
                dry_run=dry_run,
            ),
            form=form,
            success=None
            if dry_run
            else lambda result: (
                _("Đã sáp nhập %(old)s vào %(new)s.")
                % {"old": school.name, "new": result.successor_name}
            ),
        )
        if done is not None and not dry_run:
            return redirect("province:merger_list")
        outcome = done.value if done is not None else None
    day = form.cleaned_data.get("effective_on") if form.is_bound and form.is_valid() else None
    lines = mergers.preview(school, day or today())
    context = {
        "school": school,
        "absorbed": absorbed,
        "notice": merging.notice(absorbed) if absorbed else "",
        "candidates": candidates,
        "into": into,
        "form": form,
        "main_fields": [form[name] for name in form.fields if not name.startswith("unit_")],
        "unit_rows": [(unit, form[name]) for unit, name in form.unit_fields],
        "lines": lines,
        "outcome": outcome,
        "moved_rows": [
            (line.label, outcome.moved.get(line.key, 0)) for line in lines if line.key != "units"
        ]
        if outcome is not None
        else [],
    }
    status = 400 if request.method == "POST" and outcome is None else 200
    return render(request, "province/school_merge.html", context, status=status)
