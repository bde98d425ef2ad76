from django.urls import path

from tracking import views

app_name = "tracking"

urlpatterns = [
    path("", views.tracking_home, name="home"),
    path("plans/<int:pk>/", views.dashboard, name="dashboard"),
    path("plans/<int:pk>/units/<int:unit_pk>/", views.unit_dashboard, name="unit_dashboard"),
    path("plans/<int:pk>/tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/checkin/", views.checkin_create, name="checkin_create"),
    path("tasks/<int:pk>/tracking/", views.tracking_edit, name="tracking_edit"),
    path("tasks/<int:pk>/extension/", views.extension_request, name="extension_request"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("settings/reminders/", views.policy_edit, name="policy"),
    path("health/", views.health, name="health"),
    path("floor/", views.floor, name="floor"),
]
