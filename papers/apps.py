from django.apps import AppConfig


class PapersConfig(AppConfig):
    name = "papers"
    verbose_name = "Văn bản phát hành"

    def ready(self) -> None:
        from papers import plan_paper  # noqa: F401  (registers the Kế hoạch)
