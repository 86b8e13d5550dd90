"""Thin Celery wrappers: take ids, call a service, safe to run twice."""

import logging
from collections.abc import Callable

from celery import shared_task

from workflows.attachments import attachment_scan
from workflows.notifications import (
    send_account_mail,
    send_infected_mail,
    send_invitation_mail,
    send_meeting_invitations,
    send_objection_mails,
    send_receipts_request_mails,
    send_transition_mails,
)

logger = logging.getLogger(__name__)


def after_commit(task) -> Callable[[int], None]:
    """What runs once an action's transaction has committed: queue ``task`` for the
    audit entry. The action is done by then; a mail that fails (a refused address, the
    mail server down, in-process tasks without a broker) is recorded ``failed`` in the
    delivery log and logged, and never turns the finished action's answer into an error
    (an invitation saved, audited, and answered 500 was the fault of #19)."""

    def queue(audit_entry_id: int) -> None:
        try:
            task.delay(audit_entry_id)
        except Exception:
            logger.exception("%s for audit entry %s failed", task.name, audit_entry_id)

    queue.__name__ = f"after_commit_{task.name.rsplit('.', 1)[-1]}"
    return queue


# Late acknowledgement and retries with back-off for every mail (queue "mail").
MAIL_TASK = {
    "acks_late": True,
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 8,
}


@shared_task(**MAIL_TASK)
def notify_transition(audit_entry_id: int) -> int:
    return send_transition_mails(audit_entry_id=audit_entry_id)


@shared_task(**MAIL_TASK)
def notify_invitation(audit_entry_id: int) -> int:
    return send_invitation_mail(audit_entry_id=audit_entry_id)


@shared_task(**MAIL_TASK)
def notify_account(audit_entry_id: int) -> int:
    return send_account_mail(audit_entry_id=audit_entry_id)


@shared_task(**MAIL_TASK)
def notify_objection(audit_entry_id: int) -> int:
    return send_objection_mails(audit_entry_id=audit_entry_id)


@shared_task(**MAIL_TASK)
def notify_meeting_invitation(audit_entry_id: int) -> int:
    return send_meeting_invitations(audit_entry_id=audit_entry_id)


@shared_task(**MAIL_TASK)
def send_receipts_request(audit_entry_id: int) -> int:
    return send_receipts_request_mails(audit_entry_id=audit_entry_id)


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),  # clamd unreachable: the file stays pending, tried again
    retry_backoff=True,
    retry_backoff_max=3600,
    max_retries=None,
)
def scan_attachment(attachment_id: int) -> str:
    """The virus scan of one attachment (ClamAV's daemon); safe to run twice."""
    return attachment_scan(attachment_id)


@shared_task(**MAIL_TASK)
def notify_infected_attachment(audit_entry_id: int) -> int:
    return send_infected_mail(audit_entry_id=audit_entry_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def sweep_reminders() -> int:
    """The daily sweep (beat, 07:00 Europe/Berlin): safe to run twice."""
    from workflows.reminders import sweep

    return sweep().sent


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def apply_retention() -> int:
    """The daily retention sweep (beat, 02:30 Europe/Berlin; ``workflows.retention``):
    safe to run twice and after a crash. Answers how many files were erased."""
    from workflows.retention import sweep

    return len(sweep().applications)
