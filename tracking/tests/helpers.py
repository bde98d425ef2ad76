"""Small builders shared by the tracking tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from conftest import World
from tracking import services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n"
    + b"\x00\x00\x00\rIHDR"
    + b"\x00\x00\x00\x01\x00\x00\x00\x01"
    + b"\x00" * 20
)
DAY = dt.date(2024, 3, 15)


def data(**overrides: Any) -> services.CheckInData:
    values: dict[str, Any] = {
        "progress": 40,
        "done": "Đã tổ chức tư vấn tuyển sinh tại 5 trường THPT.",
        "confidence": "medium",
        "difficulties": "Kinh phí cấp muộn.",
        "proposals": "",
    }
    values.update(overrides)
    return services.CheckInData(**values)


def checkin(world: World, role: str = "staff", *, on: dt.date = DAY, **overrides: Any) -> Any:
    files = overrides.pop("files", ())
    unit = overrides.pop("unit", world.faculty)
    version = overrides.pop("expected_version", None)
    return services.submit_checkin(
        world.task,
        by=world.users[role],
        unit=unit,
        data=data(**overrides),
        on=on,
        files=files,
        expected_version=version,
    )
