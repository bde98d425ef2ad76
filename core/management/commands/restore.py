"""`manage.py restore IN.tar.gz [--replace]`: all or nothing, from an archive of `manage.py backup`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from core import backup
from core.scopes import unscoped


class Command(BaseCommand):
    help = (
        "Khôi phục cơ sở dữ liệu và các tệp đã tải lên từ một bản sao lưu; từ chối ghi đè cơ sở "
        "dữ liệu đã có dữ liệu trừ khi có --replace. Lỗi giữa chừng thì không thay đổi gì."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="tệp sao lưu do `manage.py backup` tạo")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="xóa toàn bộ dữ liệu hiện có rồi thay bằng bản sao lưu",
        )
        parser.add_argument("--database", default="default")

    @unscoped
    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"])
        try:
            manifest = backup.restore(source, replace=options["replace"], using=options["database"])
        except (backup.BackupError, OSError, DatabaseError) as error:
            raise CommandError(_("Chưa khôi phục gì: %(error)s") % {"error": error}) from error
        self.stdout.write(
            _("Đã khôi phục từ %(source)s: %(what)s.")
            % {"source": source, "what": backup.describe(manifest)}
        )
