"""The demo school reproduces every fact of the source article, and loads once.

The school is loaded once for the module (conftest's `demo_plan`); each test's changes roll back.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.urls import reverse

from demo.loader import DATA_FILE, DEMO_PASSWORD, load_demo
from documents.models import Document
from organisations.membership import compute_membership
from organisations.models import Organisation, Person
from planning.models import Plan


@pytest.fixture
def demo(demo_plan: Plan, db: None) -> Plan:
    return demo_plan


def test_the_four_bases_as_written_in_the_article(demo: Plan) -> None:
    bases = [link.document for link in demo.basis_links.select_related("document__doc_type")][:4]
    assert [(d.doc_type.name, d.symbol, d.issued_on) for d in bases] == [
        ("Quyết định", "2457/QĐ-BGDĐT", dt.date(2023, 8, 23)),
        ("Công văn", "5155/BGDĐT-GDĐH", dt.date(2023, 9, 22)),
        ("Chỉ thị", "06/CT-UBND", dt.date(2023, 9, 5)),
        ("Nghị quyết", "63-NQ/TU", dt.date(2021, 12, 29)),
    ]
    assert bases[0].issuer_name == "Bộ trưởng Bộ Giáo dục và Đào tạo"
    assert bases[2].issuer_name == "Chủ tịch UBND tỉnh Lạng Sơn"
    assert bases[3].issuer_name == "Ban Thường vụ Tỉnh ủy"
    assert bases[3].system == "party"
    assert "Kế hoạch nhiệm vụ, giải pháp trọng tâm năm học 2023-2024" in bases[0].summary


def test_the_people_and_their_titles(demo: Plan) -> None:
    titles = {
        person.full_name: {p.title for p in person.positions.all()}
        for person in Person.objects.filter(
            full_name__in=[
                "Phùng Quý Sơn",
                "Nguyễn Thế Dương",
                "Vi Hồng Thắm",
                "Nguyễn Thị Phương Loan",
            ]
        )
    }
    assert titles["Phùng Quý Sơn"] >= {"Bí thư Đảng ủy", "Hiệu trưởng"}
    assert titles["Nguyễn Thế Dương"] >= {"Phó Bí thư Đảng ủy", "Phó Hiệu trưởng"}
    assert "Phó Hiệu trưởng" in titles["Vi Hồng Thắm"]
    assert any("Trưởng phòng" in t for t in titles["Nguyễn Thị Phương Loan"])
    loan = Person.objects.get(full_name="Nguyễn Thị Phương Loan")
    assert loan.positions.get().organisation.short_name == "Phòng KHCN&ĐBCL"


def test_the_plan_and_its_eight_main_tasks(demo: Plan) -> None:
    assert demo.school.name == "Trường Cao đẳng Sư phạm Lạng Sơn"
    assert demo.start_year == 2023 and demo.is_issued and demo.issued_on == dt.date(2023, 9, 26)
    roots = list(demo.tasks.active().school_level().filter(parent=None).order_by("order"))
    assert [t.code for t in roots] == [str(i) for i in range(1, 9)]
    assert all(t.lead_unit and t.due_date and t.start_date for t in roots)
    assert all(t.basis_links.exists() for t in roots)
    joined = " ".join(t.title.lower() for t in roots)
    for words in [
        "quản trị",
        "dân chủ",
        "cán bộ quản lý",
        "phân công",
        "tuyển sinh",
        "sĩ số",
        "ngành nghề",
        "liên kết",
        "nội",
        "văn hóa công sở",
        "định hướng phát triển",
        "chuyển đổi số",
    ]:
        assert words in joined, words
    assert demo.tasks.filter(coordinations__isnull=False).distinct().count() >= 8
    assert demo.targets.exclude(area=None).count() >= 8
    assert demo.tasks.exclude(owner_unit=None).exists()


def test_sample_data_is_marked_in_the_file() -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    people = {p["full_name"]: p["sample"] for p in data["people"]}
    assert people["Phùng Quý Sơn"] is False
    assert any(people.values())  # the other staff are sample
    assert all(t["sample"] for t in data["plan"]["targets"])  # the article gives no target values


def test_the_merger_keeps_history(demo: Plan) -> None:
    school = demo.school
    assert school.valid_to == dt.date(2025, 8, 26)
    successor = school.successions.get().successor
    assert successor.name == "Trường Cao đẳng Lạng Sơn"


def test_demo_accounts_one_per_role(demo: Plan) -> None:
    principal = authenticate(HttpRequest(), username="phungquyson", password=DEMO_PASSWORD)
    assert principal is not None and compute_membership(principal).is_leadership
    head = authenticate(HttpRequest(), username="nguyenthiphuongloan", password=DEMO_PASSWORD)
    assert head is not None and compute_membership(head).is_unit_head
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    roles = {p["account"] for p in data["people"] if p.get("username")}
    assert roles >= {"leadership", "unit_head", "staff", "clerk"}


def test_loading_twice_changes_nothing(demo: Plan) -> None:
    counts = (
        Organisation.objects.count(),
        Person.objects.count(),
        Document.objects.count(),
        demo.tasks.count(),
    )
    plan, _ = load_demo()
    assert plan is None
    assert counts == (
        Organisation.objects.count(),
        Person.objects.count(),
        Document.objects.count(),
        demo.tasks.count(),
    )


def test_command_refuses_without_debug(db: None, settings: object) -> None:
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")


def test_principal_sees_the_plan_page(demo: Plan, client: object) -> None:
    # django-axes checks every password login against its request.
    client.login(request=HttpRequest(), username="phungquyson", password=DEMO_PASSWORD)  # type: ignore[attr-defined]
    home = client.get(reverse("home")).content.decode()  # type: ignore[attr-defined]
    assert "Việc của tôi" in home
    # The home page links to the plan the school is running.
    assert reverse("planning:plan_detail", args=[demo.pk]) in home
    response = client.get(reverse("planning:plan_detail", args=[demo.pk]))  # type: ignore[attr-defined]
    body = response.content.decode()
    assert "Kế hoạch thực hiện nhiệm vụ trọng tâm năm học 2023–2024" in body
    for symbol in ["2457/QĐ-BGDĐT", "5155/BGDĐT-GDĐH", "06/CT-UBND", "63-NQ/TU"]:
        assert symbol in body
    assert "8 nhiệm vụ, giải pháp chủ yếu" in body
    assert "về về" not in body
