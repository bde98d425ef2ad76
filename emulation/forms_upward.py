"""The forms of the dossiers sent to the Sở and of the Sở's campaigns: they read and check what is
typed; the services decide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledFormMixin
from core.versioning import VersionedFormMixin
from documents.models import Document
from emulation.engine import Title
from emulation.models import DossierItem, ProvinceCampaign
from emulation.services.upward import Proposal
from organisations.models import Organisation
from province.forms import RecipientsForm

CHECKS = {"class": "form-check-input"}
AWARDED, NOT_AWARDED = "awarded", "not_awarded"


class DossierForm(StyledFormMixin, forms.Form):
    """The proposals to send (among the tờ trình's), each with its achievements, the body, the
    letter."""

    body = forms.TypedChoiceField(label=_("Gửi đến"), coerce=int)
    keys = forms.MultipleChoiceField(
        label=_("Đề nghị đưa vào hồ sơ"), widget=forms.CheckboxSelectMultiple(attrs=CHECKS)
    )
    letter = forms.CharField(
        label=_("Nội dung tờ trình, giải trình"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        proposals: Sequence[Proposal],
        bodies: Sequence[Organisation] | None = None,
        achievements: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.proposals = list(proposals)
        if bodies is None:  # sent again: to the body it went to
            del self.fields["body"]
        else:
            # Without a body above that directs the school the field has no choice: a form sent
            # anyway is refused by it, with its message, never sent nowhere.
            body: Any = self.fields["body"]
            body.choices = [(entry.pk, entry.name) for entry in bodies]
        keys: Any = self.fields["keys"]
        keys.choices = [
            (proposal.key, f"{proposal.title}: {proposal.who}") for proposal in self.proposals
        ]
        keys.widget.attrs["class"] = "form-check-input"
        if not self.is_bound:
            self.initial.setdefault("keys", [proposal.key for proposal in self.proposals])
        for index, proposal in enumerate(self.proposals):
            name = f"achievements_{index}"
            self.fields[name] = forms.CharField(
                label=_("Thành tích: %(title)s – %(who)s")
                % {"title": proposal.title, "who": proposal.who},
                required=False,
                max_length=5000,
                initial=(achievements or {}).get(proposal.key, proposal.grounds),
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
            )

    def achievements(self) -> dict[str, str]:
        return {
            proposal.key: self.cleaned_data.get(f"achievements_{index}") or ""
            for index, proposal in enumerate(self.proposals)
        }


class ReturnForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại, nội dung cần bổ sung"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecideForm(StyledFormMixin, forms.Form):
    """The decision of the level above and, for each item, awarded or not."""

    symbol = forms.CharField(label=_("Số, ký hiệu quyết định"), max_length=100)
    decided_on = forms.DateField(label=_("Ngày quyết định"), widget=DateInput())
    issuer = forms.CharField(
        label=_("Cấp quyết định"),
        max_length=255,
        required=False,
        help_text=_("Ví dụ: Chủ tịch UBND tỉnh; để trống: cơ quan mình."),
    )

    def __init__(self, *args: Any, items: Sequence[DossierItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"outcome_{item.pk}"] = forms.ChoiceField(
                label=f"{item.title}: {item.who}",
                choices=[(AWARDED, _("Được khen thưởng")), (NOT_AWARDED, _("Không khen thưởng"))],
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Ghi chú"),
                required=False,
                max_length=1000,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def item_fields(self) -> list[tuple[DossierItem, Any, Any]]:
        return [(item, self[f"outcome_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]

    def outcomes(self) -> dict[int, tuple[bool, str]]:
        return {
            item.pk: (
                self.cleaned_data[f"outcome_{item.pk}"] == AWARDED,
                self.cleaned_data.get(f"note_{item.pk}") or "",
            )
            for item in self.items
        }


class _CampaignFields(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    titles = forms.MultipleChoiceField(
        label=_("Danh hiệu xét"),
        required=False,
        choices=[(title.value, title.label) for title in Title],
        widget=forms.CheckboxSelectMultiple(attrs=CHECKS),
    )

    class Meta:
        model = ProvinceCampaign
        fields = [
            "name",
            "start_year",
            "slogan",
            "targets",
            "titles",
            "registration_closes",
            "launched_on",
            "basis",
        ]
        widgets = {
            "targets": forms.Textarea(attrs={"rows": 5}),
            "registration_closes": DateInput(),
            "launched_on": DateInput(),
        }


class LaunchForm(_CampaignFields, RecipientsForm):
    """The Sở's campaign and, below it, the schools it goes to (as a directive's)."""

    def __init__(self, *args: Any, body_id: int, **kwargs: Any) -> None:
        super().__init__(*args, body_id=body_id, **kwargs)
        basis: Any = self.fields["basis"]
        basis.queryset = (
            Document.objects.active().filter(school_id=body_id).order_by("-issued_on", "pk")
        )
        self.fields["titles"].widget.attrs["class"] = "form-check-input"


class CampaignCorrectionForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    """A correction (đính chính) of a sent campaign: its slogan, targets and registration
    deadline, with the reason; the hidden version refuses a form opened before another save.
    Its name and school year stay: the schools' campaigns answering it are of that year."""

    reason = forms.CharField(
        label=_("Lý do đính chính"),
        max_length=500,
        help_text=_("Các trường nhận phong trào được thông báo kèm lý do này."),
    )

    class Meta:
        model = ProvinceCampaign
        fields = ["slogan", "targets", "registration_closes"]
        widgets = {
            "targets": forms.Textarea(attrs={"rows": 5}),
            "registration_closes": DateInput(),
        }


class CampaignWithdrawForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Lý do thu hồi"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
