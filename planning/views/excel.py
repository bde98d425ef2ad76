"""The import of a plan's targets and tasks from Excel: upload → dry run → confirm
(core/sheets/flow.py). The sample file is the plan's export (tracking:plan_export)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from core.permissions import get_authorised
from core.requests import SignedInRequest
from core.sheets.flow import run_import
from planning import excel_import
from planning import services as planning_services
from planning.models import Plan

VIEW_PLAN = "planning.view_plan"
CHANGE_PLAN = "planning.change_plan"


@login_required
def plan_import(request: SignedInRequest, pk: int) -> HttpResponse:
    """Upload → dry run (every row's action and error) → confirm: all rows or none."""
    plan = get_authorised(
        request.user, Plan.objects.select_related("school"), VIEW_PLAN, CHANGE_PLAN, pk=pk
    )
    if plan.is_issued and request.method == "GET":
        try:
            planning_services.ensure_editable(plan)
        except planning_services.PlanningError as error:
            messages.warning(request, str(error))
    return run_import(
        request,
        purpose="plan",
        scope=plan.pk,
        read=lambda data: excel_import.read_plan(plan, data).result,
        write=lambda data: excel_import.import_plan(plan, data, by=request.user),
        context={
            "title": _("Nhập chỉ tiêu và nhiệm vụ từ Excel: %(plan)s") % {"plan": plan},
            "back_url": reverse("planning:plan_detail", args=[plan.pk]),
            "back_label": str(plan),
            "intro": _(
                "Tệp có trang tính “Chỉ tiêu” và/hoặc “Nhiệm vụ”, như tệp tải về từ kế hoạch. "
                "Chỉ tiêu được nhận theo mã (hoặc tên), nhiệm vụ theo số thứ tự; cột “Thuộc "
                "nhiệm vụ” ghi số thứ tự của nhiệm vụ cấp trên; đơn vị ghi tên hoặc mã, nhiều "
                "đơn vị phối hợp cách nhau bằng dấu chấm phẩy. Những gì tệp không nhắc đến "
                "được giữ nguyên."
            ),
            "columns": excel_import.TASK_COLUMNS,
            "template_url": reverse("tracking:plan_export", args=[plan.pk]),
            "plan": plan,
        },
        done_url=reverse("planning:plan_detail", args=[plan.pk]),
    )
