"""Documents the e-mails of ``workflows`` attach: the grant agreement to the decision,
the dossier to the meeting invitation (registered in ``ReportsConfig.ready``)."""

from __future__ import annotations

from projects.models import Application, Meeting
from reports import services
from reports.mail import document_filename
from reports.models import Document


def agreement(application: Application, language: str) -> tuple[str, bytes, str]:
    document = services.application_document(
        application=application, kind=Document.Kind.AGREEMENT, actor=None, language=language
    )
    name = document_filename(document, application.reference)
    return name, services.read(document), "application/pdf"


def dossier(meeting: Meeting, language: str) -> tuple[str, bytes, str]:
    document = services.meeting_document(
        meeting=meeting, kind=Document.Kind.DOSSIER, actor=None, language=language
    )
    return document_filename(document, ""), services.read(document), "application/pdf"
