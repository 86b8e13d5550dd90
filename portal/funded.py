"""A funded project's pages for its sponsor: payouts (request and follow), the receipts
list (add, change, delete, scans, import from a spreadsheet), the proof of use with its
live statement and certification, interim proofs, and change requests. Each write is
one service of ``workflows.money`` (or ``workflows.receipts``); what it refuses is shown
next to its field."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from portal.forms import (
    ChangeForm,
    ImportForm,
    InterimForm,
    PayoutForm,
    ProofForm,
    ReceiptForm,
    UploadForm,
    form_errors,
)
from portal.views import _posted, portal_page, saved
from projects import funding, selectors
from projects.models import Application, ProofOfUse
from projects.models.attachments import Owner
from projects.states import ApplicationState
from workflows import attachments, money, receipts

IMPORT_KEY = "portal_receipts_import"


def _application(request: HttpRequest, pk: int) -> Application:
    application = (
        selectors.applications_visible_to(request.user)
        .select_related("program", "call", "organization")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    return application


def _page(request, template: str, application: Application, context: dict, status=200):
    return render(
        request,
        template,
        {
            "application": application,
            "funded": application.state == ApplicationState.FUNDED,
            "may_act": request.user.has_perm("projects.take_sponsor_step", application),
            **context,
        },
        status=status,
    )


# -- payouts ---------------------------------------------------------------------------


@portal_page
@require_http_methods(["GET", "POST"])
def payouts(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = PayoutForm(_posted(request))
    if saved(request, form, money.payout_request, application=application) is not None:
        messages.success(request, _("The payout is requested."))
        return redirect("portal:payouts", pk=application.pk)
    status = 400 if request.method == "POST" else 200
    committed = funding.payouts_committed(application)
    return _page(
        request,
        "portal/payouts.html",
        application,
        {
            "form": form,
            "payouts": application.payouts.order_by("-requested_at", "-pk"),
            "approved": application.approved_amount,
            "committed": committed,
            "paid": funding.paid_out(application),
            "remaining": max((application.approved_amount or 0) - committed, 0),
        },
        status=status,
    )


# -- the receipts list -----------------------------------------------------------------


def receipt_scans(application: Application, user) -> dict[int, list]:
    """The scans the user may see, by the receipts list's line they belong to."""
    scans: dict[int, list] = {}
    for file in attachments.visible_of(application, user):
        if file.owner == Owner.RECEIPT:
            scans.setdefault(file.owner_id, []).append(file)
    return scans


def _receipts_context(application: Application, user) -> dict:
    lines = list(application.expenditures.select_related("category").order_by("date", "pk"))
    scans = receipt_scans(application, user)
    return {
        "lines": [(line, scans.get(line.pk, [])) for line in lines],
        "total": sum((line.amount + line.vat for line in lines), 0),
    }


@portal_page
@require_http_methods(["GET", "POST"])
def receipts_list(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    # Back at the list, a file shown but not saved is let go (the session is saved on
    # every request: a few MB kept in it would be written each time).
    request.session.pop(f"{IMPORT_KEY}_{application.pk}", None)
    form = ReceiptForm(_posted(request), program=application.program)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                money.expenditure_create(
                    application=application, actor=request.user, **form.values()
                )
            except DomainError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("The receipt is in the list."))
                return redirect("portal:receipts", pk=application.pk)
        status = 400
    return _page(
        request,
        "portal/receipts.html",
        application,
        {**_receipts_context(application, request.user), "form": form, "import_form": ImportForm()},
        status=status,
    )


@portal_page
@require_http_methods(["GET", "POST"])
def receipt_edit(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    application = _application(request, pk)
    expenditure = application.expenditures.filter(pk=line).first()
    if expenditure is None:
        raise Http404
    form = ReceiptForm(
        request.POST if "save" in request.POST else None,
        instance=expenditure,
        program=application.program,
    )
    upload = UploadForm(
        request.POST if "scan" in request.POST else None,
        request.FILES or None,
        annex_types=application.call.annex_types.none(),
    )
    upload.fields.pop("annex_type")
    status = 200
    try:
        if "delete" in request.POST:
            money.expenditure_delete(expenditure=expenditure, actor=request.user)
            messages.success(request, _("The receipt is deleted."))
            return redirect("portal:receipts", pk=application.pk)
        if "save" in request.POST:
            if form.is_valid():
                values = form.values()
                expenditure.refresh_from_db()
                money.expenditure_update(expenditure=expenditure, actor=request.user, **values)
                messages.success(request, _("The receipt is changed."))
                return redirect("portal:receipts", pk=application.pk)
            status = 400
        if "scan" in request.POST:
            if upload.is_valid():
                attachments.attachment_upload(
                    application=application,
                    actor=request.user,
                    upload=upload.cleaned_data["file"],
                    owner=Owner.RECEIPT,
                    owner_id=expenditure.pk,
                    description=upload.cleaned_data["description"],
                )
                messages.success(request, _("The scan is attached; the virus check follows."))
                return redirect("portal:receipt", pk=application.pk, line=expenditure.pk)
            status = 400
    except DomainError as error:
        form_errors(upload if "scan" in request.POST else form, error)
        status = error.status_code
    scans = [
        file
        for file in attachments.visible_of(application, request.user)
        if file.owner == Owner.RECEIPT and file.owner_id == expenditure.pk
    ]
    return _page(
        request,
        "portal/receipt.html",
        application,
        {"expenditure": expenditure, "form": form, "upload": upload, "scans": scans},
        status=status,
    )


@portal_page
@require_POST
def receipts_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Step one: the file is read and every line shown with what is wrong with it (kept
    in the session, nothing saved). Step two (``confirm``): all lines are saved, or none."""
    application = _application(request, pk)
    key = f"{IMPORT_KEY}_{application.pk}"
    if "confirm" in request.POST:
        kept = request.session.get(key)
        if not kept:
            messages.error(request, _("Choose the file again."))
            return redirect("portal:receipts", pk=application.pk)
        content, name = base64.b64decode(kept["content"]), kept["name"]
        try:
            created = receipts.receipts_import(
                application=application, actor=request.user, content=content, name=name
            )
        except DomainError as error:
            return _preview(request, application, content, name, error=error)
        request.session.pop(key, None)
        messages.success(
            request, _("%(count)s receipts are in the list.") % {"count": len(created)}
        )
        return redirect("portal:receipts", pk=application.pk)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_refused(request, application, form, 400)
    upload = form.cleaned_data["file"]
    if upload.size > receipts.MAX_BYTES:
        form.add_error("file", _("The file may have at most 2 MB."))
        return _import_refused(request, application, form, 413)
    content = upload.read()
    request.session[key] = {
        "content": base64.b64encode(content).decode(),
        "name": (upload.name or "")[:200],
    }
    return _preview(request, application, content, upload.name or "")


def _import_refused(request, application, form, status: int) -> HttpResponse:
    """The receipts list again, the import form with what is wrong with the file."""
    return _page(
        request,
        "portal/receipts.html",
        application,
        {
            **_receipts_context(application, request.user),
            "form": ReceiptForm(program=application.program),
            "import_form": form,
        },
        status=status,
    )


def _preview(request, application, content: bytes, name: str, error=None) -> HttpResponse:
    try:
        lines = receipts.receipts_read(application, content, name)
        problem = ""
    except DomainError as refused:
        lines = []
        problem = " ".join(
            str(message) for messages_ in (refused.errors or {}).values() for message in messages_
        ) or str(refused.detail)
    if error is not None and not problem and not any(line.errors for line in lines):
        problem = str(error.detail)
    wrong = sum(1 for line in lines if line.errors)
    return _page(
        request,
        "portal/receipts_import.html",
        application,
        {"lines": lines, "wrong": wrong, "problem": problem, "name": name},
        status=400 if (wrong or problem) else 200,
    )


# -- the proof of use --------------------------------------------------------------------


@portal_page
@require_http_methods(["GET", "POST"])
def proof_of_use(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    proof = ProofOfUse.objects.filter(application=application).first()
    owed = funding.interim_proofs(application)
    form = ProofForm(
        request.POST if "proof" in request.POST else None,
        instance=proof or ProofOfUse(application=application),
        initial={"certify": bool(proof and proof.certified_at)},
    )
    interim = InterimForm(
        request.POST if "interim" in request.POST else None,
        years=[item["year"] for item in owed],
    )
    status = 200
    if "proof" in request.POST:
        if form.is_valid():
            try:
                money.proof_of_use_save(
                    application=application,
                    actor=request.user,
                    certified=form.cleaned_data["certify"],
                    **form.values(),
                )
            except DomainError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("The proof of use is saved."))
                return redirect("portal:proof_of_use", pk=application.pk)
        status = 400
    if "interim" in request.POST:
        if interim.is_valid():
            try:
                money.interim_proof_save(
                    application=application, actor=request.user, **interim.cleaned_data
                )
            except DomainError as error:
                form_errors(interim, error)
            else:
                messages.success(request, _("The interim proof is saved."))
                return redirect("portal:proof_of_use", pk=application.pk)
        status = 400
    return _page(
        request,
        "portal/proof_of_use.html",
        application,
        {
            "form": form,
            "interim": interim if owed else None,
            "owed": owed,
            "proof": proof,
            "statement": funding.statement_for(application),
            "dues": funding.due_dates(application),
        },
        status=status,
    )


# -- change requests -------------------------------------------------------------------


@portal_page
@require_http_methods(["GET", "POST"])
def change_requests(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = ChangeForm(_posted(request))
    if saved(request, form, money.change_request_create, application=application) is not None:
        messages.success(request, _("The change is requested; the office decides."))
        return redirect("portal:change_requests", pk=application.pk)
    status = 400 if request.method == "POST" else 200
    return _page(
        request,
        "portal/change_requests.html",
        application,
        {
            "form": form,
            "changes": application.change_requests.order_by("-pk"),
            "current_end": funding.current_end_date(application),
        },
        status=status,
    )
