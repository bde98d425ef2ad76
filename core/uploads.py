"""Bounds on uploaded zip packages (.xlsx, .docx) before any library unpacks or parses them.

A 47 KB .docx can unpack to 30 MiB of XML, and an XML comment of a few MiB makes the expat
parser (openpyxl reads through it) take time that grows with the square of its size. So every
upload that is unpacked goes through ``check_zip`` first, which looks only at the zip's central
directory: the number of members, each member's unpacked size, the total, and the compression
ratio of large members. Python's zipfile never yields more bytes for a member than the size the
directory declares (it stops there and the CRC check fails), so the declared sizes are a true
upper bound for what openpyxl, python-docx or our own readers can get out of the package.

``check_xml_parts`` then reads the XML members (streaming, within those bounds) and refuses what
Office never writes and parsers handle badly: a DTD or entity declaration (<!DOCTYPE, <!ENTITY),
comments and CDATA sections (<!-- … -->, <![CDATA[), processing instructions after the XML
declaration, and any run of more than ``MAX_TOKEN`` bytes without a "<" (one huge text, attribute
or comment). With every token short, parsing time is linear in the size, and the size is capped.

The messages are Vietnamese and say what was refused; each caller wraps ``ArchiveRefused`` in its
own error (BadWorkbook, UnreadableFile, TemplateRejected) so that nothing is written.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from django.utils.translation import gettext as _

from core.text import format_number

MiB = 1024 * 1024
# A cell holds at most 32 767 characters (Excel's limit); escaped UTF-8 that is under 200 KiB.
MAX_TOKEN = 256 * 1024
# Members this large and this much smaller packed are built to explode, not written by Office.
RATIO_FROM = 1 * MiB
_CHUNK = 1 * MiB


class ArchiveRefused(ValueError):
    """The package is refused before it is unpacked; the message says why, in Vietnamese."""


class DamagedArchive(ArchiveRefused):
    """Not a zip at all, or a broken one: callers name the kind of file they expected."""


def _mb(size: int) -> str:
    return format_number(round(size / MiB, 1))


def _declared_members(data: bytes) -> int | None:
    """The member count the end-of-directory record declares, read before zipfile builds an
    object per member (200 000 empty members fit in 16 MiB and cost seconds to list)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        return None
    count = int.from_bytes(data[end + 10 : end + 12], "little")
    if count != 0xFFFF:
        return count
    locator = end - 20  # ZIP64: the locator just before points to the larger record
    if locator < 0 or data[locator : locator + 4] != b"PK\x06\x07":
        return None
    record = int.from_bytes(data[locator + 8 : locator + 16], "little")
    if data[record : record + 4] != b"PK\x06\x06" or len(data) < record + 40:
        return None
    return int.from_bytes(data[record + 32 : record + 40], "little")


def check_zip(
    data: bytes,
    *,
    max_member: int,
    max_total: int,
    max_ratio: int = 200,
    max_members: int = 2_000,
) -> zipfile.ZipFile:
    """The open package if it is within bounds; ArchiveRefused if not (nothing unpacked)."""
    declared = _declared_members(data)
    if declared is not None and declared > max_members:
        raise ArchiveRefused(
            _("Tệp có %(n)s phần bên trong (tối đa %(max)s); không đọc.")
            % {"n": format_number(declared), "max": format_number(max_members)}
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as error:
        raise DamagedArchive(_("Tệp bị hỏng hoặc không phải tệp Office (.docx, .xlsx).")) from error
    if len(infos) > max_members:
        raise ArchiveRefused(
            _("Tệp có %(n)s phần bên trong (tối đa %(max)s); không đọc.")
            % {"n": format_number(len(infos)), "max": format_number(max_members)}
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ArchiveRefused(_("Tệp có mật khẩu: hãy bỏ mật khẩu rồi lưu lại."))
        if info.file_size > max_member:
            raise ArchiveRefused(
                _(
                    "Tệp giải nén ra quá lớn: phần “%(name)s” %(size)s MB (tối đa %(max)s MB); "
                    "không đọc."
                )
                % {"name": info.filename[:80], "size": _mb(info.file_size), "max": _mb(max_member)}
            )
        if info.file_size > RATIO_FROM and info.file_size > max_ratio * max(info.compress_size, 1):
            raise ArchiveRefused(
                _("Tệp nén bất thường: phần “%(name)s” giải nén ra gấp %(ratio)s lần; không đọc.")
                % {
                    "name": info.filename[:80],
                    "ratio": format_number(info.file_size // max(info.compress_size, 1)),
                }
            )
        total += info.file_size
    if total > max_total:
        raise ArchiveRefused(
            _("Tệp giải nén ra quá lớn: %(size)s MB (tối đa %(max)s MB); không đọc.")
            % {"size": _mb(total), "max": _mb(max_total)}
        )
    return archive


def _is_xml(name: str) -> bool:
    # customXml/ holds other programs' data, which neither openpyxl nor python-docx parses.
    return name.endswith((".xml", ".rels")) and not name.startswith("customXml/")


_DECLARED_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")


def _after_declaration(block: bytes, bad: ArchiveRefused) -> bytes:
    """The part after the XML declaration, the one processing instruction allowed; UTF-8 only,
    since the scan looks for ASCII bytes (a UTF-16 part would hide its "<!DOCTYPE")."""
    if block[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in block[:4]:
        raise bad
    stripped = block.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped.startswith(b"<?xml"):
        return block
    end = stripped.find(b"?>")
    if end < 0:
        raise bad
    encoding = _DECLARED_ENCODING.search(stripped[:end])
    if encoding and encoding.group(1).lower().replace(b"-", b"") != b"utf8":
        raise bad
    return stripped[end + 2 :]


def check_xml(archive: zipfile.ZipFile, name: str, *, max_token: int = MAX_TOKEN) -> None:
    """ArchiveRefused if the member has a DTD, a comment, CDATA, a late processing instruction
    or a token longer than ``max_token`` bytes; read in chunks, never whole."""
    bad = ArchiveRefused(
        _("Phần “%(name)s” của tệp có cấu trúc bất thường (không do Word/Excel tạo ra); không đọc.")
        % {"name": name[:80]}
    )
    tail = b""
    first = True
    try:
        with archive.open(name) as source:
            while True:
                chunk = source.read(_CHUNK)
                block = tail + chunk
                if first:
                    block = _after_declaration(block, bad)
                    first = False
                if b"<!" in block or b"<?" in block:
                    raise bad
                pieces = block.split(b"<")
                # The last piece may go on in the next chunk: carry it (with its "<").
                if max(map(len, pieces[:-1]), default=0) > max_token:
                    raise bad
                last = pieces[-1]
                if len(last) > max_token:
                    raise bad
                if not chunk:
                    return
                tail = (b"<" + last) if len(pieces) > 1 else last
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError) as error:
        raise DamagedArchive(_("Tệp bị hỏng hoặc không phải tệp Office (.docx, .xlsx).")) from error


def check_xml_parts(archive: zipfile.ZipFile, *, max_token: int = MAX_TOKEN) -> None:
    """``check_xml`` on every XML member of the package."""
    for info in archive.infolist():
        if _is_xml(info.filename) and not info.is_dir():
            check_xml(archive, info.filename, max_token=max_token)


def check_package(
    data: bytes,
    *,
    max_member: int,
    max_total: int,
    max_ratio: int = 200,
    max_members: int = 2_000,
) -> zipfile.ZipFile:
    """``check_zip`` then ``check_xml_parts``: what every uploaded .docx/.xlsx goes through."""
    archive = check_zip(
        data,
        max_member=max_member,
        max_total=max_total,
        max_ratio=max_ratio,
        max_members=max_members,
    )
    check_xml_parts(archive)
    return archive
