from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from residence.models import Building, Housing, Inspection, Priority, Room, Term

DATE_INPUT = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_FORMATS, widget=DATE_INPUT)


class TermForm(StyledFormMixin, forms.ModelForm):
    starts_on = _date(_("Bắt đầu"))
    ends_on = _date(_("Kết thúc"))
    declare_from = _date(_("Khai báo ngoại trú từ ngày"))
    declare_until = _date(_("Khai báo ngoại trú đến ngày"))

    class Meta:
        model = Term
        fields = ["name", "starts_on", "ends_on", "declare_from", "declare_until"]


class BuildingForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Building
        fields = ["name", "gender"]


class RoomForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Room
        fields = ["building", "name", "floor", "capacity", "gender"]

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.active().filter(school_id=school_id)


class PlaceForm(StyledFormMixin, forms.Form):
    """A place in the room: the student by code."""

    code = forms.CharField(label=_("Mã người học"), max_length=30)
    bed = forms.IntegerField(
        label=_("Giường (để trống: giường trống đầu tiên)"),
        required=False,
        min_value=1,
        max_value=50,
    )
    priority = forms.ChoiceField(label=_("Diện ưu tiên"), choices=Priority.choices)
    moved_in_on = _date(_("Ngày vào ở"))


class MoveForm(StyledFormMixin, forms.Form):
    room = forms.ModelChoiceField(label=_("Chuyển sang phòng"), queryset=Room.objects.none())
    bed = forms.IntegerField(label=_("Giường"), required=False, min_value=1, max_value=50)
    on = _date(_("Từ ngày"))

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = (
            Room.objects.active().filter(building__school_id=school_id).select_related("building")
        )


class LeaveForm(StyledFormMixin, forms.Form):
    on = _date(_("Ngày rời ký túc xá"))


class DeclarationForm(forms.Form):
    """The student's own form (plain widgets: a light page for a phone)."""

    housing = forms.ChoiceField(label=_("Hình thức ở"), choices=Housing.choices)
    address = forms.CharField(label=_("Số nhà, đường, thôn/tổ"), max_length=255)
    ward = forms.CharField(label=_("Phường/xã"), max_length=100)
    province = forms.CharField(label=_("Tỉnh/thành phố"), max_length=100)
    landlord = forms.CharField(label=_("Chủ nhà (nếu thuê)"), max_length=150, required=False)
    landlord_phone = forms.CharField(label=_("Điện thoại chủ nhà"), max_length=30, required=False)
    phone = forms.CharField(label=_("Điện thoại của bạn"), max_length=30, required=False)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Mã khai báo (6 chữ số)"), max_length=12)


class InspectionForm(StyledFormMixin, forms.ModelForm):
    visited_on = _date(_("Ngày"))
    student_code = forms.CharField(
        label=_("Mã người học (thăm nơi ở ngoại trú)"), max_length=30, required=False
    )

    class Meta:
        model = Inspection
        fields = ["kind", "room", "student_code", "visited_on", "inspectors", "finding", "notes"]

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = (
            Room.objects.active().filter(building__school_id=school_id).select_related("building")
        )
