"""Issue #22: the virus scan against a real ClamAV daemon (Debian's clamav-daemon, which
CI installs). No signatures can be downloaded here, so the test gives clamd a database of
its own: one ``.hdb`` line with the EICAR test file's MD5. EICAR is found and deleted,
its uploader told; a clean PDF becomes downloadable; a stopped clamd leaves the file
pending, never clean. Without the clamd binary the test fails in CI and is skipped,
saying so, on a developer's machine."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projects.models import Attachment
from tests.clamav import EICAR, free_port
from tests.workflows.test_attachments import a_pdf
from workflows.attachments import attachment_scan


def _attach(api, world, application, content, name):
    response = api(world.sponsor_a).post(
        f"/api/applications/{application.pk}/attachments/",
        {"file": SimpleUploadedFile(name, content)},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    return Attachment.objects.get(pk=response.json()["id"])


def test_eicar_is_found_and_deleted_a_clean_pdf_becomes_downloadable(
    daemon, world, application_in, api, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CLAMD_URL = daemon["url"]
    settings.ATTACHMENT_SCAN = "on"
    application = application_in("submitted")
    infected = _attach(api, world, application, EICAR, "Satzung.txt")
    clean = _attach(api, world, application, a_pdf(), "Freistellungsbescheid.pdf")
    stored = Path(settings.MEDIA_ROOT) / infected.file.name

    with django_capture_on_commit_callbacks(execute=True):
        assert attachment_scan(infected.pk) == "infected"
    assert attachment_scan(clean.pk) == "clean"

    infected.refresh_from_db()
    assert infected.scan_state == "infected"
    assert "Zuwendo-Test-EICAR" in infected.scan_verdict
    assert not infected.file and not stored.exists()
    assert [m.to for m in mailoutbox if "refused" in m.subject or "abgelehnt" in m.subject] == [
        [world.sponsor_a.email]
    ]
    office = api(world.office)
    assert office.get(f"/api/attachments/{infected.pk}/file/").status_code == 404
    listed = office.get(f"/api/applications/{application.pk}/attachments/").json()
    assert {a["id"]: a["scan_state"] for a in listed["attachments"]} == {
        infected.pk: "infected",
        clean.pk: "clean",
    }
    download = office.get(f"/api/attachments/{clean.pk}/file/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == a_pdf()


def test_a_stopped_clamd_leaves_the_file_pending(world, application_in, api, settings):
    settings.CLAMD_URL = f"tcp://127.0.0.1:{free_port()}"  # nobody listens
    settings.ATTACHMENT_SCAN = "on"
    application = application_in("submitted")
    pending = _attach(api, world, application, a_pdf("noch ungeprüft"), "Angebot.pdf")
    with pytest.raises(OSError):
        attachment_scan(pending.pk)  # the task retries with back-off
    pending.refresh_from_db()
    assert pending.scan_state == "pending"
    assert api(world.office).get(f"/api/attachments/{pending.pk}/file/").status_code == 404
