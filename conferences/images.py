"""Images checked by their content, not by their name, and placeholder pictures for the demo.

Only the standard library: the first bytes say what a file is, and the header gives its size.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_SIDE = 12_000


class NotAnImage(ValueError):
    pass


@dataclass(frozen=True)
class ImageInfo:
    content_type: str
    extension: str
    width: int
    height: int


def _png(data: bytes) -> ImageInfo:
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise NotAnImage("PNG")
    width, height = struct.unpack(">II", data[16:24])
    return ImageInfo("image/png", "png", width, height)


# JPEG start-of-frame markers that carry the picture's size (not DHT, JPG, DAC).
_SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg(data: bytes) -> ImageInfo:
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            raise NotAnImage("JPEG")
        marker = data[index + 1]
        if marker == 0xFF:  # fill byte
            index += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            index += 2
            continue
        (length,) = struct.unpack(">H", data[index + 2 : index + 4])
        if marker in _SOF_MARKERS:
            height, width = struct.unpack(">HH", data[index + 5 : index + 9])
            return ImageInfo("image/jpeg", "jpg", width, height)
        index += 2 + length
    raise NotAnImage("JPEG")


def _webp(data: bytes) -> ImageInfo:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        width = 1 + int.from_bytes(data[24:27], "little")
        height = 1 + int.from_bytes(data[27:30], "little")
    elif chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = (v & 0x3FFF for v in struct.unpack("<HH", data[26:30]))
    elif chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    else:
        raise NotAnImage("WebP")
    return ImageInfo("image/webp", "webp", width, height)


def sniff_image(data: bytes) -> ImageInfo:
    """What the bytes are (PNG, JPEG or WebP) and the picture's size; NotAnImage otherwise."""
    if len(data) > MAX_IMAGE_BYTES:
        raise NotAnImage("too large")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        info = _png(data)
    elif data.startswith(b"\xff\xd8\xff"):
        info = _jpeg(data)
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        info = _webp(data)
    else:
        raise NotAnImage("unknown type")
    if not (0 < info.width <= MAX_SIDE and 0 < info.height <= MAX_SIDE):
        raise NotAnImage("size")
    return info


def _chunk(kind: bytes, payload: bytes) -> bytes:
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def placeholder_png(width: int, height: int, colour: tuple[int, int, int], seed: int = 0) -> bytes:
    """A small PNG: a colour field with a lighter band, to stand in for a photo."""
    red, green, blue = colour
    light = bytes(min(255, c + 60) for c in colour)
    dark = bytes((red, green, blue))
    rows = []
    band_top, band_bottom = height // 3 + seed % 7, 2 * height // 3
    for y in range(height):
        pixel = light if band_top <= y < band_bottom else dark
        rows.append(b"\x00" + pixel * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )
