"""Every page carries a Content-Security-Policy without inline script, and a Permissions-Policy."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from conftest import World

INLINE_HANDLER = re.compile(r"\s(on[a-z]+|hx-on[:a-z-]*)\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)


def inline_script_in(text: str) -> list[str]:
    """Inline handlers and script blocks in a template's HTML (template tags left out)."""
    html = TEMPLATE_CODE.sub("", text)
    return [
        m.group(0) for pattern in (INLINE_HANDLER, INLINE_SCRIPT) for m in pattern.finditer(html)
    ]


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def test_pages_send_a_policy_that_forbids_inline_script(world: World) -> None:
    for role, url in [
        ("anonymous", reverse("login")),
        ("leadership", reverse("planning:plan_detail", args=[world.plan.pk])),
        ("staff", reverse("tracking:task_list", args=[world.plan.pk])),
    ]:
        response = world.client(role).get(url)
        assert response.status_code == 200
        policy = _directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in policy.get("default-src", [])
        features = response["Permissions-Policy"]
        assert "microphone=()" in features and "geolocation=()" in features
        assert "camera=(self)" in features


def test_no_template_has_inline_script_or_event_handlers() -> None:
    base = Path(settings.BASE_DIR)
    offenders = []
    for template in base.glob("**/templates/**/*.html"):
        if any(part in {"node_modules", ".venv", "staticfiles"} for part in template.parts):
            continue
        found = inline_script_in(template.read_text(encoding="utf-8"))
        offenders += [f"{template.relative_to(base)}: {snippet}" for snippet in found]
    assert offenders == []


def test_the_scan_finds_what_it_forbids() -> None:
    assert inline_script_in("""<form onsubmit="return confirm('{% translate "x" %}')">""")
    assert inline_script_in('<button hx-on::after-request="go()">')
    assert inline_script_in("<script>alert(1)</script>")
    assert not inline_script_in('<script src="/static/js/app.js"></script>')
    assert not inline_script_in("{% blocktranslate with ontime=rate %}{% endblocktranslate %}")


def test_htmx_neither_injects_styles_nor_evaluates_attributes(world: World) -> None:
    body = world.client("staff").get(reverse("planning:plan_list")).content.decode()
    assert '"includeIndicatorStyles": false' in body
    assert '"allowEval": false' in body
