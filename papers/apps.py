from django.apps import AppConfig


class PapersConfig(AppConfig):
    name = "papers"
    verbose_name = "Văn bản phát hành"

    def ready(self) -> None:
        from papers import conference_papers, plan_paper  # noqa: F401  (register their kinds)
