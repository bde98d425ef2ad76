from django.urls import path

from planning.views import archive, areas, bases, excel, papers, plans, targets, tasks, units

app_name = "planning"

urlpatterns = [
    path("", plans.plan_list, name="plan_list"),
    path("new/", plans.plan_create, name="plan_create"),
    path("<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("<int:pk>/bases/", plans.plan_bases, name="plan_bases"),
    path("<int:pk>/bases/import/", bases.plan_bases_import, name="plan_bases_import"),
    path("tasks/<int:pk>/bases/import/", bases.task_bases_import, name="task_bases_import"),
    path("<int:pk>/issue/", plans.plan_issue, name="plan_issue"),
    path("<int:pk>/copy/", plans.plan_copy, name="plan_copy"),
    path("<int:pk>/import/", excel.plan_import, name="plan_import"),
    path("<int:pk>/amendments/new/", plans.amendment_open, name="amendment_open"),
    path("<int:pk>/amendments/close/", plans.amendment_close, name="amendment_close"),
    path("<int:pk>/ke-hoach.docx", papers.plan_docx, name="plan_docx"),
    path("<int:pk>/number/", papers.plan_number, name="plan_number"),
    path("<int:plan_pk>/areas/new/", areas.area_form, name="area_create"),
    path("areas/<int:pk>/edit/", areas.area_form, name="area_edit"),
    path("<int:plan_pk>/targets/new/", targets.target_form, name="target_create"),
    path("targets/<int:pk>/", targets.target_detail, name="target_detail"),
    path("targets/<int:pk>/edit/", targets.target_form, name="target_edit"),
    path("targets/<int:pk>/allocations/", targets.allocation_add, name="allocation_add"),
    path("allocations/<int:pk>/propose/", targets.allocation_propose, name="allocation_propose"),
    path("allocations/<int:pk>/decide/", targets.allocation_decide, name="allocation_decide"),
    path("<int:plan_pk>/tasks/new/", tasks.task_form, name="task_create"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", tasks.task_form, name="task_edit"),
    path("tasks/<int:pk>/bases/", tasks.basis_add, name="basis_add"),
    path("task-bases/<int:pk>/remove/", tasks.basis_remove, name="basis_remove"),
    path("<str:kind>/<int:pk>/archive/", archive.archive, name="archive"),
    path("<str:kind>/<int:pk>/restore/", archive.restore, name="restore"),
    path("<int:pk>/archived/", archive.archived, name="archived"),
    path("<int:plan_pk>/units/<int:unit_pk>/", units.unit_plan, name="unit_plan"),
    path(
        "<int:plan_pk>/units/<int:unit_pk>/approve/",
        units.unit_plan_approve,
        name="unit_plan_approve",
    ),
    path("goals/", areas.goal_list, name="goal_list"),
    path("goals/new/", areas.goal_form, name="goal_create"),
    path("goals/<int:pk>/edit/", areas.goal_form, name="goal_edit"),
    path("my-units/", units.my_units, name="my_units"),
]
