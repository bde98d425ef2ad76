from django.apps import AppConfig


class EmulationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "emulation"
    verbose_name = "Thi đua, khen thưởng"
