"""Keeping an upload between the dry run and the confirmation of an import.

``stash_upload`` / ``take_upload`` / ``drop_upload`` keep the uploaded bytes in the default
storage (``tmp/imports/…``: the media folder, or the S3 bucket in production), named per time,
user and token, with their SHA-256 in the session. Both live where every app server reads them
(the storage and the database's sessions), so the dry run may run on one server and the
confirmation on another. The confirming step gets the same bytes back (or BadWorkbook) and
re-validates. core.sheets.flow (``run_import``) wires this into an upload → dry run → confirm
page. Stashed files older than a day are removed when the next one is stashed; backups leave
``tmp/`` out (core/backup.py).
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.sheets.reading import BadWorkbook

logger = logging.getLogger(__name__)

STASH_FOLDER = "tmp/imports"
_STASH_AGE = 24 * 3600
_NAME = re.compile(r"(\d{1,12})-\d+-[0-9a-f]{32}\.xlsx")


def _stash_name(user_pk: Any, token: str, at: float) -> str:
    # The time in the name lets the clean-up judge age from a listing alone (one request on S3).
    return f"{STASH_FOLDER}/{int(at)}-{int(user_pk)}-{token}.xlsx"


def _remove_expired(now: float) -> None:
    """Remove the stashes older than a day. Housekeeping only: whatever the file store answers
    (no folder yet, a storage that cannot list, another server removing the same file first, an
    S3 server's refusal, whose errors are not OSErrors), the upload it comes with goes on."""
    try:
        _folders, files = default_storage.listdir(STASH_FOLDER)
        for name in files:
            match = _NAME.fullmatch(name)
            if match and now - int(match[1]) > _STASH_AGE:
                default_storage.delete(f"{STASH_FOLDER}/{name}")
    except (FileNotFoundError, NotImplementedError):  # no folder yet; a storage that cannot list
        return
    except Exception:  # see above
        logger.warning("Không dọn được các tệp nhập đã quá hạn", exc_info=True)


class StoreUnavailable(BadWorkbook):
    """The file store did not answer: the file is fine, the user tries again later."""


def _unreachable() -> StoreUnavailable:
    return StoreUnavailable(
        _("Kho tệp của hệ thống đang không trả lời; hãy thử lại sau ít phút (tệp chưa được nhập).")
    )


def stash_upload(
    request: HttpRequest, purpose: str, data: bytes, scope: Any = None, title: str = ""
) -> str:
    """Keep the checked file for this user; returns the token the confirm form sends back."""
    now = time.time()
    _remove_expired(now)
    drop_upload(request, purpose)
    token = uuid.uuid4().hex
    name = _stash_name(request.user.pk, token, now)
    try:
        saved = default_storage.save(name, ContentFile(data))
    except Exception as error:  # a disk's OSError, or an S3 server's refusal or absence
        logger.exception("Không lưu được tệp nhập vào kho tệp")
        raise _unreachable() from error
    if saved != name:  # cannot happen with a fresh token; never read another file by mistake
        default_storage.delete(saved)
        raise BadWorkbook(_("Không lưu được tệp để xác nhận; hãy thử lại."))
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
        with default_storage.open(_stash_name(request.user.pk, token, pending["at"]), "rb") as f:
            data: bytes = f.read()
    except (OSError, KeyError, TypeError, ValueError) as error:
        raise expired from error
    except Exception as error:  # an S3 server's refusal or absence: not the user's doing
        logger.exception("Không đọc được tệp nhập từ kho tệp")
        raise _unreachable() from error
    if hashlib.sha256(data).hexdigest() != pending.get("sha256"):
        raise expired
    return data


def drop_upload(request: HttpRequest, purpose: str) -> None:
    pending = request.session.pop(f"sheets:{purpose}", None) or {}
    token = pending.get("token")
    if token and re.fullmatch(r"[0-9a-f]{32}", token) and "at" in pending:
        try:
            default_storage.delete(_stash_name(request.user.pk, token, pending["at"]))
        except Exception:  # left to the day's clean-up: the import is done
            logger.warning("Không xoá được tệp nhập đã dùng", exc_info=True)
