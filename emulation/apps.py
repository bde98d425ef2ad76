from django.apps import AppConfig


class EmulationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "emulation"
    verbose_name = "Thi đua, khen thưởng"

    def ready(self) -> None:
        # django-rules finds `rules.py` by itself; the evidence pages' and the dossiers'
        # rules sit apart from it.
        from emulation import evidence_cache, rules_evidence, rules_upward  # noqa: F401
        from emulation import summaries as school_summaries
        from tracking import summaries

        # A body above the school reads the titles of its latest decision (province dashboard).
        summaries.register(school_summaries.RESULTS)
        # The evidence is kept in the cache under the plan's figures version: what it reads
        # beyond the plan's own rows moves that version too.
        evidence_cache.connect()
