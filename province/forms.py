from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledFormMixin
from documents.forms import DocumentForm
from organisations.models import Organisation
from province.models import Audience, RequestKind, SchoolLevel
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
            self.fields["paper"].required = True


class ReturnForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
