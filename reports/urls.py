from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("plans/<int:plan_pk>/", views.report_list, name="report_list"),
    path("plans/<int:plan_pk>/new/", views.report_create, name="report_create"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("<int:pk>/return/", views.report_return, name="report_return"),
    path("<int:pk>/issue/", views.report_issue, name="report_issue"),
    path("<int:pk>/archive/", views.report_archive, name="report_archive"),
]
