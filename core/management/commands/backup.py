"""`manage.py backup OUT.tar.gz`: the database and the uploaded files in one archive (core/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core import backup
from core.scopes import unscoped


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và các tệp đã tải lên vào một tệp .tar.gz."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="tệp sao lưu sẽ tạo, ví dụ sao-luu-2024-05-31.tar.gz")
        parser.add_argument("--database", default="default")

    @unscoped
    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        try:
            manifest = backup.backup(out, using=options["database"])
        except (backup.BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Đã sao lưu vào %(out)s: %(what)s.") % {"out": out, "what": backup.describe(manifest)}
        )
