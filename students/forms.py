from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from organisations.models import Organisation, Person
from students.models import ChangeKind, Cohort, EnrolmentCount, Programme, Reason, RuleKey
from students.models_support import CaseStatus

DATE_INPUT = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


class ProgrammeForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["code", "name", "level", "mode", "faculty", "teacher_training"]

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["faculty"].queryset = Organisation.objects.active().filter(
            school_id=school_id, kind__in=["faculty", "centre", "office"]
        )


class QuotaForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Năm tuyển sinh"), min_value=1990, max_value=2100)
    quota = forms.IntegerField(label=_("Chỉ tiêu"), min_value=0, max_value=1_000_000)


class EnrolmentCountForm(StyledFormMixin, forms.ModelForm):
    counted_on = forms.DateField(
        label=_("Ngày thống kê"), input_formats=DATE_FORMATS, widget=DATE_INPUT
    )

    class Meta:
        model = EnrolmentCount
        fields = ["counted_on", "applications", "admitted", "enrolled"]


class CohortForm(StyledFormMixin, forms.ModelForm):
    starts_on = forms.DateField(
        label=_("Ngày khai giảng"), input_formats=DATE_FORMATS, widget=DATE_INPUT
    )

    class Meta:
        model = Cohort
        fields = ["code", "programme", "intake_year", "starts_on", "terms", "adviser"]

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.active().filter(school_id=school_id)
        self.fields["adviser"].queryset = Person.objects.active().filter(school_id=school_id)


class ChangeForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại thay đổi"),
        choices=[(v, label) for v, label in ChangeKind.choices if v != ChangeKind.MERGED],
    )
    happened_on = forms.DateField(label=_("Ngày"), input_formats=DATE_FORMATS, widget=DATE_INPUT)
    reason = forms.ChoiceField(label=_("Lý do"), choices=Reason.choices)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)
    new_programme = forms.ModelChoiceField(
        label=_("Ngành chuyển đến (khi chuyển ngành)"), queryset=Programme.objects.none(),
        required=False,
    )  # fmt: skip

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_programme"].queryset = Programme.objects.active().filter(
            school_id=school_id
        )


class FeedForm(StyledFormMixin, forms.Form):
    measure = forms.ChoiceField(label=_("Số liệu đo chỉ tiêu"), required=False)
    programme = forms.ModelChoiceField(
        label=_("Ngành/nghề (để trống: toàn trường)"), queryset=Programme.objects.none(),
        required=False,
    )  # fmt: skip
    year = forms.IntegerField(label=_("Năm"), min_value=1990, max_value=2100, required=False)

    def __init__(self, *args: Any, school_id: int, measures: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", _("— Nhập tay (không lấy tự động) —"))] + [
            (m.key, m.label) for m in measures
        ]
        self.fields["programme"].queryset = Programme.objects.active().filter(school_id=school_id)


class FollowUpForm(StyledFormMixin, forms.Form):
    due = forms.DateField(label=_("Hạn theo dõi"), input_formats=DATE_FORMATS, widget=DATE_INPUT)


class OutcomeForm(StyledFormMixin, forms.Form):
    outcome = forms.CharField(
        label=_("Kết quả xử lý"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RuleForm(StyledFormMixin, forms.Form):
    key = forms.ChoiceField(label=_("Điều kiện"), choices=RuleKey.choices)
    threshold = forms.DecimalField(label=_("Ngưỡng"), max_digits=14, decimal_places=2, min_value=0)
    from_term = forms.IntegerField(label=_("Từ học kỳ thứ"), min_value=1, max_value=16, initial=1)
    to_term = forms.IntegerField(
        label=_("Đến học kỳ thứ"), min_value=1, max_value=16, required=False
    )
    valid_from = forms.DateField(
        label=_("Áp dụng từ"), input_formats=DATE_FORMATS, widget=DATE_INPUT
    )
    source = forms.CharField(label=_("Căn cứ"), max_length=255)


class CaseStatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=CaseStatus.choices)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class SupportReportForm(StyledFormMixin, forms.Form):
    school_year = forms.IntegerField(
        label=_("Năm học (năm bắt đầu)"), min_value=2020, max_value=2100
    )
    dated = forms.DateField(label=_("Ngày báo cáo"), input_formats=DATE_FORMATS, widget=DATE_INPUT)
    recipient = forms.CharField(label=_("Kính gửi"), max_length=255, required=False)
