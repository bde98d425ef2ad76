"""The demo school's training development (sample data): a dossier for opening Giáo dục Thể chất
at college level half way through its steps, with the registered documents of the steps done;
an in-service course run with the Sở (a list of participants with their certificates) and a
partnership course with a university (demo/loader.py calls every domain's `load_demo`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from documents.models import Document, DocumentType
from documents.services import register_document
from training import services
from training.models import (
    CertificateIssue,
    Course,
    Dossier,
    DossierStep,
    Participant,
    Partner,
    StepStatus,
    StepTemplate,
)
from training.seed import sync_steps

ISSUER = "CĐSPLS"
PEOPLE = [
    ("Hoàng Thị Mai", "Trường Mầm non Hoa Sen"), ("Nông Thị Lan", "Trường Mầm non Hoàng Đồng"),
    ("Vi Thị Hằng", "Trường Mầm non Tân Thanh"), ("Lộc Thị Thu", "Trường Mầm non Chi Lăng"),
    ("Triệu Thị Ngọc", "Trường Mầm non Đồng Đăng"), ("Lăng Thị Hà", "Trường Mầm non Bắc Sơn"),
    ("Chu Thị Huyền", "Trường Mầm non Văn Lãng"), ("Lý Thị Dung", "Trường Mầm non Cao Lộc"),
    ("Hà Thị Thảo", "Trường Mầm non Lộc Bình"), ("Nguyễn Thị Yến", "Trường Mầm non Hữu Lũng"),
    ("Hoàng Thị Nhung", "Trường Mầm non Đình Lập"), ("Vi Thị Xuân", "Trường Mầm non Tràng Định"),
]  # fmt: skip


def _document(school: Any, code: str, number: str, day: dt.date, summary: str, by: Any) -> Document:
    document = Document(
        school=school, doc_type=DocumentType.objects.get(code=code), number=number,
        issuer_code=ISSUER, issued_on=day, issuer=school,
        issuer_name="Trường Cao đẳng Sư phạm Lạng Sơn", summary=f"{summary} (dữ liệu mẫu)",
    )  # fmt: skip
    return register_document(document, by=by)


def load_demo(plan: Any, loader: Any) -> None:
    sync_steps(StepTemplate)
    school, units, by = plan.school, loader.orgs, loader.principal
    if "p-daotao" in units:
        services.set_training_office(school, units["p-daotao"], by=by)
    _dossier(school, units, by)
    _courses(school, units, by)


def _dossier(school: Any, units: dict[str, Any], by: Any) -> None:
    started = dt.date(2024, 10, 1)
    dossier = services.create_dossier(
        Dossier(
            school=school, code="51140206", name="Giáo dục Thể chất", level="college",
            mode="full_time", faculty=units.get("k-xahoi"), started_on=started, first_intake=2026,
            note="Đề xuất theo định hướng phát triển ngành đào tạo của nhà trường (dữ liệu mẫu).",
        ),
        by=by,
    )  # fmt: skip
    steps = list(DossierStep.objects.active().filter(dossier=dossier).order_by("order"))
    papers = {
        1: ("BC", "45", dt.date(2024, 11, 25), "Kết quả khảo sát nhu cầu giáo viên Giáo dục thể chất trên địa bàn tỉnh"),
        2: ("ĐA", "02", dt.date(2025, 2, 20), "Mở ngành đào tạo Giáo dục Thể chất trình độ cao đẳng"),
        3: ("BB", "12", dt.date(2025, 3, 28), "Thẩm định chương trình đào tạo ngành Giáo dục Thể chất"),
        4: ("BB", "15", dt.date(2025, 4, 15), "Kiểm tra điều kiện thực tế mở ngành Giáo dục Thể chất"),
    }  # fmt: skip
    for step in steps:
        paper = papers.get(step.order)
        if paper is None:
            continue
        code, number, day, summary = paper
        step.status, step.done_on = StepStatus.DONE, day
        services.save_step(step, by=by, today=day)
        services.link_document(step, _document(school, code, number, day, summary, by), by=by)
    if len(steps) > 4:
        current = steps[4]
        current.status = StepStatus.DOING
        current.note = "Dự kiến trình Hội đồng trường tại phiên họp quý II (dữ liệu mẫu)."
        services.save_step(current, by=by, today=dt.date(2025, 5, 1))


def _courses(school: Any, units: dict[str, Any], by: Any) -> None:
    sgd = services.save_partner(
        Partner(school=school, name="Sở Giáo dục và Đào tạo Lạng Sơn", kind="authority",
                address="Thành phố Lạng Sơn"),
        by=by,
    )  # fmt: skip
    university = services.save_partner(
        Partner(school=school, name="Trường Đại học Sư phạm – Đại học Thái Nguyên",
                kind="university", address="Thành phố Thái Nguyên"),
        by=by,
    )  # fmt: skip
    contract = _document(
        school, "HĐ", "08", dt.date(2024, 2, 26),
        "Bồi dưỡng nâng cao năng lực tổ chức hoạt động giáo dục cho giáo viên mầm non năm 2024", by,
    )  # fmt: skip
    course = services.save_course(
        Course(
            school=school, kind="continuing", partner=sgd, unit=units.get("k-thmn"),
            title="Bồi dưỡng năng lực tổ chức hoạt động giáo dục cho giáo viên mầm non năm 2024",
            agreement=contract, starts_on=dt.date(2024, 3, 11), ends_on=dt.date(2024, 5, 25),
            status="finished", certificate="Chứng chỉ bồi dưỡng",
        ),
        by=by,
    )  # fmt: skip
    issued = dt.date(2024, 6, 5)
    for index, (name, workplace) in enumerate(PEOPLE, start=1):
        participant = Participant(
            course=course, code=f"BD24-{index:03d}", full_name=name,
            birth_date=dt.date(1985 + index % 10, 1 + index % 12, 1 + index), workplace=workplace,
        )  # fmt: skip
        if index <= 11:  # one did not complete the course
            participant.certificate_no, participant.certificate_on = f"BD-2024-{index:03d}", issued
        services.save_participant(participant, by=by)
    decision = _document(
        school, "QĐ", "215", issued, "Cấp chứng chỉ bồi dưỡng cho giáo viên mầm non năm 2024", by
    )
    services.record_certificates(
        CertificateIssue(course=course, issued_on=issued, count=11,
                         numbers="từ BD-2024-001 đến BD-2024-011", decision=decision),
        by=by,
    )  # fmt: skip
    agreement = _document(
        school, "BTT", "03", dt.date(2024, 7, 15),
        "Liên kết đào tạo trình độ đại học ngành Giáo dục Tiểu học, hình thức vừa làm vừa học", by,
    )  # fmt: skip
    services.save_course(
        Course(
            school=school, kind="partnership", partner=university, unit=units.get("p-daotao"),
            title="Liên kết đào tạo đại học Giáo dục Tiểu học (vừa làm vừa học), khóa 2024–2027",
            agreement=agreement, starts_on=dt.date(2024, 10, 5), ends_on=dt.date(2027, 6, 30),
            participants=42, status="running", certificate="Bằng cử nhân Giáo dục Tiểu học",
        ),
        by=by,
    )  # fmt: skip
