"""Send the daily digests: one e-mail per person with what waits for it, at most once a day."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from core.scheduled import DayJobCommand
from notifications.services import send_digests, send_digests_job


class Command(DayJobCommand):
    help = "Thư tổng hợp hằng ngày: mỗi người một thư với các thông báo đang chờ (một lần/ngày)."
    job = send_digests_job
    what = "gửi thư tổng hợp"

    def due(self, day: dt.date, *, repeating: bool) -> bool:
        # Repeating, the digest goes out from the morning hour on (once a day: send_digests
        # remembers who has had theirs).
        hour = int(getattr(settings, "NOTIFICATION_DIGEST_HOUR", 6))
        return not repeating or timezone.localtime().hour >= hour

    def run_now(self, day: dt.date) -> str:
        return f"đã gửi {send_digests(on=day)} thư tổng hợp."
