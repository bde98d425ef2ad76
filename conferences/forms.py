from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from conferences.images import MAX_IMAGE_BYTES
from conferences.models import (
    AgendaItem,
    AnswerKind,
    Conference,
    ConferenceChair,
    ConferenceKind,
    EmulationLaunch,
    EmulationPledge,
    Opinion,
    VoteChoice,
    VoteMethod,
)
from core.forms import DateInput, StyledFormMixin
from core.versioning import VersionedFormMixin
from organisations.models import Organisation, OrganisationKind, Person, Role
from planning.models import Plan, Target, Task


def school_people(school_id: int) -> Any:
    return Person.objects.active().filter(school_id=school_id)


def school_units(school_id: int) -> Any:
    return Organisation.objects.active().filter(school_id=school_id).exclude(pk=school_id)


def plan_tasks(plan_id: int | None) -> Any:
    return Task.objects.active().filter(plan_id=plan_id).order_by("order", "pk")


class ConferenceForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Conference
        fields = ["kind", "title", "held_on", "starts_at", "place", "plan", "secretary"]
        widgets = {
            "held_on": DateInput(),
            "starts_at": forms.TimeInput(attrs={"placeholder": "07:30"}, format="%H:%M"),
        }

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = ConferenceKind.objects.all()
        self.fields["plan"].queryset = Plan.objects.active().filter(school_id=school_id)
        self.fields["secretary"].queryset = school_people(school_id)


class ChairForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ConferenceChair
        fields = ["person", "capacity", "order"]

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = school_people(school_id)


class GroupForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Tên thành phần (như ghi trong biên bản)"),
        max_length=255,
        help_text=_("Ví dụ: Ban chấp hành Đảng ủy; lãnh đạo các phòng, khoa"),
    )
    whole_school = forms.BooleanField(
        label=_("Toàn thể cán bộ, viên chức và người lao động"), required=False
    )
    # Checkbox lists with a filter box (conferences/_picker.html), not raw multi-selects.
    units = forms.ModelMultipleChoiceField(
        label=_("Thành viên của các đơn vị"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    roles = forms.MultipleChoiceField(
        label=_("Chỉ những người giữ vai trò"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Để trống: mọi người của các đơn vị đã chọn."),
    )
    people = forms.ModelMultipleChoiceField(
        label=_("Và những người sau"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    guests = forms.CharField(
        label=_("Khách mời, đại biểu ngoài danh sách nhân sự (mỗi dòng một người)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    counts_for_quorum = forms.BooleanField(label=_("Tính vào túc số"), required=False, initial=True)

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = school_units(school_id)
        self.fields["people"].queryset = school_people(school_id)


class AgendaItemForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "order", "kind", "title", "presenter", "presenter_title", "presenter_label", "summary",
        ]  # fmt: skip
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = school_people(school_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("presenter") and not data.get("presenter_label"):
            self.add_error("presenter", _("Chọn người trình bày hoặc ghi tập thể trình bày."))
        return data


class OpinionForm(StyledFormMixin, forms.Form):
    topic = forms.CharField(
        label=_("Vấn đề góp ý"),
        max_length=500,
        help_text=_("Ví dụ: Các giải pháp xây dựng cơ cấu tổ chức hiệu lực, hiệu quả"),
    )
    content = forms.CharField(label=_("Nội dung ý kiến"), widget=forms.Textarea(attrs={"rows": 5}))
    task = forms.ModelChoiceField(
        label=_("Về nhiệm vụ (nếu có)"), queryset=Task.objects.none(), required=False
    )
    target = forms.ModelChoiceField(
        label=_("Về chỉ tiêu (nếu có)"), queryset=Target.objects.none(), required=False
    )
    anonymous = forms.BooleanField(
        label=_("Gửi ẩn danh"),
        required=False,
        help_text=_(
            "Không lưu người gửi ở bất kỳ đâu, kể cả lịch sử thay đổi. Bạn sẽ không thể sửa hay "
            "rút lại ý kiến này."
        ),
    )

    def __init__(self, *args: Any, plan_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = plan_tasks(plan_id).school_level()
        # No plan (None) matches no target; the stubs only allow a value for the lookup.
        self.fields["target"].queryset = Target.objects.active().filter(plan_id=plan_id)  # type: ignore[misc]


class AnswerForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Hình thức trả lời"),
        choices=[c for c in AnswerKind.choices if c[0]],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Trả lời bằng văn bản"), widget=forms.Textarea(attrs={"rows": 4})
    )
    forwarded_to = forms.ModelChoiceField(
        label=_("Chuyển đơn vị giải quyết"), queryset=Organisation.objects.none(), required=False
    )
    existing_task = forms.ModelChoiceField(
        label=_("Tiếp thu vào nhiệm vụ đã có (được sửa đổi)"),
        queryset=Task.objects.none(),
        required=False,
    )
    task_title = forms.CharField(
        label=_("Hoặc tạo nhiệm vụ mới: tên nhiệm vụ"), max_length=1000, required=False
    )
    task_parent = forms.ModelChoiceField(
        label=_("Thuộc nhiệm vụ"), queryset=Task.objects.none(), required=False
    )
    lead_unit = forms.ModelChoiceField(
        label=_("Đơn vị chủ trì"), queryset=Organisation.objects.none(), required=False
    )
    due_date = forms.DateField(label=_("Hạn hoàn thành"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, school_id: int, plan_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = school_units(school_id)
        self.fields["forwarded_to"].queryset = units
        self.fields["lead_unit"].queryset = units
        self.fields["existing_task"].queryset = plan_tasks(plan_id)
        self.fields["task_parent"].queryset = plan_tasks(plan_id).school_level()
        self.fields["kind"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == AnswerKind.FORWARDED and not data.get("forwarded_to"):
            self.add_error("forwarded_to", _("Chọn đơn vị được chuyển giải quyết."))
        if kind == AnswerKind.ACCEPTED and data.get("task_title"):
            for name in ("lead_unit", "due_date"):
                if not data.get(name):
                    self.add_error(name, _("Nhiệm vụ mới cần đơn vị chủ trì và hạn hoàn thành."))
        return data


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Trùng với ý kiến"),
        queryset=Opinion.objects.none(),
        empty_label=_("— Chọn ý kiến trùng —"),
    )

    def __init__(self, *args: Any, opinion: Opinion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (
            Opinion.objects.main()
            .filter(conference_id=opinion.conference_id)
            .exclude(pk=opinion.pk)
        )
        self.fields["into"].widget.attrs["class"] = "form-select form-select-sm"


class VoteItemForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Nội dung biểu quyết"), max_length=500)
    method = forms.ChoiceField(label=_("Hình thức"), choices=VoteMethod.choices)
    is_resolution = forms.BooleanField(label=_("Thông qua nghị quyết hội nghị"), required=False)


class HandsForm(StyledFormMixin, forms.Form):
    yes = forms.IntegerField(label=_("Tán thành"), min_value=0)
    no = forms.IntegerField(label=_("Không tán thành"), min_value=0, initial=0)
    abstain = forms.IntegerField(label=_("Không biểu quyết"), min_value=0, initial=0)


class BallotForm(forms.Form):
    choice = forms.ChoiceField(choices=VoteChoice.choices, widget=forms.RadioSelect)


class OpenBallotForm(forms.Form):
    """The chair chooses the passphrase that alone can open the ballots at the close."""

    passphrase = forms.CharField(
        label=_("Mật khẩu hòm phiếu (chủ tọa giữ, cần khi kiểm phiếu)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    passphrase_again = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("passphrase") != data.get("passphrase_again"):
            raise forms.ValidationError(_("Hai lần nhập mật khẩu hòm phiếu không khớp."))
        return data


class CloseBallotForm(forms.Form):
    passphrase = forms.CharField(
        label=_("Mật khẩu hòm phiếu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


class ConclusionForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Nội dung kết luận"), widget=forms.Textarea(attrs={"rows": 3}))
    is_directive = forms.BooleanField(
        label=_("Là nội dung giao việc (giao + đơn vị + việc)"), required=False, initial=True
    )
    lead_unit = forms.ModelChoiceField(
        label=_("Đơn vị chủ trì"), queryset=Organisation.objects.none(), required=False
    )
    due_date = forms.DateField(label=_("Hạn hoàn thành"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = school_units(school_id)


class ConclusionTaskForm(StyledFormMixin, forms.Form):
    existing_task = forms.ModelChoiceField(
        label=_("Gắn với nhiệm vụ đã có trong kế hoạch"),
        queryset=Task.objects.none(),
        required=False,
    )
    parent = forms.ModelChoiceField(
        label=_("Hoặc tạo nhiệm vụ con của"), queryset=Task.objects.none(), required=False
    )
    title = forms.CharField(label=_("Tên nhiệm vụ mới"), max_length=1000, required=False)

    def __init__(self, *args: Any, plan_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["existing_task"].queryset = plan_tasks(plan_id)
        self.fields["parent"].queryset = plan_tasks(plan_id).school_level()


class LaunchForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = EmulationLaunch
        fields = [
            "launched_by",
            "launcher_title",
            "on_behalf_of",
            "campaign",
            "audience",
            "content",
        ]
        widgets = {"content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["launched_by"].queryset = school_people(school_id)


class PledgeForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = EmulationPledge
        fields = ["head", "union", "union_rep", "signed_on", "content"]
        widgets = {"signed_on": DateInput(), "content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = school_people(school_id)
        self.fields["union_rep"].queryset = school_people(school_id)
        self.fields["union"].queryset = school_units(school_id).filter(
            kind=OrganisationKind.MASS_ORGANISATION
        )


class PhotoForm(StyledFormMixin, forms.Form):
    image = forms.FileField(label=_("Ảnh (PNG, JPEG, WebP; tối đa 10 MB)"))
    caption = forms.CharField(label=_("Chú thích"), max_length=500)

    def clean_image(self) -> Any:
        upload = self.cleaned_data["image"]
        if upload.size > MAX_IMAGE_BYTES:
            raise forms.ValidationError(_("Ảnh quá lớn (tối đa 10 MB)."))
        return upload


class ArticleForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Bài tin"), widget=forms.Textarea(attrs={"rows": 24}))
