from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledFormMixin, set_required
from core.versioning import VersionedFormMixin
from documents.models import Document
from organisations.models import Organisation, Person
from planning.models import Plan, StrategicGoal, Target, TargetAllocation, Task, WorkArea
from planning.tree import build_tree, flatten


def school_units(school_id: int) -> Any:
    return (
        Organisation.objects.active().units_of(Organisation(pk=school_id)).order_by("order", "name")
    )


class PlanForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["start_year", "title", "theme"]
        widgets = {"theme": forms.Textarea(attrs={"rows": 4})}


class PlanBasesForm(StyledFormMixin, forms.Form):
    documents = forms.ModelMultipleChoiceField(
        label=_("Văn bản căn cứ"), queryset=Document.objects.none(), required=False
    )

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cited = self.initial.get("documents") or []
        self.fields["documents"].queryset = (
            Document.objects.in_register_of(school_id)
            .citable(keep=[getattr(doc, "pk", doc) for doc in cited])
            .select_related("doc_type")
        )
        self.fields["documents"].widget.attrs["size"] = 10


class CopyPlanForm(StyledFormMixin, forms.Form):
    start_year = forms.IntegerField(
        label=_("Năm học mới bắt đầu năm"), min_value=2000, max_value=2100
    )


class AmendmentForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Lý do sửa đổi, bổ sung"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ConfirmForm(StyledFormMixin, forms.Form):
    """The confirmation of an irreversible action, against the state the user reviewed."""

    confirm = forms.BooleanField(
        label=_("Tôi đã xem những điều trên và xác nhận."),
        error_messages={"required": _("Hãy đánh dấu ô xác nhận trước khi thực hiện.")},
    )
    seen = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class WorkAreaForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = WorkArea
        fields = ["code", "name", "order"]


class StrategicGoalForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = StrategicGoal
        fields = [
            "code",
            "title",
            "description",
            "period_start",
            "period_end",
            "horizon_year",
            "basis",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["basis"].queryset = Document.objects.in_register_of(school_id).citable(
            keep=[self.instance.basis_id] if self.instance.basis_id else []
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", _("Năm kết thúc phải sau năm bắt đầu."))
        return data


class TargetForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Target
        fields = [
            "area", "code", "name", "unit_of_measure", "direction", "baseline", "target_value",
            "range_min", "range_max", "amber_threshold", "red_threshold", "responsible_unit",
            "strategic_goal", "is_recurring", "order",
        ]  # fmt: skip

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = plan.areas.active()
        self.fields["responsible_unit"].queryset = school_units(plan.school_id)
        self.fields["strategic_goal"].queryset = StrategicGoal.objects.active().filter(
            school_id=plan.school_id
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        direction = data.get("direction")
        if direction == "range":
            low, high = data.get("range_min"), data.get("range_max")
            if low is None or high is None:
                self.add_error("range_min", _("Chỉ tiêu trong khoảng cần cả cận dưới và cận trên."))
            elif low > high:
                self.add_error("range_max", _("Cận trên phải lớn hơn cận dưới."))
        elif data.get("target_value") is None:
            self.add_error("target_value", _("Cần nhập giá trị chỉ tiêu."))
        target, amber, red = (
            data.get("target_value"),
            data.get("amber_threshold"),
            data.get("red_threshold"),
        )
        if direction == "higher" and target is not None:
            if amber is not None and amber > target:
                self.add_error(
                    "amber_threshold",
                    _("Với chỉ tiêu càng cao càng tốt, ngưỡng vàng không được cao hơn chỉ tiêu."),
                )
            if amber is not None and red is not None and red > amber:
                self.add_error("red_threshold", _("Ngưỡng đỏ phải thấp hơn ngưỡng vàng."))
        if direction == "lower" and target is not None:
            if amber is not None and amber < target:
                self.add_error(
                    "amber_threshold",
                    _("Với chỉ tiêu càng thấp càng tốt, ngưỡng vàng không được thấp hơn chỉ tiêu."),
                )
            if amber is not None and red is not None and red < amber:
                self.add_error("red_threshold", _("Ngưỡng đỏ phải cao hơn ngưỡng vàng."))
        return data


class TaskForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Task
        fields = [
            "parent", "kind", "code", "title", "description", "area", "lead_unit",
            "person_in_charge", "start_date", "due_date", "completed_on", "weight", "target",
            "serves",
        ]  # fmt: skip
        # One ordering field: the number. A task stands among its siblings where its number puts
        # it (planning.services.place_by_number); no separate "thứ tự" to keep in step.
        help_texts = {
            "code": _(
                "Ví dụ 1, 1.2 hoặc KHCN.3. Nhiệm vụ được xếp theo số này; để trống thì hệ thống "
                "đánh số tiếp theo."
            ),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "start_date": DateInput(),
            "due_date": DateInput(),
            "completed_on": DateInput(),
        }

    def __init__(
        self, *args: Any, plan: Plan, owner_unit: Organisation | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        tasks = plan.tasks.active().only("pk", "code", "title", "parent_id", "order")
        own = tasks.filter(owner_unit=owner_unit) if owner_unit else tasks.school_level()
        self.fields["parent"].queryset = (
            own.exclude(pk=self.instance.pk) if self.instance.pk else own
        )
        self.fields["parent"].choices = [
            ("", _("— Không (cấp cao nhất) —")),
            *parent_choices(list(own), leaving_out=self.instance.pk),
        ]
        self.fields["area"].queryset = plan.areas.active()
        self.fields["lead_unit"].queryset = school_units(plan.school_id)
        self.fields["person_in_charge"].queryset = Person.objects.active().filter(
            school_id=plan.school_id
        )
        self.fields["target"].queryset = plan.targets.active()
        if owner_unit is None:
            del self.fields["serves"]
        else:
            self.fields["serves"].queryset = tasks.school_level()
            set_required(self.fields["serves"])


def parent_choices(tasks: list[Task], *, leaving_out: int | None) -> list[tuple[int, str]]:
    """The tasks a task may sit under, as the tree reads (1, 1.1, 1.2, 2…), indented by depth.

    The task being edited and its whole branch are left out: a task cannot sit under itself.
    """
    rows = flatten(build_tree(sorted(tasks, key=lambda t: (t.order, t.pk))))
    choices: list[tuple[int, str]] = []
    skip_below: int | None = None
    for task, depth in rows:
        if skip_below is not None and depth > skip_below:
            continue
        skip_below = None
        if task.pk == leaving_out:
            skip_below = depth
            continue
        title = task.title if len(task.title) <= 90 else task.title[:89] + "…"
        label = f"{task.code}. {title}" if task.code else title
        choices.append((task.pk, "\u00a0\u00a0\u00a0\u00a0" * depth + label))
    return choices


class CoordinationForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị phối hợp"), queryset=Organisation.objects.none())
    duty = forms.CharField(label=_("Nhiệm vụ phối hợp"), max_length=500, required=False)

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = school_units(school_id)


class BaseCoordinationFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            unit = form.cleaned_data["unit"]
            if unit.pk in seen:
                raise forms.ValidationError(_("Mỗi đơn vị phối hợp chỉ ghi một lần."))
            seen.add(unit.pk)


CoordinationFormSet = forms.formset_factory(
    CoordinationForm, formset=BaseCoordinationFormSet, extra=2, can_delete=True
)


class TaskBasisForm(StyledFormMixin, forms.Form):
    document = forms.ModelChoiceField(label=_("Văn bản"), queryset=Document.objects.none())
    clause = forms.CharField(label=_("Điều, khoản, mục"), max_length=255, required=False)

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A document its issuer withdrew is no new basis (the links made before it stay).
        self.fields["document"].queryset = (
            Document.objects.active()
            .in_register_of(school_id)
            .filter(withdrawn_at__isnull=True)
            .select_related("doc_type")
        )


class AllocationForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Organisation.objects.none())
    value = forms.DecimalField(label=_("Giá trị giao"), max_digits=14, decimal_places=2)

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = school_units(school_id)


class ProposalForm(StyledFormMixin, forms.Form):
    value = forms.DecimalField(label=_("Giá trị đề xuất"), max_digits=14, decimal_places=2)
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(StyledFormMixin, forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Quyết định"),
        choices=[("1", _("Chấp nhận")), ("0", _("Không chấp nhận"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(
        label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


__all__ = ["TargetAllocation"]
