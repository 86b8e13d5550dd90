"""Rendering documents and keeping them (``Document``), and the funder reports.

Every generated file is stored with its sha256. The renderers are deterministic, so a
document whose content did not change is not stored again: the latest version is
served. A frozen document (the grant agreement once issued, the minutes once signed)
is served as issued; regenerating it keeps the old version and adds a new one.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.errors import InvalidInput, NotFound, require
from core.formats import format_date
from grants.models import Call, Program, ReportFrequency, User
from projects.models import Application, Meeting, PayoutBatch
from projects.states import ApplicationState
from reports import selectors, sepa
from reports.html import document_html
from reports.models import Document, Report
from reports.pdf import (
    agreement,
    application,
    dossier,
    funder_report,
    minutes,
    payment_order,
    statement,
)

logger = logging.getLogger(__name__)
Kind = Document.Kind

S = ApplicationState
# DOMAIN.md / CONTRACT.md: the agreement exists from the approval on, the statement
# from the funding on.
AGREEMENT_STATES = frozenset({S.APPROVED, S.FUNDED, S.PROOF_SUBMITTED, S.REPAYMENT_DUE, S.CLOSED})
STATEMENT_STATES = frozenset({S.FUNDED, S.PROOF_SUBMITTED, S.REPAYMENT_DUE, S.CLOSED})
LANGUAGES = ("de", "en")
# The kinds of an application's documents (``/api/applications/{id}/documents/{kind}/``).
DOCUMENT_KINDS = (Kind.APPLICATION, Kind.AGREEMENT, Kind.STATEMENT)
MAX_REPORT_DAYS = 5 * 366


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    frozen: bool = False


def _pages(pdf: bytes) -> int:
    # reportlab writes "/Type /Pages ... /Count N" once; read it without a PDF parser.
    marker = pdf.rfind(b"/Count ")
    if marker < 0:
        return 0
    digits = pdf[marker + 7 : marker + 17].split(b" ")[0].split(b"\n")[0].strip(b"/>")
    return int(digits) if digits.isdigit() else 0


def _latest(kind: str, subject: models.Model, language: str, period=(None, None)):
    return (
        selectors.documents_of(subject)
        .filter(kind=kind, language=language, period_start=period[0], period_end=period[1])
        .order_by("-version")
        .first()
    )


def store(
    *,
    kind: str,
    subject: models.Model,
    program: Program,
    language: str,
    pdf: bytes,
    actor: User | None = None,
    frozen: bool = False,
    period: tuple[date | None, date | None] = (None, None),
    new_version: bool = False,
    content_hash: str = "",
) -> Document:
    """Keep ``pdf`` as the next version of the document unless the latest version has
    the same content (and ``new_version`` is not asked for). The subject's row is locked
    so that two requests never take the same version number."""
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        type(subject).objects.select_for_update().filter(pk=subject.pk).exists()
        latest = _latest(kind, subject, language, period)
        if latest is not None and latest.sha256 == digest and not new_version:
            changed = []
            if frozen and not latest.frozen:
                latest.frozen = True
                changed.append("frozen")
            if content_hash and latest.content_hash != content_hash:
                latest.content_hash = content_hash
                changed.append("content_hash")
            if changed:
                latest.save(update_fields=changed)
            return latest
        document = Document(
            kind=kind,
            program=program,
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
            period_start=period[0],
            period_end=period[1],
            language=language,
            version=(latest.version + 1) if latest else 1,
            sha256=digest,
            content_hash=content_hash,
            size=len(pdf),
            pages=_pages(pdf),
            frozen=frozen,
            generated_on=timezone.localdate(),
            generated_by=actor if actor and actor.is_authenticated else None,
        )
        document.file.save(f"{kind}.pdf", ContentFile(pdf), save=False)
        document.save()
    return document


def read(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def _language(language: str | None) -> str:
    return language if language in LANGUAGES else "de"


# -- an application's documents -----------------------------------------------------------
# Raised whenever a renderer's output changes for the same data (a new layout, a new
# field): documents kept under the old value are rendered again.
RENDERING = "9"


def content_hash(kind: str, language: str, sheet: object) -> str:
    """What a document is rendered from, as one SHA-256: its kind, its language and the
    sheet (frozen dataclasses of plain values, whose ``repr`` is deterministic)."""
    return hashlib.sha256(f"{RENDERING}|{kind}|{language}|{sheet!r}".encode()).hexdigest()


class NeedsRender(Exception):
    """Raised instead of rendering while ``kept_only`` is in force: the document is not
    kept for its current data (``reports.rendering`` then has a worker render it)."""


_KEPT_ONLY: ContextVar[bool] = ContextVar("kept_only", default=False)


@contextmanager
def kept_only() -> Iterator[None]:
    """Within this block the document services answer only what is kept for the current
    data and raise ``NeedsRender`` where they would render."""
    token = _KEPT_ONLY.set(True)
    try:
        yield
    finally:
        _KEPT_ONLY.reset(token)


def _rendered(
    kind: str, subject: models.Model, language: str, sheet: object, render: Callable
) -> tuple[bytes | None, str, Document | None]:
    """The kept document if it was rendered from this very data, else the new PDF: a
    request for an unchanged document costs its sheet's queries, not a render."""
    digest = content_hash(kind, language, sheet)
    latest = _latest(kind, subject, language)
    if latest is not None and latest.content_hash == digest:
        return None, digest, latest
    if _KEPT_ONLY.get():
        raise NeedsRender()
    return render(sheet), digest, None


def _application_sheet(kind: str, app: Application, version: int) -> tuple[object, Callable]:
    sheet, module = _application_sheet_and_module(kind, app, version)
    return sheet, module.render


def _application_sheet_and_module(kind: str, app: Application, version: int):
    fresh = selectors.application_for_document(app.pk)
    if kind == Kind.APPLICATION:
        return selectors.application_sheet(fresh), application
    if kind == Kind.AGREEMENT:
        return selectors.agreement_sheet(fresh, version), agreement
    return selectors.statement_sheet(fresh), statement


def _document_kind(application: Application, kind: str) -> None:
    if kind not in DOCUMENT_KINDS:
        raise NotFound(_("There is no document of that kind."))
    if application.erased_at is not None:
        raise NotFound(
            _(
                "The file's documents were deleted on %(day)s at the end of its retention "
                "period (DSGVO Art. 5, 17); they are not made again."
            )
            % {"day": format_date(timezone.localdate(application.erased_at))}
        )
    if kind not in available_kinds(application):
        raise NotFound(
            _("The application is “%(state)s”: there is no %(kind)s yet.")
            % {"state": application.get_state_display(), "kind": Kind(kind).label}
        )


def application_document_html(
    *, application: Application, kind: str, language: str | None = None, shift: int = 0
) -> tuple[str, SafeString]:
    """The document's title and its body as accessible HTML, laid out from the same
    sheet and flowables as its PDF (``reports.html``); the agreement in the version
    last issued."""
    _document_kind(application, kind)
    language = _language(language)
    latest = _latest(kind, application, language)
    with translation.override(language):
        sheet, module = _application_sheet_and_module(
            kind, application, latest.version if latest else 1
        )
        story, letterhead = module.compose(sheet)
        return letterhead.document, document_html(story, letterhead, shift)


def available_kinds(app: Application) -> list[str]:
    kinds = [Kind.APPLICATION]
    if app.state in AGREEMENT_STATES:
        kinds.append(Kind.AGREEMENT)
    if app.state in STATEMENT_STATES:
        kinds.append(Kind.STATEMENT)
    return kinds


def application_document(
    *,
    application: Application,
    kind: str,
    actor: User | None,
    language: str | None = None,
    regenerate: bool = False,
) -> Document:
    """The application (any state), the grant agreement (from the approval on) or the
    proof-of-use statement (from the funding on), rendered and kept. The agreement is
    issued (frozen) the first time it is rendered; ``regenerate`` issues a new version
    (the office's step, e.g. after a granted change request)."""
    _document_kind(application, kind)
    language = _language(language)
    if regenerate:
        require(actor, "reports.regenerate_document", application)
    frozen = kind == Kind.AGREEMENT
    latest = _latest(kind, application, language)
    if frozen and latest is not None and latest.frozen and not regenerate:
        return latest
    version = (latest.version + 1) if (latest and regenerate) else (latest.version if latest else 1)
    with translation.override(language):
        sheet, render = _application_sheet(kind, application, version)
        if regenerate:
            pdf, digest, kept = render(sheet), content_hash(kind, language, sheet), None
        else:
            pdf, digest, kept = _rendered(kind, application, language, sheet, render)
    if kept is not None:
        return kept
    return store(
        kind=kind,
        subject=application,
        program=application.program,
        language=language,
        pdf=pdf,
        actor=actor,
        frozen=frozen,
        new_version=regenerate,
        content_hash=digest,
    )


# -- the committee's documents ------------------------------------------------------------
def meeting_document(
    *, meeting: Meeting, kind: str, actor: User | None, language: str | None = None
) -> Document:
    """The dossier of a meeting's agenda, or its minutes (frozen once signed by both)."""
    language = _language(language)
    if kind == Kind.MINUTES:
        latest = _latest(kind, meeting, language)
        if meeting.minutes_signed and latest is not None and latest.frozen:
            return latest
        with translation.override(language):
            pdf, digest, kept = _rendered(
                kind, meeting, language, selectors.minutes_sheet(meeting), minutes.render
            )
        frozen = meeting.minutes_signed
        if kept is not None and (kept.frozen or not frozen):
            return kept
        if kept is not None:  # signed since: the same file, now issued
            pdf = read(kept)
    else:
        with translation.override(language):
            pdf, digest, kept = _rendered(
                kind, meeting, language, selectors.meeting_dossier_sheet(meeting), dossier.render
            )
        frozen = False
        if kept is not None:
            return kept
    return store(
        kind=kind,
        subject=meeting,
        program=meeting.body.program,
        language=language,
        pdf=pdf,
        actor=actor,
        frozen=frozen,
        new_version=False,
        content_hash=digest,
    )


def call_dossier(*, call: Call, actor: User | None, language: str | None = None) -> Document:
    """The dossier of every application of a call under the body's review."""
    language = _language(language)
    with translation.override(language):
        pdf, digest, kept = _rendered(
            Kind.DOSSIER, call, language, selectors.call_dossier_sheet(call), dossier.render
        )
    if kept is not None:
        return kept
    return store(
        kind=Kind.DOSSIER,
        subject=call,
        program=call.program,
        language=language,
        pdf=pdf,
        actor=actor,
        content_hash=digest,
    )


def meeting_document_html(
    *, meeting: Meeting, kind: str, language: str | None = None
) -> tuple[str, SafeString]:
    """A meeting's dossier (its agenda with the applications) or its minutes as an
    accessible page, from the flowables of its PDF."""
    if kind not in (Kind.DOSSIER, Kind.MINUTES):
        raise NotFound(_("There is no document of that kind."))
    with translation.override(_language(language)):
        if kind == Kind.MINUTES:
            story, letterhead = minutes.compose(selectors.minutes_sheet(meeting))
        else:
            story, letterhead = dossier.compose(selectors.meeting_dossier_sheet(meeting))
        return letterhead.document, document_html(story, letterhead)


def call_dossier_html(*, call: Call, language: str | None = None) -> tuple[str, SafeString]:
    """The call's dossier as an accessible page, from the flowables of its PDF."""
    with translation.override(_language(language)):
        story, letterhead = dossier.compose(selectors.call_dossier_sheet(call))
        return letterhead.document, document_html(story, letterhead)


# -- the funder reports --------------------------------------------------------------------
def report_create(
    *,
    program: Program,
    period_start: date,
    period_end: date,
    actor: User | None = None,
    language: str | None = None,
) -> Report:
    """A funder report to render, for a period that ends after it starts, spans at most
    five years and does not start in the future (400 otherwise). No permission is asked:
    callers are ``report_request`` and the operator's ``manage.py funder_report``."""
    problems: dict[str, list[str]] = {}
    if period_end < period_start:
        problems["period_end"] = [_("The period must not end before it starts.")]
    elif (period_end - period_start).days > MAX_REPORT_DAYS:
        problems["period_end"] = [_("A report covers at most five years.")]
    if period_start > timezone.localdate():
        problems["period_start"] = [_("The period must not start in the future.")]
    if problems:
        raise InvalidInput(errors=problems)
    return Report.objects.create(
        program=program,
        period_start=period_start,
        period_end=period_end,
        language=_language(language),
        requested_by=actor,
    )


def report_request(
    *,
    program: Program,
    period_start: date,
    period_end: date,
    actor: User,
    language: str | None = None,
) -> Report:
    """An on-demand funder report (202): rendered by the ``reports`` queue after the
    commit. The office and the program's funders may ask for one."""
    require(actor, "reports.request_report", program)
    return report_create(
        program=program,
        period_start=period_start,
        period_end=period_end,
        actor=actor,
        language=language,
    )


def _claim(report_id: int) -> Report | None:
    """Mark the report running unless it is done (a task run twice renders once)."""
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("program").get(pk=report_id)
        if report.status == Report.Status.DONE:
            return None
        report.status = Report.Status.RUNNING
        report.started_at = timezone.now()
        report.failure = ""
        report.save(update_fields=["status", "started_at", "failure"])
    return report


def report_render(
    report_id: int, render: Callable[[object], bytes] = funder_report.render
) -> Report:
    """Render and keep the funder report; a failure marks it ``failed`` with the reason
    (and nothing is sent). Safe to run twice."""
    report = _claim(report_id)
    if report is None:
        return Report.objects.get(pk=report_id)
    try:
        with translation.override(report.language):
            sheet = selectors.funder_report_sheet(
                report.program, report.period_start, report.period_end
            )
            pdf = render(sheet)
        document = store(
            kind=Kind.FUNDER_REPORT,
            subject=report.program,
            program=report.program,
            language=report.language,
            pdf=pdf,
            actor=report.requested_by,
            period=(report.period_start, report.period_end),
        )
    except Exception as exc:
        logger.exception("funder report %s failed", report_id)
        Report.objects.filter(pk=report_id).update(
            status=Report.Status.FAILED,
            failure=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return Report.objects.get(pk=report_id)
    Report.objects.filter(pk=report_id).update(
        status=Report.Status.DONE, document=document, finished_at=timezone.now()
    )
    return Report.objects.get(pk=report_id)


def last_complete_period(frequency: str, today: date) -> tuple[date, date]:
    """The month, quarter or year that ended most recently before ``today``."""
    first_of_month = today.replace(day=1)
    if frequency == ReportFrequency.MONTHLY:
        end = first_of_month - timedelta(days=1)
        return end.replace(day=1), end
    if frequency == ReportFrequency.YEARLY:
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = quarter_start - timedelta(days=1)
    return date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end


def scheduled_report(program: Program, today: date) -> Report:
    """The program's report for the period just ended, created once per period."""
    start, end = last_complete_period(program.report_frequency, today)
    report, _created = Report.objects.get_or_create(
        program=program,
        period_start=start,
        period_end=end,
        scheduled=True,
        defaults={"language": "de"},
    )
    return report


# -- a payout batch's payment order and SEPA file ------------------------------------------


def batch_document(*, batch: PayoutBatch, kind: str, actor: User | None) -> Document:
    """The payment order (PDF, in German: the treasury's language) or the SEPA file of
    a payout batch, made once and kept frozen: every download is the same file, the one
    the treasury was given."""
    require(actor, "projects.pay_out", batch)
    if kind not in (Document.Kind.PAYMENT_ORDER, Document.Kind.SEPA):
        raise NotFound(_("There is no document of that kind."))
    kept = _latest(kind, batch, "de")
    if kept is not None:
        return kept
    if kind == Document.Kind.SEPA:
        content = sepa.credit_transfer(batch)
    else:
        with translation.override("de"):
            content = payment_order.render(selectors.payment_order_sheet(batch))
    return store(
        kind=kind,
        subject=batch,
        program=batch.program,
        language="de",
        pdf=content,
        actor=actor,
        frozen=True,
    )
