"""A Sở GD&ĐT above the test world's school (a college), a second college and an upper
secondary school (world.other_school); its officer (a clerk: sends), a plain member of the Sở
(sees, does not send), and a directive of the Sở, registered but not sent yet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from conftest import World, make_person
from documents.models import Document, DocumentType
from organisations.models import Organisation, Role
from province.models import DirectedSchool, SchoolLevel

# Who opens a page: nobody, the Sở's officer and plain member, the recipient school's leadership
# and staff, another school's leader (world.outsider, of an upper secondary school).
ROLES = ["anonymous", "officer", "sgd_member", "leadership", "staff", "outsider"]


@dataclass
class Province:
    world: World
    sgd: Organisation
    college: Organisation  # a second college, besides world.school
    users: dict[str, Any]
    directive: Document

    def client(self, role: str) -> Client:
        client = Client()
        if role in self.users:
            client.force_login(self.users[role])
        elif role != "anonymous":
            client.force_login(self.world.users[role])
        return client


@pytest.fixture
def province(world: World) -> Province:
    sgd = Organisation.objects.create(
        name="Sở Giáo dục và Đào tạo Mẫu",
        short_name="Sở GD&ĐT Mẫu",
        abbreviation="SGDĐT",
        kind="department",
    )
    office = Organisation.objects.create(
        name="Phòng Giáo dục chuyên nghiệp", kind="office", parent=sgd
    )
    college = Organisation.objects.create(name="Trường Cao đẳng Thứ Hai", kind="school")
    users = {
        "officer": make_person(sgd, office, "Hà Thị Thu", "officer", "Chuyên viên", Role.CLERK)[1],
        "sgd_member": make_person(
            sgd, office, "Vũ Văn Bình", "sgd_member", "Chuyên viên", Role.MEMBER
        )[1],
    }
    for school, level in (
        (world.school, SchoolLevel.COLLEGE),
        (college, SchoolLevel.COLLEGE),
        (world.other_school, SchoolLevel.UPPER_SECONDARY),
    ):
        DirectedSchool.objects.create(body=sgd, school=school, level=level)
    directive = Document.objects.create(
        school=sgd,
        doc_type=DocumentType.objects.get(code="HD"),
        number="1850",
        issuer_code="SGDĐT",
        issued_on=dt.date(2023, 9, 12),
        issuer=sgd,
        issuer_name="Sở Giáo dục và Đào tạo Mẫu",
        summary="Hướng dẫn thực hiện nhiệm vụ năm học 2023-2024",
    )
    return Province(world=world, sgd=sgd, college=college, users=users, directive=directive)
