"""A school's Word template cannot reach Python: the upload check refuses anything outside the
documented placeholders, and filling runs in Jinja's immutable sandbox with plain values only.

The payloads are the ones an attacker tried: attribute chains from an allowed name down to
`os.system`, through the body, a header, the document's properties and a footnote-free table.
"""

from __future__ import annotations

import hashlib
import io
import time
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.files.base import ContentFile

from conftest import World
from papers import docx_templates, registry
from papers.docx_templates import TemplateRejected, check_template, fill
from papers.models import PaperTemplate
from papers.sandbox import environment, plain
from papers.tests.helpers import text_of
from papers.tests.test_templates import GOOD, plan_docx, school, upload, word_file

__all__ = ["school"]  # the fixture, reused


def _system(marker: Path) -> str:
    """A chain from the allowed `trich_yeu` to os.system, writing `marker` if it ever runs."""
    return (
        "{% for c in trich_yeu.__class__.__mro__[1].__subclasses__() %}"
        "{% if c.__name__ == '_wrap_close' %}"
        f"{{{{ c.__init__.__globals__['system']('touch {marker}') }}}}"
        "{% endif %}{% endfor %}"
    )


def _globals(marker: Path) -> str:
    return f"{{{{ noi_nhan.__class__.__init__.__globals__ }}}}{{{{ '{marker}' }}}}"


def _with_header(body: str, header: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(body)
    document.sections[0].header.paragraphs[0].text = header
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _with_title(body: str, title: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(body)
    document.core_properties.title = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


PAYLOADS: dict[str, Any] = {
    "body": lambda m: word_file("{{ trich_yeu }}", _system(m)),
    "header": lambda m: _with_header("{{ trich_yeu }}", _system(m)),
    "properties": lambda m: _with_title("{{ trich_yeu }}", _system(m)),
    "loop-row": lambda m: word_file(
        "{%p for dong in nhiem_vu %}",
        "{{ dong.ten.__class__.__base__.__subclasses__() }}" + _system(m),
        "{%p endfor %}",
    ),
}


@pytest.mark.parametrize("where", sorted(PAYLOADS))
def test_upload_of_a_code_running_template_is_refused_and_nothing_runs(
    world: World, school: Any, tmp_path: Path, where: str
) -> None:
    marker = tmp_path / "pwned"
    response = upload(world, "plan", PAYLOADS[where](marker))
    assert response.status_code == 400
    assert "không được phép" in response.content.decode()
    assert not marker.exists()
    assert not PaperTemplate.objects.exists()


@pytest.mark.parametrize("where", sorted(PAYLOADS))
def test_a_stored_malicious_template_runs_nothing_at_download(
    world: World, school: Any, tmp_path: Path, where: str
) -> None:
    """A template stored before the upload check existed: the download falls back, runs nothing."""
    marker = tmp_path / "pwned"
    data = PAYLOADS[where](marker)
    PaperTemplate.objects.create(
        school=world.school,
        kind="plan",
        file=ContentFile(data, name="mau.docx"),
        original_name="mau.docx",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=world.users["leadership"],
        is_active=True,
    )
    document = plan_docx(world)
    assert not marker.exists()
    assert "KẾ HOẠCH" in text_of(document)


def test_fill_itself_refuses_python_internals(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    with pytest.raises(TemplateRejected):
        fill(word_file(_system(marker)), {"trich_yeu": "Kế hoạch"})
    with pytest.raises(TemplateRejected):
        fill(word_file(_globals(marker)), {"noi_nhan": ["a"]})
    assert not marker.exists()


@pytest.mark.parametrize(
    "text, what",
    [
        ("{{ trich_yeu|attr('__class__') }}", "attr"),
        ("{{ trich_yeu['__class__'] }}", "[…]"),
        ("{{ trich_yeu.upper() }}", "()"),
        ("{{ lipsum }}", "lipsum"),
        ("{{ range(10) }}", "range"),
        ("{% set x = trich_yeu %}{{ x }}", "set"),
        ("{{ trich_yeu * 100000000 }}", "*"),
        ("{% macro m() %}{% endmacro %}", "macro"),
        ("{% include 'x' %}", "include"),
        ("{{ trich_yeu|format('%s') }}", "format"),
    ],
    ids=[
        "attr-filter",
        "subscript",
        "call",
        "global",
        "range",
        "set",
        "arithmetic",
        "macro",
        "include",
        "format-filter",
    ],
)
def test_anything_outside_the_documented_placeholders_is_named_and_refused(
    world: World, school: Any, text: str, what: str
) -> None:
    with pytest.raises(TemplateRejected) as refused:
        check_template(word_file(text), registry.get("plan"), None)
    assert what in str(refused.value)


def test_documented_filters_loops_and_conditions_still_work(world: World, school: Any) -> None:
    data = word_file(
        "{{ co_quan_ban_hanh|upper }} {{ trich_yeu|lower|capitalize }}",
        "{%p for dong in nhiem_vu %}",
        "{{ loop.index }}. {{ dong.ma }} {{ dong.ten|default('—') }}"
        "{% if dong.don_vi_chu_tri %} ({{ dong.don_vi_chu_tri }}){% endif %}",
        "{%p endfor %}",
        "{{ noi_nhan|length }} nơi nhận: {{ noi_nhan|join(', ') }}",
    )
    assert upload(world, "plan", data).status_code == 302
    text = text_of(plan_docx(world))
    assert "TRƯỜNG CAO ĐẲNG MẪU" in text and "1. " in text and "nơi nhận:" in text


def test_values_reach_the_template_as_plain_text() -> None:
    """Whatever a kind puts in its context, the sandbox sees strings, lists and dicts only."""

    class Secret:
        password = "bí mật"

        def __str__(self) -> str:
            return "giá trị"

    values = plain({"x": Secret(), "rows": [{"y": Secret()}], "n": Decimal("1.5")})
    assert values == {"x": "giá trị", "rows": [{"y": "giá trị"}], "n": "1.5"}
    # Even past the syntax check, the sandbox reaches no attribute of a value.
    rendered = environment().from_string("{{ x.password }}|{{ x.__class__ }}").render(values)
    assert rendered == "|"


def test_the_good_template_and_every_starter_still_pass(world: World, school: Any) -> None:
    assert "trich_yeu" in check_template(GOOD, registry.get("plan"), None)
    for kind in registry.KINDS.values():
        sample = kind.latest(world.school) if kind.latest else None
        check_template(docx_templates.starter_template(kind, sample), kind, sample)


def test_a_package_whose_core_properties_carry_a_payload_is_checked(
    world: World, school: Any, tmp_path: Path
) -> None:
    """docProps/core.xml is rendered by docxtpl too, though it is no part of the body."""
    data = _with_title("{{ trich_yeu }}", "{{ trich_yeu.__class__ }}")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "__class__" in package.read("docProps/core.xml").decode()
    with pytest.raises(TemplateRejected):
        check_template(data, registry.get("plan"), None)


def _bomb(extra: bytes) -> bytes:
    """GOOD with `extra` inserted into word/document.xml (compressed, it stays small)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(GOOD)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "word/document.xml":
                body = body.replace(b"<w:body>", b"<w:body>" + extra, 1)
            target.writestr(item.filename, body)
    return out.getvalue()


@pytest.mark.parametrize(
    "extra, message",
    [
        (b"<w:p>" + b" " * (30 * 1024 * 1024) + b"</w:p>", "giải nén"),
        (b"<!--" + b"x" * (2 * 1024 * 1024) + b"-->", "bất thường"),
    ],
    ids=["30-mib-of-xml", "xml-comment"],
)
def test_template_bombs_are_refused_before_parsing(
    world: World, school: Any, extra: bytes, message: str
) -> None:
    data = _bomb(extra)
    assert len(data) < 200 * 1024
    started = time.process_time()
    response = upload(world, "plan", data)
    assert time.process_time() - started < 2
    assert response.status_code == 400
    assert message in response.content.decode().lower()
    assert not PaperTemplate.objects.exists()
