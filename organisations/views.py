"""The organisation tree and its people."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeDoneView, PasswordChangeView
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.audit import history_entries
from core.permissions import get_authorised, require
from core.query import id_param
from core.requests import SignedInRequest
from core.views import attempt, render_form
from organisations import services
from organisations.forms import (
    EndPositionForm,
    OrganisationForm,
    PersonForm,
    PositionForm,
    RenameForm,
)
from organisations.membership import (
    ACTIVE_ORGANISATION_KEY,
    history_access_of,
    membership_of,
    memberships_of,
)
from organisations.models import Organisation, Person, Position
from organisations.permissions import member_school_id

VIEW_ORG = "organisations.view_organisation"
CHANGE_ORG = "organisations.change_organisation"
VIEW_PERSON = "organisations.view_person"
CHANGE_PERSON = "organisations.change_person"
MANAGE_ACCOUNT = "organisations.manage_account"
PAGE_SIZE = 50


def _current_positions() -> Prefetch:
    return Prefetch(
        "positions",
        queryset=Position.objects.current()
        .select_related("person")
        .order_by("order", "person__sort_key"),
        to_attr="current_positions",
    )


@login_required
def organisation_tree(request: SignedInRequest) -> HttpResponse:
    """The school and its units as a tree, with the bodies above it."""
    membership = membership_of(request.user)
    require(request.user, "organisations.browse")
    units = list(
        Organisation.objects.active()
        .filter(school_id=membership.school_id)
        .prefetch_related(_current_positions())
    )
    children: dict[int | None, list[Organisation]] = defaultdict(list)
    ids = {unit.pk for unit in units}
    for unit in units:
        children[unit.parent_id if unit.parent_id in ids else None].append(unit)
    for unit in units:
        unit.tree_children = children.get(unit.pk, [])
    school = next((u for u in units if u.pk == membership.school_id), None)
    ancestors: list[Organisation] = []
    node = school.parent if school else None
    while node is not None:
        ancestors.insert(0, node)
        node = node.parent
    return render(
        request,
        "organisations/tree.html",
        {
            "roots": children.get(None, []),
            "ancestors": ancestors,
            "school": school,
            "can_change": request.user.has_perm("organisations.manage"),
        },
    )


@login_required
def organisation_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    org = get_authorised(
        request.user, Organisation.objects.select_related("parent"), VIEW_ORG, pk=pk
    )
    context = {
        "org": org,
        "positions": org.positions.select_related("person").order_by("valid_to", "order"),
        "today": timezone.localdate(),
        "children": org.children.active(),
        "former_names": org.former_names.all(),
        "successions": org.successions.select_related("successor"),
        "predecessions": org.predecessions.select_related("predecessor"),
        "can_change": request.user.has_perm(CHANGE_ORG, org),
        "history": history_entries(org),
    }
    return render(request, "organisations/organisation_detail.html", context)


@login_required
def organisation_form(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    membership = membership_of(request.user)
    if pk is not None:
        org = get_authorised(request.user, Organisation, VIEW_ORG, CHANGE_ORG, pk=pk)
    else:
        require(request.user, "organisations.manage")
        org = Organisation(parent_id=id_param(request.GET, "parent") or membership.school_id)
    form = OrganisationForm(request.POST or None, instance=org, school_id=membership.school_id)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request, lambda: services.save_organisation(form.instance, by=request.user), form=form
        )
        if saved:
            return redirect("organisations:organisation_detail", pk=form.instance.pk)
    back = (
        reverse("organisations:organisation_detail", args=[pk])
        if pk
        else reverse("organisations:tree")
    )
    return render_form(request, form, title=_("Sửa đơn vị") if pk else _("Thêm đơn vị"), back=back)


@login_required
def organisation_rename(request: SignedInRequest, pk: int) -> HttpResponse:
    org = get_authorised(request.user, Organisation, VIEW_ORG, CHANGE_ORG, pk=pk)
    form = RenameForm(
        request.POST or None, initial={"name": org.name, "short_name": org.short_name}
    )
    if request.method == "POST" and form.is_valid():
        renamed = attempt(
            request,
            lambda: services.rename_organisation(org, by=request.user, **form.cleaned_data),
            form=form,
            success=_("Đã đổi tên; tên cũ được lưu cùng thời gian sử dụng."),
        )
        if renamed:
            return redirect("organisations:organisation_detail", pk=org.pk)
    return render_form(
        request,
        form,
        title=_("Đổi tên đơn vị"),
        back=reverse("organisations:organisation_detail", args=[pk]),
    )


@login_required
def person_list(request: SignedInRequest) -> HttpResponse:
    """People of the school, sorted the Vietnamese way (given name first)."""
    require(request.user, "organisations.browse")
    people = services.people_list(membership_of(request.user).school_id, request.GET)
    query = request.GET.get("q", "").strip()
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/person_list.html",
        {"page": page, "query": query, "can_change": request.user.has_perm("organisations.manage")},
    )


@login_required
def person_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    person = get_authorised(request.user, Person, VIEW_PERSON, pk=pk)
    context = {
        "person": person,
        "positions": person.positions.select_related("organisation").order_by("valid_to", "order"),
        "today": timezone.localdate(),
        "tasks": person.tasks_in_charge.active()
        .filter(plan__archived_at__isnull=True)
        .select_related("plan", "lead_unit"),
        "can_change": request.user.has_perm(CHANGE_PERSON, person),
        "can_manage_account": request.user.has_perm(MANAGE_ACCOUNT, person),
        "history": history_entries(person),
    }
    return render(request, "organisations/person_detail.html", context)


@login_required
def person_form(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    if pk is not None:
        person = get_authorised(request.user, Person, VIEW_PERSON, CHANGE_PERSON, pk=pk)
    else:
        require(request.user, "organisations.manage")
        person = Person(school_id=member_school_id(request.user))
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            lambda: services.save_person(
                form.instance, by=request.user, expected_version=form.expected_version
            ),
            form=form,
        )
        if saved:
            return redirect("organisations:person_detail", pk=form.instance.pk)
    back = (
        reverse("organisations:person_detail", args=[pk])
        if pk
        else reverse("organisations:person_list")
    )
    return render_form(
        request, form, title=_("Sửa thông tin") if pk else _("Thêm cán bộ, viên chức"), back=back
    )


@login_required
def position_add(request: SignedInRequest, pk: int) -> HttpResponse:
    person = get_authorised(request.user, Person, VIEW_PERSON, CHANGE_PERSON, pk=pk)
    form = PositionForm(
        request.POST or None, instance=Position(person=person), school_id=person.school_id
    )
    if request.method == "POST" and form.is_valid():
        added = attempt(
            request, lambda: services.add_position(form.instance, by=request.user), form=form
        )
        if added:
            return redirect("organisations:person_detail", pk=person.pk)
    return render_form(
        request,
        form,
        title=_("Thêm chức vụ: %(name)s") % {"name": person},
        back=reverse("organisations:person_detail", args=[pk]),
    )


@login_required
def position_end(request: SignedInRequest, pk: int) -> HttpResponse:
    position = get_object_or_404(Position.objects.select_related("person", "organisation"), pk=pk)
    get_authorised(request.user, Person, VIEW_PERSON, CHANGE_PERSON, pk=position.person_id)
    form = EndPositionForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        on = form.cleaned_data["on"]
        if attempt(
            request, lambda: services.end_position(position, on=on, by=request.user), form=form
        ):
            return redirect("organisations:person_detail", pk=position.person_id)
    return render_form(
        request,
        form,
        title=_("Kết thúc chức vụ: %(position)s") % {"position": position},
        back=reverse("organisations:person_detail", args=[position.person_id]),
    )


@login_required
@require_POST
def person_unlock(request: SignedInRequest, pk: int) -> HttpResponse:
    person = get_authorised(request.user, Person, VIEW_PERSON, MANAGE_ACCOUNT, pk=pk)
    attempt(
        request,
        lambda: services.unlock_login(person, by=request.user),
        success=_("Đã mở khoá đăng nhập cho %(name)s: có thể đăng nhập lại ngay.")
        % {"name": person},
    )
    return redirect("organisations:person_detail", pk=person.pk)


@login_required
@require_POST
@never_cache
def person_password_reset(request: SignedInRequest, pk: int) -> HttpResponse:
    """A temporary password, shown on this one response only (never stored in clear, never
    cached): the colleague changes it after logging in."""
    person = get_authorised(request.user, Person, VIEW_PERSON, MANAGE_ACCOUNT, pk=pk)
    reset = attempt(request, lambda: services.reset_password(person, by=request.user))
    if not reset:
        return redirect("organisations:person_detail", pk=person.pk)
    return render(
        request,
        "organisations/temporary_password.html",
        {"person": person, "temporary": reset.value},
    )


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    """Work in another of the user's organisations from now on (kept in the session)."""
    organisation_id = id_param(request.POST, "organisation")
    allowed = {person.school_id for person in memberships_of(request.user)}
    allowed |= {access.school_id for access in history_access_of(request.user)}
    if organisation_id not in allowed:
        raise Http404
    request.session[ACTIVE_ORGANISATION_KEY] = organisation_id
    return redirect("home")


class PasswordChange(PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDone(PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"
