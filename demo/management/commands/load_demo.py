from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.scopes import unscoped
from demo.loader import DEMO_PASSWORD, load_demo

ROLE_LABELS = {
    "leadership": "Ban giám hiệu",
    "unit_head": "Trưởng đơn vị",
    "clerk": "Văn thư",
    "staff": "Cán bộ, viên chức",
    "admin": "Quản trị",
    "province": "Sở GD&ĐT",
}


class Command(BaseCommand):
    help = "Nạp trường trình diễn (CĐSP Lạng Sơn, năm học 2023–2024). Chạy lại không tạo trùng."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Nạp cả khi DEBUG tắt (chỉ cho cơ sở dữ liệu trình diễn).",
        )

    @unscoped
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_without_debug"]:
            # Demo accounts with a published password must never reach a production database.
            raise CommandError(
                "Dữ liệu trình diễn chỉ nạp khi DEBUG=1 (không dùng cho hệ thống thật)."
            )
        plan, accounts = load_demo()
        if plan is None:
            self.stdout.write("Trường trình diễn đã có sẵn; không nạp lại.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Đã nạp: {plan.school} – {plan.title}"))
        self.stdout.write(f"Tài khoản trình diễn (mật khẩu: {DEMO_PASSWORD}):")
        for role, username, name in accounts:
            self.stdout.write(f"  {ROLE_LABELS.get(role, role):<20} {username:<24} {name}")
