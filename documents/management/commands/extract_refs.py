"""``manage.py extract_refs``: print the documents cited in a text, one JSON object per line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.scopes import unscoped
from documents.reading import UnreadableFile, text_from_upload
from documents.references import extract_references


def read_text(path: str | None, stdin: TextIO) -> str:
    """The text to scan: a .txt or .docx file, or standard input (UTF-8)."""
    if path is None:
        data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
        return data.decode("utf-8-sig") if isinstance(data, bytes) else data
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"Không tìm thấy tệp: {path}")
    try:
        return text_from_upload(file.name, file.read_bytes())
    except UnreadableFile as error:
        raise CommandError(str(error)) from error


def references_as_json_lines(text: str) -> list[str]:
    lines = []
    for ref in extract_references(text):
        record: dict[str, Any] = ref.to_json()
        lines.append(json.dumps(record, ensure_ascii=False))
    return lines


class Command(BaseCommand):
    help = "Đọc văn bản (stdin hoặc --file .txt/.docx) và in các văn bản được viện dẫn, mỗi dòng một JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", dest="path", help="tệp .txt (UTF-8) hoặc .docx")

    @unscoped
    def handle(self, *args: Any, **options: Any) -> None:
        text = read_text(options.get("path"), sys.stdin)
        for line in references_as_json_lines(text):
            self.stdout.write(line)
