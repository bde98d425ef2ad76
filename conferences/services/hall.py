"""The hall: creating the conference, summoning people, taking attendance (the quorum they
make is conferences.quorum)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from conferences.closing import closing_preview
from conferences.models import (
    Attendance,
    Conference,
    ConferenceKind,
    ConferenceReopening,
    ConferenceStatus,
    Invitation,
    InviteeGroup,
)
from conferences.papers import has_issued_papers
from conferences.services.common import ConferenceError, ensure_open
from conferences.services.opinions import number_opinions
from core.audit import stamp
from core.versioning import claim_version
from organisations.models import Organisation, Person, Position


@transaction.atomic
def create_conference(
    conference: Conference, *, by: User, expected_version: int | None = None
) -> Conference:
    """Create a conference or save an edit of it; an edit opened before someone else's save is
    refused (EditConflict) and writes nothing."""
    claim_version(conference, expected_version)
    if conference.plan_id and conference.plan.school_id != conference.school_id:  # type: ignore[union-attr]  # plan_id is set
        raise ConferenceError(_("Kế hoạch không thuộc trường."))
    kind: ConferenceKind = conference.kind
    if (
        conference.held_on
        and not ConferenceKind.objects.valid_on(conference.held_on).filter(pk=kind.pk).exists()
    ):
        raise ConferenceError(_("Quy định của loại hội nghị này không còn hiệu lực vào ngày họp."))
    stamp(conference, by)
    conference.save()
    return conference


@transaction.atomic
def set_status(conference: Conference, status: str, *, by: User, reason: str = "") -> Conference:
    """Change the stage of the conference.

    Reopening a finished conference is recorded with its reason. Once its biên bản or nghị quyết
    carries a number, only the leadership may reopen it, and must say why: the numbered papers
    stay as issued, and what changes can only be issued as an amendment.
    """
    ensure_open(conference)
    if status not in ConferenceStatus.values:
        raise ConferenceError(_("Trạng thái không hợp lệ."))
    reason = reason.strip()
    reopening = conference.is_closed and status != ConferenceStatus.CLOSED
    issued = reopening and has_issued_papers(conference)
    if issued:
        if by is None or not by.has_perm("conferences.reopen_issued", conference):
            raise ConferenceError(
                _(
                    "Biên bản, nghị quyết của hội nghị đã được lấy số; chỉ lãnh đạo nhà trường "
                    "được mở lại hội nghị."
                )
            )
        if not reason:
            raise ConferenceError(
                _("Cần ghi lý do mở lại hội nghị đã có biên bản, nghị quyết được lấy số.")
            )
    if status == ConferenceStatus.CLOSED:
        # The minutes list every opinion by its number.
        number_opinions(conference, by=by)
    fields = ["status"]
    if status == ConferenceStatus.IN_SESSION and conference.status != status:
        # A new session: the self check-in links of an earlier one stop working.
        conference.session_opened_at = timezone.now()
        fields.append("session_opened_at")
    conference.status = status
    stamp(
        conference,
        by,
        _("Mở lại hội nghị: %(reason)s") % {"reason": reason} if reopening and reason else None,
    )
    conference.save(update_fields=fields)
    if reopening:
        ConferenceReopening.objects.create(
            conference=conference,
            reopened_by=by if getattr(by, "is_authenticated", False) else None,
            reason=reason,
            had_issued_papers=issued,
        )
    return conference


@transaction.atomic
def close_conference(conference: Conference, *, fingerprint: str, by: User) -> Conference:
    """Close the conference as previewed (conferences.closing): if any figure of the preview the
    secretary confirmed has changed since (someone marked, an opinion came in), nothing is
    closed and the preview is to be read again."""
    ensure_open(conference)
    Conference.objects.select_for_update().filter(pk=conference.pk).first()
    conference.refresh_from_db()
    if conference.is_closed:
        raise ConferenceError(_("Hội nghị đã kết thúc."))
    if closing_preview(conference).fingerprint != fingerprint:
        raise ConferenceError(
            _(
                "Số liệu đã thay đổi từ lúc xem trước (có người vừa điểm danh, góp ý hoặc "
                "biểu quyết). Hãy xem lại rồi xác nhận."
            ),
            status=409,
        )
    return set_status(conference, ConferenceStatus.CLOSED, by=by)


@transaction.atomic
def summon_group(
    conference: Conference,
    *,
    name: str,
    people: Iterable[Person],
    guests: Iterable[str] = (),
    counts_for_quorum: bool = True,
    by: User,
) -> InviteeGroup:
    """Summon a group; people already summoned in an earlier group stay there (counted once)."""
    ensure_open(conference)
    if not name.strip():
        raise ConferenceError(_("Cần ghi tên thành phần tham dự."))
    group = InviteeGroup(
        conference=conference,
        name=name.strip(),
        counts_for_quorum=counts_for_quorum,
        order=conference.groups.count() + 1,
    )
    stamp(group, by)
    group.save()
    already = set(
        conference.invitations.active().exclude(person=None).values_list("person_id", flat=True)
    )
    for person in people:
        if person.school_id != conference.school_id:
            raise ConferenceError(_("Người được triệu tập phải thuộc trường."))
        if person.pk in already:
            continue
        already.add(person.pk)
        invitation = Invitation(conference=conference, group=group, person=person)
        stamp(invitation, by)
        invitation.save()
    for guest in guests:
        if guest.strip():
            invitation = Invitation(conference=conference, group=group, name=guest.strip())
            stamp(invitation, by)
            invitation.save()
    return group


@transaction.atomic
def mark_attendance(
    invitation: Invitation, *, attendance: str, reason: str = "", by: User
) -> Invitation:
    ensure_open(invitation.conference)
    if invitation.conference.is_closed:
        raise ConferenceError(_("Hội nghị đã kết thúc, không thể sửa điểm danh."))
    if attendance not in Attendance.values:
        raise ConferenceError(_("Giá trị điểm danh không hợp lệ."))
    invitation.attendance = attendance
    invitation.absence_reason = reason.strip() if attendance == Attendance.ABSENT else ""
    invitation.marked_at = timezone.now() if attendance else None
    invitation.self_marked = False  # the secretary's mark replaces the attendee's own
    stamp(invitation, by)
    invitation.save()
    return invitation


@transaction.atomic
def mark_unmarked_present(
    conference: Conference, invitation_ids: Iterable[int], *, by: User
) -> int:
    """Mark present, at once, those of `invitation_ids` not yet marked (the roll's "all shown
    present"): someone marked absent or present in the meantime is left as they are. Returns how
    many were marked."""
    ensure_open(conference)
    Conference.objects.select_for_update().filter(pk=conference.pk).first()
    conference.refresh_from_db(fields=["status"])
    if conference.is_closed:
        raise ConferenceError(_("Hội nghị đã kết thúc, không thể sửa điểm danh."))
    ids = {int(i) for i in invitation_ids}
    rows = list(conference.invitations.active().filter(pk__in=ids, attendance=Attendance.UNKNOWN))
    now = timezone.now()
    for row in rows:
        row.attendance = Attendance.PRESENT
        row.marked_at = now
        row.self_marked = False
    bulk_update_with_history(
        rows,
        Invitation,
        ["attendance", "marked_at", "self_marked"],
        default_user=by if getattr(by, "is_authenticated", False) else None,
        default_change_reason=_("Điểm danh có mặt cùng lúc"),
    )
    return len(rows)


def select_people(
    school_id: int,
    *,
    whole_school: bool = False,
    units: Iterable[Organisation] = (),
    roles: Iterable[str] = (),
    on: dt.date | None = None,
) -> list[Person]:
    """The people a group summons: the whole school, or those holding posts in units / roles."""
    people = Person.objects.active().filter(school_id=school_id)
    unit_ids = [u.pk for u in units]
    role_list = list(roles)
    if not whole_school and not unit_ids and not role_list:
        return []
    positions = Position.objects.current(on).filter(person__school_id=school_id)
    if not whole_school:
        if unit_ids:
            positions = positions.filter(organisation__in=unit_ids)
        if role_list:
            positions = positions.filter(role__in=role_list)
    # In the order of their posts (the principal first), each person once.
    ordered: list[int] = []
    for person_id in positions.order_by("order", "pk").values_list("person_id", flat=True):
        if person_id not in ordered:
            ordered.append(person_id)
    found = {p.pk: p for p in people.filter(pk__in=ordered)}
    chosen = [found[pk] for pk in ordered if pk in found]
    if whole_school:
        chosen += [p for p in people.exclude(pk__in=ordered)]
    return chosen
