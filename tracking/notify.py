"""One way to tell people something: an in-app notification, and the same words by e-mail.

E-mail leaves only after the transaction commits, through a background job (django-tasks,
`send_notification_email`) that takes the notification's id, never a model object.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from core.scopes import unscoped
from organisations.membership import person_record
from tracking.models import Notification, Reminder


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


def notify(
    users: Iterable[Any],
    *,
    title: str,
    body: str = "",
    url: str = "",
    reminder: Reminder | None = None,
    email: bool = True,
) -> list[Notification]:
    """Create one notification per distinct user; e-mail each after commit."""
    seen: set[int] = set()
    created: list[Notification] = []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        created.append(
            Notification.objects.create(
                user=user, title=title[:300], body=body, url=url[:300], reminder=reminder
            )
        )
    if email:

        def enqueue(pk: int) -> None:
            send_notification_email.enqueue(pk)

        for notification in created:
            if email_of(notification.user):
                transaction.on_commit(partial(enqueue, notification.pk))
    return created


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
        base = getattr(settings, "SITE_URL", "").rstrip("/")
        body = f"{body}\n\n{base}{notification.url}"
    send_plain_mail(address, notification.title, body)
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


@task()
@unscoped
def send_notification_email(notification_id: int) -> bool:
    """The background job: e-mail one notification (see `deliver_email`)."""
    return deliver_email(notification_id)
