"""The JSON API (django-ninja): the same rules as the pages, through the same services.

This module is the framework: the NinjaAPI, its token authentication, throttles, error handlers
and docs. The endpoints are the domains' own (planning.api, tracking.api, documents.api,
organisations.api): each app's `api` module announces its router (core.endpoints.register), and
the routers are mounted here after every such module has been imported.

Authentication by per-user token (`Authorization: Bearer tt_…`); an outsider gets 404 for
another school's objects, a member without the right 403. Every status an operation can answer
is declared in the OpenAPI schema with its body (errors: `ErrorOut`, in Vietnamese), and
api/tests/test_contract.py holds the API to it.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, Throttled
from ninja.operation import Operation
from ninja.security import HttpBearer

from api import errors
from api.services import user_for_token
from api.throttling import BadTokenThrottle, UserThrottle
from core import endpoints
from organisations.scoping import membership_scope


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any | None:
        # An address that keeps sending missing or wrong tokens is slowed down before its next
        # token is even looked at, so guessing is no faster with a valid one in the mix.
        throttle = BadTokenThrottle()
        if throttle.exhausted(request):
            raise Throttled(wait=throttle.wait())  # type: ignore[arg-type]  # ninja: wait() is float, Throttled wants int
        user = super().__call__(request)
        if user is None:
            throttle.count_failure(request)
        return user

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


token_auth = TokenAuth()


def _docs_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    page = login_required(view)

    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and request.path.endswith("/openapi.json"):
            try:
                user = token_auth(request)
            except Throttled as exc:
                return api.on_exception(request, exc)
            if user is None:
                return api.on_exception(request, AuthenticationError())
            return view(request, *args, **kwargs)
        return page(request, *args, **kwargs)

    return guarded


class _Api(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # The ids clients were generated with, from when every endpoint lived in api/api.py: they
        # name the operation, not the module that happens to hold it now.
        return f"api_api_{operation.view_func.__name__}"


api = _Api(
    title="Trọng Tâm API",
    version="1",
    description=_(
        "Kế hoạch, chỉ tiêu, nhiệm vụ, báo cáo tiến độ, văn bản và đơn vị của trường. "
        "Xác thực bằng khóa API: `Authorization: Bearer tt_…` (tạo tại /api/tokens/)."
    ),
    auth=token_auth,
    throttle=[UserThrottle()],
    # The docs page only for signed-in users; the schema (same decorator) also for a token holder
    # (see _docs_access): a generated client fetches it with its token.
    docs_decorator=_docs_access,
    urls_namespace="api",
)
errors.install(api)


def _in_token_scope(operation: Callable[..., Any]) -> Callable[..., Any]:
    """Run an operation in the scope of the token's membership: the middleware scoped the request
    before the token was read (organisations.scoping)."""

    @functools.wraps(operation)
    def scoped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        with membership_scope(request.auth):  # type: ignore[attr-defined]  # set by token_auth
            return operation(request, *args, **kwargs)

    return scoped


# Inherited by every router mounted below.
api.add_decorator(_in_token_scope)


# Every app's `api` module announces its router when imported (core.endpoints.register).
autodiscover_modules("api")
for prefix, router in endpoints.registered():
    api.add_router(prefix, router)
