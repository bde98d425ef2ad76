"""The council's, the results' and the decision's forms: they read and check what is typed; the
services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from conferences import ballots
from conferences.models import VoteChoice
from core.forms import DateInput, StyledFormMixin
from emulation.models import LEVEL_CHOICES, CouncilItem, CouncilMember
from organisations.models import Position

CHECKS = {"class": "form-check-input"}


class PrepareVoteForm(StyledFormMixin, forms.Form):
    held_on = forms.DateField(label=_("Ngày Hội đồng họp"), widget=DateInput())


class OpenVoteForm(StyledFormMixin, forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Thành viên có mặt"), widget=forms.CheckboxSelectMultiple(attrs=CHECKS)
    )
    passphrase = forms.CharField(
        label=_("Mật khẩu hòm phiếu"),
        min_length=ballots.MIN_PASSPHRASE,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Chủ tịch Hội đồng đặt, ít nhất %(n)s ký tự; hỏi lại khi kiểm phiếu. Không ai "
            "(kể cả quản trị hệ thống) mở được phiếu nếu không có mật khẩu này."
        )
        % {"n": ballots.MIN_PASSPHRASE},
    )
    passphrase_again = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, members: list[CouncilMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["present"]
        field.choices = [
            (str(member.pk), f"{member.person.full_name} — {member.get_role_display()}")
            for member in members
        ]
        field.widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("passphrase") and data.get("passphrase") != data.get("passphrase_again"):
            self.add_error("passphrase_again", _("Hai lần nhập mật khẩu không khớp."))
        return data


class CountVoteForm(StyledFormMixin, forms.Form):
    passphrase = forms.CharField(
        label=_("Mật khẩu hòm phiếu"), max_length=200, widget=forms.PasswordInput()
    )


class PublishForm(StyledFormMixin, forms.Form):
    appeals_close = forms.DateField(
        label=_("Nhận kiến nghị đến ngày"),
        widget=DateInput(),
        help_text=_("Từ hôm nay đến ngày này, mỗi người có thể kiến nghị về kết quả của mình."),
    )


def ballot_choices(items: list[CouncilItem], data: Any) -> tuple[dict[int, str], list[str]]:
    """The answers on a ballot paper (`item-<id>` = yes, no or abstain), and what was wrong."""
    choices: dict[int, str] = {}
    errors: list[str] = []
    allowed = set(VoteChoice.values)
    for item in items:
        value = data.get(f"item-{item.pk}", "")
        if not value:
            continue
        if value not in allowed:
            errors.append(str(_("Phiếu không hợp lệ.")))
            continue
        choices[item.pk] = value
    return choices, errors


class AppealForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Nội dung kiến nghị"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Nêu rõ kết quả nào, vì sao chưa đúng, kèm căn cứ (nhiệm vụ, minh chứng)."),
    )


class AnswerForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Kết quả"),
        choices=[("rejected", _("Giữ nguyên kết quả")), ("accepted", _("Chấp nhận, xem xét lại"))],
        widget=forms.RadioSelect(attrs=CHECKS),
    )
    level = forms.ChoiceField(
        label=_("Xếp lại mức (khi chấp nhận)"),
        choices=[("", _("Không đổi mức")), *LEVEL_CHOICES],
        required=False,
    )
    answer = forms.CharField(
        label=_("Trả lời"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class IssueDecisionForm(StyledFormMixin, forms.Form):
    decided_on = forms.DateField(label=_("Ngày ký"), widget=DateInput())
    signer = forms.ModelChoiceField(label=_("Người ký"), queryset=Position.objects.none())

    def __init__(self, *args: Any, signers: list[Position], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["signer"]
        field.queryset = Position.objects.filter(pk__in=[p.pk for p in signers]).select_related(
            "person"
        )
        field.label_from_instance = lambda p: f"{p.person.full_name} — {p.title}"


class IssueProposalForm(StyledFormMixin, forms.Form):
    proposal_on = forms.DateField(label=_("Ngày ký tờ trình"), widget=DateInput())
