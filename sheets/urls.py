from django.urls import path

from sheets import (
    views,  # noqa: F401
    views_imports,
)

app_name = "sheets"

urlpatterns: list = []

# Imports of units and people, documents and a unit's reporting sheet (sheets/views_imports.py).
urlpatterns += [
    path("people/import/", views_imports.people_import, name="people_import"),
    path("people/sheet/", views_imports.people_sheet, name="people_sheet"),
    path("documents/import/", views_imports.documents_import_view, name="documents_import"),
    path("documents/sheet/", views_imports.documents_sheet, name="documents_sheet"),
    path("reporting/", views_imports.reporting_index, name="reporting_index"),
    path(
        "reporting/<int:plan_pk>/<int:unit_pk>/sheet/",
        views_imports.reporting_sheet,
        name="reporting_sheet",
    ),
    path(
        "reporting/<int:plan_pk>/<int:unit_pk>/import/",
        views_imports.reporting_import,
        name="reporting_import",
    ),
]
