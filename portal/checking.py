"""The office's check of a proof of use (PORTAL.md, the money issue): the receipts list
with the claim and the eligible amount of each line, the receipts requested by sample
or in full, a finding per line, the check note (Prüfvermerk); the proof is then
accepted, or a repayment claimed, with the application's transitions. Each write is one
service of ``workflows.money``."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from portal.forms import CheckNoteForm, FindingForm, ReceiptsRequestForm, form_errors
from portal.funded import receipt_scans
from portal.views import portal_page
from projects import funding, selectors
from projects.models import ProofOfUse
from projects.states import ApplicationState
from workflows import money

ACTIONS = {"finding", "request", "note"}


@portal_page
@require_http_methods(["GET", "POST"])
def proof_check(request: HttpRequest, pk: int) -> HttpResponse:
    application = (
        selectors.office_applications(request.user)
        .select_related("program", "organization", "call")
        .filter(pk=pk)
        .first()
    )
    if application is None or not request.user.has_perm("projects.take_office_step", application):
        raise Http404
    lines = list(application.expenditures.select_related("category").order_by("date", "pk"))
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action") if posted is not None else None
    proof = ProofOfUse.objects.filter(application=application).first()
    forms = {
        "finding": FindingForm(posted if action == "finding" else None, lines=lines),
        "request": ReceiptsRequestForm(posted if action == "request" else None, lines=lines),
        "note": CheckNoteForm(
            posted if action == "note" else None,
            initial={"extent": proof.check_extent, "result": proof.check_result}
            if proof and proof.checked_at
            else None,
        ),
    }
    status = 200
    if action in ACTIONS:
        form = forms[action]
        if form.is_valid():
            try:
                done = _write(request.user, application, lines, action, form.cleaned_data)
            except DomainError as error:
                form_errors(form, error)
                status = error.status_code
            else:
                messages.success(request, done)
                return redirect("portal:proof_check", pk=application.pk)
        else:
            status = 400
    elif action is not None:
        raise Http404
    deducts = application.organization.deducts_input_tax
    scans = receipt_scans(application, request.user)
    rows = [
        {
            "line": line,
            "claimed": line.claimed(deducts),
            "eligible": line.eligible(deducts),
            "scans": scans.get(line.pk, []),
        }
        for line in lines
    ]
    return render(
        request,
        "portal/proof_check.html",
        {
            "application": application,
            "proof": proof,
            "rows": rows,
            "statement": funding.statement_for(application),
            "checking": application.state == ApplicationState.PROOF_SUBMITTED,
            **{f"{name}_form": form for name, form in forms.items()},
        },
        status=status,
    )


def _write(actor, application, lines, action: str, data: dict) -> str:
    if action == "finding":
        line = next((x for x in lines if x.pk == data["line"]), None)
        if line is None:  # the form's choices are these lines
            raise Http404
        money.receipt_finding(
            expenditure=line,
            actor=actor,
            finding=data["finding"],
            amount=data["amount"],
            reason=data["reason"],
        )
        return _("The finding on “%(payee)s” is recorded.") % {"payee": line.payee}
    if action == "request":
        requested = money.receipts_request(
            application=application, actor=actor, lines=data["lines"], comment=data["comment"]
        )
        return _("The sponsor is asked for %(count)s receipts.") % {"count": len(requested)}
    money.check_note_save(
        application=application, actor=actor, extent=data["extent"], result=data["result"]
    )
    return _("The check note is saved; the proof of use can now be accepted.")
