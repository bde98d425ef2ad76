from django.urls import path

from students import views, views_log, views_plan, views_support, views_warnings

app_name = "students"

urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/", views.programmes, name="programmes"),
    path("programmes/new/", views.programme_form, name="programme_create"),
    path("programmes/<int:pk>/edit/", views.programme_form, name="programme_edit"),
    path("programmes/<int:pk>/quota/", views.quota_set, name="quota_set"),
    path("programmes.xlsx", views.programmes_xlsx, name="programmes_xlsx"),
    path("intakes/<int:pk>/", views.intake, name="intake"),
    path("enrolment/", views.enrolment, name="enrolment"),
    path("retention/", views.retention, name="retention"),
    path("retention/<int:pk>/<int:term>/", views.retention_cell, name="retention_cell"),
    path("dropout/", views.dropout, name="dropout"),
    path("cohorts/new/", views.cohort_form, name="cohort_create"),
    path("cohorts/<int:pk>/edit/", views.cohort_form, name="cohort_edit"),
    path("cohorts/<int:pk>/", views.cohort, name="cohort"),
    path("list/", views.student_list, name="student_list"),
    path("list/<int:pk>/", views.student, name="student"),
    path("personal-data-log/", views_log.personal_data_log, name="personal_data_log"),
    path("import/students/", views.import_students, name="import_students"),
    path("import/changes/", views.import_changes, name="import_changes"),
    path("import/<str:kind>/template.xlsx", views.import_template, name="import_template"),
    path("targets/", views_plan.targets, name="targets"),
    path("targets/<int:pk>/feed/", views_plan.target_feed, name="target_feed"),
    path("warnings/", views_warnings.warnings, name="warnings"),
    path("warnings/rules/", views_warnings.rule_add, name="warning_rule_add"),
    path("warnings/rules/<int:pk>/end/", views_warnings.rule_end, name="warning_rule_end"),
    path("warnings/<int:pk>/follow-up/", views_warnings.follow_up, name="warning_follow_up"),
    path("warnings/<int:pk>/outcome/", views_warnings.outcome, name="warning_outcome"),
    path("import/results/", views_warnings.import_results, name="import_results"),
    path("support/", views_support.support_page, name="support"),
    path("support/cases/<int:pk>/status/", views_support.case_status, name="support_case_status"),
    path("support/reports/", views_support.report_save, name="support_report_save"),
    path("support/reports/<int:pk>.xlsx", views_support.report_xlsx, name="support_report_xlsx"),
    path("support/import/", views_support.import_grants, name="support_import"),
    path(
        "support/students/<int:student_pk>/mark/",
        views_support.grant_form,
        name="support_grant_form",
    ),
    path("support/grants/<int:pk>/unmark/", views_support.grant_unmark, name="support_unmark"),
    path("support/rules/new/", views_support.rule_form, name="support_rule_add"),
    path("support/rules/<int:pk>/end/", views_support.rule_end, name="support_rule_end"),
]
