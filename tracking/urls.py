from django.urls import path

from tracking import views, views_excel

app_name = "tracking"

urlpatterns = [
    path("", views.tracking_home, name="home"),
    path("plans/<int:pk>/", views.dashboard, name="dashboard"),
    path("plans/<int:pk>/units/<int:unit_pk>/", views.unit_dashboard, name="unit_dashboard"),
    path("plans/<int:pk>/tasks/", views.task_list, name="task_list"),
    path("plans/<int:pk>/plan.xlsx", views_excel.plan_export, name="plan_export"),
    path("plans/<int:pk>/tasks.xlsx", views_excel.tasks_export, name="tasks_export"),
    path("plans/<int:pk>/targets.xlsx", views_excel.targets_export, name="targets_export"),
    path("plans/<int:pk>/checkins.xlsx", views_excel.checkins_export, name="checkins_export"),
    path("reporting/", views_excel.reporting_index, name="reporting_index"),
    path(
        "reporting/<int:plan_pk>/<int:unit_pk>/sheet/",
        views_excel.reporting_sheet,
        name="reporting_sheet",
    ),
    path(
        "reporting/<int:plan_pk>/<int:unit_pk>/import/",
        views_excel.reporting_import,
        name="reporting_import",
    ),
    path("tasks/<int:pk>/checkin/", views.checkin_create, name="checkin_create"),
    path("tasks/<int:pk>/tracking/", views.tracking_edit, name="tracking_edit"),
    path("tasks/<int:pk>/extension/", views.extension_request, name="extension_request"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("settings/reminders/", views.policy_edit, name="policy"),
    path("health/", views.health, name="health"),
    path("floor/", views.floor, name="floor"),
]
