"""The register in Excel: its list export (with the list's search and type filter) and its
import, upload → dry run → confirm (core/sheets/flow.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from core.permissions import require
from core.requests import SignedInRequest
from core.sheets.flow import run_import
from core.sheets.writing import xlsx_response
from documents import excel
from documents import services as documents_services
from organisations.membership import membership_of
from organisations.models import Organisation
from organisations.permissions import member_school_id


@login_required
def documents_export(request: SignedInRequest) -> HttpResponse:
    """The document register, with the list's search and type filter."""
    school_id = membership_of(request.user).school_id
    documents = documents_services.register_list(school_id, request.GET)
    return xlsx_response(excel.documents_workbook(documents), _("Sổ văn bản.xlsx"))


@login_required
def documents_import(request: SignedInRequest) -> HttpResponse:
    school = get_object_or_404(Organisation, pk=member_school_id(request.user))
    require(request.user, "documents.register", school)
    return run_import(
        request,
        purpose="documents",
        scope=school.pk,
        read=lambda data: excel.read_documents(school, data),
        write=lambda data: excel.import_documents(school, data, by=request.user),
        context={
            "title": _("Nhập sổ văn bản từ Excel"),
            "back_url": reverse("documents:document_list"),
            "back_label": _("Sổ văn bản căn cứ"),
            "template_url": reverse("documents:documents_export"),
            "columns": excel.COLUMNS,
            "sheet_name": excel.SHEET,
            "intro": _(
                "Mỗi dòng một văn bản. Văn bản đã có trong sổ (cùng số, ký hiệu và năm ban hành) "
                "được nhận ra: dòng đó cập nhật hoặc giữ nguyên văn bản, không tạo bản thứ hai. "
                "Ngày ban hành ghi ngày/tháng/năm (23/8/2023) hoặc để Excel định dạng ngày."
            ),
        },
        done_url=reverse("documents:document_list"),
    )
