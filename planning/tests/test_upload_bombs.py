"""Bombs sent to an import page: a Vietnamese message on the page, nothing written.

How fast they are refused is measured in core/tests/test_uploads.py, without the test client's
cost of posting the file.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest

from conftest import World
from core.uploads import MiB
from planning.tests.test_excel_import import TASK_HEADER, build, history_count, task_row, upload


def bomb(edit: Callable[[bytes], bytes]) -> bytes:
    """The plan import's own format, its task sheet changed by ``edit``."""
    data = build({"Nhiệm vụ": [TASK_HEADER, task_row(code="9", title="Nhiệm vụ mới")]})
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in source.namelist():
            part = source.read(name)
            target.writestr(name, edit(part) if name.startswith("xl/worksheets/") else part)
    return out.getvalue()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda xml: xml.replace(
                b"</sheetData>", b"</sheetData><!--" + b"a" * (MiB - 4096) + b"-->"
            ),
            "cấu trúc bất thường",
        ),
        (
            lambda xml: xml.replace(
                b"</sheetData>",
                b'<row r="3">'
                + b'<c r="A3"><v>1</v></c>' * (60 * MiB // 22)
                + b"</row></sheetData>",
            ),
            "giải nén ra quá lớn",
        ),
    ],
    ids=["comment", "size"],
)
def test_a_bomb_gets_a_message_on_the_page_and_nothing_is_written(
    world: World, edit: Callable[[bytes], bytes], message: str
) -> None:
    data = bomb(edit)
    before = history_count(world.plan)
    response = upload(world.client("leadership"), world.plan, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and "Chưa ghi gì" in body
    assert history_count(world.plan) == before
