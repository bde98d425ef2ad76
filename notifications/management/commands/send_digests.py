"""Send the daily digests: one e-mail per person with what waits for it, at most once a day."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.clock import today
from core.scopes import unscoped
from notifications.services import send_digests, send_digests_job


class Command(BaseCommand):
    help = "Thư tổng hợp hằng ngày: mỗi người một thư với các thông báo đang chờ (một lần/ngày)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="Ngày gửi, dd/mm/yyyy (mặc định: hôm nay)")
        parser.add_argument(
            "--now", action="store_true", help="Gửi ngay trong tiến trình này (không qua worker)"
        )
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            help="Kiểm tra lại sau mỗi N giây (dùng bởi `make run`); 0: một lần",
        )

    @unscoped
    def handle(self, *args: Any, **options: Any) -> None:
        fixed = None
        if options["date"]:
            try:
                fixed = dt.datetime.strptime(options["date"], "%d/%m/%Y").date()
            except ValueError as error:
                raise CommandError("Ngày phải có dạng dd/mm/yyyy.") from error
        hour = int(getattr(settings, "NOTIFICATION_DIGEST_HOUR", 6))
        while True:
            day = fixed or today()
            if options["every"] > 0 and fixed is None and timezone.localtime().hour < hour:
                pass  # the digest goes out from the morning hour on, once a day
            elif options["now"]:
                self.stdout.write(f"{day:%d/%m/%Y}: đã gửi {send_digests(on=day)} thư tổng hợp.")
            else:
                result = send_digests_job.enqueue(day.isoformat())
                self.stdout.write(
                    f"{day:%d/%m/%Y}: đã đưa việc gửi thư tổng hợp vào hàng đợi ({result.id})."
                )
            if options["every"] <= 0:
                return
            time.sleep(options["every"])
