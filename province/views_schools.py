"""The body's own list of its schools, kept by its leadership and clerks: add a school, correct
its name, short name and kind, stop or resume directing it (nothing deleted), with history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from core.audit import history_entries
from core.permissions import get_authorised, require
from core.requests import SignedInRequest
from core.views import attempt, render_form
from organisations.models import Organisation
from organisations.permissions import member_school_id
from province import school_list
from province.forms import SchoolEntryForm
from province.models import DirectedSchool

VIEW = "province.view"
MANAGE = "province.manage_schools"
VIEW_ENTRY = "province.view_school_entry"
EDIT = "province.edit_school_entry"


@login_required
def school_add(request: SignedInRequest) -> HttpResponse:
    require(request.user, MANAGE)
    body = get_object_or_404(Organisation, pk=member_school_id(request.user))
    form = SchoolEntryForm(request.POST or None, instance=DirectedSchool(body=body))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            request,
            lambda: school_list.add_school(
                body,
                name=data["name"],
                short_name=data.get("short_name") or "",
                level=data["level"],
                by=request.user,
            ),
            form=form,
            success=lambda entry: (
                _("Đã thêm %(name)s vào danh sách trường.") % {"name": entry.school.name}
            ),
        )
        if done:
            return redirect("province:school_list")
    return render_form(
        request,
        form,
        title=_("Thêm trường vào danh sách"),
        back=reverse("province:school_list"),
        intro=_(
            "Trường mới được tạo và đưa vào danh sách trường cơ quan chỉ đạo; Ban giám hiệu "
            "nhà trường hoàn thiện các đơn vị và cán bộ của trường."
        ),
        template="province/school_form.html",
        extra={"school_history": None},
    )


@login_required
def school_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    require(request.user, VIEW)
    entry = get_authorised(
        request.user,
        DirectedSchool.objects.select_related("school", "body"),
        VIEW_ENTRY,
        EDIT,
        pk=pk,
    )
    form = SchoolEntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            request,
            lambda: school_list.edit_school(
                form.instance,
                name=data["name"],
                short_name=data.get("short_name") or "",
                level=data["level"],
                active=bool(data.get("active")),
                by=request.user,
                expected_version=form.expected_version,
            ),
            form=form,
            success=_("Đã lưu thông tin trường."),
        )
        if done:
            return redirect("province:school_list")
    return render_form(
        request,
        form,
        title=_("Sửa thông tin %(name)s") % {"name": entry.school.name},
        back=reverse("province:school_list"),
        intro=_(
            "Ngừng chỉ đạo một trường không xóa gì: trường không nhận văn bản, yêu cầu mới; "
            "lịch sử, sáp nhập vẫn được giữ."
        ),
        template="province/school_form.html",
        extra={
            "school_history": history_entries(entry.school),
            "entry_history": history_entries(entry),
        },
    )
