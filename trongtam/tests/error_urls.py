"""The project's URLs and two that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from trongtam.urls import urlpatterns as project_urlpatterns


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug, on purpose")


def refuses(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("English text a person must not see")


urlpatterns = [
    *project_urlpatterns,
    path("test-errors/fails/", fails),
    path("test-errors/refuses/", refuses),
]
