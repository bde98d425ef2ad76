"""The services: a dossier gets the steps in force (national, or the school's own once adopted
and adjusted), the programme opens only when every step is done and the decision registered,
concurrent edits are refused, documents and partners of another school are refused, and the
year's figures (and the plan measure) count participants and certificates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.versioning import EditConflict
from documents.models import Document, DocumentType
from students import measures
from students.models import Programme
from training import figures, services
from training.models import (
    CertificateIssue,
    Course,
    Dossier,
    DossierStatus,
    DossierStep,
    Participant,
    Partner,
    StepStatus,
    StepTemplate,
)
from training.seed import STEPS
from training.tests.conftest import Training


def _steps(dossier: Dossier) -> list[DossierStep]:
    return list(DossierStep.objects.active().filter(dossier=dossier).order_by("order"))


def test_a_dossier_gets_the_national_steps_with_due_dates(training: Training) -> None:
    steps = _steps(training.dossier)
    assert [s.title for s in steps] == [s["title"] for s in STEPS]
    assert steps[0].due_on == dt.date(2025, 1, 10) + dt.timedelta(days=STEPS[0]["days"])
    assert steps[1].due_on == steps[0].due_on + dt.timedelta(days=STEPS[1]["days"])
    assert steps[0].unit == training.world.faculty
    assert all(s.template is not None and s.template.school_id is None for s in steps)


def test_a_school_adopts_and_adjusts_its_own_steps(training: Training) -> None:
    school, by = training.world.school, training.users["leadership"]
    day = dt.date(2025, 9, 1)
    own = services.adopt_steps(school, on=day, by=by)
    assert len(own) == len(STEPS)
    with pytest.raises(services.TrainingError):
        services.adopt_steps(school, on=day, by=by)
    services.end_step_template(own[0], on=day, by=by)
    extra = StepTemplate(school=school, order=10, title="Báo cáo Sở", responsible="Phòng Đào tạo",
                         valid_from=day, source="Quy định của trường")  # fmt: skip
    services.save_step_template(extra, by=by)
    in_force = StepTemplate.in_force(dt.date(2025, 9, 2), school.pk)
    assert [s.order for s in in_force] == [*range(2, 10), 10]
    assert all(s.school_id == school.pk for s in in_force)
    # Another school keeps the national steps.
    other = StepTemplate.in_force(dt.date(2025, 9, 2), training.world.other_school.pk)
    assert len(other) == len(STEPS) and all(s.school_id is None for s in other)
    # The national steps are not edited in place.
    national = StepTemplate.objects.filter(school__isnull=True).first()
    assert national is not None
    with pytest.raises(services.TrainingError):
        services.save_step_template(national, by=by)
    # A dossier begun after the change takes the school's steps; the earlier one keeps its own.
    later = services.create_dossier(
        Dossier(school=school, code="X1", name="Ngành X", level="college", mode="full_time",
                started_on=dt.date(2025, 9, 2)),
        by=by,
    )  # fmt: skip
    assert [s.order for s in _steps(later)] == [*range(2, 10), 10]
    assert len(_steps(training.dossier)) == len(STEPS)


def test_adding_a_step_before_adopting_is_refused(training: Training) -> None:
    step = StepTemplate(school=training.world.school, order=1, title="Riêng", responsible="P",
                        valid_from=dt.date(2025, 9, 1), source="x")  # fmt: skip
    with pytest.raises(services.TrainingError, match="áp dụng quy trình riêng"):
        services.save_step_template(step, by=training.users["leadership"])


def _decision(training: Training, school_id: int | None = None) -> Document:
    return Document.objects.create(
        school_id=school_id or training.world.school.pk, doc_type=DocumentType.objects.get(code="QĐ"),
        number="120", issuer_code="BGDĐT", issued_on=dt.date(2025, 9, 1),
        summary="Cho phép mở ngành Giáo dục Thể chất",
    )  # fmt: skip


def test_the_programme_opens_only_when_every_step_is_done_and_decided(training: Training) -> None:
    by, dossier = training.users["leadership"], training.dossier
    with pytest.raises(services.TrainingError, match="9 bước chưa hoàn thành"):
        services.open_programme(dossier, by=by)
    for step in _steps(dossier):
        step.status = StepStatus.SKIPPED if step.order == 7 else StepStatus.DONE
        step.done_on = dt.date(2025, 9, 1)
        services.save_step(step, by=by, today=dt.date(2025, 10, 1))
    with pytest.raises(services.TrainingError, match="quyết định mở ngành"):
        services.open_programme(dossier, by=by)
    dossier.decision = _decision(training)
    services.save_dossier(dossier, by=by)
    programme = services.open_programme(dossier, by=by)
    assert Programme.objects.get(pk=programme.pk).name == "Giáo dục Thể chất"
    assert programme.faculty == training.world.faculty
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.OPENED and dossier.programme == programme
    with pytest.raises(services.TrainingError):
        services.open_programme(dossier, by=by)
    with pytest.raises(services.TrainingError):
        services.archive_dossier(dossier, by=by)


def test_a_step_done_needs_its_date_not_in_the_future(training: Training) -> None:
    by = training.users["leadership"]
    step = _steps(training.dossier)[0]
    step.status = StepStatus.DONE
    with pytest.raises(services.TrainingError, match="ngày hoàn thành"):
        services.save_step(step, by=by, today=dt.date(2025, 10, 1))
    step.done_on = dt.date(2025, 12, 1)
    with pytest.raises(services.TrainingError, match="chưa đến"):
        services.save_step(step, by=by, today=dt.date(2025, 10, 1))


def test_concurrent_edits_are_refused(training: Training) -> None:
    by = training.users["leadership"]
    first = Dossier.objects.get(pk=training.dossier.pk)
    second = Dossier.objects.get(pk=training.dossier.pk)
    opened = first.version
    first.name = "Giáo dục Thể chất (sửa)"
    services.save_dossier(first, by=by, expected_version=opened)
    second.note = "Ghi chú khác"
    with pytest.raises(EditConflict):
        services.save_dossier(second, by=by, expected_version=opened)
    assert Dossier.objects.get(pk=training.dossier.pk).note == ""
    course = Course.objects.get(pk=training.course.pk)
    version = course.version
    course.participants = 31
    services.save_course(course, by=by, expected_version=version)
    with pytest.raises(EditConflict):
        services.save_course(course, by=by, expected_version=version)


def test_another_schools_document_or_partner_is_refused(training: Training) -> None:
    by = training.users["leadership"]
    step = _steps(training.dossier)[0]
    foreign = _decision(training, training.world.other_school.pk)
    with pytest.raises(services.TrainingError, match="sổ văn bản"):
        services.link_document(step, foreign, by=by)
    link = services.link_document(step, training.world.document, by=by)
    with pytest.raises(services.TrainingError, match="đã gắn"):
        services.link_document(step, training.world.document, by=by)
    services.unlink_document(link, by=by)
    assert link.is_archived
    partner = services.save_partner(
        Partner(school=training.world.other_school, name="Đối tác khác", kind="other"), by=by
    )
    course = Course(school=training.world.school, kind="continuing", partner=partner, title="X",
                    starts_on=dt.date(2025, 1, 1))  # fmt: skip
    with pytest.raises(services.TrainingError, match="đối tác"):
        services.save_course(course, by=by)
    course.partner = training.partner
    course.ends_on = dt.date(2024, 1, 1)
    with pytest.raises(services.TrainingError, match="kết thúc"):
        services.save_course(course, by=by)
    with pytest.raises(services.TrainingError, match="khóa học"):
        services.archive_partner(training.partner, by=by)
    with pytest.raises(services.TrainingError, match="Đã có"):
        services.save_partner(
            Partner(
                school=training.world.school, name="sở giáo dục và  đào tạo đối tác", kind="other"
            ),
            by=by,
        )


def test_yearly_figures_and_the_plan_measure(training: Training) -> None:
    by, school = training.users["leadership"], training.world.school
    # The listed people count (2), not the typed 30; certificates: the batch, in its year.
    services.record_certificates(
        CertificateIssue(course=training.course, issued_on=dt.date(2025, 9, 15), count=2), by=by
    )
    other = services.save_course(
        Course(school=school, kind="partnership", partner=training.partner, title="Liên kết",
               starts_on=dt.date(2025, 3, 1), participants=40),
        by=by,
    )  # fmt: skip
    services.save_course(
        Course(school=school, kind="continuing", partner=training.partner, title="Hủy",
               starts_on=dt.date(2025, 3, 1), participants=99, status="cancelled"),
        by=by,
    )  # fmt: skip
    years = figures.by_year(school.pk)
    y2024, y2025 = years[2024], years[2025]
    assert y2024.courses == {"continuing": 1, "partnership": 1}
    assert y2024.participants == {"continuing": 2, "partnership": 40}
    assert y2024.total("certificates") == 0
    assert y2025.certificates == {"continuing": 2}
    # A course without batches counts its listed people's certificates.
    services.save_participant(
        Participant(course=other, full_name="Lý Văn An", certificate_no="LK-1",
                    certificate_on=dt.date(2025, 6, 1)),
        by=by,
    )  # fmt: skip
    assert figures.by_year(school.pk)[2024].certificates == {"partnership": 1}
    assert figures.by_year(school.pk)[2024].participants["partnership"] == 1
    measure = measures.get("training_continuing_participants")
    assert measure is not None
    found = measure.compute(school.pk, None, 2024, dt.date(2025, 10, 1))
    assert found is not None and found.value == Decimal(2)
    assert found.day == dt.date(2025, 8, 31)
    assert (
        measure.compute(training.world.other_school.pk, None, 2024, dt.date(2025, 10, 1)).value == 0
    )  # type: ignore[union-attr]


def test_a_document_the_so_sent_is_linked_and_a_closed_dossier_takes_no_document(
    training: Training,
) -> None:
    """A directive a body above sent the school is in its register (documents.DocumentReceipt)
    and may back a step; once the dossier is no longer in progress its documents stay as they
    are."""
    from django.utils import timezone

    from documents.models import DocumentReceipt

    by = training.users["leadership"]
    step = _steps(training.dossier)[0]
    body = training.world.other_school  # stands for the body above: not the school
    sent = _decision(training, body.pk)
    with pytest.raises(services.TrainingError, match="sổ văn bản"):
        services.link_document(step, sent, by=by)
    DocumentReceipt.objects.create(
        document=sent, school=training.world.school, sent_at=timezone.now()
    )
    link = services.link_document(step, sent, by=by)
    # Withdrawn by its issuer: no new step rests on it.
    Document._base_manager.filter(pk=sent.pk).update(withdrawn_at=timezone.now())
    sent.refresh_from_db()
    with pytest.raises(services.TrainingError, match="thu hồi"):
        services.link_document(_steps(training.dossier)[1], sent, by=by)

    Dossier.objects.filter(pk=training.dossier.pk).update(status=DossierStatus.WITHDRAWN)
    step = _steps(training.dossier)[0]
    link.step = step
    with pytest.raises(services.TrainingError, match="không còn ở tình trạng"):
        services.link_document(step, training.world.document, by=by)
    with pytest.raises(services.TrainingError, match="không còn ở tình trạng"):
        services.unlink_document(link, by=by)
