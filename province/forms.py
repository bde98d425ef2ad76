from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledFormMixin, set_required
from core.versioning import VersionedFormMixin
from documents.forms import DocumentForm
from documents.models import Document
from organisations.models import Organisation
from province.models import Audience, DirectedSchool, RequestKind, SchoolLevel
from province.reporting import parse_targets
from province.services import directed_schools


class RecipientsForm(StyledFormMixin, forms.Form):
    """To whom a directive goes: every school the body directs, those of a level, or a list."""

    audience = forms.ChoiceField(
        label=_("Gửi đến"),
        choices=Audience.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    level = forms.ChoiceField(
        label=_("Cấp học, loại trường"),
        choices=[("", "—"), *SchoolLevel.choices],
        required=False,
    )
    schools = forms.ModelMultipleChoiceField(
        label=_("Trường nhận (khi gửi theo danh sách)"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, body_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = Organisation.objects.filter(
            pk__in=directed_schools(body_id).values("school_id")
        ).order_by("order", "name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        audience = data.get("audience")
        if audience == Audience.LEVEL and not data.get("level"):
            self.add_error("level", _("Hãy chọn cấp học, loại trường nhận văn bản."))
        if audience == Audience.LIST and not data.get("schools"):
            self.add_error("schools", _("Hãy chọn ít nhất một trường nhận văn bản."))
        return data


class DirectiveForm(DocumentForm, RecipientsForm):
    """The directive as the body's register keeps it (number, date, issuer, summary, file: the
    register's own form, its size-limited upload included) and, below it, its recipients."""

    class Meta(DocumentForm.Meta):
        pass


class CorrectionForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    """A correction (đính chính) of a sent directive: its summary or its file, with the reason;
    the hidden version refuses a form opened before another save."""

    reason = forms.CharField(
        label=_("Lý do đính chính"),
        max_length=500,
        help_text=_("Các trường nhận văn bản được thông báo kèm lý do này."),
    )

    class Meta:
        model = Document
        fields = ["summary", "file"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    clean_file = DocumentForm.clean_file


class WithdrawForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Lý do thu hồi"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RequestForm(RecipientsForm):
    """A report asked of the schools: what, for which year, by when, and to whom."""

    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=RequestKind.choices)
    title = forms.CharField(
        label=_("Tên báo cáo"),
        max_length=300,
        help_text=_("Ví dụ: Báo cáo sơ kết học kỳ I năm học 2023–2024"),
    )
    start_year = forms.IntegerField(
        label=_("Năm học (năm bắt đầu)"), min_value=2000, max_value=2100
    )
    deadline = forms.DateField(label=_("Hạn nộp"), widget=DateInput())
    text = forms.CharField(
        label=_("Nội dung yêu cầu"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    targets = forms.CharField(
        label=_("Các chỉ tiêu cần báo cáo (khi yêu cầu số liệu chỉ tiêu)"),
        help_text=_(
            "Mỗi dòng một chỉ tiêu: mã hoặc tên như trong kế hoạch của trường (không phân biệt "
            "dấu, chữ hoa)."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    field_order = ["kind", "title", "start_year", "deadline", "text", "targets"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == RequestKind.TARGETS and not parse_targets(data.get("targets", "")):
            self.add_error("targets", _("Hãy ghi các chỉ tiêu cần báo cáo, mỗi dòng một chỉ tiêu."))
        return data


class SubmitForm(StyledFormMixin, forms.Form):
    """A school's answer: the issued report it submits (for a report), and a note."""

    paper = forms.TypedChoiceField(label=_("Báo cáo đã ban hành"), coerce=int, required=False)
    note = forms.CharField(
        label=_("Ghi chú gửi cơ quan yêu cầu"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, papers: list[tuple[int, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if papers is None:
            del self.fields["paper"]
        else:
            self.fields["paper"].choices = [("", "—"), *papers]
            set_required(self.fields["paper"])


class ReturnForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


# What a unit mapping offers besides the new school's units.
CREATE_UNIT = ""


class MergerForm(StyledFormMixin, forms.Form):
    """The merger as the Sở records it: the decision, its effective day, the school year whose
    plan receives the open tasks, a new school's name when none exists yet, and for each unit of
    the old school the unit it becomes (`unit_<id>`)."""

    new_name = forms.CharField(
        label=_("Tên trường mới (khi chưa có trong hệ thống)"), required=False, max_length=255
    )
    new_short_name = forms.CharField(label=_("Tên viết tắt"), required=False, max_length=100)
    new_abbreviation = forms.CharField(
        label=_("Chữ viết tắt trong ký hiệu văn bản"), required=False, max_length=50
    )
    effective_on = forms.DateField(label=_("Ngày sáp nhập có hiệu lực"), widget=DateInput())
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=20)
    decision_issuer_code = forms.CharField(
        label=_("Ký hiệu cơ quan ban hành"), max_length=80, initial="UBND",
        help_text=_("Ví dụ: UBND (Quyết định số 1234/QĐ-UBND)"),
    )  # fmt: skip
    decision_issued_on = forms.DateField(label=_("Ngày ban hành quyết định"), widget=DateInput())
    decision_issuer_name = forms.CharField(
        label=_("Cơ quan, người ban hành"), max_length=255, required=False,
        initial=_("Chủ tịch Ủy ban nhân dân tỉnh"),
    )  # fmt: skip
    decision_summary = forms.CharField(
        label=_("Trích yếu"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    receiving_year = forms.IntegerField(
        label=_("Năm học nhận nhiệm vụ (năm bắt đầu)"), required=False, min_value=2000,
        max_value=2100,
        help_text=_("Để trống: năm học đang diễn ra vào ngày hiệu lực (từ tháng 8: năm học sắp mở)."),
    )  # fmt: skip

    def __init__(
        self,
        *args: Any,
        units: list[Organisation],
        targets: list[Organisation],
        defaults: dict[int, int | None],
        creating: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.creating = creating
        choices = [(CREATE_UNIT, str(_("Tạo đơn vị cùng tên ở trường tiếp nhận")))]
        choices += [(str(unit.pk), unit.name) for unit in targets]
        self.unit_fields: list[tuple[Organisation, str]] = []
        for unit in units:
            name = f"unit_{unit.pk}"
            default = defaults.get(unit.pk)
            self.fields[name] = forms.ChoiceField(
                label=unit.name,
                choices=choices,
                required=False,
                initial=str(default) if default else CREATE_UNIT,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.unit_fields.append((unit, name))
        if not creating:
            for name in ("new_name", "new_short_name", "new_abbreviation"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.creating and not (data.get("new_name") or "").strip():
            self.add_error(
                "new_name", _("Hãy ghi tên trường tiếp nhận, hoặc chọn một trường có sẵn.")
            )
        return data

    def unit_map(self) -> dict[int, int | None]:
        chosen: dict[int, int | None] = {}
        for unit, name in self.unit_fields:
            value = self.cleaned_data.get(name) or CREATE_UNIT
            chosen[unit.pk] = int(value) if value != CREATE_UNIT else None
        return chosen


class SchoolEntryForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    """A school of the body's list: its name and short name (the organisation's), its kind and
    whether the body still directs it (the entry's); the hidden version refuses a stale form."""

    name = forms.CharField(label=_("Tên trường"), max_length=255)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=100, required=False)
    active = forms.BooleanField(
        label=_("Đang chỉ đạo (bỏ chọn: ngừng, không xóa)"), required=False, initial=True
    )

    class Meta:
        model = DirectedSchool
        fields = ["level"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        entry = self.instance
        self.order_fields(["name", "short_name", "level", "active"])
        if entry.pk is not None:
            self.fields["name"].initial = entry.school.name
            self.fields["short_name"].initial = entry.school.short_name
            self.fields["active"].initial = not entry.is_archived
        else:
            del self.fields["active"]
