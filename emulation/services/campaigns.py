"""Launching the year's campaign and forming its council: leadership's actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from conferences.models import EmulationLaunch
from core import clock
from core.audit import stamp
from core.clock import today
from core.text import format_date, school_year_label
from core.versioning import claim_version
from emulation import notices
from emulation.engine import Title
from emulation.models import (
    Campaign,
    CampaignStatus,
    CampaignTarget,
    CouncilMember,
    CouncilRole,
    CouncilVote,
    VoteStatus,
)
from emulation.services.common import EmulationError, ensure_open_school, normalise_titles
from organisations.models import Organisation
from planning.models import Plan, Target

# The titles a school's own campaign opens unless leadership says otherwise: CSTĐ cấp tỉnh/bộ
# are proposed to the level above, but the school still computes who may be proposed.
DEFAULT_TITLES = [Title.LDTT, Title.CSTDCS, Title.CSTD_PROVINCE, Title.TTLDTT, Title.TTLDXS]


def school_year_of(day: dt.date) -> int:
    """The start year of the school year a campaign launched on `day` belongs to: the year runs
    from September, and a campaign prepared in August is the coming year's."""
    return clock.school_year_of(day, opens_in=8)


def new_campaign(
    school: Organisation, *, start_year: int | None = None, launch: EmulationLaunch | None = None
) -> Campaign:
    """An unsaved campaign with the usual timetable, filled from a conference's launch if given:
    registration for a month from the launch, self-assessment in May, reviews before 31/5."""
    conference = launch.conference if launch is not None else None
    launched_on = conference.held_on if conference is not None else None
    if start_year is None:
        if conference is not None and conference.plan_id is not None:
            start_year = conference.plan.start_year  # type: ignore[union-attr]  # plan_id is set
        else:
            start_year = school_year_of(launched_on or today())
    opens = launched_on or dt.date(start_year, 9, 15)
    if opens.year != start_year:
        opens = dt.date(start_year, 9, 15)
    end = dt.date(start_year + 1, 5, 31)
    campaign = Campaign(
        school=school,
        start_year=start_year,
        name=_("Phong trào thi đua năm học %(year)s") % {"year": school_year_label(start_year)},
        period_start=dt.date(start_year, 9, 1),
        period_end=end,
        launched_on=launched_on,
        titles=[title.value for title in DEFAULT_TITLES],
        registration_opens=opens,
        registration_closes=opens + dt.timedelta(days=30),
        self_assessment_opens=dt.date(start_year + 1, 5, 1),
        self_assessment_closes=dt.date(start_year + 1, 5, 15),
        group_review_by=dt.date(start_year + 1, 5, 20),
        unit_review_by=dt.date(start_year + 1, 5, 25),
        council_meets_on=end,
    )
    if launch is not None:
        campaign.launch = launch
        campaign.name = launch.campaign[:500] or campaign.name
        campaign.criteria = launch.content
    return campaign


def _check(campaign: Campaign) -> None:
    ensure_open_school(campaign.school_id)
    if campaign.is_archived:
        raise EmulationError(_("Phong trào thi đua đã được lưu trữ, không thể sửa."))
    if campaign.status == CampaignStatus.CLOSED:
        raise EmulationError(_("Phong trào thi đua đã kết thúc, không thể sửa."))
    campaign.titles = normalise_titles(campaign.titles or [], list(Title))
    if not campaign.titles:
        raise EmulationError(_("Hãy chọn ít nhất một danh hiệu được xét."))
    for start, end, what in (
        (campaign.period_start, campaign.period_end, _("thời gian thi đua")),
        (campaign.registration_opens, campaign.registration_closes, _("đăng ký thi đua")),
        (campaign.self_assessment_opens, campaign.self_assessment_closes, _("tự đánh giá")),
    ):
        if start > end:
            raise EmulationError(
                _("Ngày bắt đầu %(what)s (%(start)s) phải trước ngày kết thúc (%(end)s).")
                % {"what": what, "start": format_date(start), "end": format_date(end)}
            )
    if campaign.self_assessment_opens < campaign.registration_closes:
        raise EmulationError(
            _("Tự đánh giá (cuối năm) phải bắt đầu sau khi hết hạn đăng ký thi đua (%(day)s).")
            % {"day": format_date(campaign.registration_closes)}
        )
    for day, what in (
        (campaign.group_review_by, _("tổ, bộ môn nhận xét")),
        (campaign.unit_review_by, _("đơn vị họp xét")),
        (campaign.council_meets_on, _("Hội đồng họp")),
    ):
        if day is not None and day < campaign.self_assessment_opens:
            raise EmulationError(
                _("Ngày %(what)s (%(day)s) phải sau khi bắt đầu tự đánh giá.")
                % {"what": what, "day": format_date(day)}
            )
    if (campaign.appeals_open is None) != (campaign.appeals_close is None) or (
        campaign.appeals_open is not None
        and campaign.appeals_close is not None
        and campaign.appeals_open > campaign.appeals_close
    ):
        raise EmulationError(
            _("Thời hạn nhận kiến nghị cần đủ hai ngày, ngày đầu trước ngày cuối.")
        )
    for numerator, denominator, what in (
        (
            campaign.council_pass_numerator,
            campaign.council_pass_denominator,
            _("tỷ lệ phiếu đồng ý"),
        ),
        (
            campaign.council_quorum_numerator,
            campaign.council_quorum_denominator,
            _("số thành viên có mặt"),
        ),
    ):
        if not 0 < numerator <= denominator:
            raise EmulationError(
                _("Tỷ lệ %(what)s phải là một phân số từ 0 đến 1 (tử số không lớn hơn mẫu số).")
                % {"what": what}
            )
    if campaign.launch_id is not None:
        launch = EmulationLaunch._base_manager.select_related("conference").get(
            pk=campaign.launch_id
        )
        if launch.conference.school_id != campaign.school_id:
            raise EmulationError(_("Lời phát động thuộc hội nghị của trường khác."))
    if campaign.received_from_id is not None:
        above = Organisation.objects.filter(pk=campaign.received_from_id).first()
        if above is None or above.school_id == campaign.school_id:
            raise EmulationError(
                _("Cấp trên phát động phải là cơ quan ngoài trường (Sở, Bộ, UBND…).")
            )
    clash = (
        Campaign._base_manager.filter(
            school_id=campaign.school_id, start_year=campaign.start_year, archived_at=None
        )
        .exclude(pk=campaign.pk)
        .first()
    )
    if clash is not None:
        raise EmulationError(
            _("Năm học %(year)s đã có phong trào thi đua: “%(name)s”.")
            % {"year": clash.year_label, "name": clash.name}
        )


@transaction.atomic
def save_campaign(
    campaign: Campaign,
    *,
    by: User,
    expected_version: int | None = None,
    targets: Sequence[Target] | None = None,
) -> Campaign:
    """Create or edit the year's campaign (a draft, or one launched: its timetable may move).

    `targets`: the targets of the year's school plan its criteria name, in order (None: those
    it names stay, checked against the plan again)."""
    claim_version(campaign, expected_version)
    _check(campaign)
    campaign.plan = (
        Plan._base_manager.filter(
            school_id=campaign.school_id, start_year=campaign.start_year, archived_at=None
        )
        .order_by("pk")
        .first()
    )
    if targets is None:
        targets = (
            [link.target for link in campaign.target_links.select_related("target__plan")]
            if campaign.pk is not None
            else []
        )
    _check_targets(campaign, targets)
    stamp(campaign, by)
    campaign.save()
    _save_targets(campaign, targets, by=by)
    return campaign


def _check_targets(campaign: Campaign, targets: Sequence[Target]) -> None:
    """The targets a campaign's criteria name are its school plan's, in force."""
    if not targets:
        return
    plan = campaign.plan
    if plan is None:
        raise EmulationError(
            _(
                "Năm học %(year)s chưa có kế hoạch năm học của trường: chưa thể gắn chỉ tiêu "
                "vào tiêu chí thi đua."
            )
            % {"year": campaign.year_label}
        )
    for target in targets:
        if target.plan.school_id != campaign.school_id:
            raise EmulationError(_("Có chỉ tiêu không thuộc kế hoạch của trường."))
        if target.plan_id != plan.pk:
            raise EmulationError(
                _(
                    "Chỉ tiêu “%(name)s” thuộc kế hoạch năm học %(other)s, không phải kế hoạch "
                    "năm học %(year)s của phong trào."
                )
                % {
                    "name": target.name,
                    "other": school_year_label(target.plan.start_year),
                    "year": campaign.year_label,
                }
            )
        if target.is_archived:
            raise EmulationError(_("Chỉ tiêu “%(name)s” đã được lưu trữ.") % {"name": target.name})


def _save_targets(campaign: Campaign, targets: Sequence[Target], *, by: User) -> None:
    wanted = list(dict.fromkeys(target.pk for target in targets))
    links = {link.target_id: link for link in CampaignTarget.objects.filter(campaign=campaign)}
    for target_id, link in links.items():
        if target_id not in wanted:
            stamp(link, by, _("Bỏ chỉ tiêu khỏi tiêu chí thi đua"))
            link.delete()  # a link row, kept in its own history; the target stays the plan's
    for order, target_id in enumerate(wanted, start=1):
        link = links.get(target_id) or CampaignTarget(campaign=campaign, target_id=target_id)
        if link.pk is None or link.order != order:
            link.order = order
            stamp(link, by, _("Gắn chỉ tiêu vào tiêu chí thi đua"))
            link.save()


@transaction.atomic
def launch_campaign(campaign: Campaign, *, by: User, on: dt.date | None = None) -> Campaign:
    """Phát động: the campaign opens for registration, and every member of the school is told."""
    if campaign.status != CampaignStatus.DRAFT:
        raise EmulationError(_("Phong trào này đã được phát động."))
    _check(campaign)
    campaign.status = CampaignStatus.OPEN
    campaign.launched_on = campaign.launched_on or on or today()
    campaign.launched_by = by
    stamp(campaign, by, _("Phát động phong trào thi đua"))
    campaign.save()
    notices.campaign_launched(campaign, by=by)
    return campaign


# The council ----------------------------------------------------------------------------------


def _council_voting(campaign: Campaign) -> None:
    """Once the council's ballot is open its members are those it was opened with."""
    if (
        CouncilVote.objects.active()
        .filter(campaign=campaign)
        .exclude(status=VoteStatus.DRAFT)
        .exists()
    ):
        raise EmulationError(_("Hội đồng đã bỏ phiếu; không thay đổi thành viên được nữa."))


@transaction.atomic
def save_council_member(member: CouncilMember, *, by: User) -> CouncilMember:
    campaign = member.campaign
    ensure_open_school(campaign.school_id)
    if campaign.is_archived or campaign.status == CampaignStatus.CLOSED:
        raise EmulationError(_("Phong trào thi đua đã kết thúc, không sửa Hội đồng được nữa."))
    _council_voting(campaign)
    if member.person.school_id != campaign.school_id or member.person.is_archived:
        raise EmulationError(_("Thành viên Hội đồng phải là cán bộ, viên chức của trường."))
    others = CouncilMember.objects.active().filter(campaign=campaign).exclude(pk=member.pk)
    if others.filter(person=member.person).exists():
        raise EmulationError(
            _("%(name)s đã có trong Hội đồng.") % {"name": member.person.full_name}
        )
    if member.role in (CouncilRole.CHAIR, CouncilRole.SECRETARY):
        taken = others.filter(role=member.role).select_related("person").first()
        if taken is not None:
            raise EmulationError(
                _("Hội đồng đã có %(role)s: %(name)s. Hãy đổi vai trò người đó trước.")
                % {"role": member.get_role_display(), "name": taken.person.full_name}
            )
    if not member.order:
        member.order = others.count() + 1
    stamp(member, by)
    member.save()
    return member


@transaction.atomic
def remove_council_member(member: CouncilMember, *, by: User) -> None:
    ensure_open_school(member.campaign.school_id)
    if member.campaign.status == CampaignStatus.CLOSED:
        raise EmulationError(_("Phong trào thi đua đã kết thúc, không sửa Hội đồng được nữa."))
    _council_voting(member.campaign)
    stamp(member, by, _("Rút khỏi Hội đồng"))
    member.archive()
