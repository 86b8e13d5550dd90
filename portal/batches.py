"""The office's payout batches (Zahllauf, PORTAL.md): approved payouts put into a batch
for the treasury, its payment order (PDF) and SEPA file downloaded, the batch marked
paid when the treasury executed it, or withdrawn while open. Each write is one service
of ``workflows.money``; the documents are the API's, made once and kept."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from portal.forms import BatchForm, PaidForm, form_errors
from portal.office import office_only
from portal.views import portal_page, posted_pk
from projects import selectors
from projects.models import PayoutBatch
from projects.states import PayoutState
from workflows import money


@portal_page
@require_http_methods(["GET", "POST"])
def batches(request: HttpRequest) -> HttpResponse:
    office_only(request)
    user = request.user
    action = request.POST.get("action") if request.method == "POST" else None
    programs = selectors.office_programs(user).order_by("name")
    free = list(
        selectors.office_payouts(user, PayoutState.APPROVED).filter(batch__isnull=True)[:500]
    )
    form = BatchForm(
        request.POST if action == "create" else None,
        programs=programs,
        payouts=free,
        initial={"program": programs.first()},
    )
    paid_form = PaidForm(request.POST if action == "paid" else None)
    status = 200
    if action == "create":
        if form.is_valid():
            try:
                batch = money.payout_batch_create(actor=user, **form.cleaned_data)
            except DomainError as error:
                form_errors(form, error)
                status = error.status_code
            else:
                messages.success(
                    request,
                    _("The batch %(reference)s is made: download its payment order and SEPA file.")
                    % {"reference": batch.reference},
                )
                return redirect("portal:office_batches")
        else:
            status = 400
    elif action in ("paid", "cancel"):
        batch = posted_pk(request, "batch", selectors.office_batches(user))
        if action == "paid" and not paid_form.is_valid():
            for problems in paid_form.errors.values():
                messages.error(request, " ".join(problems))
            status = 400
        else:
            try:
                if action == "paid":
                    money.payout_batch_mark_paid(
                        batch=batch, actor=user, paid_on=paid_form.cleaned_data["paid_on"]
                    )
                    done = _("The batch %(reference)s is recorded as paid.")
                else:
                    money.payout_batch_cancel(batch=batch, actor=user)
                    done = _("The batch %(reference)s is withdrawn; its payouts are free again.")
            except DomainError as error:
                messages.error(request, str(error.detail))
                status = error.status_code
            else:
                messages.success(request, done % {"reference": batch.reference})
                return redirect("portal:office_batches")
    found = list(selectors.office_batches(user)[:100])
    rows = [(batch, sum(p.amount for p in batch.payouts.all())) for batch in found]
    return render(
        request,
        "portal/office_batches.html",
        {
            "form": form,
            "free": free,
            "rows": rows,
            "open_state": PayoutBatch.State.OPEN,
        },
        status=status,
    )
