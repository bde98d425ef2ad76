from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledFormMixin, set_required
from core.versioning import VersionedFormMixin
from organisations.models import Organisation, Person, Position


class OrganisationForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "abbreviation",
            "code",
            "kind",
            "parent",
            "place",
            "valid_from",
            "valid_to",
            "order",
        ]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}

    def __init__(self, *args: Any, school_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Organisation.objects.active().filter(school_id=school_id)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        set_required(self.fields["parent"])


class RenameForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Tên mới"), max_length=255)
    short_name = forms.CharField(label=_("Tên viết tắt mới"), max_length=100, required=False)
    effective_on = forms.DateField(label=_("Từ ngày"), widget=DateInput())


class PersonForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "honorific", "email", "phone"]


class PositionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Position
        fields = ["organisation", "title", "role", "valid_from", "valid_to"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.active().filter(
            school_id=school_id
        )


class EndPositionForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label=_("Thôi giữ chức vụ từ ngày"), widget=DateInput())
