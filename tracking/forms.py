from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.forms import DateInput, StyledFormMixin
from organisations.models import Organisation
from planning.models import ProgressMode
from planning.status import RunState
from tracking.evidence import ACCEPTED_EXTENSIONS, MAX_FILES, max_bytes
from tracking.models import CheckIn, Confidence, ReminderPolicy
from tracking.services import StaleTask


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files in one input; each is checked by content in the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Tối đa %(n)s tệp minh chứng mỗi lần báo cáo.") % {"n": MAX_FILES}
            )
        for upload in files:
            if upload.size > max_bytes():
                raise forms.ValidationError(
                    _("Tệp “%(name)s” quá lớn (tối đa %(mb)s MB).")
                    % {"name": upload.name, "mb": max_bytes() // (1024 * 1024)}
                )
        return list(files)


class StaleTaskMixin:
    """A form posted with the task's version it was opened at (its hidden `version`).

    When someone else updated the task in between (StaleTask), `refused` keeps the refusal in
    `stale`, for the page to show the latest progress, and moves the hidden version on to the one
    now seen, so that sending again goes through (the view passes it to core.views.attempt).
    """

    stale: StaleTask | None = None
    # Provided by the form class this is mixed into.
    data: Any
    add_prefix: Any

    def refused(self, error: DomainError) -> None:
        if isinstance(error, StaleTask):
            self.stale = error
            data = self.data.copy()
            data[self.add_prefix("version")] = str(error.task.version)
            self.data = data


class CheckInForm(StaleTaskMixin, StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    unit = forms.ModelChoiceField(
        label=_("Báo cáo với tư cách"), queryset=Organisation.objects.none()
    )
    progress = forms.IntegerField(
        label=_("Tiến độ (%)"), min_value=0, max_value=100, widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "step": 5}
        )
    )  # fmt: skip
    actual_value = forms.DecimalField(
        label=_("Giá trị chỉ tiêu đạt được"), max_digits=14, decimal_places=2, required=False
    )
    done = forms.CharField(
        label=_("Kết quả đã thực hiện"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    difficulties = forms.CharField(
        label=_("Khó khăn, vướng mắc"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    proposals = forms.CharField(
        label=_("Đề xuất, kiến nghị"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confidence = forms.ChoiceField(
        label=_("Khả năng hoàn thành đúng hạn"), choices=Confidence.choices
    )
    evidence = MultipleFileField(
        label=_("Minh chứng"),
        required=False,
        help_text=_("PDF, Word, Excel hoặc ảnh (%(ext)s); mỗi tệp tối đa %(mb)s MB.")
        % {"ext": ACCEPTED_EXTENSIONS, "mb": max_bytes() // (1024 * 1024)},
    )
    consolidate = forms.ModelMultipleChoiceField(
        label=_("Tổng hợp báo cáo của đơn vị phối hợp"),
        queryset=CheckIn.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        units: Any,
        has_target: bool,
        contributions: Any,
        fed_from: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first()
        if not has_target:
            del self.fields["actual_value"]
        elif fed_from is not None:
            # The target's readings come from figures kept elsewhere (tracking.sources).
            field = self.fields["actual_value"]
            field.disabled = True
            field.help_text = _("Lấy tự động từ %(source)s; không nhập tay.") % {
                "source": fed_from.label
            }
        self.fields["consolidate"].queryset = contributions
        self.fields["consolidate"].label_from_instance = lambda c: (
            f"{c.unit} ({c.reported_on:%d/%m/%Y}, {c.progress}%): {c.done[:120]}"
        )
        self.fields["consolidate"].widget.attrs["class"] = ""
        if not contributions.exists():
            del self.fields["consolidate"]


class TrackingForm(StaleTaskMixin, StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    progress_mode = forms.ChoiceField(label=_("Cách tính tiến độ"), choices=ProgressMode.choices)
    run_state = forms.ChoiceField(label=_("Tình trạng"), choices=RunState.choices)
    reason = forms.CharField(
        label=_("Lý do (bắt buộc khi tạm dừng, hủy bỏ)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExtensionForm(StyledFormMixin, forms.Form):
    new_due = forms.DateField(label=_("Hạn mới đề nghị"), widget=DateInput())
    reason = forms.CharField(
        label=_("Lý do gia hạn"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExtensionDecisionForm(StyledFormMixin, forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Quyết định"),
        choices=[("1", _("Đồng ý gia hạn")), ("0", _("Không đồng ý"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(
        label=_("Ý kiến"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReminderPolicyForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ReminderPolicy
        fields = [
            "days_before_due",
            "checkin_period_days",
            "repeat_every_days",
            "escalate_to_head_after",
            "escalate_to_leadership_after",
            "send_email",
        ]

    def clean_days_before_due(self) -> str:
        value = self.cleaned_data["days_before_due"]
        parts = [part.strip() for part in value.split(",") if part.strip()]
        if not parts or not all(part.isdigit() and 0 < int(part) <= 365 for part in parts):
            raise forms.ValidationError(
                _("Nhập các số ngày từ 1 đến 365, cách nhau bởi dấu phẩy (ví dụ: 7,1).")
            )
        return ",".join(str(n) for n in sorted({int(p) for p in parts}, reverse=True))


class TaskFilterForm(forms.Form):
    status = forms.CharField(required=False)
    unit = forms.IntegerField(required=False, min_value=1)
    lead = forms.IntegerField(required=False, min_value=0)
    area = forms.IntegerField(required=False, min_value=0)
    cell = forms.CharField(required=False)
    q = forms.CharField(required=False, max_length=200)
