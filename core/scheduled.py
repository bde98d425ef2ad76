"""A command that runs a day's job (the reminders scan, the digests): enqueued for the worker,
run in this process with --now, for a given day with --date, and again every N seconds with
--every (what `make run` does). Each app's command says what its job is and how it reports."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.clock import today
from core.scopes import unscoped
from core.text import parse_date


class DayJobCommand(BaseCommand):
    # The django-tasks task run for a day (its argument: the day in ISO format).
    job: Any
    # What the job is, for the messages ("quét nhắc việc", "gửi thư tổng hợp").
    what: str = ""

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="Ngày chạy, dd/mm/yyyy (mặc định: hôm nay)")
        parser.add_argument(
            "--now", action="store_true", help="Chạy ngay trong tiến trình này (không qua worker)"
        )
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            help="Lặp lại sau mỗi N giây (dùng bởi `make run`); 0: một lần",
        )

    def run_now(self, day: dt.date) -> str:
        """Run the job in this process; what to print."""
        raise NotImplementedError

    def due(self, day: dt.date, *, repeating: bool) -> bool:
        """Whether to run on this round (a job may wait for its hour of the day)."""
        return True

    @unscoped
    def handle(self, *args: Any, **options: Any) -> None:
        fixed = None
        if options["date"]:
            try:
                fixed = parse_date(options["date"])
            except ValueError as error:
                raise CommandError("Ngày phải có dạng dd/mm/yyyy.") from error
        repeating = options["every"] > 0
        while True:
            day = fixed or today()
            if not self.due(day, repeating=repeating and fixed is None):
                pass
            elif options["now"]:
                self.stdout.write(f"{day:%d/%m/%Y}: {self.run_now(day)}")
            else:
                result = self.job.enqueue(day.isoformat())
                self.stdout.write(
                    f"{day:%d/%m/%Y}: đã đưa việc {self.what} vào hàng đợi ({result.id})."
                )
            if not repeating:
                return
            time.sleep(options["every"])
