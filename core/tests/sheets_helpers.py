"""Workbooks built in tests, and the upload → dry run → confirm steps of an import page."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook


def workbook(sheets: dict[str, Sequence[Sequence[Any]]]) -> bytes:
    """An .xlsx with the given sheets, each a list of rows (the first is the header)."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rows_of(data: bytes, sheet: str) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(data))
    return [list(r) for r in book[sheet].iter_rows(values_only=True)]


def upload(client: Client, url: str, data: bytes, name: str = "tep.xlsx") -> Any:
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def confirm(client: Client, url: str, response: Any) -> Any:
    token = response.context["token"]
    return client.post(url, {"token": token})


def errors(response: Any) -> list[tuple[int, str, str]]:
    result = response.context.get("result")
    return list(result.errors) if result is not None else []
