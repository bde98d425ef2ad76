"""A write that could not get the database in time: 503 and "send again", never a 500.

On the embedded SQLite database a write waits for the write lock (settings: IMMEDIATE
transactions, busy timeout); one that still finds it taken when the wait runs out raises
OperationalError("database is locked"). Every service is atomic, so nothing of that request was
written. The person gets a page saying so, with what they typed ready to send again (a form
posting the same fields back to the same address), instead of an error page that loses it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 5
# Never written back into a page, even the sender's own.
_SECRET_FIELDS = ("password", "csrfmiddlewaretoken", "token", "secret")


def is_busy(error: BaseException) -> bool:
    """SQLite's "database is locked" / "database table is locked" (SQLITE_BUSY/SQLITE_LOCKED)."""
    return isinstance(error, OperationalError) and "is locked" in str(error)


def busy_response(request: HttpRequest) -> HttpResponse:
    message = _(
        "Máy chủ đang bận ghi dữ liệu của nhiều người cùng lúc nên chưa lưu được yêu cầu của "
        "bạn; chưa có gì được lưu. Hãy gửi lại sau vài giây."
    )
    # The JSON API and JSON clients get JSON; people get a page.
    if request.path.startswith("/api/") or request.content_type == "application/json":
        response: HttpResponse = JsonResponse({"detail": message}, status=503)
    else:
        fields: list[tuple[str, str]] = []
        if request.method == "POST":
            fields = [
                (name, value)
                for name, values in request.POST.lists()
                if not any(secret in name.lower() for secret in _SECRET_FIELDS)
                for value in values
            ]
        context = {
            "message": message,
            "fields": fields,
            "action": request.get_full_path(),
            # Files cannot be put back into a form: the person chooses them again.
            "had_files": bool(request.method == "POST" and request.FILES),
        }
        response = render(request, "core/database_busy.html", context, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_busy(exception):
            return busy_response(request)
        return None
