from django.urls import path

from province import views, views_dashboard, views_mergers, views_reports, views_schools

app_name = "province"

urlpatterns = [
    path("", views.directive_list, name="directive_list"),
    path("new/", views.directive_create, name="directive_create"),
    path("schools/", views.school_list, name="school_list"),
    path("schools/new/", views_schools.school_add, name="school_add"),
    path("schools/entries/<int:pk>/", views_schools.school_edit, name="school_edit"),
    path("mergers/", views_mergers.merger_list, name="merger_list"),
    path("schools/<int:pk>/merge/", views_mergers.school_merge, name="school_merge"),
    path("<int:pk>/", views.directive_detail, name="directive_detail"),
    path("<int:pk>/send/", views.directive_send, name="directive_send"),
    path("<int:pk>/correct/", views.directive_correct, name="directive_correct"),
    path("<int:pk>/withdraw/", views.directive_withdraw, name="directive_withdraw"),
    path("dashboard/", views_dashboard.province_dashboard, name="dashboard"),
    path("dashboard/<int:school_id>/", views_dashboard.school_detail, name="school_detail"),
    path("requests/", views_reports.request_list, name="request_list"),
    path("requests/new/", views_reports.request_create, name="request_create"),
    path("requests/<int:pk>/", views_reports.request_detail, name="request_detail"),
    path("requests/<int:pk>/export/", views_reports.request_export, name="request_export"),
    path("requests/<int:pk>/archive/", views_reports.request_archive, name="request_archive"),
    path("submissions/<int:pk>/return/", views_reports.submission_return, name="submission_return"),
    path("submissions/<int:pk>/file/", views_reports.submission_file, name="submission_file"),
    path("inbox/", views_reports.inbox, name="inbox"),
    path("inbox/<int:pk>/", views_reports.inbox_detail, name="inbox_detail"),
    path("inbox/<int:pk>/submit/", views_reports.inbox_submit, name="inbox_submit"),
    path("inbox/sharing/<int:pk>/", views_reports.share, name="share"),
]
