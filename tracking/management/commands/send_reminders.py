"""Create today's reminders: enqueue the scan for the worker, run it now, or keep doing it."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.clock import today
from core.scopes import unscoped
from tracking.reminders import scan_reminders, scan_reminders_job


class Command(BaseCommand):
    help = "Nhắc việc: tạo các lần nhắc của ngày (không trùng lặp) và gửi thông báo."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="Ngày quét, dd/mm/yyyy (mặc định: hôm nay)")
        parser.add_argument(
            "--now", action="store_true", help="Quét ngay trong tiến trình này (không qua worker)"
        )
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            help="Lặp lại sau mỗi N giây (dùng bởi `make run`); 0: một lần",
        )

    @unscoped
    def handle(self, *args: Any, **options: Any) -> None:
        fixed = None
        if options["date"]:
            try:
                fixed = dt.datetime.strptime(options["date"], "%d/%m/%Y").date()
            except ValueError as error:
                raise CommandError("Ngày phải có dạng dd/mm/yyyy.") from error
        while True:
            day = fixed or today()
            if options["now"]:
                count = len(scan_reminders(on=day))
                self.stdout.write(f"{day:%d/%m/%Y}: {count} lần nhắc mới.")
            else:
                result = scan_reminders_job.enqueue(day.isoformat())
                self.stdout.write(
                    f"{day:%d/%m/%Y}: đã đưa việc quét nhắc việc vào hàng đợi ({result.id})."
                )
            if options["every"] <= 0:
                return
            time.sleep(options["every"])
