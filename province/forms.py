from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from documents.forms import DocumentForm
from organisations.models import Organisation
from province.models import Audience, SchoolLevel
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
