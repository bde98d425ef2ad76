"""Self check-in: the hall's screen shows a link (as a QR code where one can be drawn); an
attendee opens it on their own phone and marks themselves present.

The link carries a token signed with the site's key, tied to the conference and to the moment
its session opened, and valid for a few minutes: the screen shows a fresh one every minute, so a
link passed on from the hall soon stops working, and none works once the session is closed or
after it is closed and opened again. A user marks only their own invitation; the secretary's
roll shows who marked themselves and can still correct it.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conferences.models import Attendance, Conference, Invitation
from conferences.services.common import ConferenceError
from core.audit import stamp
from organisations.models import Person

SALT = "conferences.checkin"
# How long a link shown on the screen stays usable: long enough to sign in on a phone first.
TOKEN_MAX_AGE = dt.timedelta(minutes=15)


def _session_mark(conference: Conference) -> int:
    opened = conference.session_opened_at
    return int(opened.timestamp() * 1000) if opened else 0


def checkin_token(conference: Conference) -> str:
    """A fresh token for the conference's current session (shown on the hall's screen)."""
    # A short payload (two numbers) keeps the link short enough for a small QR code.
    return signing.dumps([conference.pk, _session_mark(conference)], salt=SALT)


def _read(token: str) -> tuple[int, int]:
    try:
        payload = signing.loads(token, salt=SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ConferenceError(
            _("Mã điểm danh đã hết hạn. Hãy quét lại mã đang chiếu trên màn hình hội trường."),
            status=410,
        ) from error
    except signing.BadSignature as error:
        raise ConferenceError(_("Mã điểm danh không hợp lệ."), status=400) from error
    if (
        not isinstance(payload, list)
        or len(payload) != 2
        or not all(type(x) is int for x in payload)
    ):
        raise ConferenceError(_("Mã điểm danh không hợp lệ."), status=400)
    return payload[0], payload[1]


def conference_of_token(token: str) -> int:
    """The id of the conference a token is for; a forged or expired token is refused."""
    return _read(token)[0]


def _check_session(conference: Conference, token: str) -> None:
    conference_pk, session = _read(token)
    if conference_pk != conference.pk:
        raise ConferenceError(_("Mã điểm danh không thuộc hội nghị này."), status=400)
    if not conference.in_session:
        raise ConferenceError(
            _("Hội nghị không đang họp: chỉ tự điểm danh được trong phiên họp."), status=410
        )
    if session != _session_mark(conference):
        raise ConferenceError(
            _("Mã điểm danh thuộc một phiên họp trước. Hãy quét lại mã đang chiếu."), status=410
        )


def own_invitation(conference: Conference, person: Person | None) -> Invitation:
    """The invitation of `person` to the conference; someone not summoned is told so."""
    invitation = conference.invitations.active().filter(person=person).first() if person else None
    if invitation is None:
        raise ConferenceError(
            _(
                "Bạn không có tên trong danh sách triệu tập hội nghị này. Nếu cần, hãy báo thư "
                "ký hội nghị."
            ),
            status=403,
        )
    return invitation


def check_token(conference: Conference, token: str, person: Person | None) -> Invitation:
    """Everything a check-in checks, without writing: for the page that asks to confirm."""
    _check_session(conference, token)
    return own_invitation(conference, person)


@transaction.atomic
def check_in_self(
    conference: Conference, *, token: str, person: Person | None, by: User
) -> Invitation:
    """Mark `person` (the signed-in user's staff record) present, from the hall's link."""
    # Lock the conference row so that a close cannot slip in between the check and the mark.
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    invitation = check_token(conference, token, person)
    if person is None or person.user_id != by.pk:
        raise ConferenceError(_("Chỉ tự điểm danh cho chính mình."), status=403)
    if invitation.attendance == Attendance.PRESENT:
        return invitation
    invitation.attendance = Attendance.PRESENT
    invitation.absence_reason = ""
    invitation.marked_at = timezone.now()
    invitation.self_marked = True
    stamp(invitation, by, _("Tự điểm danh qua mã tại hội trường"))
    invitation.save()
    return invitation
