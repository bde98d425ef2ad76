from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PapersConfig(AppConfig):
    name = "papers"
    verbose_name = "Văn bản phát hành"

    def ready(self) -> None:
        # Each app that writes papers registers its kinds in its own `papers` module.
        autodiscover_modules("papers")
