from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Documents and reports")

    def ready(self) -> None:
        # The e-mails of the layers below attach documents rendered here.
        # retention registers its eraser, processing the tables' records of processing.
        from reports import attachments, processing, retention  # noqa: F401
        from workflows.notifications import provide_document

        provide_document("agreement", attachments.agreement)
        provide_document("dossier", attachments.dossier)
