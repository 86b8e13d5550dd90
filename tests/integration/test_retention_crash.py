"""A real Celery worker killed with SIGKILL in the middle of the retention sweep (issue
#25): every file it reached is erased whole or not at all, and the next run completes
the rest, leaving the storage folder empty of those files' files."""

import hashlib
import signal
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from core.audit import trail_of
from core.models import AuditEntry, PendingFileDeletion
from projects.models import Application, Attachment, Expenditure
from tests.factories import make_application
from tests.integration.processes import worker_process
from workflows import retention

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

FILES = 150  # applications past their retention, two stored files each
KEPT_UNTIL = date(2026, 1, 31)


def _stored(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def _attach(application, sponsor, name: str) -> Attachment:
    content = f"%PDF-1.4 Teilnehmerliste {application.pk} {name}".encode()
    return Attachment.objects.create(
        application=application,
        owner="application",
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        file=ContentFile(content, name=name),
        uploaded_by=sponsor,
        scan_state="clean",
    )


def _due_files(world) -> list[Application]:
    applications = []
    for number in range(FILES):
        application = make_application(world, summary=f"Workshop mit Frau Erika Muster {number}")
        for name in ("Teilnehmerliste.pdf", "Honorarvertrag.pdf"):
            _attach(application, world.sponsor_a, name)
        Expenditure.objects.create(
            application=application,
            date=date(2025, 3, 1),
            payee="Erika Muster",
            purpose="Honorar",
            category=world.category,
            amount="300.00",
            created_by=world.sponsor_a,
        )
        applications.append(application)
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(
        state="closed", retention_until=KEPT_UNTIL
    )
    return applications


def _whole_or_untouched(application: Application, media: Path) -> bool:
    """Whether the file was erased whole (True) or not at all (False); fails on a half."""
    application.refresh_from_db()
    lines = Expenditure.objects.filter(application=application)
    payees = set(lines.values_list("payee", flat=True))
    events = trail_of(application).filter(namespace="retention", action="delete").count()
    files = list(Attachment.objects.filter(application=application).values_list("file", flat=True))
    if application.erased_at is None:
        assert application.summary.startswith("Workshop mit Frau Erika Muster")
        assert payees == {"Erika Muster"} and events == 0
        assert len(files) == 2 and all((media / name).is_file() for name in files)
        return False
    assert application.summary == "" and payees == {"[gelöscht]"} and events == 1
    assert files == []
    return True


def test_a_killed_sweep_leaves_no_file_half_erased_and_the_next_run_completes_it(
    world, tmp_path, settings
):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    applications = _due_files(world)
    assert len(_stored(media)) == 2 * FILES
    with worker_process(MEDIA_ROOT=str(media), EMAIL_URL="consolemail://") as worker:
        from workflows.tasks import apply_retention

        apply_retention.delay()
        deadline = time.monotonic() + 90
        erased = Application.objects.filter(erased_at__isnull=False)
        while erased.count() < 20:
            assert time.monotonic() < deadline, "the worker erased nothing"
            assert worker.poll() is None, "the worker died by itself"
            time.sleep(0.02)
        worker.send_signal(signal.SIGKILL)  # in the middle of the sweep
        worker.wait(timeout=10)

    outcome = [_whole_or_untouched(application, media) for application in applications]
    done = sum(outcome)
    print(f"\nthe worker erased {done} of {FILES} files before SIGKILL")
    assert 20 <= done < FILES
    # The erased files' stored files are gone, or still wished gone in the ledger (the
    # kill may fall between a commit and its deletions); the others' are all there.
    wished = set(PendingFileDeletion.objects.values_list("name", flat=True))
    left = _stored(media)
    assert AuditEntry.objects.filter(namespace="retention", action="delete").count() == done
    assert len(left) >= 2 * (FILES - done)
    assert len(left - wished) == 2 * (FILES - done)

    result = retention.sweep(today=date.today())  # the next night's run, in this process
    assert len(result.applications) == FILES - done
    assert all(_whole_or_untouched(application, media) for application in applications)
    assert _stored(media) == set()  # the storage folder is really empty of their files
    assert not PendingFileDeletion.objects.exists()
    assert not Attachment.objects.exists()
    again = retention.sweep(today=date.today() + timedelta(days=1))
    assert again.applications == [] and again.files_retried == 0
    # One deletion event per file, none twice.
    assert AuditEntry.objects.filter(namespace="retention", action="delete").count() == FILES
