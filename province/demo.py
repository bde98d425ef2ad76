"""The demo province (sample data): the Sở GD&ĐT Lạng Sơn's officer, the schools it directs (the
demo college and two small sample schools: a second college and an upper secondary school, a few
units and staff each) and the account `sogddt`.

demo/loader.py calls `load_province` once the Sở and the demo school exist and before the
documents, so that the Sở's own directive (1850/HD-SGDĐT) is registered by the Sở and sent down
instead of being typed by the school. `load_demo` runs after the other domains (the demo school's
sơ kết is issued by then): the second college's small issued plan (account `cdktkl`, its
principal), and two reports the Sở asked for: the sơ kết học kỳ I of the colleges, submitted on
time by the demo college and not yet by the second one; the enrolment targets' figures of every
school, submitted on time by the demo college and late by the second one (the upper secondary
school has no plan in the product: not submitted).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from organisations import services as org_services
from organisations.models import Organisation, Person, Position, Role
from papers import registry
from papers.models import IssuedPaper
from planning import services as plan_services
from planning.models import Plan, Target, Task, WorkArea
from province import reporting
from province.models import Audience, DirectedSchool, RequestKind, SchoolLevel
from tracking import services as tracking

OFFICER_USERNAME = "sogddt"
OFFICER_NAME = "Hoàng Thị Minh Thư"
# The second college's principal: shows a school's side (its requests, nothing of another's).
SAMPLE_PRINCIPAL_USERNAME = "cdktkl"
SAMPLE_PRINCIPAL_NAME = "Lộc Văn Khánh"
# (role key for the list of demo accounts, username, name): printed by `manage.py load_demo`.
ACCOUNTS = [
    ("province", OFFICER_USERNAME, OFFICER_NAME),
    ("sample_school", SAMPLE_PRINCIPAL_USERNAME, SAMPLE_PRINCIPAL_NAME),
]

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
    sample_principal: Any = None


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
    sample_principal = get_user_model().objects.create_user(
        username=SAMPLE_PRINCIPAL_USERNAME, password=password
    )
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
            user = sample_principal if name == SAMPLE_PRINCIPAL_NAME else None
            _person(school, units.get(unit_code) or school, name, title, role, user=user)
        directed.append((school, entry["level"]))
    for school, level in directed:
        DirectedSchool.objects.create(body=sgd, school=school, level=level)
    return DemoProvince(
        officer=officer,
        schools=[school for school, _level in directed],
        sample_principal=sample_principal,
    )


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


# The report requests of 2023–2024 ----------------------------------------------------------------

# The figures the Sở asks every school for: names as both colleges' plans have them.
ENROLMENT_TARGETS = [
    "Tỷ lệ tuyển sinh so với chỉ tiêu được giao",
    "Tỷ lệ sinh viên bỏ học, thôi học trong năm học",
    "Tỷ lệ sinh viên tốt nghiệp đúng hạn",
]


def _at(day: str, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


def _sample_plan(school: Organisation, by: Any) -> Plan:
    """The second college's year, small (dữ liệu mẫu): three targets of enrolment and training,
    three tasks (one done, one overdue), issued on 20/09/2023."""
    plan = plan_services.create_plan(
        school=school,
        start_year=2023,
        title="Kế hoạch thực hiện nhiệm vụ trọng tâm năm học 2023–2024 (dữ liệu mẫu)",
        by=by,
    )
    area = plan_services.save_plan_object(WorkArea(plan=plan, name="Tuyển sinh, đào tạo"), by=by)
    office = Organisation.objects.get(school=school, code="pdt")
    faculty = Organisation.objects.get(school=school, code="kck")
    targets = [
        (ENROLMENT_TARGETS[0], "higher", "90", "78", "2023-12-15"),
        (ENROLMENT_TARGETS[1], "lower", "5", "4.1", "2023-12-15"),
        (ENROLMENT_TARGETS[2], "higher", "85", None, None),
    ]
    made = []
    for name, direction, value, _actual, _day in targets:
        made.append(
            plan_services.save_plan_object(
                Target(
                    plan=plan,
                    area=area,
                    name=name,
                    unit_of_measure="%",
                    direction=direction,
                    target_value=Decimal(value),
                    responsible_unit=office,
                    is_sample=True,
                ),
                by=by,
            )
        )
    tasks = [
        ("Tuyển sinh cao đẳng, trung cấp năm 2023", office, "2023-10-31"),
        ("Rà soát, cập nhật chương trình đào tạo ngành Cơ khí", faculty, "2023-11-30"),
        ("Tự đánh giá chất lượng chương trình đào tạo", office, "2024-06-30"),
    ]
    created = [
        plan_services.save_plan_object(
            Task(
                plan=plan,
                area=area,
                title=title,
                lead_unit=unit,
                start_date=dt.date(2023, 9, 15),
                due_date=dt.date.fromisoformat(due),
            ),
            by=by,
        )
        for title, unit, due in tasks
    ]
    plan_services.issue_plan(plan, by=by, on=dt.date(2023, 9, 20))
    tracking.submit_checkin(
        created[0],
        by=by,
        unit=office,
        data=tracking.CheckInData(
            progress=100, done="Đã tuyển sinh xong đợt 1 và đợt 2 (dữ liệu mẫu).", confidence="high"
        ),
        on=dt.date(2023, 10, 25),
        is_sample=True,
    )
    for target, (_name, _direction, _value, actual, day) in zip(made, targets, strict=True):
        if actual is not None and day is not None:
            tracking.record_target_value(
                target, Decimal(actual), on=dt.date.fromisoformat(day), by=by, is_sample=True
            )
    return plan


def load_requests(demo: DemoProvince, college: Organisation, principal: Any) -> None:
    """The second college's plan, the Sở's two requests and what the colleges submitted."""
    sgd = DirectedSchool.objects.filter(school=college).select_related("body").first()
    second = next((s for s in demo.schools if s.code == "cdkt-ky-lua"), None)
    if sgd is None or second is None or demo.sample_principal is None:
        return
    body = sgd.body
    _sample_plan(second, demo.sample_principal)
    figures = reporting.create_request(
        body,
        kind=RequestKind.TARGETS,
        title="Số liệu tuyển sinh, duy trì sĩ số năm học 2023–2024",
        start_year=2023,
        deadline=dt.date(2023, 12, 15),
        text="Đề nghị các trường báo cáo số liệu các chỉ tiêu tuyển sinh, bỏ học và tốt nghiệp "
        "để Sở tổng hợp, báo cáo UBND tỉnh (dữ liệu mẫu).",
        targets=ENROLMENT_TARGETS,
        audience=Audience.ALL,
        by=demo.officer,
        at=_at("2023-12-01"),
    )
    reporting.submit(figures, college, by=principal, at=_at("2023-12-14", 15))
    reporting.submit(
        figures,
        second,
        by=demo.sample_principal,
        note="Trường nộp chậm do chờ số liệu nhập học đợt bổ sung (dữ liệu mẫu).",
        at=_at("2023-12-20", 10),
    )
    semester = reporting.create_request(
        body,
        kind=RequestKind.SEMESTER_REPORT,
        title="Báo cáo sơ kết học kỳ I năm học 2023–2024",
        start_year=2023,
        deadline=dt.date(2024, 1, 10),
        text="Các trường cao đẳng gửi báo cáo sơ kết học kỳ I, kèm số liệu thực hiện nhiệm vụ, "
        "chỉ tiêu (dữ liệu mẫu).",
        audience=Audience.LEVEL,
        level=SchoolLevel.COLLEGE,
        by=demo.officer,
        at=_at("2023-12-18"),
    )
    kind = registry.KINDS.get(RequestKind.SEMESTER_REPORT)
    report = kind.latest(college) if kind is not None and kind.latest is not None else None
    issued = (
        report is not None
        and IssuedPaper.objects.filter(
            kind=RequestKind.SEMESTER_REPORT, object_id=report.pk, amends=None
        ).exists()
    )
    if issued:
        reporting.submit(semester, college, by=principal, paper=report, at=_at("2024-01-08", 14))


def load_demo(plan: Plan | None, loader: Any) -> None:
    """The Sở's report requests (demo/loader.py calls every domain's `load_demo`, this one after
    the reports')."""
    if plan is None or loader.province is None:
        return
    load_requests(loader.province, plan.school, loader.principal)
