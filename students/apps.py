from django.apps import AppConfig


class StudentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "students"
    verbose_name = "Người học"

    def ready(self) -> None:
        # Targets fed by the students figures take no typed value and link to their figures
        # (tracking.sources, students.feeds).
        from students import (
            feeds,
            handover,  # noqa: F401  (a merger's step: organisations.merging)
        )
        from tracking import sources

        sources.register(feeds.sources)
