"""Create today's reminders: enqueue the scan for the worker, run it now, or keep doing it."""

from __future__ import annotations

import datetime as dt

from core.scheduled import DayJobCommand
from tracking.reminders import scan_day, scan_reminders_job


class Command(DayJobCommand):
    help = "Nhắc việc: tạo các lần nhắc của ngày (không trùng lặp) và gửi thông báo."
    job = scan_reminders_job
    what = "quét nhắc việc"

    def run_now(self, day: dt.date) -> str:
        tasks, others = scan_day(day)
        return f"{tasks} lần nhắc mới về nhiệm vụ, {others} lần nhắc mới khác."
