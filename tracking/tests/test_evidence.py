"""Evidence files are recognised by their bytes; names are cleaned; size is capped."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import override_settings

from tracking.evidence import BadEvidence, clean_name, sniff
from tracking.tests.helpers import PDF, PNG


def office(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr({"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}[kind], "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("bao-cao.pdf", PDF, "application/pdf"),
        ("anh.PNG", PNG, "image/png"),
        (
            "bien-ban.docx",
            office("docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "so-lieu.xlsx",
            office("xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "application/msword"),
    ],
)
def test_accepted_kinds(name: str, data: bytes, content_type: str) -> None:
    assert sniff(data, name).content_type == content_type


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00", "không phải PDF"),
        ("trang.html", b"<html><script>alert(1)</script>", "không phải PDF"),
        ("zip-thuong.docx", b"PK\x03\x04" + b"\x00" * 30, "không phải PDF"),
        ("doi-ten.pdf", PNG, "không khớp"),
        ("rong.pdf", b"", "rỗng"),
    ],
)
def test_refused_with_a_vietnamese_message(name: str, data: bytes, message: str) -> None:
    with pytest.raises(BadEvidence, match=message):
        sniff(data, name)


@override_settings(TRACKING_EVIDENCE_MAX_BYTES=1024)
def test_size_is_capped() -> None:
    with pytest.raises(BadEvidence, match="quá lớn"):
        sniff(PDF + b"0" * 2000, "lon.pdf")


def test_odd_names_are_cleaned() -> None:
    assert clean_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert clean_name("C:\\Users\\a\\Báo cáo\u0000\n.pdf") == "Báo cáo.pdf"
    assert clean_name("...") == "minh-chung"
    assert len(clean_name("a" * 500 + ".pdf")) <= 200
