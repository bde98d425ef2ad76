"""Who the conference tells, and what: an opinion answered (its named author), or forwarded to a
unit (that unit's heads), through notifications.services.notify, e-mailed after commit."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from conferences.models import AnswerKind, Opinion
from notifications.models import NotificationKind
from notifications.people import heads_of, user_of
from notifications.services import notify


def opinion_answered(opinion: Opinion, *, by: User) -> None:
    conference = opinion.conference
    url = reverse("conferences:opinions", args=[conference.pk])
    label = _("Ý kiến số %(n)s (%(topic)s)") % {"n": opinion.number, "topic": opinion.topic}
    if not opinion.is_anonymous:  # an anonymous author is nobody we know
        notify(
            [user_of(opinion.author)],
            kind=NotificationKind.OPINION_ANSWERED,
            title=_("%(opinion)s của bạn đã được trả lời") % {"opinion": label},
            body=f"{conference.title}\n{opinion.get_answer_kind_display()}: {opinion.answer}",
            url=url,
            actor=by,
        )
    if opinion.answer_kind == AnswerKind.FORWARDED and opinion.forwarded_to is not None:
        notify(
            heads_of(opinion.forwarded_to.pk),
            kind=NotificationKind.OPINION_FORWARDED,
            title=_("%(opinion)s được chuyển %(unit)s giải quyết")
            % {"opinion": label, "unit": opinion.forwarded_to.name},
            body=f"{conference.title}\n{opinion.answer}",
            url=url,
            actor=by,
        )
