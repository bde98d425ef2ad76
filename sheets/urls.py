from django.urls import path

from sheets import views, views_imports

app_name = "sheets"

urlpatterns: list = [
    path("plans/<int:pk>/plan.xlsx", views.plan_export, name="plan_export"),
    path("plans/<int:pk>/tasks.xlsx", views.tasks_export, name="tasks_export"),
    path("plans/<int:pk>/targets.xlsx", views.targets_export, name="targets_export"),
    path("plans/<int:pk>/checkins.xlsx", views.checkins_export, name="checkins_export"),
    path("plans/<int:pk>/import/", views.plan_import_page, name="plan_import"),
    path("documents.xlsx", views.documents_export, name="documents_export"),
    path("people.xlsx", views.people_export, name="people_export"),
]

# Imports of units and people, documents and a unit's reporting sheet (sheets/views_imports.py).
urlpatterns += [
    path("people/import/", views_imports.people_import, name="people_import"),
    path("people/sheet/", views_imports.people_sheet, name="people_sheet"),
    path("documents/import/", views_imports.documents_import_view, name="documents_import"),
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
