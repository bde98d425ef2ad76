"""Every change of a dossier, a course or the procedure's steps is a named, atomic action here
(views, imports, the demo and tests alike). A rule that refuses raises TrainingError with the
Vietnamese message the user sees; an edit made on a form opened before someone else's save is
refused by `claim_version` (EditConflict) and writes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import stamp
from core.errors import DomainError
from core.text import fold
from core.versioning import claim_version
from documents.models import Document
from organisations import merging
from organisations.models import Organisation
from students import feeds
from students import services as students_services
from students.models import Programme
from training.models import (
    FINISHED,
    CertificateIssue,
    Course,
    Dossier,
    DossierStatus,
    DossierStep,
    Participant,
    Partner,
    StepDocument,
    StepStatus,
    StepTemplate,
    TrainingOffice,
)


class TrainingError(DomainError):
    pass


def ensure_open_school(school_id: int | None) -> None:
    """A school merged into another keeps its training records as history: nothing is added or
    changed (organisations.merging)."""
    merging.ensure_open_school(
        school_id, what=_("hồ sơ mở ngành, khoá bồi dưỡng"), error=TrainingError
    )


def _in_school(unit: Organisation | None, school_id: int, what: str) -> None:
    if unit is not None and unit.school_id != school_id and unit.pk != school_id:
        raise TrainingError(_("%(what)s không thuộc trường này.") % {"what": what})


def _document_of(document: Document | None, school_id: int) -> None:
    """The document is in the school's register: its own, or one a body above sent it."""
    if document is None:
        return
    if (
        document.is_archived
        or not Document.objects.in_register_of(school_id).filter(pk=document.pk).exists()
    ):
        raise TrainingError(_("Văn bản không có trong sổ văn bản của trường."))
    if document.is_withdrawn:
        raise TrainingError(_("Văn bản đã bị cơ quan ban hành thu hồi, không làm căn cứ được nữa."))


def _open_for_documents(step: DossierStep) -> None:
    if step.is_archived or step.dossier.status != DossierStatus.IN_PROGRESS:
        raise TrainingError(
            _("Hồ sơ không còn ở tình trạng đang thực hiện: không gắn hay gỡ văn bản.")
        )


@transaction.atomic
def set_training_office(school: Organisation, office: Organisation, *, by: User) -> TrainingOffice:
    ensure_open_school(school.pk)
    _in_school(office, school.pk, _("Phòng"))
    record = TrainingOffice.objects.filter(school=school).first() or TrainingOffice(school=school)
    record.office = office
    stamp(record, by)
    record.save()
    return record


# The procedure's steps ---------------------------------------------------------------------


@transaction.atomic
def adopt_steps(school: Organisation, *, on: dt.date, by: User) -> list[StepTemplate]:
    """The school's own copy of the national steps in force, from `on`, to adjust."""
    ensure_open_school(school.pk)
    current = StepTemplate.in_force(on, school.pk)
    if any(step.school_id == school.pk for step in current):
        raise TrainingError(_("Trường đã có quy trình mở ngành riêng đang áp dụng."))
    own = []
    for step in current:
        copy = StepTemplate(
            school=school, order=step.order, title=step.title, responsible=step.responsible,
            outputs=step.outputs, days=step.days, valid_from=on, source=step.source,
            source_url=step.source_url,
        )  # fmt: skip
        stamp(copy, by, _("Trường áp dụng quy trình riêng"))
        copy.save()
        own.append(copy)
    return own


@transaction.atomic
def save_step_template(
    step: StepTemplate, *, by: User, expected_version: int | None = None
) -> StepTemplate:
    """A step of the school's own procedure (the national ones are not edited here)."""
    ensure_open_school(step.school_id)
    if step.school_id is None:
        raise TrainingError(
            _("Bước của quy trình chung không sửa được: hãy áp dụng quy trình riêng.")
        )
    claim_version(step, expected_version)
    if step.pk is None and not any(
        own.school_id == step.school_id
        for own in StepTemplate.in_force(step.valid_from, step.school_id)
    ):
        raise TrainingError(_("Hãy áp dụng quy trình riêng của trường trước khi thêm bước."))
    if step.valid_to is not None and step.valid_to < step.valid_from:
        raise TrainingError(_("Ngày hết áp dụng trước ngày bắt đầu áp dụng."))
    stamp(step, by)
    step.save()
    return step


@transaction.atomic
def end_step_template(step: StepTemplate, *, on: dt.date, by: User) -> StepTemplate:
    """The step no longer applies after `on` (kept, with its history)."""
    ensure_open_school(step.school_id)
    if step.school_id is None:
        raise TrainingError(
            _("Bước của quy trình chung không sửa được: hãy áp dụng quy trình riêng.")
        )
    if on < step.valid_from:
        on = step.valid_from
    step.valid_to = on
    stamp(step, by, _("Thôi áp dụng"))
    step.save(update_fields=["valid_to"])
    return step


# Dossiers ----------------------------------------------------------------------------------


def _check_dossier(dossier: Dossier) -> None:
    _in_school(dossier.faculty, dossier.school_id, _("Khoa chủ trì"))
    _document_of(dossier.decision, dossier.school_id)
    if dossier.first_intake is not None and dossier.first_intake < dossier.started_on.year:
        raise TrainingError(_("Năm dự kiến tuyển sinh trước năm bắt đầu lập hồ sơ."))


@transaction.atomic
def create_dossier(dossier: Dossier, *, by: User) -> Dossier:
    """A new dossier with the steps of the procedure in force on its first day; each step's
    due date follows the one before by the days the step usually takes."""
    ensure_open_school(dossier.school_id)
    if dossier.pk is not None:
        raise TrainingError(_("Hồ sơ đã có."))
    dossier.status = DossierStatus.IN_PROGRESS
    _check_dossier(dossier)
    stamp(dossier, by)
    dossier.save()
    due: dt.date | None = dossier.started_on
    for template in StepTemplate.in_force(dossier.started_on, dossier.school_id):
        due = due + dt.timedelta(days=template.days) if due and template.days else None
        step = DossierStep(
            dossier=dossier, order=template.order, title=template.title,
            responsible=template.responsible, due_on=due, template=template,
            unit=dossier.faculty if template.order <= 2 else None,
        )  # fmt: skip
        stamp(step, by)
        step.save()
    return dossier


@transaction.atomic
def save_dossier(dossier: Dossier, *, by: User, expected_version: int | None = None) -> Dossier:
    ensure_open_school(dossier.school_id)
    if dossier.pk is None:
        raise TrainingError(_("Hồ sơ chưa được tạo."))
    claim_version(dossier, expected_version)
    saved = Dossier._base_manager.get(pk=dossier.pk)
    if saved.status == DossierStatus.OPENED and (
        dossier.status != DossierStatus.OPENED
        or (dossier.code, dossier.level, dossier.mode) != (saved.code, saved.level, saved.mode)
    ):
        raise TrainingError(_("Ngành đã mở: không đổi mã, trình độ, hình thức hay tình trạng."))
    if dossier.status == DossierStatus.OPENED and saved.status != DossierStatus.OPENED:
        raise TrainingError(_("Mở ngành bằng nút “Mở ngành trong danh mục” khi đủ điều kiện."))
    _check_dossier(dossier)
    stamp(dossier, by)
    dossier.save()
    return dossier


@transaction.atomic
def archive_dossier(dossier: Dossier, *, by: User) -> None:
    ensure_open_school(dossier.school_id)
    if dossier.status == DossierStatus.OPENED:
        raise TrainingError(_("Ngành đã mở từ hồ sơ này: hồ sơ được giữ lại."))
    stamp(dossier, by, _("Lưu trữ"))
    dossier.archive()


def _check_step(step: DossierStep, today: dt.date) -> None:
    dossier = step.dossier
    _in_school(step.unit, dossier.school_id, _("Đơn vị chủ trì"))
    if dossier.status != DossierStatus.IN_PROGRESS:
        raise TrainingError(_("Hồ sơ không còn ở tình trạng đang thực hiện."))
    if step.status == StepStatus.DONE:
        if step.done_on is None:
            raise TrainingError(_("Bước đã hoàn thành: hãy ghi ngày hoàn thành."))
        if step.done_on > today:
            raise TrainingError(_("Ngày hoàn thành chưa đến."))
        if step.done_on < dossier.started_on:
            raise TrainingError(_("Ngày hoàn thành trước ngày bắt đầu lập hồ sơ."))
    else:
        step.done_on = None


@transaction.atomic
def save_step(
    step: DossierStep, *, by: User, today: dt.date, expected_version: int | None = None
) -> DossierStep:
    """A step of the dossier: changed, or added by the school."""
    ensure_open_school(step.dossier.school_id)
    claim_version(step, expected_version)
    _check_step(step, today)
    stamp(step, by)
    step.save()
    return step


@transaction.atomic
def archive_step(step: DossierStep, *, by: User) -> None:
    ensure_open_school(step.dossier.school_id)
    if step.dossier.status != DossierStatus.IN_PROGRESS:
        raise TrainingError(_("Hồ sơ không còn ở tình trạng đang thực hiện."))
    if StepDocument.objects.active().filter(step=step).exists():
        raise TrainingError(_("Bước còn văn bản kèm theo: hãy gỡ văn bản trước."))
    stamp(step, by, _("Bỏ bước"))
    step.archive()


@transaction.atomic
def link_document(
    step: DossierStep, document: Document, *, note: str = "", by: User
) -> StepDocument:
    ensure_open_school(step.dossier.school_id)
    _open_for_documents(step)
    _document_of(document, step.dossier.school_id)
    if StepDocument.objects.active().filter(step=step, document=document).exists():
        raise TrainingError(_("Văn bản đã gắn với bước này."))
    link = StepDocument(step=step, document=document, note=note[:255])
    stamp(link, by, _("Gắn văn bản"))
    link.save()
    return link


@transaction.atomic
def unlink_document(link: StepDocument, *, by: User) -> None:
    ensure_open_school(link.step.dossier.school_id)
    _open_for_documents(link.step)
    stamp(link, by, _("Gỡ văn bản"))
    link.archive()


def missing_for_opening(dossier: Dossier) -> list[str]:
    """What still keeps the programme from being opened (empty when it can be)."""
    missing = []
    if dossier.status != DossierStatus.IN_PROGRESS:
        missing.append(_("Hồ sơ không ở tình trạng đang thực hiện."))
    open_steps = [
        s for s in DossierStep.objects.active().filter(dossier=dossier) if s.status not in FINISHED
    ]
    if open_steps:
        missing.append(
            _("Còn %(n)d bước chưa hoàn thành: %(steps)s.")
            % {"n": len(open_steps), "steps": "; ".join(str(s) for s in open_steps[:5])}
        )
    if dossier.decision_id is None:
        missing.append(_("Chưa ghi quyết định mở ngành (văn bản trong sổ văn bản)."))
    return missing


@transaction.atomic
def open_programme(dossier: Dossier, *, by: User) -> Programme:
    """The programme in the students' register, made from the dossier once every step is done
    and the decision is recorded."""
    ensure_open_school(dossier.school_id)
    locked = Dossier._base_manager.select_for_update().get(pk=dossier.pk)
    missing = missing_for_opening(locked)
    if missing:
        raise TrainingError(_("Chưa mở ngành được: %(why)s") % {"why": " ".join(missing)})
    programme = students_services.save_programme(
        Programme(
            school_id=locked.school_id, code=locked.code, name=locked.name, level=locked.level,
            mode=locked.mode, faculty=locked.faculty,
        ),
        by=by,
    )  # fmt: skip
    locked.programme, locked.status = programme, DossierStatus.OPENED
    stamp(locked, by, _("Mở ngành trong danh mục"))
    locked.save(update_fields=["programme", "status"])
    dossier.refresh_from_db()
    return programme


# Partners and courses ----------------------------------------------------------------------


@transaction.atomic
def save_partner(partner: Partner, *, by: User, expected_version: int | None = None) -> Partner:
    ensure_open_school(partner.school_id)
    claim_version(partner, expected_version)
    partner.name = " ".join(partner.name.split())
    # Compared without case, diacritics or spacing (SQLite folds ASCII letters only).
    wanted = fold(partner.name)
    others = Partner.objects.active().filter(school_id=partner.school_id).exclude(pk=partner.pk)
    if any(fold(name) == wanted for name in others.values_list("name", flat=True)):
        raise TrainingError(_("Đã có đơn vị đối tác “%(name)s”.") % {"name": partner.name})
    stamp(partner, by)
    partner.save()
    return partner


@transaction.atomic
def archive_partner(partner: Partner, *, by: User) -> None:
    ensure_open_school(partner.school_id)
    if Course.objects.active().filter(partner=partner).exists():
        raise TrainingError(_("Đơn vị còn khóa học đang theo dõi: hãy lưu trữ các khóa trước."))
    stamp(partner, by, _("Lưu trữ"))
    partner.archive()


def _check_course(course: Course) -> None:
    if course.partner.school_id != course.school_id or course.partner.is_archived:
        raise TrainingError(_("Đơn vị đối tác không thuộc danh sách của trường."))
    _in_school(course.unit, course.school_id, _("Đơn vị phụ trách"))
    _document_of(course.agreement, course.school_id)
    if course.ends_on is not None and course.ends_on < course.starts_on:
        raise TrainingError(_("Ngày kết thúc trước ngày khai giảng."))


@transaction.atomic
def save_course(course: Course, *, by: User, expected_version: int | None = None) -> Course:
    ensure_open_school(course.school_id)
    claim_version(course, expected_version)
    _check_course(course)
    stamp(course, by)
    course.save()
    feeds.refresh(course.school_id, by=by)  # targets measured by the year's figures
    return course


@transaction.atomic
def archive_course(course: Course, *, by: User) -> None:
    ensure_open_school(course.school_id)
    stamp(course, by, _("Lưu trữ"))
    course.archive()
    feeds.refresh(course.school_id, by=by)


@transaction.atomic
def record_certificates(issue: CertificateIssue, *, by: User) -> CertificateIssue:
    ensure_open_school(issue.course.school_id)
    course = issue.course
    if course.is_archived:
        raise TrainingError(_("Khóa học đã lưu trữ."))
    if issue.count < 1:
        raise TrainingError(_("Số chứng chỉ phải từ 1 trở lên."))
    if issue.issued_on < course.starts_on:
        raise TrainingError(_("Ngày cấp trước ngày khai giảng."))
    _document_of(issue.decision, course.school_id)
    stamp(issue, by)
    issue.save()
    feeds.refresh(course.school_id, by=by)
    return issue


@transaction.atomic
def archive_certificates(issue: CertificateIssue, *, by: User) -> None:
    ensure_open_school(issue.course.school_id)
    stamp(issue, by, _("Lưu trữ"))
    issue.archive()
    feeds.refresh(issue.course.school_id, by=by)


@transaction.atomic
def save_participant(participant: Participant, *, by: User) -> Participant:
    ensure_open_school(participant.course.school_id)
    if participant.course.is_archived:
        raise TrainingError(_("Khóa học đã lưu trữ."))
    if participant.certificate_on is not None and not participant.certificate_no:
        raise TrainingError(_("Có ngày cấp thì cần số chứng chỉ."))
    stamp(participant, by)
    participant.save()
    feeds.refresh(participant.course.school_id, by=by)
    return participant
