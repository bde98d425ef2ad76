"""The API's errors in one shape (`ErrorOut`, core.endpoints) and in Vietnamese, whoever raises
them: our services (core.errors.DomainError, with its status), django-ninja's validation (422), its
authentication (401) and throttling (429), a missing object (404). A generated client reads every
error the same way."""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from core.errors import DomainError

# The names of the views' parameter models, which are not fields a client sends.
_WRAPPERS = {"payload", "filters", "pagination"}


def _messages() -> dict[str, str]:
    return {
        "missing": _("Thiếu trường bắt buộc."),
        "int_type": _("Phải là số nguyên."),
        "int_parsing": _("Phải là số nguyên."),
        "int_from_float": _("Phải là số nguyên."),
        "float_type": _("Phải là số."),
        "float_parsing": _("Phải là số."),
        "finite_number": _("Phải là số hữu hạn."),
        "greater_than_equal": _("Phải lớn hơn hoặc bằng %(ge)s."),
        "greater_than": _("Phải lớn hơn %(gt)s."),
        "less_than_equal": _("Phải nhỏ hơn hoặc bằng %(le)s."),
        "less_than": _("Phải nhỏ hơn %(lt)s."),
        "string_type": _("Phải là chuỗi ký tự."),
        "string_too_short": _("Cần ít nhất %(min_length)s ký tự."),
        "string_too_long": _("Dài quá %(max_length)s ký tự."),
        "string_pattern_mismatch": _("Không đúng định dạng (hoặc chỉ có khoảng trắng)."),
        "enum": _("Phải là một trong các giá trị: %(expected)s."),
        "literal_error": _("Phải là một trong các giá trị: %(expected)s."),
        "list_type": _("Phải là một danh sách."),
        "dict_type": _("Phải là một đối tượng JSON."),
        "model_type": _("Phải là một đối tượng JSON."),
        "model_attributes_type": _("Phải là một đối tượng JSON."),
        "bool_type": _("Phải là true hoặc false."),
        "bool_parsing": _("Phải là true hoặc false."),
        "extra_forbidden": _("Tham số này không được hỗ trợ ở đây."),
    }


def field_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Pydantic's errors as (field, Vietnamese message) pairs."""
    messages = _messages()
    out = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())[1:] if part not in _WRAPPERS]
        template = messages.get(error.get("type", ""), _("Giá trị không hợp lệ."))
        try:
            message = template % {k: v for k, v in (error.get("ctx") or {}).items()}
        except (KeyError, TypeError, ValueError):
            message = _("Giá trị không hợp lệ.")
        out.append({"field": ".".join(loc) or str(error.get("loc", ("?",))[0]), "message": message})
    return out


def _http_error_message(status: int) -> str:
    return {
        400: _("Yêu cầu không hợp lệ: không đọc được nội dung gửi lên."),
        401: _("Cần khóa API hợp lệ: Authorization: Bearer tt_…"),
        403: _("Bạn không có quyền này."),
        404: _("Không tìm thấy."),
        405: _("Phương thức này không được hỗ trợ."),
    }.get(status, _("Yêu cầu không được chấp nhận."))


def install(api: NinjaAPI) -> None:
    """Registers the handlers on `api`."""

    def respond(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
        return api.create_response(request, {"detail": detail, **extra}, status=status)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = field_errors(exc.errors)
        first = errors[0] if errors else {"field": "", "message": ""}
        detail = _("Dữ liệu gửi lên không hợp lệ: %(field)s — %(message)s") % first
        return respond(request, 422, detail, errors=errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(request, 401, _http_error_message(401))
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        wait = math.ceil(exc.wait) if exc.wait is not None else 60
        response = respond(
            request, 429, _("Quá nhiều yêu cầu; hãy thử lại sau %(n)s giây.") % {"n": wait}
        )
        response["Retry-After"] = str(wait)
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, _http_error_message(exc.status_code))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, _http_error_message(404))

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, _http_error_message(403))

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        # A rule of a service refused the request: its own status (400, 409…), its own message.
        return respond(request, exc.status, str(exc))
