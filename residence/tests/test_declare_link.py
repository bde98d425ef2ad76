"""A student declares from the link and code the school sent, without an account: the code
first (the link alone shows nobody's data), then only their own declaration; wrong codes lock
the link, an address that keeps failing is slowed, a renewed link revokes the old one, the window
closes it, and the form is CSRF-protected."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from residence import links
from residence.models import Declaration
from residence.tests.conftest import Dorm

FORM = {
    "housing": "rented",
    "address": "Số 12 Lê Lợi",
    "ward": "Phường Kỳ Lừa",
    "province": "Lạng Sơn",
    "landlord": "Vi Văn Tài",
    "landlord_phone": "0912000111",
    "phone": "0987000111",
}


def address(dorm: Dorm) -> str:
    return reverse("residence:declare", args=[links.token(dorm.link)])


def signed_in(dorm: Dorm, client: Client | None = None) -> Client:
    client = client or Client()
    response = client.post(address(dorm), {"code": links.code(dorm.link)})
    assert response.status_code == 302
    return client


def test_the_link_alone_shows_nobody(dorm: Dorm) -> None:
    body = Client().get(address(dorm)).content.decode()
    assert "Mã khai báo" in body and "Nguyễn Văn Học" not in body


def test_a_student_declares_their_own_address(dorm: Dorm) -> None:
    client = signed_in(dorm)
    page = client.get(address(dorm)).content.decode()
    assert "Nguyễn Văn Học 4" in page and "Nguyễn Văn Học 3" not in page
    response = client.post(address(dorm), FORM)
    assert response.status_code == 302 and response["Location"].endswith("?done=1")
    declaration = Declaration.objects.get(student=dorm.campus.students[4])
    assert (declaration.ward, declaration.source) == ("Phường Kỳ Lừa", "link")
    again = client.post(address(dorm), {**FORM, "ward": "Phường Tam Thanh"})
    assert again.status_code == 302
    assert Declaration.objects.get(student=dorm.campus.students[4]).ward == "Phường Tam Thanh"
    assert Declaration.objects.count() == 3


def test_the_session_of_one_link_opens_no_other(dorm: Dorm) -> None:
    client = signed_in(dorm)
    [other] = links.issue(dorm.term, [dorm.campus.students[5]], by=dorm.users["records"])
    page = client.get(reverse("residence:declare", args=[links.token(other)])).content.decode()
    assert "Nguyễn Văn Học 5" not in page and 'name="code"' in page
    client.post(reverse("residence:declare", args=[links.token(other)]), FORM)
    assert not Declaration.objects.filter(student=dorm.campus.students[5]).exists()


def test_a_rented_room_needs_its_landlord(dorm: Dorm) -> None:
    client = signed_in(dorm)
    response = client.post(address(dorm), {**FORM, "landlord": ""})
    assert response.status_code == 400 and "chủ nhà" in response.content.decode()
    assert client.post(address(dorm), {"housing": "nowhere"}).status_code == 400
    assert not Declaration.objects.filter(student=dorm.campus.students[4]).exists()


def test_wrong_codes_lock_the_link(dorm: Dorm) -> None:
    client = Client()
    wrong = "000000" if links.code(dorm.link) != "000000" else "111111"
    for _attempt in range(links.MAX_FAILURES - 1):
        assert client.post(address(dorm), {"code": wrong}).status_code == 400
    assert client.post(address(dorm), {"code": wrong}).status_code == 429
    locked = client.post(address(dorm), {"code": links.code(dorm.link)})
    assert locked.status_code == 429


def test_an_address_that_keeps_failing_is_slowed(dorm: Dorm) -> None:
    cache.clear()
    client = Client()
    for n in range(links.ADDRESS_FAILURES):
        assert client.get(f"/residence/k/forged{n}:abc/").status_code == 404
    assert client.get(address(dorm)).status_code == 429
    cache.clear()


def test_a_renewed_link_revokes_the_old_one(dorm: Dorm) -> None:
    old = address(dorm)
    old_code = links.code(dorm.link)
    [renewed] = links.issue(
        dorm.term, [dorm.campus.students[4]], by=dorm.users["records"], renew=True
    )
    assert Client().get(old).status_code == 404
    assert links.code(renewed) != old_code or links.token(renewed) != old


@pytest.mark.parametrize("token", ["", "abc", "1.x:y", "999999.ab:zz", "%00"])
def test_forged_tokens_are_404(dorm: Dorm, token: str) -> None:
    response = Client().get(f"/residence/k/{token}/")
    assert response.status_code == 404


def test_the_link_closes_with_the_window(dorm: Dorm, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2025, 11, 1))
    response = Client().get(address(dorm))
    assert response.status_code == 410 and "hết hạn" in response.content.decode()


def test_the_form_is_csrf_protected(dorm: Dorm) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(address(dorm), {"code": links.code(dorm.link)}).status_code == 403


def test_the_printed_list_carries_each_link_and_code(dorm: Dorm) -> None:
    response = dorm.client("adviser").get(
        reverse("residence:cohort_links", args=[dorm.campus.k1.pk]) + f"?term={dorm.term.pk}"
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    codes = {row[0]: (row[3], row[4]) for row in rows[1:]}
    # K1's off-campus students (2 boards): 3, 4, 5, with student 4's link unchanged.
    assert set(codes) == {"SV003", "SV004", "SV005"}
    assert codes["SV004"] == ("http://testserver" + address(dorm), links.code(dorm.link))
