"""The evidence pages (minh chứng thi đua): a person's, a unit's with its people, and the entry
page. Thin: parse, authorise, compute (emulation.evidence), render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from core.clock import today
from core.permissions import get_authorised, require
from core.query import date_param, id_param
from core.requests import SignedInRequest
from emulation.evidence import members_of
from emulation.evidence_cache import cached_year_evidence
from organisations.membership import membership_of, subtree_ids
from organisations.models import Organisation, Person
from organisations.permissions import is_admin, leads_school
from planning.models import Plan
from planning.queries import current_plan
from planning.status import default_day

VIEW_PLAN = "planning.view_plan"


def _plan(request: HttpRequest, pk: int) -> Plan:
    return get_authorised(request.user, Plan.objects.select_related("school"), VIEW_PLAN, pk=pk)


def _day(request: HttpRequest, plan: Plan) -> tuple[dt.date, bool]:
    """The day the evidence is read on, and whether it is a past one (read as it stood then):
    ?on=dd/mm/yyyy inside the plan's year up to today, else today (a finished year: its end)."""
    default = default_day(plan, today())
    day = date_param(request.GET, "on")
    if day is not None and plan.starts_on <= day <= default:
        return day, day < default
    if request.GET.get("on"):
        messages.warning(
            request,
            _("Ngày xem phải có dạng dd/mm/yyyy, trong năm học và không sau hôm nay."),
        )
    return default, False


def _visible_units(request: HttpRequest, plan: Plan) -> list[Organisation]:
    """The units whose evidence the user may see: every unit for leadership, else those they
    head with the units below them."""
    membership = membership_of(request.user)
    units = Organisation.objects.active().units_of(Organisation(pk=plan.school_id))
    if not (membership.leads_school(plan.school_id) or request.user.is_superuser):
        units = units.filter(pk__in=membership.headed_unit_ids)
    return list(units.order_by("order", "name"))


@login_required
def index(request: SignedInRequest) -> HttpResponse:
    """Where the evidence pages start: one's own, and the units one answers for with their key
    figures."""
    require(request.user, "emulation.view_evidence")
    membership = membership_of(request.user)
    plans = list(Plan.objects.active().filter(school_id=membership.school_id))
    chosen = id_param(request.GET, "plan")
    plan = next((p for p in plans if p.pk == chosen), None) or (
        current_plan() if membership.school_id is not None else None
    )
    context: dict[str, Any] = {"plans": plans, "plan": plan}
    if plan is not None:
        on, past = _day(request, plan)
        units = _visible_units(request, plan)
        evidence = cached_year_evidence(plan, units=units, on=on, past=past)
        context |= {
            "on": on,
            "past": past,
            "person": membership.person,
            "rows": [evidence.units[unit.pk] for unit in units],
        }
    return render(request, "emulation/evidence/index.html", context)


def _require_their_head_this_year(
    request: SignedInRequest, plan: Plan, person: Person, on: dt.date
) -> None:
    """A head (not the person, not leadership) sees only the people of the units they head in
    the plan's year up to `on`: not whoever held a position there once."""
    membership = membership_of(request.user)
    own = membership.person
    if (own is not None and own.pk == person.pk) or (is_admin | leads_school).test(
        request.user, person
    ):
        return
    units = subtree_ids(set(membership.headed_unit_ids), plan.school_id)
    if person.pk not in {member.pk for member in members_of(plan, units, on)}:
        raise PermissionDenied


@login_required
def person_page(request: SignedInRequest, plan_pk: int, pk: int) -> HttpResponse:
    """A person's evidence: their tasks, check-ins and files, their units' targets, their
    teaching hours; for the person, the heads of their units and leadership."""
    plan = _plan(request, plan_pk)
    person = get_authorised(
        request.user,
        Person.objects.filter(school_id=plan.school_id),
        "organisations.view_person",
        "emulation.view_person_evidence",
        pk=pk,
    )
    on, past = _day(request, plan)
    _require_their_head_this_year(request, plan, person, on)
    evidence = cached_year_evidence(plan, people=[person], on=on, past=past)
    mine = evidence.people[person.pk]
    units = Organisation.objects.in_bulk(list(mine.unit_ids))
    context = {
        "plan": plan,
        "on": on,
        "past": past,
        "evidence": evidence,
        "ev": mine,
        "person": person,
        "units": [
            (units[pk], request.user.has_perm("emulation.view_unit_evidence", units[pk]))
            for pk in mine.unit_ids
            if pk in units
        ],
    }
    return render(request, "emulation/evidence/person.html", context)


@login_required
def unit_page(request: SignedInRequest, plan_pk: int, unit_pk: int) -> HttpResponse:
    """A unit's evidence (with its sub-units), one row per person of the unit with their key
    figures, and each sub-unit's; for the unit's heads and leadership."""
    plan = _plan(request, plan_pk)
    unit = get_object_or_404(Organisation, pk=unit_pk, school_id=plan.school_id)
    if unit.pk == plan.school_id:
        raise Http404
    require(request.user, "emulation.view_unit_evidence", unit)
    on, past = _day(request, plan)
    children = list(unit.children.active().order_by("order", "name"))
    people = members_of(plan, subtree_ids({unit.pk}, plan.school_id), on)
    evidence = cached_year_evidence(plan, people=people, units=[unit, *children], on=on, past=past)
    context = {
        "plan": plan,
        "on": on,
        "past": past,
        "unit": unit,
        "evidence": evidence,
        "ev": evidence.units[unit.pk],
        "people": [evidence.people[person.pk] for person in people],
        "children": [evidence.units[child.pk] for child in children],
    }
    return render(request, "emulation/evidence/unit.html", context)
