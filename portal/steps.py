"""What a page tells a sponsor about an application in plain German: its next step and
that step's deadline, and its history without event codes (read-only; PORTAL.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import AuditEntry
from projects import funding, selectors
from projects.models import Application
from projects.states import ApplicationState as S


@dataclass(frozen=True)
class NextStep:
    text: str
    due: date | datetime | None = None


def next_step(application: Application) -> NextStep | None:
    """The sponsor's next step, with its deadline where one applies."""
    state = application.state
    if state == S.DRAFT:
        return NextStep(_("Complete and submit the application"), application.call.closes_at)
    if state == S.REVISION_REQUESTED:
        return NextStep(_("Revise the application and submit it again"))
    if state in (S.SUBMITTED, S.COMMITTEE_REVIEW):
        return NextStep(_("Wait for the decision"))
    if state == S.APPROVED:
        return NextStep(_("Read and accept the grant agreement"))
    if state == S.FUNDED:
        dues = funding.due_dates(application)
        if dues["interim_proof_due"]:
            return NextStep(_("Submit the interim proof of use"), dues["interim_proof_due"])
        return NextStep(_("Submit the proof of use"), dues["proof_of_use_due"])
    if state == S.PROOF_SUBMITTED:
        return NextStep(_("The office is checking the proof of use"))
    if state == S.REPAYMENT_DUE:
        return NextStep(_("Repay the amount demanded"), funding.repayment_due_date(application))
    return None


def office_step(application: Application) -> NextStep | None:
    """What the office does next with the file (or waits for), with its deadline."""
    state = application.state
    if state == S.SUBMITTED:
        return NextStep(
            _("Check the submission: ask for a revision, put it before the body or decide")
        )
    if state == S.REVISION_REQUESTED:
        return NextStep(_("Waiting for the sponsor's revision"))
    if state == S.COMMITTEE_REVIEW:
        return NextStep(_("Record the decision once the body's tally allows it"))
    if state == S.APPROVED:
        return NextStep(_("Waiting for the sponsor to accept the grant agreement"))
    if state == S.FUNDED:
        return NextStep(
            _("Waiting for the proof of use"), funding.due_dates(application)["proof_of_use_due"]
        )
    if state == S.PROOF_SUBMITTED:
        return NextStep(_("Check the proof of use"))
    if state == S.REPAYMENT_DUE:
        return NextStep(_("Waiting for the repayment"), funding.repayment_due_date(application))
    return None


EVENTS = {
    "application.create": gettext_lazy("Application created"),
    "application.update": gettext_lazy("Application changed"),
    "application.submit": gettext_lazy("Application submitted"),
    "application.resubmit": gettext_lazy("Revised application submitted"),
    "application.request_revision": gettext_lazy("Revision requested by the office"),
    "application.forward_to_committee": gettext_lazy("Forwarded to the committee"),
    "application.approve": gettext_lazy("Approved"),
    "application.fast_track_approve": gettext_lazy("Approved by the office"),
    "application.reject": gettext_lazy("Rejected"),
    "application.withdraw": gettext_lazy("Withdrawn"),
    "application.accept_agreement": gettext_lazy("Grant agreement accepted"),
    "application.submit_proof_of_use": gettext_lazy("Proof of use submitted"),
    "application.accept_proof": gettext_lazy("Proof of use accepted"),
    "application.export": gettext_lazy("Whole file exported by the office"),
    "attachment.upload": gettext_lazy("File attached"),
    "attachment.delete": gettext_lazy("File deleted"),
    "attachment.scan_clean": gettext_lazy("File checked: no virus found"),
    "attachment.scan_infected": gettext_lazy("File infected: deleted"),
    "attachment.scan_failed": gettext_lazy("File could not be checked for viruses"),
    "attachment.retention_delete": gettext_lazy("File deleted at the end of its retention"),
    "retention.hold": gettext_lazy("Kept beyond its retention period (hold)"),
    "retention.release": gettext_lazy("Hold on the file lifted"),
    "retention.delete": gettext_lazy(
        "Retention period over: files and documents deleted, personal data erased"
    ),
    "application.proof_of_use": gettext_lazy("Proof of use saved"),
    "application.check_note": gettext_lazy("Check note written by the office"),
    "application.early_start": gettext_lazy("Early start asked for"),
    "application.revoke": gettext_lazy("Grant revoked"),
    "vote.cast": gettext_lazy("Vote cast in the committee"),
    "vote.record": gettext_lazy("Vote recorded in the meeting"),
    "conflict.declare": gettext_lazy("Conflict of interest declared by a committee member"),
    "objection.raise": gettext_lazy("Objection to the written procedure"),
    "payment.request": gettext_lazy("Payout requested"),
    "payment.approve": gettext_lazy("Payout approved"),
    "payment.mark_paid": gettext_lazy("Payout paid"),
    "expenditure.create": gettext_lazy("Receipt added to the receipts list"),
    "expenditure.import": gettext_lazy("Receipts imported into the receipts list"),
}


def event_text(entry: AuditEntry) -> str:
    """``Antrag eingereicht``; an event without its own words says what changed, with
    the states' German names (never a code)."""
    key = f"{entry.namespace}.{entry.action}"
    if key in EVENTS:
        return str(EVENTS[key])
    if entry.namespace == "application" and entry.target:
        labels = dict(S.choices)
        return _("Status changed: %(before)s → %(after)s") % {
            "before": labels.get(entry.source, _("new")),
            "after": labels.get(entry.target, entry.target),
        }
    return _("Changed")


def tally_of(application) -> dict | None:
    """The tally as the API's ``/tally/`` gives it: live during the review, the recorded
    one after the decision."""
    recorded = None
    if application.state != S.COMMITTEE_REVIEW:
        recorded = selectors.decision_tally(application)
        if recorded is None:
            return None
    if recorded is None:
        result = selectors.application_tally(application)
        recorded = {**result.as_dict(), "reason_text": result.reason_text}
    return recorded
