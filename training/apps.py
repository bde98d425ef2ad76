from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "training"
    verbose_name = "Mở ngành, liên kết đào tạo và bồi dưỡng"

    def ready(self) -> None:
        # Its yearly figures join the ones a plan target can be measured by (students.measures),
        # and its pages join the students' tabs (students.navigation).
        from students import navigation
        from training import measures  # noqa: F401

        navigation.register(
            navigation.Tab("training", _("Mở ngành, liên kết, bồi dưỡng"), "training:home")
        )
