from django.apps import AppConfig


class ResidenceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "residence"
    verbose_name = "Nội trú, ngoại trú"
