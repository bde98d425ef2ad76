"""The emulation pages' forms: they read and check what is typed; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from conferences.models import EmulationLaunch
from core.forms import DateInput, StyledFormMixin, set_required
from core.text import school_year_label
from core.versioning import VersionedFormMixin
from documents.models import Document
from emulation.engine import Level, Title
from emulation.models import (
    DISCIPLINE_CHOICES,
    LEVEL_CHOICES,
    TITLE_CHOICES,
    Campaign,
    CampaignUnit,
    CouncilMember,
    Initiative,
    TitleHistory,
)
from organisations.models import TOP_KINDS, Organisation, OrganisationKind, Person
from planning.models import Target

CHECKS = {"class": "form-check-input"}
_DATES = [
    "period_start",
    "period_end",
    "launched_on",
    "registration_opens",
    "registration_closes",
    "self_assessment_opens",
    "self_assessment_closes",
    "group_review_by",
    "unit_review_by",
    "council_meets_on",
    "appeals_open",
    "appeals_close",
]


COUNCIL_SETTINGS = [
    "council_pass_numerator",
    "council_pass_denominator",
    "council_pass_strict",
    "council_pass_base",
    "council_quorum_numerator",
    "council_quorum_denominator",
]


class CampaignForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm[Campaign]):
    titles = forms.MultipleChoiceField(
        label=_("Danh hiệu xét"),
        choices=TITLE_CHOICES,
        widget=forms.CheckboxSelectMultiple(attrs=CHECKS),
        help_text=_("Cá nhân: LĐTT, CSTĐCS, CSTĐ cấp tỉnh/bộ; tập thể: TTLĐTT, TTLĐXS."),
    )
    criteria_targets = forms.ModelMultipleChoiceField(
        label=_("Chỉ tiêu của kế hoạch năm học gắn với tiêu chí thi đua"),
        queryset=Target.objects.none(),
        required=False,
        help_text=_(
            "Ví dụ: kết quả rèn luyện của sinh viên, tỷ lệ sinh viên bỏ học. Chọn chỉ tiêu của "
            "kế hoạch năm học của phong trào; trang phong trào hiện giá trị đo và trạng thái "
            "theo báo cáo tiến độ. Giữ Ctrl để chọn nhiều."
        ),
        error_messages={
            "invalid_choice": _("Chỉ tiêu đã chọn không thuộc kế hoạch năm học của trường."),
            "invalid_pk_value": _("Chỉ tiêu đã chọn không hợp lệ."),
        },
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "start_year",
            "slogan",
            "launch",
            "received_from",
            "basis",
            "titles",
            "criteria",
            *_DATES,
            "council_decision",
            *COUNCIL_SETTINGS,
        ]
        widgets = {
            **{name: DateInput() for name in _DATES},
            "criteria": forms.Textarea(attrs={"rows": 5}),
        }

    council_pass_strict = forms.TypedChoiceField(
        label=_("Cách so với tỷ lệ"),
        choices=[("1", _("phải trên tỷ lệ (quá bán)")), ("0", _("từ tỷ lệ trở lên"))],
        coerce=lambda value: value == "1",
        required=False,
    )

    def __init__(self, *args: Any, school: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        # The council's settings keep their value (or the default) when a post leaves them out.
        for name in COUNCIL_SETTINGS:
            fields[name].required = False
        if not self.is_bound:
            self.initial["council_pass_strict"] = "1" if self.instance.council_pass_strict else "0"
        fields["launch"].queryset = (
            EmulationLaunch.objects.filter(conference__school=school, conference__archived_at=None)
            .select_related("conference")
            .order_by("-conference__held_on")
        )
        fields["launch"].label_from_instance = lambda launch: (
            f"{launch.campaign} ({launch.conference.title}, {launch.conference.held_on:%d/%m/%Y})"
        )
        ancestors: list[int] = []
        parent = school.parent
        while parent is not None and parent.pk not in ancestors:
            ancestors.append(parent.pk)
            parent = parent.parent
        # The bodies above the school: its parents, and the education authorities.
        fields["received_from"].queryset = (
            Organisation.objects.active()
            .filter(Q(pk__in=ancestors) | Q(kind__in=sorted(TOP_KINDS), school__isnull=False))
            .exclude(school_id=school.pk)
            .exclude(kind=OrganisationKind.SCHOOL)
        )
        fields["basis"].queryset = (
            Document.objects.in_register_of(school.pk)
            .citable(keep=[self.instance.basis_id] if self.instance.basis_id else [])
            .select_related("doc_type")
        )
        # The school's plans' targets; the service keeps those of the campaign's year's plan.
        targets = fields["criteria_targets"]
        targets.queryset = (
            Target.objects.active()
            .filter(plan__school=school, plan__archived_at=None)
            .select_related("plan")
            .order_by("-plan__start_year", "order", "pk")
        )
        targets.label_from_instance = lambda target: (
            f"{target.code + ' – ' if target.code else ''}{target.name} "
            f"({school_year_label(target.plan.start_year)})"
        )
        targets.widget.attrs["size"] = 8
        if self.instance.pk is not None and not self.is_bound:
            self.initial["criteria_targets"] = [
                link.target_id for link in self.instance.target_links.all()
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in COUNCIL_SETTINGS:
            if data.get(name) in (None, ""):
                data[name] = getattr(self.instance, name)
        return data


class CouncilMemberForm(StyledFormMixin, forms.ModelForm[CouncilMember]):
    class Meta:
        model = CouncilMember
        fields = ["person", "role", "title"]

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["person"].queryset = Person.objects.active().filter(school_id=school_id)


class _VersionedForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    """A plain form that edits an existing row (the hidden version comes with `instance`)."""

    def __init__(self, *args: Any, instance: Any = None, **kwargs: Any) -> None:
        self.instance = instance
        super().__init__(*args, **kwargs)


class RegistrationForm(_VersionedForm):
    titles = forms.MultipleChoiceField(
        label=_("Danh hiệu đăng ký"),
        widget=forms.CheckboxSelectMultiple(attrs=CHECKS),
        help_text=_("Đăng ký danh hiệu cao hơn là đăng ký cả danh hiệu nó cần (CSTĐCS cần LĐTT)."),
    )
    commitments = forms.CharField(
        label=_("Nội dung cam kết"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("Ví dụ: hoàn thành 100% nhiệm vụ đúng hạn; có sáng kiến cấp cơ sở."),
    )

    def __init__(self, *args: Any, titles: list[Title], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["titles"]
        field.choices = [(title.value, title.label) for title in titles]


class UnitRegistrationForm(_VersionedForm):
    title = forms.ChoiceField(label=_("Danh hiệu tập thể đăng ký"), widget=forms.RadioSelect)
    commitments = forms.CharField(
        label=_("Nội dung cam kết của tập thể"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )

    def __init__(self, *args: Any, titles: list[Title], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["title"]
        field.choices = [(title.value, title.label) for title in titles]
        field.widget.attrs["class"] = "form-check-input"


class NoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Lý do, ý kiến"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class OptionalNoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Ghi chú"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class LevelForm(_VersionedForm):
    """A level with comments: a self-assessment or a review."""

    # No level chosen until someone chooses one: a form opened on the first level would propose
    # HTXS to whoever sends it without looking.
    level = forms.ChoiceField(
        label=_("Mức xếp loại"), choices=[("", _("— Chọn mức xếp loại —")), *LEVEL_CHOICES]
    )
    comment = forms.CharField(
        label=_("Nhận xét"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )

    def __init__(self, *args: Any, label: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["comment"].label = label


class FactsForm(_VersionedForm):
    months_worked = forms.DecimalField(
        label=_("Số tháng công tác trong năm"),
        min_value=Decimal(0),
        max_value=Decimal(12),
        decimal_places=1,
        max_digits=3,
    )
    leave_months = forms.DecimalField(
        label=_("Số tháng nghỉ theo quy định (không kể nghỉ thai sản)"),
        min_value=Decimal(0),
        max_value=Decimal(12),
        decimal_places=1,
        max_digits=3,
        initial=Decimal(0),
        help_text=_(
            "Nghỉ ốm, nghỉ không lương… theo quy định của pháp luật. Từ 3 tháng: vẫn xếp loại "
            "nhưng không từ Hoàn thành tốt nhiệm vụ trở lên."
        ),
    )
    maternity_leave = forms.BooleanField(
        label=_("Nghỉ chế độ thai sản trong năm"),
        required=False,
        help_text=_("Dưới 6 tháng công tác vẫn xếp loại, theo thời gian làm việc thực tế."),
    )
    discipline = forms.ChoiceField(
        label=_("Kỷ luật trong năm"),
        choices=[("", _("Không bị kỷ luật")), *DISCIPLINE_CHOICES],
        required=False,
    )
    task_group = forms.CharField(label=_("Nhóm nhiệm vụ tương đồng"), max_length=100)
    reason = forms.CharField(
        label=_("Căn cứ, lý do"),
        max_length=500,
        required=False,
        help_text=_("Ví dụ: nghỉ thai sản từ 01/02/2024; Quyết định kỷ luật số …"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        worked, leave = data.get("months_worked"), data.get("leave_months")
        if worked is not None and leave is not None and worked + leave > 12:
            self.add_error(
                "leave_months",
                _("Số tháng công tác và số tháng nghỉ cộng lại không quá 12 tháng."),
            )
        return data


class MinutesForm(_VersionedForm):
    meeting_on = forms.DateField(label=_("Ngày họp xét"), widget=DateInput())
    minutes = forms.CharField(
        label=_("Biên bản họp xét của đơn vị"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        help_text=CampaignUnit._meta.get_field("review_minutes").help_text,
    )


class InitiativeForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm[Initiative]):
    authors = forms.ModelMultipleChoiceField(
        label=_("Tác giả"), queryset=Person.objects.none(), required=True
    )

    class Meta:
        model = Initiative
        fields = [
            "kind",
            "title",
            "summary",
            "scope",
            "start_year",
            "recognised_on",
            "recognised_by",
            "decision",
        ]
        widgets = {
            "recognised_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["authors"]
        field.queryset = Person.objects.active().filter(school_id=school_id)
        field.widget.attrs["size"] = 8
        if self.instance.pk is not None:
            field.initial = [link.person_id for link in self.instance.author_links.all()]


class PastTitleForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm[TitleHistory]):
    """A person's titles of a year before the campaign's, entered or corrected by hand."""

    titles = forms.MultipleChoiceField(
        label=_("Danh hiệu"),
        choices=[(title.value, title.label) for title in Title if title.is_individual],
        widget=forms.CheckboxSelectMultiple(attrs=CHECKS),
        required=False,
        error_messages={
            "invalid_choice": _(
                "“%(value)s” không phải danh hiệu cá nhân (LĐTT, CSTĐCS, CSTĐ cấp tỉnh, CSTĐ "
                "cấp bộ)."
            )
        },
    )
    reason = forms.CharField(
        label=_("Lý do sửa"),
        max_length=400,
        required=False,
        help_text=_("Ví dụ: nhập nhầm năm học; bổ sung theo Quyết định số …"),
    )

    class Meta:
        model = TitleHistory
        fields = ["person", "start_year", "titles", "level", "decision", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"start_year": _("Ví dụ 2022 cho năm học 2022–2023.")}
        error_messages = {
            "start_year": {
                "invalid": _("Năm học ghi bằng số năm bắt đầu, ví dụ 2022."),
                "min_value": _("Năm học phải từ 1990 trở đi."),
                "max_value": _("Năm học không hợp lệ."),
            },
            "person": {"invalid_choice": _("Hãy chọn cán bộ, viên chức của trường.")},
        }

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["person"].queryset = Person.objects.active().filter(school_id=school_id)
        set_required(fields["person"])
        set_required(fields["level"], required=False)
        if self.instance.pk is None:
            del fields["reason"]
        else:
            fields["person"].disabled = True  # a correction keeps the person: withdraw instead
            set_required(fields["reason"])
            fields["reason"].error_messages["required"] = _(
                "Hãy ghi lý do sửa (ví dụ: số quyết định công nhận đúng)."
            )


class WithdrawTitleForm(_VersionedForm):
    reason = forms.CharField(
        label=_("Lý do thu hồi"),
        max_length=400,
        error_messages={"required": _("Hãy ghi lý do thu hồi.")},
        help_text=_("Ví dụ: nhập nhầm người; quyết định công nhận đã bị hủy."),
    )


def level_label(value: str | None) -> str:
    return Level(value).label if value else ""
