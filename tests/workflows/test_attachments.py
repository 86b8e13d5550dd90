"""Attachments (issue #22): uploads typed by their bytes, limits, nothing half-saved, the
virus scan's states, who sees and downloads what, and the call's required annexes."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen import canvas

from core.audit import trail_of
from grants.models import AnnexType
from projects.models import Attachment

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def a_pdf(text: str = "Satzung des Vereins") -> bytes:
    """A one-page PDF, the same bytes for the same text (reportlab's invariant mode)."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def a_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return buffer.getvalue()


def _upload(api, user, application, content, name="Satzung.pdf", **fields):
    return api(user).post(
        f"/api/applications/{application.pk}/attachments/",
        {"file": SimpleUploadedFile(name, content), **fields},
        format="multipart",
    )


def _stored(settings) -> list[str]:
    root = Path(settings.MEDIA_ROOT) / "attachments"
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def draft(world, application_in):
    return application_in("draft")


@pytest.fixture
def unscanned(settings):
    """The demo's explicit setting: files are marked clean without a scan."""
    settings.ATTACHMENT_SCAN = "off"


def test_a_pdf_is_attached_pending_and_only_its_uploader_downloads_it(world, draft, api):
    response = _upload(api, world.sponsor_a, draft, a_pdf(), description="Stand 2026")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["content_type"], body["scan_state"], body["original_name"]) == (
        "application/pdf",
        "pending",
        "Satzung.pdf",
    )
    attachment = Attachment.objects.get()
    assert attachment.sha256 == body["sha256"] and attachment.size == len(a_pdf())
    assert "Satzung" not in attachment.file.name  # never under the client's name
    own = api(world.sponsor_a).get(f"/api/attachments/{body['id']}/file/")
    assert own.status_code == 200
    assert [e.event for e in trail_of(draft)][-1] == "attachment.upload"


def test_a_clean_file_downloads_as_an_attachment_never_inline(
    world, application_in, api, unscanned, django_capture_on_commit_callbacks
):
    submitted = application_in("submitted")
    with django_capture_on_commit_callbacks(execute=True):
        body = _upload(api, world.sponsor_a, submitted, a_pdf(), name="Satzung ä.pdf").json()
    assert Attachment.objects.get().scan_state == "clean"
    response = api(world.office).get(f"/api/attachments/{body['id']}/file/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Satzung%20%C3%A4.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    assert b"".join(response.streaming_content) == a_pdf()


def test_the_same_content_again_is_the_file_on_record(world, draft, api):
    first = _upload(api, world.sponsor_a, draft, a_pdf())
    again = _upload(api, world.sponsor_a, draft, a_pdf(), name="Kopie.pdf")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Attachment.objects.count() == 1


def _zip_bomb() -> bytes:
    # Fixed timestamps: the same bytes in every process (pytest-xdist's workers must
    # collect the same test ids, and an id shows the content).
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"\0" * (50 * 1024 * 1024)),
        ):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Rechnung.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\0" * 200),  # an executable
        ("Bericht.docx", _zip_bomb()),
        ("Flyer.pdf", b"<html><script>alert(1)</script>%PDF-1.4</html>"),  # HTML, not PDF
        ("Logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("Foto.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64),  # a PNG that does not open
        ("Archiv.zip", b"PK\x05\x06" + b"\0" * 18),  # an (empty) zip archive
    ],
    ids=["exe-as-pdf", "zip-bomb-docx", "html-as-pdf", "svg-script", "broken-png", "zip"],
)
def test_content_not_allowed_is_415_and_nothing_is_saved(
    world, draft, api, settings, name, content
):
    response = _upload(api, world.sponsor_a, draft, content, name=name)
    assert response.status_code == 415, response.json()
    assert response.json()["code"] == "unsupported_type"
    assert not Attachment.objects.exists()
    assert _stored(settings) == []


def test_empty_too_large_and_missing_files_are_refused(world, draft, api, settings):
    empty = _upload(api, world.sponsor_a, draft, b"", name="leer.pdf")
    assert empty.status_code == 400 and "file" in empty.json()["errors"]
    settings.ATTACHMENT_MAX_BYTES = len(a_pdf()) - 1
    over = _upload(api, world.sponsor_a, draft, a_pdf())
    assert over.status_code == 413 and over.json()["code"] == "too_large"
    missing = api(world.sponsor_a).post(
        f"/api/applications/{draft.pk}/attachments/", {"kind": "other"}, format="multipart"
    )
    assert missing.status_code == 400 and "file" in missing.json()["errors"]
    as_json = api(world.sponsor_a).post(
        f"/api/applications/{draft.pk}/attachments/", {"file": "x"}, format="json"
    )
    assert as_json.status_code == 415
    assert not Attachment.objects.exists() and _stored(settings) == []


def test_an_application_has_a_total_limit(world, draft, api, settings):
    settings.ATTACHMENT_MAX_TOTAL = len(a_pdf("eins")) + 10
    assert _upload(api, world.sponsor_a, draft, a_pdf("eins")).status_code == 201
    second = _upload(api, world.sponsor_a, draft, a_pdf("zwei"), name="b.pdf")
    assert second.status_code == 413
    assert Attachment.objects.count() == 1 and len(_stored(settings)) == 1


def test_a_hostile_file_name_is_made_safe(world, draft, api):
    name = "../../etc/" + "ü" * 300 + "\x00\u202e.pdf"
    body = _upload(api, world.sponsor_a, draft, a_png(), name=name).json()
    assert body["content_type"] == "image/png"
    assert body["original_name"].endswith(".png") and "/" not in body["original_name"]
    assert "\x00" not in body["original_name"] and "\u202e" not in body["original_name"]
    assert len(body["original_name"]) <= 200


def test_a_required_annex_holds_the_submission_until_it_is_clean(
    world, draft, api, settings, django_capture_on_commit_callbacks
):
    created = api(world.office).post(
        f"/api/calls/{world.call.pk}/annex-types/",
        {"name": "Satzung", "description": "Die gültige Satzung.", "required": True},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert (
        api(world.sponsor_a)
        .post(f"/api/calls/{world.call.pk}/annex-types/", {"name": "X"}, format="json")
        .status_code
        == 403
    )
    annex = AnnexType.objects.get()
    url = f"/api/applications/{draft.pk}/transitions/submit/"
    refused = api(world.sponsor_a).post(url, {}, format="json")
    assert refused.status_code == 400 and "attachments" in refused.json()["errors"]
    listing = api(world.sponsor_a).get(f"/api/applications/{draft.pk}/attachments/").json()
    assert listing["missing_annexes"] == [{"id": annex.pk, "name": "Satzung", "state": "missing"}]
    with django_capture_on_commit_callbacks(execute=True):  # no CLAMD_URL: stays pending
        _upload(api, world.sponsor_a, draft, a_pdf(), kind=str(annex.pk))
    assert Attachment.objects.get().scan_state == "pending"
    assert api(world.sponsor_a).post(url, {}, format="json").status_code == 400
    settings.ATTACHMENT_SCAN = "off"
    from workflows.attachments import attachment_scan

    assert attachment_scan(Attachment.objects.get().pk) == "clean"
    submitted = api(world.sponsor_a).post(url, {}, format="json")
    assert submitted.status_code == 200, submitted.json()


def test_an_annex_type_of_another_call_is_refused(world, draft, api):
    from tests.factories import CallFactory

    other = AnnexType.objects.create(call=CallFactory(program=world.program), name="Fremd")
    response = _upload(api, world.sponsor_a, draft, a_pdf(), kind=str(other.pk))
    assert response.status_code == 400 and "kind" in response.json()["errors"]
    assert not Attachment.objects.exists()


def test_who_sees_and_downloads_which_file(
    world, application_in, api, unscanned, django_capture_on_commit_callbacks
):
    from tests.factories import seat_committee

    seat_committee(world)
    application = application_in("committee_review")
    with django_capture_on_commit_callbacks(execute=True):
        annex = _upload(api, world.sponsor_a, application, a_pdf()).json()
        office_file = (
            api(world.office)
            .post(
                f"/api/applications/{application.pk}/attachments/",
                {"file": SimpleUploadedFile("Vermerk.pdf", a_pdf("Vermerk")), "owner": "office"},
                format="multipart",
            )
            .json()
        )
    listed = {
        user.username: [
            a["id"]
            for a in api(user)
            .get(f"/api/applications/{application.pk}/attachments/")
            .json()
            .get("attachments", [])
        ]
        for user in (world.sponsor_a, world.office, world.committee)
    }
    assert listed["sponsor_a"] == [annex["id"]]
    assert sorted(listed["office"]) == sorted([annex["id"], office_file["id"]])
    assert listed["committee"] == [annex["id"]]
    assert api(world.committee).get(f"/api/attachments/{annex['id']}/file/").status_code == 200
    for user in (world.sponsor_b, world.funder, world.other_office):
        assert api(user).get(f"/api/attachments/{annex['id']}/file/").status_code == 404
        assert api(user).get(f"/api/applications/{application.pk}/attachments/").status_code in (
            403,
            404,
        )
    assert api(world.committee).get(f"/api/attachments/{office_file['id']}/").status_code == 404
    assert api(world.sponsor_a).get(f"/api/attachments/{office_file['id']}/").status_code == 404
    assert api().get(f"/api/attachments/{annex['id']}/file/").status_code == 401


def test_files_are_deleted_in_draft_only_and_frozen_when_closed(
    world, draft, application_in, api, settings
):
    body = _upload(api, world.sponsor_a, draft, a_pdf()).json()
    assert api(world.sponsor_a).delete(f"/api/attachments/{body['id']}/").status_code == 204
    assert not Attachment.objects.exists()
    submitted = application_in("submitted")
    kept = _upload(api, world.sponsor_a, submitted, a_pdf()).json()
    assert api(world.sponsor_a).delete(f"/api/attachments/{kept['id']}/").status_code == 409
    withdrawn = application_in("withdrawn")
    frozen = _upload(api, world.sponsor_a, withdrawn, a_pdf())
    assert frozen.status_code == 409
    assert Attachment.objects.count() == 1
    assert [e.event for e in trail_of(draft)][-1] == "attachment.delete"


def test_a_receipt_scan_belongs_to_a_line_of_the_application(world, funded, api):
    from projects.models import Expenditure

    line = Expenditure.objects.create(
        application=funded.application,
        date=funded.application.start_date,
        payee="Druckerei",
        purpose="Flyer",
        category=world.category,
        amount="50.00",
        created_by=world.sponsor_a,
    )
    ok = _upload(
        api,
        world.sponsor_a,
        funded.application,
        a_png(),
        name="Beleg.png",
        owner="receipt",
        owner_id=line.pk,
    )
    assert ok.status_code == 201, ok.json()
    stranger = _upload(
        api, world.sponsor_a, funded.application, a_pdf(), owner="receipt", owner_id=999999
    )
    assert stranger.status_code == 400 and "owner_id" in stranger.json()["errors"]


def test_the_retention_hook_deletes_every_file(
    world, draft, api, settings, django_capture_on_commit_callbacks
):
    from workflows.attachments import delete_files_of

    _upload(api, world.sponsor_a, draft, a_pdf())
    _upload(api, world.sponsor_a, draft, a_png(), name="Foto.png")
    assert len(_stored(settings)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert delete_files_of(draft) == 2
    assert not Attachment.objects.exists()
    assert _stored(settings) == []


def test_a_requested_receipt_shows_until_its_clean_scan_is_attached(
    world, funded, api, settings, django_capture_on_commit_callbacks
):
    """#22 with #21's receipt review: the office asks for a receipt; the line says
    "requested" (Beleg angefordert) until a scan is attached and scanned clean."""
    from datetime import date

    from tests.workflows.test_money import _paid, _proof, _receipt, _transition

    application = funded.application
    _paid(api, funded, "400.00")
    line = _receipt(api, funded, "400.00", day=date.today()).json()["id"]
    _proof(api, funded)
    assert _transition(api, funded.sponsor_a, funded, "submit_proof_of_use").status_code == 200
    api(funded.office).post(
        f"/api/applications/{application.pk}/receipts-request/", {"lines": [line]}, format="json"
    )
    lines_url = f"/api/applications/{application.pk}/expenditures/"
    assert api(funded.office).get(lines_url).json()[0]["receipt_scan"] == "requested"
    with django_capture_on_commit_callbacks(execute=True):  # no CLAMD_URL: pending
        scan = _upload(
            api,
            funded.sponsor_a,
            application,
            a_png(),
            name="Beleg.png",
            owner="receipt",
            owner_id=line,
        )
    assert scan.status_code == 201, scan.json()
    assert api(funded.office).get(lines_url).json()[0]["receipt_scan"] == "pending"
    settings.ATTACHMENT_SCAN = "off"
    from workflows.attachments import attachment_scan

    attachment_scan(scan.json()["id"])
    assert api(funded.office).get(lines_url).json()[0]["receipt_scan"] == "attached"


def test_a_program_that_wants_every_receipt_scanned_holds_the_proof(
    world, funded, api, settings, django_capture_on_commit_callbacks
):
    from datetime import date

    from tests.workflows.test_money import _paid, _proof, _receipt, _transition

    funded.program.receipt_scans = "always"
    funded.program.save()
    _paid(api, funded, "400.00")
    line = _receipt(api, funded, "400.00", day=date.today()).json()["id"]
    _proof(api, funded)
    refused = _transition(api, funded.sponsor_a, funded, "submit_proof_of_use")
    assert refused.status_code == 400 and "attachments" in refused.json()["errors"]
    settings.ATTACHMENT_SCAN = "off"
    with django_capture_on_commit_callbacks(execute=True):
        _upload(
            api,
            funded.sponsor_a,
            funded.application,
            a_pdf("Beleg"),
            owner="receipt",
            owner_id=line,
        )
    accepted = _transition(api, funded.sponsor_a, funded, "submit_proof_of_use")
    assert accepted.status_code == 200, accepted.json()


def test_the_whole_file_as_one_zip(
    world, funded, api, settings, django_capture_on_commit_callbacks
):
    """#22: every kept document, every clean attachment under a readable path, the
    receipts list as CSV (formulas neutralised) and XLSX, the trail as CSV, and an index
    whose sha256 match the files."""
    import csv
    import hashlib
    import zipfile
    from datetime import date

    from pypdf import PdfReader

    from tests.workflows.test_money import _paid, _receipt

    settings.ATTACHMENT_SCAN = "off"
    application = funded.application
    _paid(api, funded, "400.00")
    line = (
        api(funded.sponsor_a)
        .post(
            f"/api/applications/{application.pk}/expenditures/",
            {
                "date": date.today().isoformat(),
                "payee": '=HYPERLINK("http://x")',
                "purpose": "Workshop",
                "category": "honorare",
                "amount": "123.45",
            },
            format="json",
        )
        .json()["id"]
    )
    _receipt(api, funded, "50.00", day=date.today())
    with django_capture_on_commit_callbacks(execute=True):
        _upload(api, funded.sponsor_a, application, a_pdf(), name="Satzung Jugendzentrum.pdf")
        _upload(
            api,
            funded.sponsor_a,
            application,
            a_png(),
            name="Beleg.png",
            owner="receipt",
            owner_id=line,
        )
    assert (
        api(funded.sponsor_a).get(f"/api/applications/{application.pk}/export/").status_code == 403
    )
    response = api(funded.office).get(f"/api/applications/{application.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "Akte-" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert "02-Anlagen/Satzung Jugendzentrum.pdf" in names
    assert "03-Belege/Beleg.png" in names
    assert any(name.startswith("01-Dokumente/application") for name in names)
    assert any(name.startswith("01-Dokumente/agreement") for name in names)
    index = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(archive.read("00-Inhalt.pdf"))).pages
    )
    for name in names:
        if name == "00-Inhalt.pdf":
            continue
        digest = hashlib.sha256(archive.read(name)).hexdigest()
        assert digest[:20] in index.replace("\n", ""), name
    rows = list(
        csv.reader(
            io.StringIO(archive.read("09-Belegliste.csv").decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0][0] == "Datum" and len(rows) == 3
    assert any(row[2].startswith("'=HYPERLINK") for row in rows[1:])
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(archive.read("09-Belegliste.xlsx"))).active
    amounts = sorted(cell.value for cell in sheet["F"][1:])
    assert [float(a) for a in amounts] == [50.0, 123.45]
    assert "attachment.upload" in archive.read("10-Verlauf.csv").decode("utf-8-sig")


def test_a_large_file_is_exported_by_a_task_kept_for_its_owner_and_purged(
    world, funded, api, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """#22: over ``EXPORT_INLINE_BYTES`` the ZIP is built by a task (202 to poll), the
    one who asked is e-mailed the link, nobody else sees it, and the daily sweep deletes
    it when its time has run out."""
    import hashlib
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from reports.models import Export
    from reports.tasks import purge_exports

    settings.ATTACHMENT_SCAN = "off"
    application = funded.application
    with django_capture_on_commit_callbacks(execute=True):
        _upload(api, funded.sponsor_a, application, a_pdf(), name="Satzung.pdf")
    settings.EXPORT_INLINE_BYTES = 10  # the one file is "large"
    url = f"/api/applications/{application.pk}/export/"
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = api(funded.office).get(url)
        again = api(funded.office).get(url)
    assert first.status_code == 202 and first.json()["status"] == "pending"
    assert first["Location"] == f"/api/exports/{first.json()['id']}/"
    assert again.json()["id"] == first.json()["id"]  # asked twice, built once
    assert Export.objects.count() == 1
    assert api(funded.office).get(f"/api/exports/{first.json()['id']}/file/").status_code == 404
    for callback in queued[:1]:
        callback()
    job = Export.objects.get()
    assert job.status == "done", job.failure
    body = api(funded.office).get(f"/api/exports/{job.pk}/").json()
    assert body["file"] == f"/api/exports/{job.pk}/file/" and body["size"] == job.size
    response = api(funded.office).get(body["file"])
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == body["sha256"]
    assert "02-Anlagen/Satzung.pdf" in zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert job.token not in job.application.reference and job.file.name.endswith(f"{job.token}.zip")
    # The link went to the one who asked, and to nobody else.
    [mail] = [m for m in mailoutbox if body["file"] in m.body]
    assert mail.to == [funded.office.email] and application.reference in mail.subject
    for other in (world.admin, funded.sponsor_a, world.other_office):
        assert api(other).get(f"/api/exports/{job.pk}/").status_code == 404
        assert api(other).get(f"/api/exports/{job.pk}/file/").status_code == 404
    assert [e.action for e in trail_of(application)].count("export") == 1
    stored = Path(settings.MEDIA_ROOT) / job.file.name
    assert stored.is_file()
    with time_machine.travel(timezone.now() + timedelta(hours=settings.EXPORT_KEEP_HOURS - 1)):
        assert purge_exports() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=settings.EXPORT_KEEP_HOURS + 1)):
        assert purge_exports() == 1
        assert purge_exports() == 0
    assert not stored.exists()
    assert api(funded.office).get(f"/api/exports/{job.pk}/").json()["status"] == "expired"
    assert api(funded.office).get(f"/api/exports/{job.pk}/file/").status_code == 404


def test_a_failed_export_says_why_and_can_be_built_again(world, funded, settings, monkeypatch):
    from reports import export
    from reports.models import Export

    settings.ATTACHMENT_SCAN = "off"
    job = export.export_request(application=funded.application, actor=funded.office)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(export, "build_export", broken)
    assert export.export_build(job.pk).status == "failed"
    assert "disk full" in Export.objects.get(pk=job.pk).failure
    monkeypatch.undo()
    assert export.export_build(job.pk).status == "done"
    assert export.export_build(job.pk).status == "done"  # run twice: built once
    assert Export.objects.count() == 1


def test_the_attachment_list_does_not_grow_with_its_files(world, draft, api, settings):
    """token + user, memberships, roles, the application, its files with kind, uploader
    and application, the missing annexes' files, the call's annex types: seven, for 2
    files as for 12."""
    from tests.factories import query_count

    url = f"/api/applications/{draft.pk}/attachments/"
    for number in range(2):
        _upload(api, world.sponsor_a, draft, a_pdf(f"Anlage {number}"), name=f"{number}.pdf")
    few = query_count(world.sponsor_a, url)
    for number in range(2, 12):
        _upload(api, world.sponsor_a, draft, a_pdf(f"Anlage {number}"), name=f"{number}.pdf")
    assert query_count(world.sponsor_a, url) == few == 7


def test_a_program_may_accept_fewer_types(world, draft, api):
    """DOMAIN.md: "a program may narrow them": PDF only, a PNG is refused."""
    patched = api(world.office).patch(
        f"/api/programs/{world.program.pk}/",
        {"attachment_types": ["application/pdf"]},
        format="json",
    )
    assert patched.status_code == 200, patched.json()
    assert _upload(api, world.sponsor_a, draft, a_png(), name="Foto.png").status_code == 415
    assert _upload(api, world.sponsor_a, draft, a_pdf()).status_code == 201
    wrong = api(world.office).patch(
        f"/api/programs/{world.program.pk}/", {"attachment_types": ["image/svg+xml"]}, format="json"
    )
    assert wrong.status_code == 400
