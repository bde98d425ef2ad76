from __future__ import annotations

from typing import Any

from django import template

from notifications.models import Notification

register = template.Library()

UNREAD_CAP = 100


@register.simple_tag(takes_context=True)
def unread_notifications(context: Any) -> str:
    """The navbar's count of unread notifications ("99+" beyond): one indexed query, capped."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return ""
    count = Notification.objects.unread_for(user).order_by()[:UNREAD_CAP].count()
    if not count:
        return ""
    return "99+" if count > 99 else str(count)
