from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledFormMixin
from organisations.models import Organisation, Position
from reports.models import ReportKind, ReportPeriod

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class ReportCreateForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=ReportKind.choices)
    unit = forms.ModelChoiceField(
        label=_("Đơn vị (với báo cáo của đơn vị)"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    period = forms.ChoiceField(
        label=_("Kỳ báo cáo (với báo cáo của đơn vị)"),
        choices=ReportPeriod.choices,
        required=False,
    )
    cutoff = forms.DateField(
        label=_("Số liệu tính đến ngày"), widget=DateInput(), input_formats=DATE_FORMATS
    )
    period_start = forms.DateField(
        label=_("Kỳ báo cáo bắt đầu từ ngày"),
        widget=DateInput(),
        input_formats=DATE_FORMATS,
        required=False,
        help_text=_("Để trống: từ đầu năm học. Khó khăn, đề xuất được tổng hợp trong kỳ này."),
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self.fields["unit"].queryset = units

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == ReportKind.UNIT:
            if not cleaned.get("unit"):
                self.add_error("unit", _("Chọn đơn vị báo cáo."))
        else:
            cleaned["unit"] = None
            cleaned["period"] = ""
        return cleaned


class NarrativeForm(StyledFormMixin, forms.Form):
    """The editable parts of a report, and the version it was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    situation = forms.CharField(
        label=_("I. Tình hình chung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    shortcomings = forms.CharField(
        label=_("III. Tồn tại, hạn chế và nguyên nhân"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    direction = forms.CharField(
        label=_("IV. Phương hướng, nhiệm vụ kỳ tới"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    proposals = forms.CharField(
        label=_("V. Đề xuất, kiến nghị"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, areas: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.area_fields = []
        for area in areas:
            name = f"area_{area.pk}"
            self.fields[name] = forms.CharField(
                label=_("II. Kết quả – %(area)s") % {"area": area.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
            )
            self.area_fields.append((area, name))
        self.order_fields(
            ["version", "situation", *(name for _a, name in self.area_fields), "shortcomings"]
        )

    def texts(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "situation": data["situation"],
            "shortcomings": data["shortcomings"],
            "direction": data["direction"],
            "proposals": data["proposals"],
            "area_comments": {str(area.pk): data.get(name, "") for area, name in self.area_fields},
        }


class IssueForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    signer = forms.ModelChoiceField(label=_("Người ký"), queryset=Position.objects.none())
    issued_on = forms.DateField(
        label=_("Ngày ban hành"), widget=DateInput(), input_formats=DATE_FORMATS
    )

    confirm = forms.BooleanField(
        label=_(
            "Tôi đã xem những gì sẽ xảy ra và các vấn đề nêu trên; xác nhận ban hành báo cáo này."
        ),
        error_messages={"required": _("Hãy đánh dấu xác nhận trước khi ban hành.")},
    )

    def __init__(self, *args: Any, signers: list[Position], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["signer"]
        field.queryset = Position.objects.filter(pk__in=[p.pk for p in signers]).select_related(
            "person"
        )
        field.label_from_instance = lambda p: f"{p.person.full_name} – {p.title}"


class ReviewForm(StyledFormMixin, forms.Form):
    """A step of the review (submit, return), posted with the version the page was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # Set when someone changed the report in between (core.views.render_form answers 409).
    conflicted: Any = None

    def stale(self, error: Any) -> None:
        """Someone changed the report since the page was opened: say so, keep what was typed,
        and take the version now seen, so that a deliberate second send goes through."""
        self.conflicted = error
        self.add_error(
            None,
            _(
                "Báo cáo vừa được %(who)s thay đổi trong lúc bạn mở trang này (trạng thái hiện "
                "nay: %(state)s). Hãy xem lại báo cáo; nếu vẫn muốn, bấm gửi lần nữa."
            )
            % {
                "who": error.who or _("người khác"),
                "state": error.report.get_status_display(),
            },
        )
        data = self.data.copy()
        data["version"] = str(error.report.version)
        self.data = data


class SubmitForm(ReviewForm):
    note = forms.CharField(
        label=_("Lời trình (không bắt buộc)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: những điểm cần người ký lưu ý, phần đã sửa theo ý kiến lần trước."),
    )


class ReturnForm(ReviewForm):
    reason = forms.CharField(
        label=_("Lý do trả lại"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Hãy ghi lý do trả lại, để người soạn biết cần sửa gì.")},
        help_text=_("Người trình ký nhận được thông báo kèm lý do này."),
    )
