from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from core.versioning import VersionedFormMixin
from organisations.models import Organisation, Person
from students.models import ChangeKind, Cohort, EnrolmentCount, Programme, Reason, RuleKey
from students.models_support import CaseStatus, SupportGrant, SupportRule

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


MAX_PER_MONTH = 100_000_000  # đồng: students.support refuses more as a typing error


class SupportGrantForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm[SupportGrant]):
    """One student's support mark (NĐ 116/2020/NĐ-CP): from when, until when (ending it), the
    commitment, the funding, the amounts when the school records them."""

    starts_on = forms.DateField(
        label=_("Hưởng từ ngày"), input_formats=DATE_FORMATS, widget=DATE_INPUT
    )
    ends_on = forms.DateField(
        label=_("Đến ngày (thôi hưởng; để trống nếu còn hưởng)"), input_formats=DATE_FORMATS,
        widget=DATE_INPUT, required=False,
    )  # fmt: skip
    commitment_on = forms.DateField(
        label=_("Ngày ký cam kết"), input_formats=DATE_FORMATS, widget=DATE_INPUT, required=False
    )
    tuition_per_month = forms.DecimalField(
        label=_("Tiền đóng học phí (đồng/tháng)"), min_value=0, max_value=MAX_PER_MONTH,
        decimal_places=0, required=False,
    )  # fmt: skip
    living_per_month = forms.DecimalField(
        label=_("Chi phí sinh hoạt (đồng/tháng)"), min_value=0, max_value=MAX_PER_MONTH,
        decimal_places=0, required=False,
    )  # fmt: skip

    class Meta:
        model = SupportGrant
        fields = [
            "starts_on", "ends_on", "commitment_on", "commitment", "funding", "sponsor",
            "tuition_per_month", "living_per_month", "note",
        ]  # fmt: skip

    def service_data(self) -> dict[str, Any]:
        """What `support.mark_supported` takes, from the cleaned form."""
        data = {key: self.cleaned_data[key] for key in self.Meta.fields}
        for key in ("commitment", "funding", "sponsor", "note"):
            data[key] = data[key] or ""
        return data


class SupportRuleForm(StyledFormMixin, forms.Form):
    """A repayment ground of the school's own regulation, beside the national ones."""

    name = forms.CharField(label=_("Tên quy định"), max_length=255)
    triggers = forms.MultipleChoiceField(
        label=_("Thay đổi tình trạng đưa vào danh sách bồi hoàn"),
        choices=[], widget=forms.CheckboxSelectMultiple, required=False,
    )  # fmt: skip
    other_grounds = forms.CharField(
        label=_("Trường hợp khác phải bồi hoàn (mỗi dòng một trường hợp, ghi khi xác định được)"),
        max_length=5000, widget=forms.Textarea(attrs={"rows": 3}), required=False,
    )  # fmt: skip
    valid_from = forms.DateField(
        label=_("Áp dụng từ"), input_formats=DATE_FORMATS, widget=DATE_INPUT
    )
    source = forms.CharField(label=_("Căn cứ (văn bản quy định của trường)"), max_length=255)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The same list the service accepts (students.support.SCHOOL_TRIGGERS), passed in to
        # keep forms below the services.
        triggers = kwargs.pop("triggers")
        super().__init__(*args, **kwargs)
        self.fields["triggers"].choices = [(t.value, t.label) for t in triggers]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["other_grounds"] = data["other_grounds"].splitlines()
        return data


class EndSupportRuleForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm[SupportRule]):
    on = forms.DateField(
        label=_("Thôi áp dụng từ sau ngày"), input_formats=DATE_FORMATS, widget=DATE_INPUT
    )

    class Meta:
        model = SupportRule
        fields: list[str] = []


class UnmarkForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm[SupportGrant]):
    """Confirms taking off a mark given by mistake (the version it was seen at)."""

    class Meta:
        model = SupportGrant
        fields: list[str] = []
