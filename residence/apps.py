from django.apps import AppConfig


class ResidenceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "residence"
    verbose_name = "Nội trú, ngoại trú"

    def ready(self) -> None:
        # Its figures join the ones a plan target can be measured by (students.measures).
        from residence import measures  # noqa: F401
