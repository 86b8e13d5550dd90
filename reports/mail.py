"""The funder report by e-mail to the program's funder contacts, with the PDF attached,
through the delivery log: one key per program, period and address, so a report
generated twice for one period is sent once."""

from __future__ import annotations

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.formats import format_date, format_datetime
from reports import selectors, services
from reports.models import Document, Export, Report
from workflows.delivery import deliver
from workflows.notifications import account_with_address


def report_filename(report: Report) -> str:
    return f"{report.program.code}-{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}.pdf"


def meeting_label(meeting, language: str) -> str:
    """What tells one meeting's files from another's: its body and day."""
    word = "meeting" if language == "en" else "Sitzung"
    return f"{slugify(meeting.body.name, allow_unicode=True)}-{word}-{meeting.starts_at:%Y-%m-%d}"


def call_label(call) -> str:
    """A call's dossier is named for its program and call (umlauts kept)."""
    return f"{call.program.code}-{slugify(call.title, allow_unicode=True)}"


def document_filename(document: Document, reference: str) -> str:
    words = {
        Document.Kind.APPLICATION: ("Antrag", "application"),
        Document.Kind.AGREEMENT: ("Zuwendungsbescheid", "grant-agreement"),
        Document.Kind.STATEMENT: ("Verwendungsnachweis", "proof-of-use"),
        Document.Kind.DOSSIER: ("Sitzungsvorlage", "dossier"),
        Document.Kind.MINUTES: ("Niederschrift", "minutes"),
        Document.Kind.FUNDER_REPORT: ("Bericht", "funder-report"),
    }[document.kind]
    word = words[1] if document.language == "en" else words[0]
    version = f"-v{document.version}" if document.version > 1 else ""
    return f"{reference}-{word}{version}.pdf" if reference else f"{word}{version}.pdf"


def send_funder_report(report: Report) -> int:
    """E-mail a finished report to each funder contact once (``Delivery`` keys on the
    program, the period and the address); answers how many mails went out now."""
    if report.status != Report.Status.DONE or report.document is None:
        return 0
    program = report.program
    period = (report.period_start, report.period_end)
    sent = 0
    for address in sorted({a.strip().lower() for a in program.funder_contacts if a.strip()}):
        account = account_with_address(address)
        language = account.language if account else settings.LANGUAGE_CODE

        def render(language: str = language) -> tuple[str, str]:
            with translation.override(language):
                label = selectors.period_label(*period)
                subject = _("[Zuwendo] %(program)s: report %(period)s") % {
                    "program": program.code,
                    "period": label,
                }
                body = "\n".join(
                    str(line)
                    for line in (
                        _("Hello,"),
                        "",
                        _(
                            "attached is the report on the program “%(program)s” for "
                            "%(period)s (%(start)s – %(end)s)."
                        )
                        % {
                            "program": program.name,
                            "period": label,
                            "start": format_date(period[0]),
                            "end": format_date(period[1]),
                        },
                        "",
                        _("It can also be downloaded here:"),
                        f"{settings.PUBLIC_URL}/api/reports/{report.pk}/file/",
                        "",
                        _("This message was sent by Zuwendo."),
                    )
                )
            return str(subject), body

        def attachments() -> list[tuple[str, bytes, str]]:
            return [(report_filename(report), services.read(report.document), "application/pdf")]

        sent += deliver(
            key=f"funder-report:{program.pk}:{period[0]}:{period[1]}:{address}",
            occasion="funder-report",
            user=account,
            address=address,
            render=render,
            reference=program.code,
            attachments=attachments,
            program_name=program.name,
        )
    return sent


def send_personal_export_ready(job: Export) -> bool:
    """Tell the person that the archive of their own data is ready, with the portal page
    to download it from and how long it is kept (once per export)."""
    user = job.requested_by

    def render() -> tuple[str, str]:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = _("[Zuwendo] Your data are ready to download")
            body = "\n".join(
                str(line)
                for line in (
                    _("Hello %(name)s,") % {"name": user.get_full_name() or user.username},
                    "",
                    _(
                        "the archive of the data Zuwendo holds about you (DSGVO Art. 15) is "
                        "ready, %(size)s. Sign in and download it from your profile until "
                        "%(until)s:"
                    )
                    % {
                        "size": filesizeformat(job.size),
                        "until": format_datetime(job.expires_at),
                    },
                    f"{settings.PUBLIC_URL}/profile/#my-data",
                    "",
                    _("This message was sent by Zuwendo."),
                )
            )
        return str(subject), body

    return deliver(
        key=f"export:{job.pk}", occasion="personal-export-ready", user=user, render=render
    )


def send_export_ready(job: Export) -> bool:
    """Tell the one who asked for the whole file that its ZIP is ready, with the link
    and how long it is kept (once per export)."""
    if job.kind == Export.Kind.PERSONAL_DATA:
        return send_personal_export_ready(job)
    user = job.requested_by
    application = job.application

    def render() -> tuple[str, str]:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = _("[Zuwendo] %(reference)s: the whole file is ready") % {
                "reference": application.reference
            }
            body = "\n".join(
                str(line)
                for line in (
                    _("Hello %(name)s,") % {"name": user.get_full_name() or user.username},
                    "",
                    _(
                        "the whole file of “%(title)s” (%(reference)s) is ready as a ZIP "
                        "file of %(size)s. It can be downloaded until %(until)s here:"
                    )
                    % {
                        "title": application.title,
                        "reference": application.reference,
                        "size": filesizeformat(job.size),
                        "until": format_datetime(job.expires_at),
                    },
                    f"{settings.PUBLIC_URL}/api/exports/{job.pk}/file/",
                    "",
                    _("This message was sent by Zuwendo."),
                )
            )
        return str(subject), body

    return deliver(
        key=f"export:{job.pk}",
        occasion="export-ready",
        user=user,
        render=render,
        reference=application.reference or "",
        program_name=application.program.name,
    )
