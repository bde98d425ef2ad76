from django.urls import path

from workload import views

app_name = "workload"

urlpatterns = [
    path("", views.home, name="home"),
    path("terms/new/", views.term_create, name="term_create"),
    path("terms/<int:pk>/", views.term_detail, name="term_detail"),
    path("terms/<int:pk>/sections/", views.term_sections, name="term_sections"),
    path("terms/<int:pk>/import/", views.term_import, name="term_import"),
    path("terms/<int:pk>/import/template.xlsx", views.import_template, name="import_template"),
    path("terms/<int:pk>/run/", views.run_start, name="run_start"),
    path("terms/<int:pk>/assignment.xlsx", views.export_assignment, name="export_assignment"),
    path("terms/<int:pk>/statements.xlsx", views.export_statements, name="export_statements"),
    path("terms/<int:pk>/my-statement.xlsx", views.my_statement, name="my_statement"),
    path("sections/<int:pk>/lock/", views.section_lock, name="section_lock"),
    path("terms/<int:term_pk>/sections/new/", views.section_form, name="section_create"),
    path("sections/<int:pk>/edit/", views.section_form, name="section_edit"),
    path("sections/<int:pk>/wish/", views.section_wish, name="section_wish"),
    path("terms/<int:pk>/year/", views.year_view, name="year_view"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/apply/", views.run_apply, name="run_apply"),
    path("runs/<int:pk>/undo/", views.run_undo, name="run_undo"),
    path("plans/<int:plan_pk>/staff-load/", views.staff_load, name="staff_load"),
]
