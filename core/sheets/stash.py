"""Keeping an upload between the dry run and the confirmation of an import.

``stash_upload`` / ``take_upload`` / ``drop_upload`` keep the uploaded bytes in a private
temporary file named per user and token, its SHA-256 in the session; the confirming step gets the
same bytes back (or BadWorkbook) and re-validates. core.sheets.flow (``run_import``) wires this
into an upload → dry run → confirm page.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.sheets.reading import BadWorkbook

_STASH_DIR = Path(tempfile.gettempdir()) / "trongtam-sheets"
_STASH_AGE = 24 * 3600


def _stash_path(user_pk: Any, token: str) -> Path:
    return _STASH_DIR / f"{int(user_pk)}-{token}.xlsx"


def stash_upload(
    request: HttpRequest, purpose: str, data: bytes, scope: Any = None, title: str = ""
) -> str:
    """Keep the checked file for this user; returns the token the confirm form sends back."""
    _STASH_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    now = time.time()
    for old in _STASH_DIR.glob("*.xlsx"):
        try:
            if now - old.stat().st_mtime > _STASH_AGE:
                old.unlink(missing_ok=True)
        except OSError:
            pass
    drop_upload(request, purpose)
    token = uuid.uuid4().hex
    path = _stash_path(request.user.pk, token)
    path.write_bytes(data)
    path.chmod(0o600)
    request.session[f"sheets:{purpose}"] = {
        "token": token,
        "sha256": hashlib.sha256(data).hexdigest(),
        "scope": str(scope),
        # Where to come back and confirm it (the home page lists imports left unconfirmed).
        "url": request.path,
        "title": str(title)[:300],
        "at": now,
    }
    return token


@dataclass(frozen=True)
class PendingImport:
    """A checked upload whose import the user has not confirmed yet."""

    url: str
    title: str
    at: float


def pending_imports(request: HttpRequest) -> list[PendingImport]:
    """The user's checked uploads still waiting for confirmation (from the session: no query),
    newest first; the page at `url` shows the check again with `?resume=1`."""
    found = []
    for key, value in request.session.items():
        if not key.startswith("sheets:") or not isinstance(value, dict) or not value.get("url"):
            continue
        at = float(value.get("at") or 0)
        if time.time() - at > _STASH_AGE:
            continue
        found.append(PendingImport(str(value["url"]), str(value.get("title") or ""), at))
    return sorted(found, key=lambda pending: -pending.at)


def peek_upload(request: HttpRequest, purpose: str, scope: Any = None) -> tuple[str, bytes] | None:
    """The token and bytes of the user's pending upload for this purpose and scope, left in
    place (None when there is none, or it expired)."""
    pending = request.session.get(f"sheets:{purpose}") or {}
    token = str(pending.get("token") or "")
    try:
        return token, take_upload(request, purpose, token, scope)
    except BadWorkbook:
        return None


def take_upload(request: HttpRequest, purpose: str, token: str, scope: Any = None) -> bytes:
    """The bytes stashed by the same user for the same purpose and scope, or BadWorkbook."""
    pending = request.session.get(f"sheets:{purpose}") or {}
    expired = BadWorkbook(_("Phiên nhập đã hết hạn hoặc đã dùng: hãy chọn lại tệp."))
    if (
        not token
        or not re.fullmatch(r"[0-9a-f]{32}", token)
        or pending.get("token") != token
        or pending.get("scope") != str(scope)
    ):
        raise expired
    try:
        data = _stash_path(request.user.pk, token).read_bytes()
    except OSError as error:
        raise expired from error
    if hashlib.sha256(data).hexdigest() != pending.get("sha256"):
        raise expired
    return data


def drop_upload(request: HttpRequest, purpose: str) -> None:
    pending = request.session.pop(f"sheets:{purpose}", None) or {}
    token = pending.get("token")
    if token and re.fullmatch(r"[0-9a-f]{32}", token):
        _stash_path(request.user.pk, token).unlink(missing_ok=True)
