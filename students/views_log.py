"""Who saw which students' personal details (NĐ 13/2023/NĐ-CP): the log every named page and
export writes (`PersonalDataView`), for the leadership and the student affairs office only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.requests import SignedInRequest
from organisations.models import Person
from students import services
from students.models import PersonalDataView
from students.views import PAGE_SIZE, _school

SEE_LOG = "students.view_all_names"


@login_required
def personal_data_log(request: SignedInRequest) -> HttpResponse:
    school = _school(request, SEE_LOG)
    rows = (
        PersonalDataView.objects.filter(school=school)
        .select_related("user", "student__cohort", "cohort")
        .order_by("-viewed_at", "-pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    # Each viewer's name as the school's staff records give it (one query for the page).
    names = dict(
        Person.objects.filter(school=school, user_id__in={r.user_id for r in page.object_list})
        .order_by("pk")
        .values_list("user_id", "full_name")
    )
    named = [r for r in page.object_list if r.student_id is not None]
    if named:
        services.log_personal_view(
            request.user, school.pk, what=_("Xem nhật ký truy cập dữ liệu cá nhân"), rows=len(named)
        )
    lines = [(r, names.get(r.user_id) or r.user.get_username()) for r in page.object_list]
    context = {"school": school, "page": page, "lines": lines}
    return render(request, "students/personal_data_log.html", context)
