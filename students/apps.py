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
        from students import summaries as school_summaries
        from tracking import sources, summaries

        sources.register(feeds.sources)
        # A body above the school reads its enrolment and retention (the province dashboard).
        summaries.register(school_summaries.ENROLMENT)
        summaries.register(school_summaries.RETENTION)
