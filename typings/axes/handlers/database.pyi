from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

class AxesDatabaseHandler:
    def get_failures(self, request: Any, credentials: dict[str, Any] | None = ...) -> int: ...
    def get_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = ...
    ) -> list[QuerySet[Any]]: ...
    def reset_attempts(
        self,
        *,
        ip_address: str | None = ...,
        username: str | None = ...,
        ip_or_username: bool = ...,
    ) -> int: ...
