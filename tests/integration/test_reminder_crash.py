"""A real Celery worker killed with SIGKILL in the middle of a sweep of 200 due
reminders; the sweep re-run delivers every one, none twice except counted resends that
carry the same Message-ID (issue #10)."""

import email
import signal
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from projects.models import Application
from tests.factories import bring_to, make_application
from tests.integration.processes import worker_process
from workflows.models import Delivery
from workflows.reminders import sweep

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REMINDERS = 200


def _message_ids(folder: Path) -> list[str]:
    ids = []
    for path in folder.iterdir():
        for raw in path.read_text().split("-" * 79):
            if raw.strip():
                ids.append(email.message_from_string(raw.strip())["Message-ID"])
    return ids


def test_a_killed_worker_loses_no_reminder_and_doubles_none(world, tmp_path, settings):
    application = bring_to(world, make_application(world), "approved")
    decided = timezone.now() - timedelta(days=15)
    Application.objects.filter(pk=application.pk).update(decided_at=decided)
    for _ in range(REMINDERS - 1):  # 200 approved applications, agreement not accepted
        copy = make_application(world)
        bring_to(world, copy, "approved")
        Application.objects.filter(pk=copy.pk).update(decided_at=decided)
    outbox = tmp_path / "mails"
    outbox.mkdir()
    with worker_process(EMAIL_URL=f"filemail:///{outbox}") as worker:
        from workflows.tasks import sweep_reminders

        sweep_reminders.delay()
        deadline = time.monotonic() + 60
        while Delivery.objects.filter(state="sent").count() < 40:
            assert time.monotonic() < deadline, "the worker sent nothing"
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)  # in the middle of the sweep
        worker.wait(timeout=10)
    sent_by_worker = Delivery.objects.filter(state="sent").count()
    print(f"\nthe worker sent {sent_by_worker} of {REMINDERS} before SIGKILL")
    assert sent_by_worker < REMINDERS

    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(outbox)
    settings.DELIVERY_LEASE_SECONDS = 0  # the killed worker's claim is not waited for
    sweep()
    sweep()

    deliveries = Delivery.objects.filter(occasion="reminder.agreement_pending")
    assert deliveries.count() == REMINDERS
    assert set(deliveries.values_list("state", flat=True)) == {"sent"}
    reminder_ids = set(deliveries.values_list("message_id", flat=True))
    # The worker also sent the transitions' notifications; count the reminders only.
    ids = [i for i in _message_ids(outbox) if i in reminder_ids]
    counts = Counter(ids)
    assert set(counts) == reminder_ids  # every reminder reached the mail server
    duplicates = len(ids) - REMINDERS
    resends = sum(deliveries.values_list("resends", flat=True))
    print(f"messages {len(ids)}, duplicates {duplicates}, counted resends {resends}")
    assert 0 <= duplicates <= resends <= 1
