"""One way to tell people something, for every app: an in-app notification with a link, and the
same words by e-mail after the transaction commits, as each person chose for that kind (at once,
in a daily digest, or not at all; see models.Delivery).

An immediate e-mail leaves through a background job (django-tasks, `send_notification_email`) that
takes the notification's id, never a model object. The daily digest (`send_digests`, run by
`manage.py send_digests`) sends each person one e-mail with what waits for it, at most once a day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from core.clock import today
from core.scopes import unscoped
from notifications.models import (
    Delivery,
    DigestLog,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from organisations.membership import person_record


def email_of(user: Any) -> str:
    person = person_record(user)
    return (getattr(person, "email", "") or user.email or "").strip()


def send_plain_mail(to: str, subject: str, body: str) -> None:
    """The mail helper: plain text, from the configured sender, one recipient."""
    send_mail(
        subject=subject.replace("\n", " ")[:200],
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[to],
        fail_silently=False,
    )


def deliveries(user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """How each of these users wants `kind` by e-mail (one query; no row: at once)."""
    ids = list(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    return {pk: chosen.get(pk, Delivery.IMMEDIATE) for pk in ids}


def preferences_of(user: Any) -> dict[str, str]:
    """Every kind with the user's choice for it."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, Delivery.IMMEDIATE) for kind in NotificationKind.values}


@transaction.atomic
def save_preferences(user: Any, choices: dict[str, str]) -> None:
    """Record the user's choice for each kind given (unknown kinds or deliveries are refused)."""
    for kind, delivery in choices.items():
        if kind not in NotificationKind.values or delivery not in Delivery.values:
            raise ValueError(f"{kind}: {delivery}")
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )


def notify(
    users: Iterable[Any],
    *,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    source: models.Model | None = None,
    email: bool = True,
    actor: Any = None,
) -> list[Notification]:
    """Tell each distinct active user (never `actor`, who did it): one notification each, then
    e-mail after commit as each one chose for this kind; `email=False` keeps it in the app."""
    seen: set[int] = set()
    recipients: list[Any] = []
    skip = getattr(actor, "pk", None)
    for user in users:
        if user is None or user.pk in seen or user.pk == skip or not user.is_active:
            continue
        seen.add(user.pk)
        recipients.append(user)
    if not recipients:
        return []
    chosen = deliveries(seen, kind) if email else dict.fromkeys(seen, Delivery.OFF)
    source_type = ContentType.objects.get_for_model(source) if source is not None else None
    created = Notification.objects.bulk_create(
        Notification(
            user=user,
            kind=kind,
            title=title[:300],
            body=body,
            url=url[:300],
            source_type=source_type,
            source_id=source.pk if source is not None else None,
            delivery=chosen[user.pk],
        )
        for user in recipients
    )

    def enqueue(pk: int) -> None:
        send_notification_email.enqueue(pk)

    for notification in created:
        if notification.delivery == Delivery.IMMEDIATE and email_of(notification.user):
            transaction.on_commit(partial(enqueue, notification.pk))
    return created


def _link(url: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{url}"


def _footer() -> str:
    return _("Chọn cách nhận thông báo qua thư: %(url)s") % {
        "url": _link(reverse("notifications:preferences"))
    }


def deliver_email(notification_id: int) -> bool:
    """Send one notification by e-mail, once; False when there is nothing to send."""
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None:
        return False
    address = email_of(notification.user)
    if not address:
        return False
    body = notification.body
    if notification.url:
        body = f"{body}\n\n{_link(notification.url)}"
    send_plain_mail(address, notification.title, f"{body}\n\n--\n{_footer()}")
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


@task()
@unscoped
def send_notification_email(notification_id: int) -> bool:
    """The background job: e-mail one notification (see `deliver_email`)."""
    return deliver_email(notification_id)


def digest_body(items: list[Notification]) -> str:
    parts = []
    for n in items:
        lines = [f"• {n.title} ({timezone.localtime(n.created_at):%d/%m/%Y %H:%M})"]
        if n.body:
            lines.append(n.body)
        if n.url:
            lines.append(_link(n.url))
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + f"\n\n--\n{_footer()}"


def send_digest(user: Any, *, on: dt.date) -> int:
    """E-mail the user's waiting digest items in one message, at most once on day `on`; how many
    it carried (0: nothing waited, no address, or today's digest had gone already)."""
    address = email_of(user)
    if not address:
        return 0
    try:
        with transaction.atomic():
            waiting = list(
                Notification.objects.select_for_update()
                .filter(user=user, delivery=Delivery.DIGEST, emailed_at__isnull=True)
                .order_by("created_at", "pk")
            )
            if not waiting:
                return 0
            DigestLog.objects.create(user=user, on=on, count=len(waiting))
            subject = _("Trọng Tâm: %(n)d thông báo ngày %(day)s") % {
                "n": len(waiting),
                "day": on.strftime("%d/%m/%Y"),
            }
            send_plain_mail(address, subject, digest_body(waiting))
            Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
                emailed_at=timezone.now()
            )
    except IntegrityError:  # today's digest went already (another run, the same day)
        return 0
    return len(waiting)


def send_digests(*, on: dt.date) -> int:
    """Every user's daily digest for day `on` (idempotent); how many e-mails went."""
    user_ids = (
        Notification.objects.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True)
        .exclude(user__in=DigestLog.objects.filter(on=on).values("user"))
        .values_list("user", flat=True)
        .distinct()
    )
    users = get_user_model().objects.filter(pk__in=list(user_ids), is_active=True).order_by("pk")
    return sum(1 for user in users if send_digest(user, on=on))


@task()
@unscoped
def send_digests_job(on: str | None = None) -> int:
    """The daily digest as a background job (django-tasks; the day as ISO text)."""
    return send_digests(on=dt.date.fromisoformat(on) if on else today())
