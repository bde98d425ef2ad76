from django.urls import path  # noqa: F401

from sheets import views  # noqa: F401

app_name = "sheets"

urlpatterns: list = []
