from django.urls import path

from training import views, views_courses, views_dossiers

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("office/", views.office_set, name="office_set"),
    path("procedure/", views.procedure, name="procedure"),
    path("procedure/adopt/", views.procedure_adopt, name="procedure_adopt"),
    path("procedure/new/", views.step_template_form, name="step_template_create"),
    path("procedure/<int:pk>/edit/", views.step_template_form, name="step_template_edit"),
    path("procedure/<int:pk>/end/", views.step_template_end, name="step_template_end"),
    path("dossiers/", views_dossiers.dossier_list, name="dossiers"),
    path("dossiers/new/", views_dossiers.dossier_form, name="dossier_create"),
    path("dossiers/<int:pk>/", views_dossiers.dossier, name="dossier"),
    path("dossiers/<int:pk>/edit/", views_dossiers.dossier_form, name="dossier_edit"),
    path("dossiers/<int:pk>/archive/", views_dossiers.dossier_archive, name="dossier_archive"),
    path("dossiers/<int:pk>/open/", views_dossiers.dossier_open, name="dossier_open"),
    path("dossiers/<int:dossier_pk>/steps/new/", views_dossiers.step_form, name="step_create"),
    path("steps/<int:pk>/edit/", views_dossiers.step_form, name="step_edit"),
    path("steps/<int:pk>/status/", views_dossiers.step_status, name="step_status"),
    path("steps/<int:pk>/archive/", views_dossiers.step_archive, name="step_archive"),
    path(
        "dossiers/<int:pk>/documents/", views_dossiers.step_document_add, name="step_document_add"
    ),
    path(
        "step-documents/<int:pk>/remove/",
        views_dossiers.step_document_remove,
        name="step_document_remove",
    ),
    path("partners/", views_courses.partner_list, name="partners"),
    path("partners/new/", views_courses.partner_form, name="partner_create"),
    path("partners/<int:pk>/edit/", views_courses.partner_form, name="partner_edit"),
    path("partners/<int:pk>/archive/", views_courses.partner_archive, name="partner_archive"),
    path("courses/", views_courses.course_list, name="courses"),
    path("courses/new/", views_courses.course_form, name="course_create"),
    path("courses/<int:pk>/", views_courses.course, name="course"),
    path("courses/<int:pk>/edit/", views_courses.course_form, name="course_edit"),
    path("courses/<int:pk>/archive/", views_courses.course_archive, name="course_archive"),
    path("courses/<int:pk>/certificates/", views_courses.certificates_add, name="certificates_add"),
    path(
        "certificates/<int:pk>/archive/",
        views_courses.certificates_archive,
        name="certificates_archive",
    ),
    path(
        "courses/<int:pk>/participants.xlsx",
        views_courses.participants_xlsx,
        name="participants_xlsx",
    ),
    path(
        "courses/<int:pk>/participants/import/",
        views_courses.participants_import,
        name="participants_import",
    ),
    path(
        "participants/template.xlsx",
        views_courses.participants_template,
        name="participants_template",
    ),
]
