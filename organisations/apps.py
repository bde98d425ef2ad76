from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "organisations"

    def ready(self) -> None:
        # The registry of what moves when a school merges, with the staff's own step.
        from organisations import merging  # noqa: F401
