"""The user's notifications (opening the list reads what it shows) and their e-mail choices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.requests import SignedInRequest
from notifications import services
from notifications.models import Delivery, Notification, NotificationKind

PAGE_SIZE = 50


@login_required
def notification_list(request: SignedInRequest) -> HttpResponse:
    rows = Notification.objects.for_user(request.user).order_by("-created_at", "-pk")
    if request.method == "POST":
        rows.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("notifications:list")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    # Opening the list reads what it shows: those stay highlighted this time, not the next.
    page.object_list = list(page.object_list)
    unread = [n.pk for n in page.object_list if n.read_at is None]
    if unread:
        Notification.objects.filter(pk__in=unread, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_read(request: SignedInRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    url = notification.url
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect("notifications:list")


@login_required
def preferences(request: SignedInRequest) -> HttpResponse:
    """Each kind: e-mail at once, in the daily digest, or not at all."""
    current = services.preferences_of(request.user)
    if request.method == "POST":
        chosen = {kind: request.POST.get(kind, current[kind]) for kind in NotificationKind.values}
        wrong = [k for k, v in chosen.items() if v not in Delivery.values]
        if wrong:
            messages.error(request, _("Lựa chọn không hợp lệ, chưa lưu gì."))
        else:
            services.save_preferences(request.user, chosen)
            messages.success(request, _("Đã lưu cách nhận thông báo."))
            return redirect("notifications:preferences")
    rows = [
        {"kind": kind, "label": label, "delivery": current[kind]}
        for kind, label in NotificationKind.choices
    ]
    context = {
        "rows": rows,
        "deliveries": Delivery.choices,
        "address": services.email_of(request.user),
    }
    return render(request, "notifications/preferences.html", context)
