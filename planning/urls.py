from django.urls import path

from planning import paper_views, views, views_bases, views_excel

app_name = "planning"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("new/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/bases/", views.plan_bases, name="plan_bases"),
    path("<int:pk>/bases/import/", views_bases.plan_bases_import, name="plan_bases_import"),
    path("tasks/<int:pk>/bases/import/", views_bases.task_bases_import, name="task_bases_import"),
    path("<int:pk>/issue/", views.plan_issue, name="plan_issue"),
    path("<int:pk>/copy/", views.plan_copy, name="plan_copy"),
    path("<int:pk>/import/", views_excel.plan_import, name="plan_import"),
    path("<int:pk>/amendments/new/", views.amendment_open, name="amendment_open"),
    path("<int:pk>/amendments/close/", views.amendment_close, name="amendment_close"),
    path("<int:pk>/ke-hoach.docx", paper_views.plan_docx, name="plan_docx"),
    path("<int:pk>/number/", paper_views.plan_number, name="plan_number"),
    path("<int:plan_pk>/areas/new/", views.area_form, name="area_create"),
    path("areas/<int:pk>/edit/", views.area_form, name="area_edit"),
    path("<int:plan_pk>/targets/new/", views.target_form, name="target_create"),
    path("targets/<int:pk>/", views.target_detail, name="target_detail"),
    path("targets/<int:pk>/edit/", views.target_form, name="target_edit"),
    path("targets/<int:pk>/allocations/", views.allocation_add, name="allocation_add"),
    path("allocations/<int:pk>/propose/", views.allocation_propose, name="allocation_propose"),
    path("allocations/<int:pk>/decide/", views.allocation_decide, name="allocation_decide"),
    path("<int:plan_pk>/tasks/new/", views.task_form, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.task_form, name="task_edit"),
    path("tasks/<int:pk>/bases/", views.basis_add, name="basis_add"),
    path("task-bases/<int:pk>/remove/", views.basis_remove, name="basis_remove"),
    path("<str:kind>/<int:pk>/archive/", views.archive, name="archive"),
    path("<int:plan_pk>/units/<int:unit_pk>/", views.unit_plan, name="unit_plan"),
    path(
        "<int:plan_pk>/units/<int:unit_pk>/approve/",
        views.unit_plan_approve,
        name="unit_plan_approve",
    ),
    path("goals/", views.goal_list, name="goal_list"),
    path("goals/new/", views.goal_form, name="goal_create"),
    path("goals/<int:pk>/edit/", views.goal_form, name="goal_edit"),
    path("my-units/", views.my_units, name="my_units"),
]
