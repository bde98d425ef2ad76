"""After a school is merged into another its data are history in every domain, not only its plans:
one representative write per domain (planning, emulation, students, residence, training, the
register of văn bản, workload) is refused by the service with the Vietnamese message naming the
school it went into, the page's POST answers without a 500 and writes nothing, the student's own
declaration through the link is refused with the message, and the same write in the successor
school goes through."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from core.errors import DomainError
from documents import services as document_services
from documents.models import Document, DocumentType
from emulation.models import Campaign
from emulation.services import campaigns as emulation_campaigns
from organisations import merging
from organisations.models import Organisation, Role
from planning import services as plan_services
from planning.models import Plan
from province import mergers
from province.tests.conftest import Province
from residence import links
from residence import services as residence_services
from residence.models import Declaration, DeclarationLink, Term
from students import services as student_services
from students.models import Cohort, Programme, Student
from training import services as training_services
from training.models import Partner
from workload import services as workload_services
from workload.models import Term as WorkloadTerm

MERGED = "Trường Cao đẳng Mẫu đã sáp nhập vào Trường Cao đẳng Thứ Hai"
DECISION_TEXT = "theo Quyết định số 1234/QĐ-UBND ngày 20/08/2025"
DAY = dt.date(2025, 8, 27)
TODAY = dt.date(2025, 10, 1)  # after the merger, inside the old term's declaration window


@dataclass
class Merged:
    province: Province
    old: Organisation
    new: Organisation
    by: User
    term: Term  # the old school's residence term
    link: DeclarationLink  # a student's link for it, sent before the merger


def _student_link(school: Organisation, by: User) -> tuple[Term, DeclarationLink]:
    programme = student_services.save_programme(
        Programme(school=school, code="51140201", name="Giáo dục Mầm non", level="college",
                  mode="full_time"),
        by=by,
    )  # fmt: skip
    cohort = student_services.save_cohort(
        Cohort(school=school, programme=programme, code="CĐMN24A", intake_year=2024,
               starts_on=dt.date(2024, 9, 5)),
        by=by,
    )  # fmt: skip
    student = student_services.save_student(
        Student(school=school, cohort=cohort, code="SV01", full_name="Hoàng Thị Mai",
                birth_date=dt.date(2006, 1, 1), gender="female",
                entered_on=dt.date(2024, 9, 5)),
        by=by,
    )  # fmt: skip
    term = residence_services.save_term(
        Term(school=school, name="Học kỳ I năm học 2025–2026", starts_on=dt.date(2025, 8, 1),
             ends_on=dt.date(2026, 1, 15), declare_from=dt.date(2025, 8, 1),
             declare_until=dt.date(2025, 10, 31)),
        by=by,
    )  # fmt: skip
    [link] = links.issue(term, [student], by=by)
    return term, link


@pytest.fixture
def merged(province: Province, monkeypatch: pytest.MonkeyPatch) -> Merged:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    by = province.world.users["leadership"]
    term, link = _student_link(province.world.school, by)
    mergers.merge_school(
        province.world.school,
        into=province.college,
        decision=mergers.Decision(
            number="1234",
            issuer_code="UBND",
            issued_on=dt.date(2025, 8, 20),
            issuer_name="Chủ tịch Ủy ban nhân dân tỉnh Mẫu",
            summary="Về việc sáp nhập Trường Cao đẳng Mẫu vào Trường Cao đẳng Thứ Hai",
        ),
        effective_on=DAY,
        body=province.sgd,
        by=province.users["officer"],
    )
    return Merged(province, province.world.school, province.college, by, term, link)


# One representative write per domain: (do it in a school, the rows it writes there).
Write = Callable[[Organisation, User], object]
Rows = Callable[[Organisation], int]


def _plan(school: Organisation, by: User) -> object:
    return plan_services.create_plan(school=school, start_year=2026, title="Kế hoạch mới", by=by)


def _campaign(school: Organisation, by: User) -> object:
    campaign = emulation_campaigns.new_campaign(school, start_year=2026)
    return emulation_campaigns.save_campaign(campaign, by=by)


def _programme(school: Organisation, by: User) -> object:
    programme = Programme(
        school=school, code="51140299", name="Giáo dục Thể chất", level="college",
        mode="full_time",
    )  # fmt: skip
    return student_services.save_programme(programme, by=by)


def _term(school: Organisation, by: User) -> object:
    term = Term(
        school=school,
        name="Học kỳ II năm học 2026–2027",
        starts_on=dt.date(2027, 1, 20),
        ends_on=dt.date(2027, 6, 30),
        declare_from=dt.date(2027, 1, 20),
        declare_until=dt.date(2027, 2, 28),
    )
    return residence_services.save_term(term, by=by)


def _partner(school: Organisation, by: User) -> object:
    partner = Partner(school=school, name="Trường Đại học Sư phạm Mẫu", kind="university")
    return training_services.save_partner(partner, by=by)


def _document(school: Organisation, by: User) -> object:
    document = Document(
        school=school,
        doc_type=DocumentType.objects.get(code="HD"),
        number="77",
        issuer_code="CĐM",
        issued_on=dt.date(2025, 9, 10),
        issuer_name="Ban giám hiệu",
        summary="Hướng dẫn nhập học năm học mới",
    )
    return document_services.register_document(document, by=by)


def _workload_term(school: Organisation, by: User) -> object:
    return workload_services.ensure_term(school.pk, 2026, 1)


def _count(model: type[Model], **filters: Any) -> Rows:
    return lambda school: model._base_manager.filter(school=school, **filters).count()  # type: ignore[attr-defined]


WRITES: dict[str, tuple[Write, Rows]] = {
    "planning": (_plan, _count(Plan, start_year=2026)),
    "emulation": (_campaign, _count(Campaign, start_year=2026)),
    "students": (_programme, _count(Programme, code="51140299")),
    "residence": (_term, _count(Term, name="Học kỳ II năm học 2026–2027")),
    "training": (_partner, _count(Partner, name="Trường Đại học Sư phạm Mẫu")),
    "documents": (_document, _count(Document, number="77")),
    "workload": (_workload_term, _count(WorkloadTerm, start_year=2026, semester=1)),
}


@pytest.mark.parametrize("domain", list(WRITES))
def test_the_service_refuses_in_the_old_school_and_works_in_the_new(
    merged: Merged, domain: str
) -> None:
    write, rows = WRITES[domain]
    with pytest.raises(DomainError) as refused:
        write(merged.old, merged.by)
    message = str(refused.value)
    assert MERGED in message and DECISION_TEXT in message
    assert "được giữ làm lịch sử" in message
    assert refused.value.status == 400
    assert rows(merged.old) == 0
    write(merged.new, merged.by)
    assert rows(merged.new) == 1


def test_the_shared_check_names_the_successor(merged: Merged) -> None:
    with pytest.raises(merging.SchoolMerged, match="không lập hay sửa hồ sơ người học"):
        merging.ensure_open_school(merged.old.pk, what="hồ sơ người học")
    merging.ensure_open_school(merged.new.pk)  # open
    merging.ensure_open_school(None)  # a national row: no school


# The pages: (url name, form) of each domain's write in the school the user works in.
PAGES: dict[str, tuple[str, dict[str, Any]]] = {
    "planning": ("planning:plan_create", {"start_year": 2026, "title": "Kế hoạch mới"}),
    "emulation": ("emulation:campaign_create", {"start_year": 2026}),
    "students": (
        "students:programme_create",
        {"code": "51140299", "name": "Giáo dục Thể chất", "level": "college", "mode": "full_time"},
    ),
    "residence": (
        "residence:term_create",
        {
            "name": "Học kỳ II năm học 2026–2027",
            "starts_on": "20/01/2027",
            "ends_on": "30/06/2027",
            "declare_from": "20/01/2027",
            "declare_until": "28/02/2027",
        },
    ),
    "training": (
        "training:partner_create",
        {"name": "Trường Đại học Sư phạm Mẫu", "kind": "university"},
    ),
    "documents": (
        "documents:document_create",
        {
            "doc_type": "",
            "number": "77",
            "issuer_code": "CĐM",
            "issued_on": "10/09/2025",
            "issuer_name": "Ban giám hiệu",
            "summary": "Hướng dẫn nhập học năm học mới",
        },
    ),
    "workload": ("workload:term_create", {"start_year": 2026, "semester": 1}),
}


def _client(user: User, school: Organisation) -> Client:
    client = Client()
    client.force_login(user)
    switched = client.post(reverse("organisations:switch"), {"organisation": school.pk})
    assert switched.status_code in (302, 404)
    return client


@pytest.mark.parametrize("role", ["keeper", "leadership", "staff", "new_leader", "admin"])
@pytest.mark.parametrize("domain", list(PAGES))
def test_the_page_post_in_the_old_school_writes_nothing(
    merged: Merged, domain: str, role: str
) -> None:
    """A leader still in post at the old school is told it merged; its former leadership and
    staff, the new school's leader reading the old school and the administrator have no right to
    write there: never a 500, no row in the old school."""
    if role == "keeper":
        user = _keeper(merged)
    elif role == "admin":
        user = User.objects.create_superuser(username="quantri", password="x-quantri")
    elif role == "new_leader":
        user = merged.province.users.get("new_leader") or _new_leader(merged)
    else:
        user = merged.province.world.users[role]
    name, form = PAGES[domain]
    if domain == "documents":
        form = {**form, "doc_type": DocumentType.objects.get(code="HD").pk}
    client = _client(user, merged.old)
    response = client.post(reverse(name), form, follow=True)
    assert response.status_code != 500
    if role == "keeper":
        # The form again with the message, or back to the list with it flashed.
        assert response.status_code in (200, 400)
        assert MERGED in response.content.decode()
    else:
        assert response.status_code == 403  # no right to write there any more
    _write, rows = WRITES[domain]
    assert rows(merged.old) == 0


def _keeper(merged: Merged) -> User:
    """A leader still in post at the old school after the merger (kept to close its books): the
    right to write is there, the merger's lock refuses."""
    _person, user = make_person(
        merged.old, merged.old, "Đinh Văn Lưu", "keeper", "Phó Hiệu trưởng", Role.LEADERSHIP
    )
    return user


def _new_leader(merged: Merged) -> User:
    _person, user = make_person(
        merged.new, merged.new, "Lương Văn Tân", "new_leader", "Hiệu trưởng", Role.LEADERSHIP
    )
    merged.province.users["new_leader"] = user
    return user


def test_the_students_own_declaration_through_the_link_is_refused(merged: Merged) -> None:
    client = Client()
    url = reverse("residence:declare", args=[links.token(merged.link)])
    assert client.post(url, {"code": links.code(merged.link)}).status_code == 302
    before = Declaration._base_manager.count()
    response = client.post(
        url,
        {
            "housing": "rented",
            "address": "Số 12 Lê Lợi",
            "ward": "Phường Kỳ Lừa",
            "province": "Lạng Sơn",
            "landlord": "Vi Văn Tài",
            "landlord_phone": "0912000111",
            "phone": "0987000111",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert MERGED in page and "thông tin nội trú, ngoại trú" in page
    assert Declaration._base_manager.count() == before
    assert not Declaration._base_manager.filter(student=merged.link.student).exists()


def test_the_old_school_stays_readable(merged: Merged) -> None:
    """Reads stay open: the old school's rows are all still there."""
    assert Term._base_manager.filter(school=merged.old).count() == 1
    assert DeclarationLink._base_manager.filter(term=merged.term).count() == 1
    assert Programme._base_manager.filter(school=merged.old).count() == 1
    client = _client(merged.province.world.users["leadership"], merged.old)
    for name in ("residence:home", "students:home", "documents:document_list", "workload:home"):
        assert client.get(reverse(name), follow=True).status_code in (200, 403), name
