"""The office's work queues (PORTAL.md): a dashboard of counts, each queue a list of
the files waiting in it, the payouts to approve and to pay with their buttons. A file's
own page (``portal.views.application_detail``) offers the office's transitions with
their inputs, as it offers the sponsor's."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from portal.steps import NextStep, office_step
from portal.views import portal_page, posted_pk
from projects import retention, selectors
from projects.states import PayoutState
from reports import tables
from workflows import money

QUEUES = [
    ("submitted", gettext_lazy("New submissions to check")),
    ("revision_requested", gettext_lazy("Revisions awaited from sponsors")),
    ("committee_review", gettext_lazy("Under the committee's review: votes and decisions")),
    ("approved", gettext_lazy("Agreements not yet accepted")),
    ("payouts_requested", gettext_lazy("Payouts to approve")),
    ("payouts_approved", gettext_lazy("Payouts to pay")),
    ("proof_submitted", gettext_lazy("Proofs of use to check")),
    ("receipts_requested", gettext_lazy("Receipts requested from sponsors")),
    ("repayment_due", gettext_lazy("Repayments awaited")),
    ("deletion_ahead", gettext_lazy("Files deleted within 30 days (end of retention)")),
    ("retention_held", gettext_lazy("Files kept beyond their retention (holds)")),
]
# The data-protection queues: their rows say when the file goes, or why it is kept.
RETENTION_QUEUES = {"deletion_ahead", "retention_held"}
EXPORTS = [
    ("applications", gettext_lazy("Application list")),
    ("receipts", gettext_lazy("Receipts lists")),
    ("payouts", gettext_lazy("Payouts")),
]
PAYOUT_QUEUES = {
    "payouts_requested": PayoutState.REQUESTED,
    "payouts_approved": PayoutState.APPROVED,
}


def office_only(request: HttpRequest) -> None:
    """404 unless the user runs the office of a program (or is an administrator)."""
    if not request.user.has_perm("grants.work_as_office"):
        raise Http404


@portal_page
def dashboard(request: HttpRequest) -> HttpResponse:
    office_only(request)
    counts = selectors.office_queue_counts(request.user)
    return render(
        request,
        "portal/office_dashboard.html",
        {
            "queues": [(name, label, counts.get(name, 0)) for name, label in QUEUES],
            "cap": selectors.QUEUE_COUNT_CAP,
            "exports": EXPORTS,
        },
    )


@portal_page
@require_http_methods(["GET", "POST"])
def queue(request: HttpRequest, name: str) -> HttpResponse:
    office_only(request)
    labels = dict(QUEUES)
    if name not in labels:
        raise Http404
    if name in PAYOUT_QUEUES:
        return _payouts(request, name, labels[name])
    applications = selectors.office_applications(request.user).select_related(
        "organization", "call", "program"
    )
    if name in RETENTION_QUEUES:
        return _retention(request, name, labels[name], applications)
    if name == "receipts_requested":
        applications = applications.filter(
            state="proof_submitted", expenditures__receipt_requested=True
        ).distinct()
    else:
        applications = applications.filter(state=selectors.OFFICE_QUEUES[name])
    found = list(applications.order_by("submitted_at", "pk")[:200])
    tallies = {}
    if name == "committee_review":  # where the body stands: a decision to record or not
        selectors.attach_tallies(found)
        tallies = {a.pk: selectors.application_tally(a).reason_text for a in found}
    rows = [(a, office_step(a), tallies.get(a.pk, "")) for a in found]
    return render(
        request, "portal/office_queue.html", {"name": name, "label": labels[name], "rows": rows}
    )


def _retention(request: HttpRequest, name: str, label: str, applications) -> HttpResponse:
    if name == "deletion_ahead":
        applications = applications & retention.deletion_ahead(timezone.localdate())
    else:
        applications = applications.filter(erased_at__isnull=True).exclude(retention_hold="")
    found = list(applications.order_by("retention_until", "pk")[:200])
    rows = [
        (
            a,
            NextStep(
                _("Kept: %(reason)s") % {"reason": a.retention_hold}
                if a.retention_hold
                else _("Deleted unless put on hold"),
                retention.deletion_day(a),
            ),
            "",
        )
        for a in found
    ]
    return render(request, "portal/office_queue.html", {"name": name, "label": label, "rows": rows})


@portal_page
def export(request: HttpRequest, kind: str, form: str) -> HttpResponse:
    """The application list, the receipts lists or the payouts of the office's programs
    as XLSX or CSV (``reports.tables``)."""
    office_only(request)
    if kind not in tables.TABLES or form not in ("xlsx", "csv"):
        raise Http404
    table = tables.TABLES[kind](selectors.office_applications(request.user))
    content, kind_of = (
        (table.xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        if form == "xlsx"
        else (table.csv(), "text/csv; charset=utf-8")
    )
    response = HttpResponse(content, content_type=kind_of)
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="zuwendo-{kind}-{day}.{form}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _payouts(request: HttpRequest, name: str, label) -> HttpResponse:
    payouts = selectors.office_payouts(request.user, PAYOUT_QUEUES[name])
    if request.method == "POST":
        payout = posted_pk(request, "payout", payouts)
        step = money.payment_approve if name == "payouts_requested" else money.payment_mark_paid
        try:
            step(payment=payout, actor=request.user)
        except DomainError as error:
            messages.error(request, str(error.detail))
        else:
            done = (
                _("Approved: the payout for %(title)s.")
                if name == "payouts_requested"
                else _("Recorded as paid today: the payout for %(title)s.")
            )
            messages.success(request, done % {"title": payout.application.title})
        return redirect("portal:office_queue", name=name)
    return render(
        request,
        "portal/office_payouts.html",
        {"name": name, "label": label, "payouts": payouts[:200]},
    )
