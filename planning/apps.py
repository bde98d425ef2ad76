from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PlanningConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "planning"

    def ready(self) -> None:
        # Every writer (services, the plan import, conferences, the admin) saves through the ORM:
        # its saves bump the figures version of the plans they touch (planning/figures_cache.py).
        from documents.models import Document
        from organisations.models import Organisation, Person
        from planning import (
            figures_cache,
            handover,  # noqa: F401  (a merger's step: organisations.merging)
            tree,
        )
        from planning.models import (
            Plan,
            StrategicGoal,
            Target,
            Task,
            TaskBasis,
            TaskCoordination,
            WorkArea,
        )

        receivers = {
            figures_cache.plan_row_saved: (Plan, Task, Target, WorkArea),
            figures_cache.task_row_saved: (TaskCoordination, TaskBasis),
            figures_cache.school_row_saved: (Organisation, Person, Document, StrategicGoal),
        }
        for receiver, models in receivers.items():
            for model in models:
                uid = f"planning-figures-{model._meta.label_lower}"
                post_save.connect(receiver, sender=model, dispatch_uid=uid)
                post_delete.connect(receiver, sender=model, dispatch_uid=uid)
        # The plan's tree is kept current by each change that names what it touched.
        if tree.keep_current not in figures_cache.KEPT_CURRENT:
            figures_cache.KEPT_CURRENT.append(tree.keep_current)
