from django.apps import AppConfig
from django.db.models.signals import post_save


class TrackingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tracking"
    verbose_name = "Theo dõi tiến độ"

    def ready(self) -> None:
        # Keep dashboards warm after committed changes (tracking/refresh.py).
        from tracking import refresh
        from tracking.models import CheckIn

        post_save.connect(refresh.checkin_saved, sender=CheckIn, dispatch_uid="tracking-refresh")
