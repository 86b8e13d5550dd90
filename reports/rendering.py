"""Where a document asked for over HTTP is rendered: by a worker when there is one.

A request first asks the document services for what is kept for the current data
(``services.kept_only``): an unchanged document costs its sheet's queries and no render.
Only a document that must be rendered anew goes to the ``reports`` queue, where the task
has Celery's time limits (``DOCUMENT_RENDER_SECONDS``: soft, then hard: a render that
runs away is killed with its process), and the request waits for it as long as that;
longer is 503 ``render_timeout``. Without a broker (``make run``, the tests) the request
renders itself, bounded by the same deadline in ``reports.pdf.style.build``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery import current_app
from django.conf import settings
from django.db import models

from grants.models import Call, User
from projects.models import Application, Meeting
from reports import services
from reports.models import Document
from reports.pdf.style import RenderTimeout

logger = logging.getLogger(__name__)

SUBJECTS: dict[str, type[models.Model]] = {
    "application": Application,
    "meeting": Meeting,
    "call": Call,
}


def produce(*, subject: models.Model, kind: str, language: str, actor: User | None) -> Document:
    """The document as the services keep it, rendered here (a worker, or the request
    itself without a broker)."""
    if isinstance(subject, Application):
        return services.application_document(
            application=subject, kind=kind, actor=actor, language=language
        )
    if isinstance(subject, Meeting):
        return services.meeting_document(meeting=subject, kind=kind, actor=actor, language=language)
    return services.call_dossier(call=subject, actor=actor, language=language)


def document(*, subject: models.Model, kind: str, language: str, actor: User | None) -> Document:
    """The document a request asked for: kept, or rendered by a worker (see the module)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return produce(subject=subject, kind=kind, language=language, actor=actor)
    try:
        with services.kept_only():
            return produce(subject=subject, kind=kind, language=language, actor=actor)
    except services.NeedsRender:
        pass
    return _by_worker(subject=subject, kind=kind, language=language, actor=actor)


# The worker's task (``reports.tasks.render_document``), sent by its name: the task
# module imports this one, so importing it back would close a circle.
RENDER_TASK = "reports.tasks.render_document"


def _by_worker(*, subject: models.Model, kind: str, language: str, actor: User | None) -> Document:
    name = next(key for key, model in SUBJECTS.items() if isinstance(subject, model))
    result = current_app.signature(
        RENDER_TASK, args=(name, subject.pk, kind, language, actor.pk if actor else None)
    ).apply_async()
    wait: Callable[..., int] = result.get
    try:
        document_id = wait(timeout=settings.DOCUMENT_RENDER_SECONDS + 5, propagate=True)
    except Exception:
        logger.exception("rendering %s of %s %s failed or took too long", kind, name, subject.pk)
        raise RenderTimeout() from None
    finally:
        result.forget()
    return Document.objects.get(pk=document_id)
