import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from core.text import (
    fold,
    fold_letters,
    format_number,
    name_sort_key,
    normalise,
    paper_date,
    search_terms,
    split_name,
)


def test_fold_removes_diacritics_and_d_stroke() -> None:
    assert fold("Nguyễn Thế Dương") == "nguyen the duong"
    assert fold("ĐẢNG CỘNG SẢN VIỆT NAM") == "dang cong san viet nam"
    assert fold("Phòng KHCN&ĐBCL") == "phong khcn&dbcl"


def test_fold_reads_nfd_and_look_alike_eth() -> None:
    import unicodedata

    assert fold(unicodedata.normalize("NFD", "Quyết định")) == "quyet dinh"
    assert fold("QÐ-BGDÐT") == "qd-bgddt"  # U+00D0, as OCR types it


def test_fold_letters_keeps_case_and_length() -> None:
    # One character for one: the reference reader maps offsets of the folded text back.
    assert fold_letters("Đắk Lắk – QĐ-UBND") == "Dak Lak – QD-UBND"
    assert fold_letters("Nguyễn Thế Dương").lower() == fold("Nguyễn Thế Dương")


@given(st.text())
def test_fold_letters_is_one_character_for_one(text: str) -> None:
    assert len(fold_letters(text)) == len(text)


def test_search_terms_split_and_fold() -> None:
    assert search_terms("  Nguyễn   THẾ dương ") == ["nguyen", "the", "duong"]


def test_split_name() -> None:
    assert split_name("Nguyễn Thị Phương Loan") == ("Nguyễn", "Thị Phương", "Loan")
    assert split_name("Sơn") == ("", "", "Sơn")


def sort_names(names: list[str]) -> list[str]:
    return sorted(names, key=name_sort_key)


def test_people_sort_by_given_name_first() -> None:
    names = [
        "Phùng Quý Sơn",
        "Vi Hồng Thắm",
        "Nguyễn Thế Dương",
        "Nguyễn Thị Phương Loan",
        "Hoàng Văn An",
    ]
    assert sort_names(names) == [
        "Hoàng Văn An",
        "Nguyễn Thế Dương",
        "Nguyễn Thị Phương Loan",
        "Phùng Quý Sơn",
        "Vi Hồng Thắm",
    ]


def test_vietnamese_alphabet_order() -> None:
    # a < ă < â, d < đ, o < ô < ơ, u < ư: not the order of code points nor of folded text.
    assert sort_names(["Lê Văn Âu", "Lê Văn Ăn", "Lê Văn Anh"]) == [
        "Lê Văn Anh",
        "Lê Văn Ăn",
        "Lê Văn Âu",
    ]
    assert sort_names(["Lê Đức", "Lê Dung"]) == ["Lê Dung", "Lê Đức"]
    assert sort_names(["Hà Ư", "Hà Uyên"]) == ["Hà Uyên", "Hà Ư"]


def test_same_given_name_then_family_name() -> None:
    assert sort_names(["Trần Văn An", "Bùi Văn An", "Lý An"]) == [
        "Bùi Văn An",
        "Lý An",
        "Trần Văn An",
    ]


def test_tones_only_break_ties() -> None:
    assert sort_names(["Lê Mạnh", "Lê Mai", "Lê Mái"]) == ["Lê Mai", "Lê Mái", "Lê Mạnh"]


def test_paper_date_leading_zeros() -> None:
    assert paper_date(dt.date(2023, 9, 26), "Lạng Sơn") == "Lạng Sơn, ngày 26 tháng 9 năm 2023"
    assert paper_date(dt.date(2023, 9, 5)) == "ngày 05 tháng 9 năm 2023"
    assert paper_date(dt.date(2024, 1, 15)) == "ngày 15 tháng 01 năm 2024"
    assert paper_date(dt.date(2024, 2, 3)) == "ngày 03 tháng 02 năm 2024"
    assert paper_date(dt.date(2023, 12, 1)) == "ngày 01 tháng 12 năm 2023"


def test_format_number_vietnamese() -> None:
    assert format_number(Decimal("1234.5")) == "1.234,5"
    assert format_number(Decimal("90.00")) == "90"
    assert format_number(1500) == "1.500"
    assert format_number(Decimal("-0.25")) == "-0,25"


def test_normalise_collapses_spaces() -> None:
    assert normalise("  Bộ  Giáo dục\n và Đào tạo ") == "Bộ Giáo dục và Đào tạo"


@given(st.text())
def test_fold_is_idempotent_and_free_of_combining_marks(text: str) -> None:
    import unicodedata

    folded = fold(text)
    assert fold(folded) == folded
    assert not any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", folded))


@given(
    st.lists(
        st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặ ", min_size=1),
        min_size=2,
        max_size=6,
    )
)
def test_sort_key_is_a_total_order_of_digits(names: list[str]) -> None:
    keys = [name_sort_key(n) for n in names]
    assert all(k.isdigit() or k == "0000" or set(k) <= set("0123456789") for k in keys)
    assert sorted(names, key=name_sort_key) == sorted(
        sorted(names, key=name_sort_key), key=name_sort_key
    )


def test_date_inputs_show_and_read_dd_mm_yyyy() -> None:
    from django import forms

    from core.forms import DateInput

    class DayForm(forms.Form):
        day = forms.DateField(widget=DateInput())

    form = DayForm(initial={"day": dt.date(2023, 9, 5)})
    assert 'value="05/09/2023"' in str(form["day"])
    assert 'placeholder="dd/mm/yyyy"' in str(form["day"])
    bound = DayForm(data={"day": "26/9/2023"})
    assert bound.is_valid() and bound.cleaned_data["day"] == dt.date(2023, 9, 26)
    assert not DayForm(data={"day": "9/26/2023"}).is_valid()


def test_parse_number_vietnamese_and_plain() -> None:
    from core.text import parse_number

    assert parse_number("1.234,5") == Decimal("1234.5")
    assert parse_number("45,5") == Decimal("45.5")
    assert parse_number("1 234") == Decimal("1234")
    assert parse_number("45.5") == Decimal("45.5")
    assert parse_number("1.234") == Decimal("1234")
    assert parse_number("-2,25") == Decimal("-2.25")
    for bad in ["", "abc", "1,2,3", "12.34,5", "1..2", "4 5a", ","]:
        try:
            parse_number(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


@given(st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2, allow_nan=False))
def test_parse_number_reads_what_format_number_writes(value: Decimal) -> None:
    from core.text import parse_number

    assert parse_number(format_number(value)) == value
