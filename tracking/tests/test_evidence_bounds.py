"""Evidence files are stored, not unpacked, but sniffing an Office file lists its members: a zip
of tens of thousands of empty members is refused from its directory record, without listing."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from tracking.evidence import DOCX, BadEvidence, sniff


def _package(members: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for number in range(members):
            archive.writestr(f"x/{number}", b"")
    return out.getvalue()


def test_a_real_sized_package_is_still_a_word_file() -> None:
    assert sniff(_package(10), "bao-cao.docx") == DOCX


def test_a_package_of_too_many_members_is_refused_before_listing() -> None:
    data = _package(30_000)
    started = time.process_time()
    with pytest.raises(BadEvidence):
        sniff(data, "bao-cao.docx")
    assert time.process_time() - started < 0.3
