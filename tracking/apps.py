from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class TrackingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tracking"
    verbose_name = "Theo dõi tiến độ"

    def ready(self) -> None:
        # Check-ins, extensions and readings change what the plan's pages show: their saves bump
        # the plan's figures version, as planning's own rows do (planning/figures_cache.py).
        from planning import figures_cache
        from tracking.models import CheckIn, Extension, TargetReading

        for model in (CheckIn, Extension):
            uid = f"tracking-figures-{model._meta.label_lower}"
            post_save.connect(figures_cache.task_row_saved, sender=model, dispatch_uid=uid)
            post_delete.connect(figures_cache.task_row_saved, sender=model, dispatch_uid=uid)
        uid = "tracking-figures-targetreading"
        post_save.connect(figures_cache.target_row_saved, sender=TargetReading, dispatch_uid=uid)
        post_delete.connect(figures_cache.target_row_saved, sender=TargetReading, dispatch_uid=uid)
