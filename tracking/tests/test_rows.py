"""The task list's rows are built in Python (tracking/rows.py): what they shorten is what the
template filter they replace would have given."""

from __future__ import annotations

import unicodedata

from django.template.defaultfilters import truncatechars
from hypothesis import given
from hypothesis import strategies as st

from tracking.rows import _shortened

# Vietnamese titles, composed or decomposed (combining marks), around the limit.
LETTERS = st.sampled_from([*"aăâeêioôơuưy ĐđÁÀẢÃẠắằẳẵặ", "\u0301", "\u0300", "\u0323"])


@given(st.text(alphabet=LETTERS, min_size=0, max_size=120), st.integers(min_value=1, max_value=95))
def test_a_title_is_shortened_as_truncatechars_does(title: str, limit: int) -> None:
    assert _shortened(title, limit) == truncatechars(title, limit)


def test_a_decomposed_title_that_fits_is_kept_whole() -> None:
    title = unicodedata.normalize("NFD", "Nâng cao chất lượng đào tạo giáo viên mầm non")
    assert _shortened(title, 45) == unicodedata.normalize("NFC", title)
    assert _shortened("x" * 91, 90) == "x" * 89 + "…"
