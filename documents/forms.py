from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledFormMixin, set_required
from core.versioning import VersionedFormMixin
from documents.models import Document, DocumentSystem, DocumentType
from documents.reading import UnreadableFile, text_from_upload
from organisations.models import Organisation

MAX_FILE_SIZE = 20 * 1024 * 1024


class DocumentForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Document
        fields = [
            "system", "doc_type", "number", "year", "issuer_code", "issued_on", "issuer",
            "issuer_name", "signer_title", "summary", "file",
        ]  # fmt: skip
        widgets = {"issued_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_required(self.fields["doc_type"])
        # Bodies above schools, and the school's own units, may issue documents.
        self.fields["issuer"].queryset = Organisation.objects.active().outside_schools() | (
            Organisation.objects.active().filter(school_id=self.instance.school_id)
        )

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


class ImportTextForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Dán đoạn văn bản (ví dụ phần “Căn cứ …”)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=2_000_000,
    )
    upload = forms.FileField(label=_("hoặc chọn tệp .docx / .txt"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload:
            try:
                data["text"] = text_from_upload(upload.name, upload.read())
            except UnreadableFile as error:
                self.add_error("upload", str(error))
        if not (data.get("text") or "").strip() and not self.errors:
            raise forms.ValidationError(_("Hãy dán nội dung hoặc chọn một tệp."))
        return data


class ImportRowForm(StyledFormMixin, forms.Form):
    """One cited document in the preview; every cell can be corrected before confirming."""

    include = forms.BooleanField(label=_("Nhập"), required=False)
    existing = forms.ModelChoiceField(
        queryset=Document.objects.none(), required=False, widget=forms.HiddenInput
    )
    system = forms.ChoiceField(label=_("Hệ thống"), choices=DocumentSystem.choices)
    doc_type = forms.ModelChoiceField(
        label=_("Loại"), queryset=DocumentType.objects.all(), required=False
    )
    number = forms.CharField(label=_("Số"), max_length=20, required=False)
    year = forms.IntegerField(
        label=_("Năm (ký hiệu)"), required=False, min_value=1945, max_value=2100
    )
    issuer_code = forms.CharField(label=_("Ký hiệu cơ quan"), max_length=80, required=False)
    issued_on = forms.DateField(label=_("Ngày ban hành"), required=False, widget=DateInput())
    issuer_name = forms.CharField(label=_("Cơ quan ban hành"), max_length=255, required=False)
    summary = forms.CharField(
        label=_("Trích yếu"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["existing"].queryset = Document.objects.active().in_register_of(school_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("include") or data.get("existing"):
            return data
        required = {
            "doc_type": _("Chọn loại văn bản."),
            "number": _("Nhập số văn bản."),
            "issuer_code": _("Nhập ký hiệu cơ quan ban hành."),
            "summary": _("Nhập trích yếu."),
        }
        for name, message in required.items():
            if not data.get(name):
                self.add_error(name, message)
        number = data.get("number") or ""
        if number and not number[0].isdigit():
            self.add_error("number", _("Số văn bản phải bắt đầu bằng chữ số."))
        doc_type = data.get("doc_type")
        if (
            doc_type
            and doc_type.is_regulatory
            and data.get("system") == "state"
            and not data.get("year")
        ):
            self.add_error("year", _("Văn bản quy phạm pháp luật ghi năm trong ký hiệu."))
        return data


ImportRowFormSet = forms.formset_factory(ImportRowForm, extra=0)
