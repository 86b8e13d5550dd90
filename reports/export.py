"""The whole file (Akte) of an application as one ZIP (DOMAIN.md, "Attachments"), for
the funder's or the Federal Court of Audit's review: every kept document, every
attachment scanned clean under a readable path, the receipts list as CSV and XLSX, the
audit trail as CSV, and an index PDF naming every file with its sha256, in the order of
the file. Built into a temporary file (streamed from there, never held in memory)."""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import secrets
import tempfile
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core import audit
from core.audit import trail_of
from core.formats import format_datetime
from grants.models import User
from projects.models import Application, Attachment, Expenditure
from reports import mail, personal, services
from reports.archive import Entry, Zip
from reports.models import Export
from reports.pdf.style import Column, Letterhead, Styles, build, para, table

FOLDERS = {
    "application": "02-Anlagen",
    "receipt": "03-Belege",
    "proof_of_use": "04-Verwendungsnachweis",
    "interim_proof": "05-Zwischennachweise",
    "change_request": "06-Änderungsanträge",
    "office": "07-Fachstelle",
}
logger = logging.getLogger(__name__)

# A cell that starts with one of these is a formula to a spreadsheet: neutralised.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """CSV injection: a text starting with ``=``, ``+``, ``-``, ``@``, tab or CR is
    prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _receipts(application: Application) -> list[list[object]]:
    deducts = application.organization.deducts_input_tax
    rows = []
    for line in (
        Expenditure.objects.filter(application=application)
        .select_related("category")
        .order_by("date", "pk")
    ):
        rows.append(
            [
                line.date,
                line.receipt_number,
                line.payee,
                line.purpose,
                line.category.name,
                line.amount,
                line.vat,
                line.eligible(deducts),
                line.get_finding_display() if line.finding else "",
                line.finding_reason,
            ]
        )
    return rows


RECEIPT_HEADER = [
    "Datum",
    "Beleg-Nr.",
    "Empfänger",
    "Zweck",
    "Kostenart",
    "Netto",
    "USt.",
    "Anerkannt",
    "Feststellung",
    "Begründung",
]


def table_csv(header: list[str], rows: list[list[object]]) -> bytes:
    """CSV for German spreadsheets (``;``, UTF-8 with a BOM), dates as ISO, text that a
    spreadsheet would read as a formula neutralised."""
    return _csv(rows, header)


def _csv(rows: list[list[object]], header: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [value.isoformat() if isinstance(value, date) else safe_cell(value) for value in row]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # a BOM: Excel reads UTF-8


def table_xlsx(
    header: list[str],
    rows: list[list[object]],
    *,
    title: str,
    date_columns: tuple[int, ...] = (),
    money_columns: tuple[int, ...] = (),
) -> bytes:
    """A sheet of ``rows``: amounts as numbers with a German number format, dates as
    dates, text that a spreadsheet would read as a formula neutralised (``safe_cell``)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for row in rows:
        sheet.append([safe_cell(value) if isinstance(value, str) else value for value in row])
    for cells in sheet.iter_rows(min_row=2):
        for index in date_columns:
            cells[index].number_format = "DD.MM.YYYY"
        for index in money_columns:
            cells[index].number_format = '#,##0.00 "€"'
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx(rows: list[list[object]]) -> bytes:
    return table_xlsx(
        RECEIPT_HEADER, rows, title="Belegliste", date_columns=(0,), money_columns=(5, 6, 7)
    )


def _trail(application: Application) -> bytes:
    rows = [
        [
            format_datetime(entry.at),
            entry.event,
            entry.actor.get_full_name() or entry.actor.username if entry.actor else "",
            entry.source,
            entry.target,
            entry.comment,
        ]
        for entry in trail_of(application).select_related("actor").order_by("at", "pk")
    ]
    return _csv(rows, ["Zeit", "Ereignis", "Wer", "von", "nach", "Kommentar"])


def _index(application: Application, entries: list[Entry]) -> bytes:
    story = [
        para(
            _("Contents of the file %(reference)s") % {"reference": application.reference},
            Styles.title,
        ),
        para(f"{application.title} · {application.organization.name}", Styles.subtitle),
        table(
            [
                Column(_("File"), 0.42),
                Column(_("Bytes"), 0.1, numeric=True),
                Column("SHA-256", 0.48),
            ],
            [
                (
                    entry.path + (f" ({entry.note})" if entry.note else ""),
                    str(entry.size),
                    entry.sha256,
                )
                for entry in entries
            ],
        ),
    ]
    letterhead = Letterhead(
        program=f"{application.program.code} – {application.program.name}",
        document=_("File %(reference)s") % {"reference": application.reference},
        reference=application.reference or "",
        issued_on=timezone.localdate(),
    )
    return build(story, letterhead)


def build_export(application: Application, actor: User):
    """The ZIP as a temporary file, positioned at its start."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (handed to the streamed response)
    archive = Zip(handle)
    with translation.override("de"):
        for kind in services.available_kinds(application):
            document = services.application_document(
                application=application, kind=kind, actor=actor, language="de"
            )
            content = services.read(document)
            archive.add_bytes(
                f"01-Dokumente/{kind}-v{document.version}.pdf",
                content,
                note=str(document.get_kind_display()),
            )
        for attachment in Attachment.objects.filter(application=application).order_by(
            "owner", "uploaded_at", "pk"
        ):
            folder = FOLDERS.get(attachment.owner, "08-Sonstige")
            if attachment.scan_state != "clean" or not attachment.file:
                archive.entries.append(
                    Entry(
                        f"{folder}/{attachment.original_name}",
                        attachment.sha256,
                        attachment.size,
                        note=_("not included: %(state)s")
                        % {"state": attachment.get_scan_state_display()},
                    )
                )
                continue
            archive.add_file(
                f"{folder}/{attachment.original_name}",
                attachment.file,
                attachment.sha256,
                attachment.size,
            )
        rows = _receipts(application)
        archive.add_bytes("09-Belegliste.csv", _csv(rows, RECEIPT_HEADER))
        archive.add_bytes("09-Belegliste.xlsx", _xlsx(rows))
        archive.add_bytes("10-Verlauf.csv", _trail(application))
        index = _index(application, list(archive.entries))
        archive.archive.writestr("00-Inhalt.pdf", index)
    archive.archive.close()
    handle.seek(0)
    return handle


def files_size(application: Application) -> int:
    """The bytes of the clean attachments the ZIP would carry: what decides whether it
    is built in the request or by a task."""
    return (
        Attachment.objects.filter(application=application, scan_state="clean").aggregate(
            total=Sum("size")
        )["total"]
        or 0
    )


def builds_inline(application: Application) -> bool:
    return files_size(application) <= settings.EXPORT_INLINE_BYTES


def export_request(*, application: Application, actor: User) -> Export:
    """Ask for the ZIP to be built by a task (``reports.tasks.build_export_file``, queued
    after commit by the caller); the same person's unfinished request for the same file
    is answered again rather than built twice. Audited on the application."""
    with transaction.atomic():
        running = (
            Export.objects.select_for_update()
            .filter(
                application=application,
                requested_by=actor,
                status__in=[Export.Status.PENDING, Export.Status.RUNNING],
            )
            .first()
        )
        if running is not None:
            return running
        job = Export.objects.create(
            application=application, requested_by=actor, token=secrets.token_hex(24)
        )
        audit.record(event="application.export", trail=application, actor=actor)
    return job


def _claim(export_id: int) -> Export | None:
    with transaction.atomic():
        job = (
            # Only the export's row: its application is null for a person's own data,
            # and PostgreSQL locks no row on the nullable side of an outer join.
            Export.objects.select_for_update(of=("self",))
            .select_related("application", "requested_by")
            .get(pk=export_id)
        )
        if job.status not in (Export.Status.PENDING, Export.Status.FAILED):
            return None  # built, being built, or expired: a task run twice builds once
        job.status = Export.Status.RUNNING
        job.started_at = timezone.now()
        job.failure = ""
        job.save(update_fields=["status", "started_at", "failure"])
    return job


def export_build(export_id: int) -> Export:
    """Build the ZIP, keep it in the storage under a random name, and e-mail the one who
    asked for it; a failure marks the export ``failed`` with the reason."""
    job = _claim(export_id)
    if job is None:
        return Export.objects.get(pk=export_id)
    try:
        if job.kind == Export.Kind.PERSONAL_DATA:
            built = personal.build_personal_export(job.requested_by)
        else:
            built = build_export(job.application, job.requested_by)
        with built as handle:
            digest = hashlib.sha256()
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
            size = handle.tell()
            handle.seek(0)
            job.file.save(f"{job.token}.zip", File(handle), save=False)
    except Exception as exc:
        logger.exception("export %s failed", export_id)
        Export.objects.filter(pk=export_id).update(
            status=Export.Status.FAILED,
            failure=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return Export.objects.get(pk=export_id)
    now = timezone.now()
    Export.objects.filter(pk=export_id).update(
        status=Export.Status.DONE,
        file=job.file.name,
        size=size,
        sha256=digest.hexdigest(),
        finished_at=now,
        expires_at=now + timedelta(hours=settings.EXPORT_KEEP_HOURS),
    )
    job.refresh_from_db()
    mail.send_export_ready(job)
    return job


def export_purge(now: datetime | None = None) -> int:
    """Delete the ZIPs past ``expires_at`` (the daily sweep); the row stays, ``expired``,
    so a link followed late says so. Answers how many files went."""
    now = now or timezone.now()
    purged = 0
    for job in Export.objects.filter(status=Export.Status.DONE, expires_at__lte=now):
        if job.file:
            job.file.storage.delete(job.file.name)
        Export.objects.filter(pk=job.pk).update(status=Export.Status.EXPIRED, file="")
        purged += 1
    return purged
