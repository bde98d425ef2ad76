from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from organisations import views as org_views
from trongtam import views as shell_views

urlpatterns = [
    path("", shell_views.home, name="home"),
    path("search/", shell_views.search, name="search"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", org_views.PasswordChange.as_view(), name="password_change"),
    path("password/done/", org_views.PasswordChangeDone.as_view(), name="password_change_done"),
    path("plans/", include("planning.urls")),
    path("documents/", include("documents.urls")),
    path("organisations/", include("organisations.urls")),
    path("conferences/", include("conferences.urls")),
    path("workload/", include("workload.urls")),
    path("students/", include("students.urls")),
    path("residence/", include("residence.urls")),
    path("training/", include("training.urls")),
    path("papers/", include("papers.urls")),
    path("tracking/", include("tracking.urls")),
    path("notifications/", include("notifications.urls")),
    path("reports/", include("reports.urls")),
    path("province/", include("province.urls")),
    path("emulation/evidence/", include("emulation.urls_evidence")),
    path("emulation/", include("emulation.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]
