import datetime as dt
from typing import Any

import pytest
from django.http import HttpResponse

from core.query import StripNulMiddleware, date_param, id_param, int_param


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


def test_nul_characters_never_reach_a_view(rf: Any) -> None:
    seen: dict[str, Any] = {}

    def view(request: Any) -> HttpResponse:
        seen.update(request.GET.lists())
        return HttpResponse()

    StripNulMiddleware(view)(rf.get("/documents/?q=1%00&%00unit=2&q=a\x00b"))
    assert seen == {"q": ["1", "ab"], "unit": ["2"]}
