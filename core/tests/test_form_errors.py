"""Every form page (core/_form_fields.html) sent back with errors: a summary at the top with a
link to each field, the fields marked for assistive technology, what was typed kept, and a clear
word that chosen files must be chosen again; lists start with words, never "---------"."""

from __future__ import annotations

import re

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string

from core.forms import StyledFormMixin, set_required


class ReportForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label="Tên báo cáo", max_length=20)
    count = forms.IntegerField(label="Số lượng", min_value=0, help_text="Số nguyên, không âm.")
    kind = forms.ChoiceField(label="Loại", choices=[("", "---------"), ("a", "A"), ("b", "B")])
    note = forms.ChoiceField(
        label="Ghi chú", required=False, choices=[("", "---------"), ("x", "X")]
    )
    attachment = forms.FileField(label="Tệp đính kèm", required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("title") == "trùng":
            raise forms.ValidationError("Tên này đã có.")
        return data


def render(form: forms.Form) -> str:
    return render_to_string("core/_form_fields.html", {"form": form})


def test_errors_are_summarised_at_the_top_with_links_to_their_fields() -> None:
    form = ReportForm({"title": "Báo cáo tháng", "count": "-3", "kind": ""})
    assert not form.is_valid()
    html = render(form)
    summary = html.index('id="error-summary"')
    assert summary < html.index('id="id_title"'), "the summary comes before the fields"
    assert "data-error-summary" in html and 'tabindex="-1"' in html
    assert 'href="#id_count"' in html and 'href="#id_kind"' in html
    assert "Chưa lưu được. Hãy sửa những chỗ sau rồi gửi lại:" in html


def test_invalid_fields_are_marked_and_described_by_their_error() -> None:
    html = render(ReportForm({"title": "Báo cáo", "count": "-3", "kind": "a"}))
    count = re.search(r"<input[^>]*id=\"id_count\"[^>]*>", html)
    assert count is not None
    assert 'aria-invalid="true"' in count.group()
    assert 'aria-describedby="id_count_helptext id_count_error"' in count.group()
    assert 'id="id_count_helptext"' in html and 'id="id_count_error"' in html
    title = re.search(r"<input[^>]*id=\"id_title\"[^>]*>", html)
    assert title is not None and "aria-invalid" not in title.group()


def test_what_was_typed_is_kept() -> None:
    html = render(ReportForm({"title": "Báo cáo tháng 9", "count": "-3", "kind": "b"}))
    assert 'value="Báo cáo tháng 9"' in html
    assert 'value="-3"' in html
    assert '<option value="b" selected>' in html


def test_a_chosen_file_is_named_and_asked_for_again() -> None:
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    form = ReportForm({"title": "", "count": "1", "kind": "a"}, {"attachment": upload})
    html = render(form)
    assert "bien-ban.pdf" in html
    assert "hãy chọn lại tệp" in html
    assert 'href="#id_attachment"' in html  # in the summary too


def test_no_file_notice_when_the_form_is_fine_or_no_file_was_chosen() -> None:
    html = render(ReportForm({"title": "", "count": "1", "kind": "a"}))
    assert "chọn lại tệp" not in html


def test_a_whole_form_error_is_in_the_summary() -> None:
    html = render(ReportForm({"title": "trùng", "count": "1", "kind": "a"}))
    assert "<li>Tên này đã có.</li>" in html


def test_unbound_form_has_no_summary() -> None:
    assert "error-summary" not in render(ReportForm())


def test_empty_choices_are_words_not_dashes() -> None:
    html = render(ReportForm())
    assert "---------" not in html
    assert ">— Chọn loại —</option>" in html
    assert ">— Không chọn —</option>" in html


class ChangedInInitForm(ReportForm):
    """A form that decides in ``__init__`` which of its lists are required."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        set_required(self.fields["note"])
        set_required(self.fields["kind"], required=False)


def test_a_list_made_required_in_init_asks_for_a_choice_and_one_made_optional_offers_none() -> None:
    html = render(ChangedInInitForm())
    assert ">— Chọn ghi chú —</option>" in html  # required now: not "— Không chọn —"
    assert ">— Không chọn —</option>" in html  # the kind, optional now


class RecipientsForm(StyledFormMixin, forms.Form):
    audience = forms.ChoiceField(
        label="Gửi đến",
        choices=[("all", "Tất cả các trường"), ("list", "Danh sách trường chọn")],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    schools = forms.MultipleChoiceField(
        label="Trường nhận",
        choices=[("1", "CĐKT Kỳ Lừa"), ("2", "THPT Mẫu Sơn")],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    agree = forms.BooleanField(label="Đồng ý", required=False)


def test_a_list_of_choices_is_one_box_and_one_label_per_choice_named_once() -> None:
    """Radio buttons and a list of boxes each stand in a .form-check with their own label (they
    were laid out as one box with the whole list beside it, labels over the buttons); the list is
    a fieldset named by the field's label; a single tick box stays as it was."""
    html = render(RecipientsForm({"audience": "list"}))
    for name, count in (("audience", 2), ("schools", 2)):
        fieldset = html.split(f'<fieldset id="id_{name}"')[1].split("</fieldset>")[0]
        checks = re.findall(r'<div class="form-check">(.*?)</div>', fieldset, re.S)
        assert len(checks) == count
        for n, check in enumerate(checks):
            assert f'id="id_{name}_{n}"' in check and f'for="id_{name}_{n}"' in check
    assert "<legend" in html.split('<fieldset id="id_audience"')[1].split("</fieldset>")[0]
    assert re.search(r'<input[^>]*value="list"[^>]*checked', html)  # what was chosen is kept
    agree = html.split('id="id_agree"')[0].rsplit("<div", 1)[1]
    assert 'class="form-check"' in agree
