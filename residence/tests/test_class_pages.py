"""The off-campus list read class by class from the classes' counts (kept per version of the
school's data) lists the same students in the same order as the whole list sorted by class and
name, page after page; the counts it and the links page show change as soon as a declaration,
a place or a change of status is committed, never later."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from conftest import commit
from residence import figures, services
from residence.tests.conftest import TODAY, Dorm
from residence.tests.test_query_counts import grow, more_classes
from students import services as students_services
from students.models import Cohort

ROW = re.compile(r"<tr><td>([^<]*)</td><td>")


def _codes(body: str, table: str) -> list[str]:
    return ROW.findall(body.split(f'id="{table}"')[1].split("</table>")[0])


def _listed(dorm: Dorm, role: str, extra: str = "") -> list[str]:
    client, codes, page = dorm.client(role), [], 1
    while True:
        address = reverse("residence:declarations") + f"?term={dorm.term.pk}&page={page}{extra}"
        body = client.get(address).content.decode()
        codes += _codes(body, "declarations")
        if f"&page={page + 1}" not in body:
            return codes
        page += 1


def test_the_pages_list_every_student_once_in_class_and_name_order(dorm: Dorm) -> None:
    grow(dorm, 20)  # 200 students in two classes: four pages of 50
    for role in ("records", "adviser"):
        # The adviser names only class K1.
        expected = figures.off_campus(dorm.term).order_by("cohort__code", "name_key", "pk")
        missing = figures.not_declared(dorm.term).order_by("cohort__code", "name_key", "pk")
        if role == "adviser":
            expected = expected.filter(cohort=dorm.campus.k1)
            missing = missing.filter(cohort=dorm.campus.k1)
        assert len(expected) > 60
        assert _listed(dorm, role) == [s.code for s in expected]
        assert _listed(dorm, role, "&missing=1") == [s.code for s in missing]


def test_a_search_still_finds_a_name_without_its_diacritics(dorm: Dorm) -> None:
    body = (
        dorm.client("records")
        .get(reverse("residence:declarations") + f"?term={dorm.term.pk}&q=nguyen van hoc 7")
        .content.decode()
    )
    assert _codes(body, "declarations") == [dorm.campus.students[7].code]


def _missing_count(dorm: Dorm) -> int:
    body = (
        dorm.client("records")
        .get(reverse("residence:declarations") + f"?term={dorm.term.pk}")
        .content.decode()
    )
    return int(body.split('id="missing-count">')[1].split("<")[0])


def _link_row(dorm: Dorm) -> tuple[int, int]:
    """K1's off-campus students and how many declared, on the links page."""
    body = (
        dorm.client("records")
        .get(reverse("residence:links") + f"?term={dorm.term.pk}")
        .content.decode()
    )
    row = body.split(f"<tr><td>{dorm.campus.k1.code}</td>")[1].split("</tr>")[0]
    off, declared = re.findall(r'<td class="text-end">(\d+)</td>', row)
    return int(off), int(declared)


def test_the_kept_counts_change_once_a_declaration_a_place_or_a_withdrawal_commits(
    dorm: Dorm,
) -> None:
    commit()
    by = dorm.campus.users["leadership"]
    s = dorm.campus.students
    missing, row = _missing_count(dorm), _link_row(dorm)
    assert _missing_count(dorm) == missing and _link_row(dorm) == row  # read from the cache
    # Student 4 (class K1, off campus, not declared) declares.
    services.declare(
        dorm.term, s[4], {"housing": "family", "address": "Thôn Bản", "ward": "Xã Tân Thành",
        "province": "Lạng Sơn"}, source="staff", by=by, today=TODAY,
    )  # fmt: skip
    assert _missing_count(dorm) == missing  # not committed yet
    commit()
    assert _missing_count(dorm) == missing - 1
    assert _link_row(dorm) == (row[0], row[1] + 1)
    # Student 5 (K1, not declared) is given a place: no longer off campus.
    services.allocate(
        dorm.term, s[5], dorm.big, priority="policy", moved_in_on=dt.date(2025, 9, 2), by=by
    )
    commit()
    assert _missing_count(dorm) == missing - 2
    assert _link_row(dorm) == (row[0] - 1, row[1] + 1)
    # Student 3 (K1, declared) withdraws: no longer expected to declare.
    students_services.record_change(
        s[3], kind="withdrawn", happened_on=dt.date(2025, 9, 3), reason="family", by=by
    )
    commit()
    assert _link_row(dorm) == (row[0] - 2, row[1])
    listed = _listed(dorm, "records")
    assert s[3].code not in listed and s[5].code not in listed and s[4].code in listed


def _links(dorm: Dorm, role: str, extra: str = "") -> tuple[int, str]:
    address = reverse("residence:links") + f"?term={dorm.term.pk}{extra}"
    response = dorm.client(role).get(address)
    return response.status_code, response.content.decode()


def test_the_links_page_lists_50_classes_a_page_the_51st_on_the_second(dorm: Dorm) -> None:
    more_classes(dorm, 120)
    school = dorm.campus.world.school
    codes = list(
        Cohort.objects.filter(school=school).order_by("code", "pk").values_list("code", flat=True)
    )
    status, first = _links(dorm, "records")
    assert status == 200 and _codes(first, "cohorts") == codes[:50]
    assert f"?term={dorm.term.pk}&page=2" in first  # the pager keeps the term
    status, second = _links(dorm, "records", "&page=2")
    assert status == 200 and _codes(second, "cohorts") == codes[50:100]
    assert _codes(second, "cohorts")[0] == codes[50]
    # The counts of a class on a later page are still read from the kept counts.
    k1_page = codes.index(dorm.campus.k1.code) // 50 + 1
    status, page = _links(dorm, "records", f"&page={k1_page}")
    row = page.split(f"<tr><td>{dorm.campus.k1.code}</td>")[1].split("</tr>")[0]
    k1 = figures.class_counts(dorm.term)[dorm.campus.k1.pk]
    shown = [str(k1.off_campus), str(k1.declared)]
    assert re.findall(r'<td class="text-end">(\d+)</td>', row) == shown
    # The adviser names only class K1: one page, no pager.
    status, adviser = _links(dorm, "adviser")
    assert status == 200 and _codes(adviser, "cohorts") == [dorm.campus.k1.code]
    assert "page=2" not in adviser


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1.5", "", "%00", "2" * 40])
def test_a_bad_page_on_the_links_page_gives_a_page_not_a_500(dorm: Dorm, page: str) -> None:
    more_classes(dorm, 60)
    status, body = _links(dorm, "records", f"&page={page}")
    assert status == 200 and len(_codes(body, "cohorts")) in (50, 10)
