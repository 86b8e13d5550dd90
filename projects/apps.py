from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Organisations and applications")

    def ready(self) -> None:
        from core.audit import protect_trails_of
        from projects import conditions, funding, processing, selectors  # noqa: F401 (processing)

        conditions.provide(tally=selectors.application_tally, end_date=funding.current_end_date)
        from projects.models import (
            Application,
            ConflictDeclaration,
            Meeting,
            Objection,
            Recommendation,
            Vote,
        )

        protect_trails_of(Application)
        for model in (ConflictDeclaration, Meeting, Objection, Recommendation, Vote):
            protect_trails_of(model)
