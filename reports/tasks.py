"""Thin Celery wrappers (queue ``reports``): take ids, call a service, safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from grants.models import Program, User
from reports import export, mail, services
from reports.models import Report
from reports.rendering import SUBJECTS, produce

REPORT_TASK = {
    "acks_late": True,
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(
    acks_late=False,  # a render is asked for by a waiting request: never run it twice
    ignore_result=False,
    soft_time_limit=settings.DOCUMENT_RENDER_SECONDS,
    time_limit=settings.DOCUMENT_RENDER_SECONDS + 5,
)
def render_document(
    subject: str, subject_id: int, kind: str, language: str, actor_id: int | None
) -> int:
    """One document for a waiting request (``reports.rendering``): its kept id."""
    obj = SUBJECTS[subject].objects.get(pk=subject_id)
    actor = User.objects.get(pk=actor_id) if actor_id else None
    return produce(subject=obj, kind=kind, language=language, actor=actor).pk


@shared_task(**REPORT_TASK)
def render_report(report_id: int) -> str:
    """Render an on-demand report; the caller polls ``/api/reports/{id}/``."""
    return services.report_render(report_id).status


def request_report(**fields) -> object:
    """``services.report_request`` and, once it committed, its rendering by the
    ``reports`` queue: the API's and the portal's way to ask for a report."""
    from django.db import transaction

    report = services.report_request(**fields)
    transaction.on_commit(lambda: render_report.delay(report.pk))
    return report


@shared_task(**REPORT_TASK)
def send_scheduled_reports() -> int:
    """Daily (beat): for every program, the report for the period just ended by its
    frequency, rendered once and e-mailed once to its funder contacts. A day the
    schedule missed is caught up the next day; running twice sends nothing twice."""
    today = timezone.localdate()
    sent = 0
    for program in Program.objects.order_by("pk"):
        report = services.scheduled_report(program, today)
        if report.status != Report.Status.DONE:
            report = services.report_render(report.pk)
        if report.status == Report.Status.DONE:
            sent += mail.send_funder_report(report)
    return sent


@shared_task(**REPORT_TASK)
def build_export_file(export_id: int) -> str:
    """Build the whole file's ZIP that was too large for the request; the caller polls
    ``/api/exports/{id}/``, and the one who asked gets an e-mail."""
    return export.export_build(export_id).status


@shared_task(**REPORT_TASK)
def purge_exports() -> int:
    """Daily (beat): delete the ZIPs whose download time has run out."""
    return export.export_purge()
