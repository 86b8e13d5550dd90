"""Data protection in the portal (PORTAL.md, "Everyone": data export; DOMAIN.md, "Data
protection"): a person downloads what Zuwendo holds about them and deletes their
account; the office holds a file beyond its retention period and lifts the hold. Each
write is one service (``reports.personal``, ``workflows.privacy``,
``workflows.retention``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from portal.forms import ErasureForm, HoldForm, form_errors
from portal.views import portal_page
from projects import selectors
from reports import personal
from reports.api import personal_zip_response
from reports.models import Export
from reports.tasks import build_export_file
from workflows import privacy, retention
from workflows.api.privacy import erasure_message


@portal_page
@require_POST
def my_data_request(request: HttpRequest) -> HttpResponse:
    """Ask for the archive of one's own data; built by a task, an e-mail when ready."""
    job = personal.personal_export_request(user=request.user)
    if job.status == Export.Status.PENDING:
        transaction.on_commit(lambda: build_export_file.delay(job.pk))
    messages.success(
        request,
        _("Your data are being put together; you get an e-mail when they can be downloaded."),
    )
    return redirect("/profile/#my-data")


@portal_page
def my_data_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The archive, to the one who asked for it only, while it is kept."""
    job = Export.objects.filter(
        pk=pk, kind=Export.Kind.PERSONAL_DATA, requested_by=request.user
    ).first()
    if job is None or job.status != Export.Status.DONE or not job.file:
        raise Http404
    return personal_zip_response(job)


@portal_page
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete one's account (DSGVO Art. 17), with the password and a tick: erased now,
    or locked until the files that need it are no longer kept. Signs out."""
    user = request.user
    form = ErasureForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        outcome = privacy.account_erasure_request(user=user)
        logout(request)
        return render(request, "portal/account_deleted.html", {"text": erasure_message(outcome)})
    files = privacy.files_needing(user).count()
    return render(
        request,
        "portal/account_delete.html",
        {"form": form, "files": files},
        status=400 if request.method == "POST" else 200,
    )


@portal_page
@require_POST
def application_retention(request: HttpRequest, pk: int) -> HttpResponse:
    """The office puts a file on hold (with the reason) or lifts the hold."""
    application = selectors.office_applications(request.user).filter(pk=pk).first()
    if application is None or not request.user.has_perm("projects.take_office_step", application):
        raise Http404
    action = request.POST.get("action")
    if action == "release":
        try:
            retention.retention_release(application=application, actor=request.user)
        except DomainError as error:
            messages.error(request, str(error.detail))
        else:
            messages.success(request, _("The hold is lifted."))
        return redirect("portal:application", pk=application.pk)
    if action != "hold":
        raise Http404
    form = HoldForm(request.POST)
    if form.is_valid():
        try:
            retention.retention_hold(
                application=application, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The file is kept until the hold is lifted."))
            return redirect("portal:application", pk=application.pk)
    return render(
        request,
        "portal/retention_hold.html",
        {"application": application, "form": form},
        status=400,
    )
