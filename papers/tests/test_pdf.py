"""PDF through LibreOffice where it is installed; a clear Vietnamese page where it is not."""

from __future__ import annotations

import os
import subprocess
from typing import Any

import pytest
from django.urls import reverse

from conferences.models import Conference
from conftest import World
from papers import pdf


def require_office() -> None:
    """A skip where LibreOffice is missing, but a failure under CI=true: there
    scripts/ensure-libreoffice.sh installs it, so a missing converter is a broken setup."""
    if pdf.available():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("LibreOffice is required under CI (Debian package 'libreoffice-writer-nogui').")
    pytest.skip("LibreOffice is not installed")


@pytest.fixture
def office() -> None:
    require_office()


@pytest.fixture
def no_office(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)


def test_a_missing_libreoffice_is_a_failure_under_ci(
    monkeypatch: pytest.MonkeyPatch, no_office: None
) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required under CI"):
        require_office()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        require_office()


def test_without_libreoffice_the_pdf_url_explains(
    world: World, conference: Conference, no_office: None
) -> None:
    url = reverse("papers:download", args=["conference_minutes", conference.pk, "pdf"])
    response = world.client("staff").get(url)
    assert response.status_code == 503
    html = response.content.decode()
    assert "Máy chủ chưa cài LibreOffice" in html
    assert reverse("papers:download", args=["conference_minutes", conference.pk, "docx"]) in html


def test_without_libreoffice_no_pdf_button(world: World, no_office: None) -> None:
    html = world.client("staff").get(reverse("planning:plan_detail", args=[world.plan.pk])).content
    assert "Tải PDF" not in html.decode()
    assert reverse("papers:download", args=["plan", world.plan.pk, "pdf"]) not in html.decode()


def test_plan_page_offers_pdf_when_libreoffice_is_there(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda name: f"/usr/bin/{name}")
    html = world.client("staff").get(reverse("planning:plan_detail", args=[world.plan.pk])).content
    assert reverse("papers:download", args=["plan", world.plan.pk, "pdf"]) in html.decode()


def test_a_hung_conversion_is_stopped(
    world: World, conference: Conference, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda name: "/usr/bin/soffice")

    def hang(command: list[str], **kwargs: Any) -> None:
        assert any(part.startswith("-env:UserInstallation=file://") for part in command)
        assert kwargs["timeout"] == pdf.TIMEOUT_SECONDS
        raise subprocess.TimeoutExpired(command, kwargs["timeout"])

    monkeypatch.setattr(pdf.subprocess, "run", hang)
    url = reverse("papers:download", args=["conference_resolution", conference.pk, "pdf"])
    response = world.client("staff").get(url)
    assert response.status_code == 503
    assert "Tạo PDF quá 90 giây" in response.content.decode()


def test_a_failed_conversion_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda name: "/usr/bin/soffice")
    monkeypatch.setattr(
        pdf.subprocess,
        "run",
        lambda command, **kwargs: subprocess.CompletedProcess(command, 1, b"", b"Error: source file could not be loaded"),
    )  # fmt: skip
    with pytest.raises(pdf.PdfError, match=r"không chuyển được.*could not be loaded"):
        pdf.docx_to_pdf(b"PK")


def test_unknown_format_is_not_found(world: World) -> None:
    url = reverse("papers:download", args=["plan", world.plan.pk, "odt"])
    assert world.client("leadership").get(url).status_code == 404


@pytest.mark.parametrize("kind", ["plan", "conference_minutes", "conference_resolution"])
def test_pdf_from_libreoffice(
    world: World, conference: Conference, kind: str, office: None
) -> None:
    pk = world.plan.pk if kind == "plan" else conference.pk
    response = world.client("staff").get(reverse("papers:download", args=[kind, pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].endswith('.pdf"')


def test_outsider_gets_no_pdf(world: World, conference: Conference, office: None) -> None:
    url = reverse("papers:download", args=["conference_minutes", conference.pk, "pdf"])
    assert world.client("outsider").get(url).status_code == 404
