from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledFormMixin
from documents.models import Document, DocumentSystem, DocumentType
from organisations.models import Organisation

MAX_FILE_SIZE = 20 * 1024 * 1024


class DocumentForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Document
        fields = [
            "system", "doc_type", "number", "year", "issuer_code", "issued_on", "issuer",
            "issuer_name", "signer_title", "summary", "file",
        ]  # fmt: skip
        widgets = {"issued_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].required = True
        # Bodies above schools, and the school's own units, may issue documents.
        self.fields["issuer"].queryset = Organisation.objects.active().filter(
            school__isnull=True
        ) | Organisation.objects.active().filter(school_id=self.instance.school_id)

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        if not number or not number[0].isdigit():
            raise forms.ValidationError(
                _("Số văn bản phải bắt đầu bằng chữ số, ví dụ 2457 hoặc 01.")
            )
        return number

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "size") and upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 20 MB)."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        doc_type: DocumentType | None = data.get("doc_type")
        system = data.get("system")
        if doc_type is None:
            return data
        if system and system not in doc_type.systems.split(","):
            self.add_error(
                "doc_type", _("Loại văn bản này không dùng trong hệ thống văn bản đã chọn.")
            )
        if system == DocumentSystem.STATE and doc_type.is_regulatory and not data.get("year"):
            self.add_error(
                "year",
                _("Văn bản quy phạm pháp luật ghi năm trong ký hiệu, ví dụ 01/2024/TT-BGDĐT."),
            )
        if system == DocumentSystem.PARTY and data.get("year"):
            self.add_error("year", _("Ký hiệu văn bản của Đảng không ghi năm, ví dụ 63-NQ/TU."))
        issuer_code = data.get("issuer_code", "")
        if (
            issuer_code
            and not issuer_code.replace("-", "").replace("&", "").replace(" ", "").isalnum()
        ):
            self.add_error(
                "issuer_code",
                _("Ký hiệu cơ quan chỉ gồm chữ, số và dấu gạch nối, ví dụ BGDĐT-GDĐH."),
            )
        return data
