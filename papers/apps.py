from django.apps import AppConfig


class PapersConfig(AppConfig):
    name = "papers"
    verbose_name = "Văn bản phát hành"

    def ready(self) -> None:
        from conferences.services.hall import issued_paper_checks
        from papers import conference_papers, plan_paper  # noqa: F401  (register their kinds)

        # A conference whose biên bản or nghị quyết has a number reopens only with leadership.
        issued_paper_checks.append(_conference_has_issued_papers)


def _conference_has_issued_papers(conference: object) -> bool:
    from papers.conference_papers import MINUTES_KIND, RESOLUTION_KIND
    from papers.models import IssuedPaper

    return IssuedPaper.objects.filter(
        kind__in=[MINUTES_KIND, RESOLUTION_KIND],
        object_id=conference.pk,  # type: ignore[attr-defined]
    ).exists()
