"""The demo province (sample data): the Sở GD&ĐT Lạng Sơn's officer, the schools it directs (the
demo college and two small sample schools: a second college and an upper secondary school, a few
units and staff each) and the account `sogddt`.

demo/loader.py calls `load_province` once the Sở and the demo school exist and before the
documents, so that the Sở's own directive (1850/HD-SGDĐT) is registered by the Sở and sent down
instead of being typed by the school. There is no `load_demo` here: nothing to add after the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from organisations import services as org_services
from organisations.models import Organisation, Person, Position, Role
from province.models import DirectedSchool, SchoolLevel

OFFICER_USERNAME = "sogddt"
OFFICER_NAME = "Hoàng Thị Minh Thư"
# (role key for the list of demo accounts, username, name): printed by `manage.py load_demo`.
ACCOUNTS = [("province", OFFICER_USERNAME, OFFICER_NAME)]

# Two small sample schools (invented names, units and people) beside the demo college.
SAMPLE_SCHOOLS: list[dict[str, Any]] = [
    {
        "name": "Trường Cao đẳng Kỹ thuật Kỳ Lừa",
        "short_name": "CĐKT Kỳ Lừa",
        "abbreviation": "CĐKTKL",
        "code": "cdkt-ky-lua",
        "level": SchoolLevel.COLLEGE,
        "units": [
            ("office", "Phòng Đào tạo", "pdt"),
            ("faculty", "Khoa Cơ khí", "kck"),
            ("faculty", "Khoa Điện – Điện tử", "kdd"),
        ],
        "people": [
            ("Lộc Văn Khánh", None, "Hiệu trưởng", Role.LEADERSHIP),
            ("Nông Thị Hà", "pdt", "Trưởng phòng Đào tạo", Role.HEAD),
            ("Vi Văn Tuấn", "kck", "Giảng viên", Role.MEMBER),
        ],
    },
    {
        "name": "Trường Trung học phổ thông Mẫu Sơn",
        "short_name": "THPT Mẫu Sơn",
        "abbreviation": "THPTMS",
        "code": "thpt-mau-son",
        "level": SchoolLevel.UPPER_SECONDARY,
        "units": [
            ("subject_group", "Tổ Toán – Tin", "to-toan-tin"),
            ("subject_group", "Tổ Ngữ văn", "to-ngu-van"),
        ],
        "people": [
            ("Dương Văn Hải", None, "Hiệu trưởng", Role.LEADERSHIP),
            ("Hoàng Thị Lan", "to-toan-tin", "Tổ trưởng", Role.HEAD),
            ("Lăng Văn Quý", "to-ngu-van", "Giáo viên", Role.MEMBER),
        ],
    },
]


@dataclass
class DemoProvince:
    officer: Any
    schools: list[Organisation] = field(default_factory=list)


def load_province(sgd: Organisation, college: Organisation, *, password: str) -> DemoProvince:
    """The Sở's officer (a clerk of the Sở: registers and sends its directives), the sample
    schools, and the list of the schools the Sở directs."""
    office = Organisation(
        name="Phòng Giáo dục chuyên nghiệp – Giáo dục thường xuyên",
        short_name="Phòng GDCN-GDTX",
        kind="office",
        parent=sgd,
        code="gdcn-gdtx",
    )
    org_services.save_organisation(office, by=None)
    officer = get_user_model().objects.create_user(username=OFFICER_USERNAME, password=password)
    _person(sgd, office, OFFICER_NAME, "Chuyên viên", Role.CLERK, user=officer)
    directed = [(college, SchoolLevel.COLLEGE)]
    for entry in SAMPLE_SCHOOLS:
        school = Organisation(
            name=entry["name"],
            short_name=entry["short_name"],
            abbreviation=entry["abbreviation"],
            code=entry["code"],
            kind="school",
            parent=sgd.parent,
            place="Lạng Sơn",
        )
        org_services.save_organisation(school, by=None)
        units = {}
        for order, (kind, name, code) in enumerate(entry["units"]):
            unit = Organisation(name=name, kind=kind, parent=school, code=code, order=order)
            org_services.save_organisation(unit, by=None)
            units[code] = unit
        for name, unit_code, title, role in entry["people"]:
            _person(school, units.get(unit_code) or school, name, title, role)
        directed.append((school, entry["level"]))
    for school, level in directed:
        DirectedSchool.objects.create(body=sgd, school=school, level=level)
    return DemoProvince(officer=officer, schools=[school for school, _level in directed])


def _person(
    organisation: Organisation,
    unit: Organisation,
    name: str,
    title: str,
    role: str,
    *,
    user: Any = None,
) -> Person:
    person = Person(full_name=name, school=organisation, user=user, is_sample=True)
    org_services.save_person(person, by=None)
    org_services.add_position(
        Position(person=person, organisation=unit, title=title, role=role), by=None
    )
    return person
