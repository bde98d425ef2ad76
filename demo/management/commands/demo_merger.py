from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from core.scopes import unscoped
from demo.merger import merge_demo_school


class Command(BaseCommand):
    help = (
        "Thực hiện việc sáp nhập CĐSP Lạng Sơn vào Trường Cao đẳng Lạng Sơn (27/8/2025) trên dữ "
        "liệu trình diễn: chuyển nhiệm vụ chưa hoàn thành, cán bộ, người học; trường cũ giữ lịch sử."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Chạy thử, không ghi gì.")
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Chạy cả khi DEBUG tắt (chỉ cho cơ sở dữ liệu trình diễn).",
        )

    @unscoped
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_without_debug"]:
            # It rewrites the demo school's staff and students: never on a real school's database.
            raise CommandError("Chỉ chạy trên dữ liệu trình diễn (DEBUG=1).")
        try:
            outcome = merge_demo_school(dry_run=options["dry_run"])
        except DomainError as error:
            raise CommandError(str(error)) from error
        moved = outcome.moved
        prefix = "Chạy thử (chưa ghi gì): " if outcome.dry_run else "Đã sáp nhập: "
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}vào {outcome.successor_name}: {moved.get('tasks', 0)} nhiệm vụ, "
                f"{moved.get('staff', 0)} cán bộ, {moved.get('students', 0)} người học, "
                f"{moved.get('units_created', 0)} đơn vị tạo mới."
            )
        )
        self.stdout.write("Số, ngày của quyết định là dữ liệu mẫu (tệp nguồn không ghi).")
