import datetime as dt

import pytest

from core.query import date_param, id_param, int_param


@pytest.mark.parametrize(
    "text",
    ["", " ", "abc", "1e5", "1.5", "²", "١٢", "1\x00", "\x00", "99999999999999999999", "--1", "+"],
)
def test_int_param_refuses_what_is_not_a_storable_whole_number(text: str) -> None:
    assert int_param({"n": text}, "n") is None


def test_int_param_reads_plain_numbers() -> None:
    assert int_param({"n": " 42 "}, "n") == 42
    assert int_param({"n": "-3"}, "n") == -3
    assert int_param({}, "n") is None


def test_id_param_is_positive() -> None:
    assert id_param({"n": "7"}, "n") == 7
    assert id_param({"n": "0"}, "n") is None
    assert id_param({"n": "-1"}, "n") is None


@pytest.mark.parametrize(
    "text", ["2023-02-31", "31/02/2023", "abc", "0000-00-00", "99999-01-01", "1\x00", ""]
)
def test_date_param_refuses_impossible_dates(text: str) -> None:
    assert date_param({"on": text}, "on") is None


def test_date_param_reads_vietnamese_and_iso_dates() -> None:
    assert date_param({"on": "23/8/2023"}, "on") == dt.date(2023, 8, 23)
    assert date_param({"on": "2023-08-23"}, "on") == dt.date(2023, 8, 23)
