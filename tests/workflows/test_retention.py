"""Issue #25: the retention sweep, holds, the advance notice, the access export,
erasure and the purge of sign-in records."""

import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.audit import trail_of
from core.models import AuditEntry
from grants.models import User
from projects.figures import program_figures
from projects.models import Application, Attachment, Expenditure
from tests.workflows.test_attachments import a_pdf
from workflows import privacy, retention
from workflows.models import Delivery
from workflows.reminders import sweep as reminder_sweep

KEEP = date(2031, 3, 15)
BERLIN = ZoneInfo("Europe/Berlin")


def _upload(api, user, application, name="Teilnehmerliste.pdf", **fields):
    response = api(user).post(
        f"/api/applications/{application.pk}/attachments/",
        {"file": SimpleUploadedFile(name, a_pdf(name)), **fields},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    return response


def _stored(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def kept(world, application_in, api, settings, tmp_path, django_capture_on_commit_callbacks):
    """A file whose proof of use was submitted, kept until 15.03.2031, with an
    attachment, a kept document, a payee who is a person and one that is not."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ATTACHMENT_SCAN = "off"
    application = application_in("funded", summary="Workshop mit Frau Erika Muster")
    with django_capture_on_commit_callbacks(execute=True):
        _upload(api, world.office, application, owner="office")
    Expenditure.objects.create(
        application=application,
        date=date(2026, 3, 1),
        payee="Erika Muster",
        purpose="Honorar",
        category=world.category,
        amount="300.00",
        created_by=world.sponsor_a,
    )
    Expenditure.objects.create(
        application=application,
        date=date(2026, 3, 2),
        payee="Druckerei Schmidt GmbH",
        purpose="Flyer",
        category=world.category,
        amount="100.00",
        created_by=world.sponsor_a,
    )
    pdf = api(world.office).get(f"/api/applications/{application.pk}/documents/application/")
    assert pdf.status_code == 200
    Application.objects.filter(pk=application.pk).update(
        state="closed", retention_until=KEEP, proof_submitted_at=timezone.now()
    )
    application.refresh_from_db()
    return application


def test_one_day_before_nothing_goes_on_the_deletion_day_everything(
    world, kept, settings, django_capture_on_commit_callbacks
):
    assert len(_stored(settings)) == 2  # the attachment and the kept PDF
    figures_before = program_figures(world.program, date(2026, 1, 1), date(2031, 12, 31))
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.sweep(today=KEEP).applications == []  # its last day
    assert Attachment.objects.filter(application=kept).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        result = retention.sweep(today=KEEP + timedelta(days=1))
    assert result.applications == [kept.reference]
    kept.refresh_from_db()
    assert kept.erased_at is not None and kept.summary == ""
    assert not Attachment.objects.filter(application=kept).exists()
    assert _stored(settings) == []  # the storage folder really holds none of its files
    payees = dict(Expenditure.objects.filter(application=kept).values_list("purpose", "payee"))
    assert payees == {"Honorar": "[gelöscht]", "Flyer": "Druckerei Schmidt GmbH"}
    # The figures stay: amounts, states, the file number.
    assert program_figures(world.program, date(2026, 1, 1), date(2031, 12, 31)) == figures_before
    event = trail_of(kept).get(namespace="retention", action="delete")
    assert "Erika" not in json.dumps(event.data) and event.data["attachments"] == 1
    assert all("Erika" not in json.dumps(e.data) + e.comment for e in trail_of(kept))
    # Twice: nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.sweep(today=KEEP + timedelta(days=2)).applications == []
    assert trail_of(kept).filter(namespace="retention", action="delete").count() == 1
    documents = _documents(world, kept)
    assert documents.status_code == 404


def test_the_figures_endpoint_and_the_funder_report_are_unchanged_after_deletion(
    world, kept, api, django_capture_on_commit_callbacks
):
    from dataclasses import replace

    from reports.pdf import funder_report
    from reports.selectors import funder_report_sheet

    start, end = date(2026, 1, 1), date(2026, 12, 31)  # the period of the file's figures
    url = f"/api/programs/{world.program.pk}/figures/?period_start={start}&period_end={end}"
    at = timezone.now()

    def report():
        return replace(funder_report_sheet(world.program, start, end), generated_at=at)

    figures, sheet = api(world.office).get(url), report()
    assert figures.status_code == 200, figures.content
    assert (figures.json()["received"], figures.json()["approved_amount"]) == (1, "400.00")
    pdf = funder_report.render(sheet)
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.sweep(today=KEEP + timedelta(days=1)).applications == [kept.reference]
    assert api(world.office).get(url).json() == figures.json()
    assert report() == sheet
    assert _pdf_text(funder_report.render(report())) == _pdf_text(pdf)


def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_nightly_task_keeps_the_file_on_its_last_day_and_deletes_it_at_berlin_midnight(
    world, kept, django_capture_on_commit_callbacks
):
    from workflows.tasks import apply_retention

    last_day = datetime(2031, 3, 15, 2, 30, tzinfo=BERLIN)  # the beat's hour
    commit = django_capture_on_commit_callbacks
    with time_machine.travel(last_day, tick=False), commit(execute=True):
        assert apply_retention() == 0
    assert not Application.objects.get(pk=kept.pk).erased_at
    # 23:30 UTC on the 15th is half past midnight of the 16th in Berlin: due.
    midnight = datetime(2031, 3, 15, 23, 30, tzinfo=UTC)
    with time_machine.travel(midnight, tick=False), commit(execute=True):
        assert apply_retention() == 1
    kept.refresh_from_db()
    assert kept.erased_at == midnight
    assert not Attachment.objects.filter(application=kept).exists()


def _documents(world, application):
    from tests.factories import client_for

    return client_for(world.office).get(
        f"/api/applications/{application.pk}/documents/application/"
    )


def test_a_held_file_is_kept_until_the_hold_is_lifted(
    world, kept, django_capture_on_commit_callbacks
):
    from core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        retention.retention_hold(application=kept, actor=world.office, reason="  ")
    retention.retention_hold(application=kept, actor=world.office, reason="Prüfung des BRH")
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.sweep(today=KEEP + timedelta(days=10)).applications == []
    assert Attachment.objects.filter(application=kept).exists()
    retention.retention_release(application=kept, actor=world.office)
    events = list(trail_of(kept).filter(namespace="retention").values_list("action", flat=True))
    assert events == ["hold", "release"]
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.sweep(today=KEEP + timedelta(days=10)).applications == [kept.reference]


def test_a_sponsor_cannot_hold_a_file(world, kept):
    from core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        retention.retention_hold(application=kept, actor=world.sponsor_a, reason="Bitte")


def test_the_office_is_told_once_thirty_days_ahead(world, kept, settings, mailoutbox):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reminder_sweep(today=KEEP - timedelta(days=31))
    assert not Delivery.objects.filter(occasion="reminder.retention_notice").exists()
    for day in range(30, 25, -1):
        reminder_sweep(today=KEEP - timedelta(days=day))
    notices = Delivery.objects.filter(occasion="reminder.retention_notice")
    assert notices.count() == 1 and notices.get().recipient == world.office
    assert "2031" in mailoutbox[-1].body


def test_the_portal_queue_lists_what_goes_within_30_days(world, kept, client):
    with time_machine.travel(KEEP - timedelta(days=10)):
        client.force_login(world.office)
        page = client.get("/office/queues/deletion_ahead/")
    assert page.status_code == 200 and kept.title in page.content.decode()
    with time_machine.travel(KEEP - timedelta(days=60)):
        client.force_login(world.office)
        page = client.get("/office/queues/deletion_ahead/")
    assert kept.title not in page.content.decode()


def _zip_of(api, user):
    from reports.export import export_build

    started = api(user).post("/api/users/me/export/")
    assert started.status_code == 202
    export_build(started.json()["id"])
    status = api(user).get("/api/users/me/export/").json()
    assert status["status"] == "done", status
    download = api(user).get(status["file"])
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    return archive, json.loads(archive.read("daten.json"))


@pytest.mark.parametrize("who", ["sponsor_a", "committee", "office"])
def test_the_export_holds_their_own_data_and_nobody_elses(
    world, kept, api, who, django_capture_on_commit_callbacks
):
    user = getattr(world, who)
    User.objects.filter(pk=world.sponsor_b.pk).update(
        email="bertha.b@example.org", first_name="Bertha", last_name="Beispiel"
    )
    with django_capture_on_commit_callbacks(execute=True):
        archive, data = _zip_of(api, user)
    assert data["account"]["username"] == user.username
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode(
        "utf-8", "replace"
    )
    for other in ("bertha.b@example.org", "Bertha", "sponsor_b"):
        assert other not in everything
    if who == "sponsor_a":
        assert data["memberships"][0]["organization"] == world.org_a.name
        assert data["memberships"]
        assert any(e["event"] == "application.submit" for e in data["audit_entries"])
    if who == "office":
        assert {r["role"] for r in data["roles"]} == {"office"}
        assert data["uploads"] and any(n.startswith("uploads/") for n in archive.namelist())
    if who == "committee":
        assert data["roles"][0]["role"] == "committee"


def test_a_committee_members_export_holds_their_votes_and_declarations_only(
    review, api, django_capture_on_commit_callbacks
):
    votes = f"/api/applications/{review.application.pk}/votes/"
    mine = api(review.committee).post(
        votes, {"choice": "approve", "comment": "Mein Votum"}, format="json"
    )
    theirs = api(review.chair).post(
        votes, {"choice": "reject", "comment": "Votum des Vorsitzes"}, format="json"
    )
    assert (mine.status_code, theirs.status_code) == (201, 201), mine.content
    declared = api(review.committee).post(
        f"/api/applications/{review.application.pk}/conflicts/",
        {"reason": "Verwandt mit der Vorsitzenden des Trägers"},
        format="json",
    )
    assert declared.status_code == 201, declared.content
    with django_capture_on_commit_callbacks(execute=True):
        archive, data = _zip_of(api, review.committee)
    assert [(v["choice"], v["comment"], v["void"]) for v in data["votes"]] == [
        ("approve", "Mein Votum", True)  # void since the declared conflict
    ]
    assert [d["reason"] for d in data["conflict_declarations"]] == [
        "Verwandt mit der Vorsitzenden des Trägers"
    ]
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert "Votum des Vorsitzes" not in everything
    assert review.chair.username not in everything


def test_another_persons_export_is_not_found(world, kept, api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api(world.sponsor_a).post("/api/users/me/export/")
    file = api(world.sponsor_a).get("/api/users/me/export/").json()["file"]
    assert api(world.sponsor_b).get(file).status_code == 404


def test_erasure_without_a_running_retention_period_is_at_once(world, api):
    user = world.sponsor_b
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    User.objects.filter(pk=user.pk).update(email="b@example.org", first_name="Bertha")
    entry = LogEntry.objects.create(
        user=world.office,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr="Bertha <b@example.org>",
        action_flag=CHANGE,
    )
    response = api(user).delete("/api/users/me/")
    assert response.status_code == 202 and response.json()["erased"] is True
    user.refresh_from_db()
    assert user.username == f"gelöschtes Konto {user.pk}"
    assert (user.email, user.first_name, user.is_active) == ("", "", False)
    assert not user.has_usable_password()
    entry.refresh_from_db()
    assert entry.object_repr == f"gelöschtes Konto {user.pk}"  # the admin's history too


def test_erasure_during_a_retention_period_locks_then_the_sweep_erases(
    world, kept, api, django_capture_on_commit_callbacks
):
    user = world.sponsor_a
    User.objects.filter(pk=user.pk).update(email="anna@example.org")
    user.refresh_from_db()
    response = api(user).delete("/api/users/me/")
    assert response.status_code == 202
    assert response.json()["erased"] is False and response.json()["kept_until"] == "2031-03-15"
    user.refresh_from_db()
    assert not user.is_active and user.username == "sponsor_a" and user.erased_at is None
    assert api(user).get("/api/users/me/").status_code == 401  # the token went
    with django_capture_on_commit_callbacks(execute=True):
        result = retention.sweep(today=KEEP + timedelta(days=1))
    assert result.accounts == 1
    user.refresh_from_db()
    assert user.username == f"gelöschtes Konto {user.pk}" and user.email == ""
    # The history keeps its entries, with the pseudonym for the person.
    submitted = trail_of(kept).get(namespace="application", action="submit")
    assert submitted.actor == user
    assert not AuditEntry.objects.filter(data__icontains="anna@example.org").exists()


def test_the_reserved_pseudonym_cannot_be_registered(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        User(username="Gelöschtes Konto 99").clean()


def test_old_sign_in_records_are_purged(world, settings):
    from axes.models import AccessAttempt, AccessLog
    from django.contrib.sessions.models import Session
    from knox.models import AuthToken

    from grants.auth import purge_signin_records

    old = timezone.now() - timedelta(days=31)
    fresh = timezone.now() - timedelta(days=5)
    for name, at in (("x", old), ("y", fresh)):
        attempt = AccessAttempt.objects.create(
            username=name, ip_address="10.0.0.1", failures_since_start=1, user_agent=""
        )
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=at)
        log = AccessLog.objects.create(username="x", ip_address=None, user_agent="")
        AccessLog.objects.filter(pk=log.pk).update(attempt_time=at)
    for key, expiry in (("stale", -1), ("fresh", 1)):
        Session.objects.create(
            session_key=key, session_data="", expire_date=timezone.now() + timedelta(hours=expiry)
        )
    token, _ = AuthToken.objects.create(user=world.sponsor_a)
    AuthToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(hours=1))
    purged = purge_signin_records()
    assert purged["attempts"] == 1 and purged["access_log"] == 1
    assert purged["expired_tokens"] == 1
    assert purged["expired_sessions"] == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["fresh"]
    assert AccessAttempt.objects.count() == 1 and AccessLog.objects.count() == 1


def test_old_invitations_lose_their_address(world, client):
    from projects.models import Invitation
    from projects.retention import INVITATION_DAYS

    now = timezone.now()
    old, recent = now - timedelta(days=INVITATION_DAYS + 1), now - timedelta(days=2)

    def invitation(email, state, decided_at=None, expires_at=None):
        return Invitation.objects.create(
            organization=world.org_a,
            email=email,
            invited_by=world.sponsor_a,
            state=state,
            decided_at=decided_at,
            expires_at=expires_at or now + timedelta(days=7),
        )

    gone = [
        invitation("alt.angenommen@example.org", "accepted", decided_at=old),
        invitation("alt.offen@example.org", "open", expires_at=old),
    ]
    kept = [
        invitation("neu.angenommen@example.org", "accepted", decided_at=recent),
        invitation("neu.abgelaufen@example.org", "open", expires_at=recent),
        invitation("offen@example.org", "open"),
    ]
    result = retention.sweep(today=date.today())
    assert result.invitations == 2
    assert [i.email for i in Invitation.objects.filter(pk__in=[i.pk for i in gone])] == ["", ""]
    assert sorted(Invitation.objects.exclude(email="").values_list("email", flat=True)) == sorted(
        i.email for i in kept
    )
    client.force_login(world.sponsor_a)
    page = client.get(f"/organizations/{world.org_a.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "alt.angenommen@example.org" not in text and "neu.angenommen@example.org" in text
    assert text.count("Adresse gelöscht") == 2


def test_the_dry_run_changes_nothing(world, kept):
    result = retention.sweep(today=KEEP + timedelta(days=1), dry_run=True)
    assert result.applications == [kept.reference]
    assert Attachment.objects.filter(application=kept).exists()
    assert privacy.files_needing(world.sponsor_a).exists()


@pytest.mark.parametrize("keep_addresses", [False, True])
def test_the_access_log_keeps_addresses_only_when_told(world, client, settings, keep_addresses):
    from axes.models import AccessLog

    settings.ACCESS_LOG_ADDRESSES = keep_addresses
    world.sponsor_a.set_password("pw-sponsor-a-1234")
    world.sponsor_a.save()
    signed_in = client.post(
        "/sign-in/", {"login": "sponsor_a", "password": "pw-sponsor-a-1234"}, REMOTE_ADDR="10.1.2.3"
    )
    assert signed_in.status_code == 302
    addresses = set(AccessLog.objects.values_list("ip_address", flat=True))
    assert addresses == ({"10.1.2.3"} if keep_addresses else {None})
