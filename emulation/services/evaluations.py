"""The year-end review, step by step: the person's self-assessment, the subject group's and the
unit's review, the leadership's review of managers, the unit's meeting minutes, the facts the
rules read (months worked, discipline) and the council's ranking. Each step keeps who, when and
why in the evaluation's history; nobody reviews their own evaluation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import stamp
from core.clock import today
from core.text import format_date
from core.versioning import claim_version
from emulation import notices
from emulation.engine import Discipline, Level
from emulation.models import (
    Campaign,
    CampaignUnit,
    CouncilVote,
    Evaluation,
    ReviewStep,
    Stage,
    VoteStatus,
)
from emulation.services.common import (
    EmulationError,
    Placement,
    acting_person,
    ensure_open,
    placements,
)
from emulation.services.registrations import campaign_unit
from organisations.models import Organisation, Person


def _new_evaluation(campaign: Campaign, person: Person, placement: Placement) -> Evaluation:
    return Evaluation(
        campaign=campaign,
        person=person,
        unit_id=placement.unit_id,
        subunit_id=placement.subunit_id,
        task_group=placement.task_group,
        is_manager=placement.is_manager,
    )


@transaction.atomic
def prepare_evaluations(campaign: Campaign, *, by: User) -> int:
    """Lập danh sách đánh giá: one evaluation for every current staff member of the school who
    has none yet (where each stands today), each told that the self-assessment is open. How many
    were made (run again, it adds newcomers only)."""
    ensure_open(campaign)
    found = placements(campaign.school_id, on=today())
    existing = set(
        Evaluation._base_manager.filter(campaign=campaign).values_list("person_id", flat=True)
    )
    people = Person._base_manager.filter(pk__in=[pk for pk in found if pk not in existing])
    made = [_new_evaluation(campaign, person, found[person.pk]) for person in people]
    for evaluation in made:
        stamp(evaluation, by, _("Lập danh sách đánh giá, xếp loại"))
        evaluation.save()
    notices.self_assessment_opened(campaign, made, by=by)
    return len(made)


@transaction.atomic
def evaluation_for(campaign: Campaign, person: Person, *, by: User) -> Evaluation:
    """The person's evaluation in the campaign, made (where they stand today) if missing."""
    existing = Evaluation._base_manager.filter(campaign=campaign, person=person).first()
    if existing is not None:
        return existing
    ensure_open(campaign)
    placement = placements(campaign.school_id, [person.pk], on=today()).get(person.pk)
    if placement is None:
        raise EmulationError(
            _("%(name)s chưa có chức vụ hiện hành trong một đơn vị của trường.")
            % {"name": person.full_name}
        )
    evaluation = _new_evaluation(campaign, person, placement)
    stamp(evaluation, by, _("Lập phiếu đánh giá, xếp loại"))
    evaluation.save()
    return evaluation


def _editable(evaluation: Evaluation) -> None:
    ensure_open(evaluation.campaign)
    if evaluation.is_archived:
        raise EmulationError(_("Phiếu đánh giá này đã được lưu trữ."))
    if evaluation.stage == Stage.DECIDED:
        raise EmulationError(_("Đã có quyết định công nhận; không sửa được nữa."))


def _level(value: str | None) -> Level:
    try:
        return Level(value or "")
    except ValueError as error:
        raise EmulationError(_("Hãy chọn một mức xếp loại.")) from error


@transaction.atomic
def self_assess(
    evaluation: Evaluation,
    *,
    level: str | None,
    comment: str,
    by: User,
    expected_version: int | None = None,
) -> Evaluation:
    """The person proposes their own level with comments, within the self-assessment window,
    until the first review."""
    claim_version(evaluation, expected_version)
    _editable(evaluation)
    campaign = evaluation.campaign
    if acting_person(by, campaign).pk != evaluation.person_id:
        raise EmulationError(_("Chỉ người được đánh giá tự đánh giá."), status=403)
    if not campaign.self_assessment_opens <= today() <= campaign.self_assessment_closes:
        raise EmulationError(
            _("Thời hạn tự đánh giá là từ %(start)s đến %(end)s.")
            % {
                "start": format_date(campaign.self_assessment_opens),
                "end": format_date(campaign.self_assessment_closes),
            }
        )
    if evaluation.stage not in (Stage.PENDING, Stage.SELF_ASSESSED):
        raise EmulationError(_("Tổ hoặc đơn vị đã nhận xét; không sửa tự đánh giá được nữa."))
    if not comment.strip():
        raise EmulationError(_("Hãy ghi tự nhận xét: ưu điểm, hạn chế, kết quả công việc."))
    first = evaluation.stage == Stage.PENDING
    evaluation.self_level = _level(level).value
    evaluation.self_comment = comment.strip()
    evaluation.self_assessed_at = timezone.now()
    evaluation.stage = Stage.SELF_ASSESSED
    stamp(evaluation, by, _("Tự đánh giá: %(level)s") % {"level": evaluation.self_level})
    evaluation.save()
    if first:
        notices.self_assessed(evaluation, by=by)
    return evaluation


def step_open(
    evaluation: Evaluation, step: ReviewStep, *, reviews_submitted: bool | None = None
) -> str | None:
    """Why the step cannot be taken now (a Vietnamese sentence), or None when it can.
    `reviews_submitted` (whether the unit sent its reviews) saves a query per row on a list."""
    stage = Stage(evaluation.stage)
    if stage == Stage.DECIDED:
        return _("Đã có quyết định công nhận.")
    self_done = evaluation.reached(Stage.SELF_ASSESSED)
    window_over = today() > evaluation.campaign.self_assessment_closes
    if not self_done and not window_over:
        return _("Đang chờ cá nhân tự đánh giá (hạn %(day)s).") % {
            "day": format_date(evaluation.campaign.self_assessment_closes)
        }
    if step == ReviewStep.GROUP:
        if evaluation.subunit_id is None:
            return _("Người này không thuộc tổ, bộ môn nào.")
        if evaluation.reached(Stage.UNIT_REVIEWED):
            return _("Đơn vị đã xét; tổ, bộ môn không sửa nhận xét được nữa.")
    if step == ReviewStep.UNIT:
        if evaluation.reached(Stage.LEADERSHIP_REVIEWED):
            return _("Ban giám hiệu đã xét; đơn vị không sửa được nữa.")
        if reviews_submitted is None:
            part = CampaignUnit._base_manager.filter(
                campaign_id=evaluation.campaign_id, unit_id=evaluation.unit_id
            ).first()
            reviews_submitted = part is not None and part.reviews_submitted
        if reviews_submitted:
            return _("Đơn vị đã gửi kết quả xét lên Ban giám hiệu.")
    if step == ReviewStep.LEADERSHIP and not evaluation.is_manager:
        return _("Ban giám hiệu chỉ xét riêng cán bộ quản lý; viên chức do đơn vị xét.")
    return None


_STAGE_OF_STEP = {
    ReviewStep.GROUP: Stage.GROUP_REVIEWED,
    ReviewStep.UNIT: Stage.UNIT_REVIEWED,
    ReviewStep.LEADERSHIP: Stage.LEADERSHIP_REVIEWED,
}


@transaction.atomic
def review(
    evaluation: Evaluation,
    step: ReviewStep,
    *,
    level: str | None,
    comment: str,
    by: User,
    expected_version: int | None = None,
) -> Evaluation:
    """A reviewer's level and comments at their step. The unit's review (or, for a manager, the
    leadership's) is the level proposed to the council."""
    claim_version(evaluation, expected_version)
    _editable(evaluation)
    reviewer = acting_person(by, evaluation.campaign)
    if reviewer.pk == evaluation.person_id:
        raise EmulationError(_("Không ai tự xét phiếu đánh giá của chính mình."), status=403)
    why_not = step_open(evaluation, step)
    if why_not:
        raise EmulationError(why_not)
    chosen = _level(level).value
    if not comment.strip():
        raise EmulationError(_("Hãy ghi nhận xét, nêu lý do của mức đề nghị."))
    now = timezone.now()
    prefix = step.value
    setattr(evaluation, f"{prefix}_level", chosen)
    setattr(evaluation, f"{prefix}_comment", comment.strip())
    setattr(evaluation, f"{prefix}_reviewed_by", reviewer)
    setattr(evaluation, f"{prefix}_reviewed_at", now)
    target = _STAGE_OF_STEP[step]
    if not evaluation.reached(target):
        evaluation.stage = target
    if step == ReviewStep.LEADERSHIP or (step == ReviewStep.UNIT and not evaluation.is_manager):
        evaluation.proposed_level = chosen
    elif step == ReviewStep.UNIT and not evaluation.leadership_level:
        # A manager's unit review stands until the leadership's.
        evaluation.proposed_level = chosen
    stamp(
        evaluation,
        by,
        _("%(step)s đề nghị %(level)s: %(comment)s")
        % {"step": step.label, "level": chosen, "comment": comment.strip()[:200]},
    )
    evaluation.save()
    notices.reviewed(evaluation, step, by=by)
    return evaluation


@transaction.atomic
def record_facts(
    evaluation: Evaluation,
    *,
    months_worked: Decimal,
    discipline: str | None,
    task_group: str,
    by: User,
    reason: str = "",
    expected_version: int | None = None,
    leave_months: Decimal | None = None,
    maternity_leave: bool | None = None,
) -> Evaluation:
    """What the rules read besides the levels: months worked in the year, months of leave the
    law allows (maternity leave apart) and maternity leave (NĐ 90/2020 Art. 2 cl. 3),
    discipline, the group of similar tasks. Each change keeps its reason; `leave_months` and
    `maternity_leave` left None stay as they are."""
    claim_version(evaluation, expected_version)
    _editable(evaluation)
    if not Decimal(0) <= months_worked <= Decimal(12):
        raise EmulationError(_("Số tháng công tác phải từ 0 đến 12."))
    leave = evaluation.leave_months if leave_months is None else leave_months
    if not Decimal(0) <= leave <= Decimal(12):
        raise EmulationError(_("Số tháng nghỉ phải từ 0 đến 12."))
    if months_worked + leave > Decimal(12):
        raise EmulationError(_("Số tháng công tác và số tháng nghỉ cộng lại không quá 12 tháng."))
    if discipline and discipline not in Discipline._value2member_map_:
        raise EmulationError(_("Hình thức kỷ luật không hợp lệ."))
    if not task_group.strip():
        raise EmulationError(_("Hãy ghi nhóm nhiệm vụ tương đồng."))
    evaluation.months_worked = months_worked
    evaluation.leave_months = leave
    if maternity_leave is not None:
        evaluation.maternity_leave = maternity_leave
    evaluation.discipline = discipline or None
    evaluation.task_group = task_group.strip()[:100]
    stamp(evaluation, by, reason.strip() or _("Cập nhật thông tin xét"))
    evaluation.save()
    return evaluation


@transaction.atomic
def save_unit_minutes(
    part: CampaignUnit,
    *,
    meeting_on: dt.date | None,
    minutes: str,
    by: User,
    expected_version: int | None = None,
) -> CampaignUnit:
    """The unit's review meeting (biên bản họp xét): its day and what was said and voted."""
    claim_version(part, expected_version)
    ensure_open(part.campaign)
    if part.reviews_submitted:
        raise EmulationError(_("Đơn vị đã gửi kết quả xét; không sửa biên bản được nữa."))
    if not minutes.strip():
        raise EmulationError(_("Hãy ghi nội dung biên bản họp xét."))
    part.review_meeting_on = meeting_on
    part.review_minutes = minutes.strip()
    stamp(part, by, _("Ghi biên bản họp xét của đơn vị"))
    part.save()
    return part


@transaction.atomic
def submit_unit_reviews(campaign: Campaign, unit: Organisation, *, by: User) -> CampaignUnit:
    """The head sends the unit's reviews to the leadership: every non-manager of the unit has the
    unit's level, and the meeting's minutes are recorded."""
    ensure_open(campaign)
    part = campaign_unit(campaign, unit)
    if part.reviews_submitted:
        raise EmulationError(_("Đơn vị đã gửi kết quả xét."))
    if not part.review_minutes:
        raise EmulationError(_("Hãy ghi biên bản họp xét của đơn vị trước khi gửi."))
    missing = list(
        Evaluation.objects.active()
        .filter(campaign=campaign, unit=unit, is_manager=False, unit_level__isnull=True)
        .select_related("person")
        .order_by("person__sort_key")[:6]
    )
    if missing:
        names = ", ".join(evaluation.person.full_name for evaluation in missing[:5])
        raise EmulationError(
            _("Đơn vị chưa xét: %(names)s%(more)s.")
            % {"names": names, "more": "…" if len(missing) > 5 else ""}
        )
    part.reviews_submitted_at = timezone.now()
    part.reviews_submitted_by = by
    stamp(part, by, _("Gửi kết quả xét của đơn vị"))
    part.save()
    notices.unit_reviews_submitted(part, by=by)
    return part


@transaction.atomic
def set_council_ranks(campaign: Campaign, ranks: Mapping[int, int | None], *, by: User) -> int:
    """The council's ranking of HTXS candidates (1 first) by evaluation id; how many changed.
    Once the council has voted, its ballot ranks them (emulation.services.council)."""
    ensure_open(campaign)
    if (
        CouncilVote.objects.active()
        .filter(campaign=campaign)
        .exclude(status=VoteStatus.DRAFT)
        .exists()
    ):
        raise EmulationError(_("Hội đồng đã bỏ phiếu kín; thứ hạng theo kết quả bỏ phiếu."))
    changed = 0
    evaluations = Evaluation.objects.active().filter(campaign=campaign, pk__in=list(ranks))
    for evaluation in evaluations:
        rank = ranks[evaluation.pk]
        if rank is not None and rank < 1:
            raise EmulationError(_("Thứ hạng phải từ 1 trở lên."))
        if evaluation.stage == Stage.DECIDED or evaluation.council_rank == rank:
            continue
        evaluation.council_rank = rank
        stamp(evaluation, by, _("Hội đồng xếp thứ hạng: %(rank)s") % {"rank": rank or "—"})
        evaluation.save(update_fields=["council_rank"])
        changed += 1
    return changed
