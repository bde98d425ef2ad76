from django.urls import path

from students import views

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
    path("import/students/", views.import_students, name="import_students"),
    path("import/changes/", views.import_changes, name="import_changes"),
    path("import/<str:kind>/template.xlsx", views.import_template, name="import_template"),
]
