"""The extract_refs management command: stdin, --file .txt and .docx, JSON lines."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

TEXT = (
    "Căn cứ Quyết định số 2457/QĐ-BGDĐT, ngày 23/8/2023 của Bộ trưởng Bộ Giáo dục và Đào tạo về "
    "việc ban hành Kế hoạch nhiệm vụ năm học 2023-2024; Nghị quyết số 63-NQ/TU, ngày 29/12/2021 "
    "của Ban Thường vụ Tỉnh ủy về tiếp tục đổi mới căn bản, toàn diện giáo dục và đào tạo."
)


class FakeStdin(io.TextIOWrapper):
    pass


def run(**kwargs: object) -> list[dict[str, object]]:
    out = io.StringIO()
    call_command("extract_refs", stdout=out, **kwargs)
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def check(records: list[dict[str, object]]) -> None:
    assert [r["ref"] for r in records] == ["2457/QĐ-BGDĐT", "63-NQ/TU"]
    first = records[0]
    assert first["type"] == "Quyết định"
    assert first["date"] == "2023-08-23"
    assert first["issuer"] == "Bộ trưởng Bộ Giáo dục và Đào tạo"
    assert first["summary"] == "ban hành Kế hoạch nhiệm vụ năm học 2023-2024"
    assert TEXT[first["start"] : first["end"]] == "Quyết định số 2457/QĐ-BGDĐT"  # type: ignore[misc]
    assert records[1]["date"] == "2021-12-29"


def fake_stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", FakeStdin(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))


def test_reads_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_stdin(monkeypatch, TEXT)
    check(run())


def test_output_is_unescaped_utf8_json_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    fake_stdin(monkeypatch, TEXT)
    call_command("extract_refs", stdout=out)
    assert "Quyết định" in out.getvalue()  # ensure_ascii=False
    assert "\\u" not in out.getvalue()


def test_reads_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "can_cu.txt"
    path.write_text(TEXT, encoding="utf-8")
    check(run(path=str(path)))


def test_reads_a_docx_file(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph(TEXT)
    path = tmp_path / "ke_hoach.docx"
    document.save(str(path))
    records = run(path=str(path))
    assert [r["ref"] for r in records] == ["2457/QĐ-BGDĐT", "63-NQ/TU"]


def test_no_reference_prints_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_stdin(monkeypatch, "Không có văn bản nào.")
    assert run() == []


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command("extract_refs", path=str(tmp_path / "missing.txt"), stdout=io.StringIO())
