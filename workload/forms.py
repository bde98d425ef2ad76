from __future__ import annotations

from typing import Any

from django import forms

from core.forms import StyledFormMixin
from organisations.models import Organisation
from workload.models import ActivityKind, Lecturer, RuleSet, Section


class SectionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Section
        fields = [
            "code",
            "course",
            "group",
            "kind",
            "units",
            "class_size",
            "open_to_groups",
            "only_lecturers",
            "excluded",
            "manual_to",
        ]

    def __init__(self, *args: Any, rules: RuleSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        school_id = rules.school_id
        units = Organisation.objects.active().filter(
            school_id=school_id, kind__in=["faculty", "subject_group", "centre"]
        )
        lecturers = Lecturer.objects.filter(
            group__school_id=school_id, is_active=True
        ).select_related("person")
        self.fields["group"].queryset = units
        self.fields["open_to_groups"].queryset = units
        self.fields["kind"].queryset = ActivityKind.objects.filter(rules=rules)
        for name in ("only_lecturers", "excluded", "manual_to"):
            self.fields[name].queryset = lecturers
        for name in ("open_to_groups", "only_lecturers", "excluded"):
            self.fields[name].widget.attrs["size"] = 5
