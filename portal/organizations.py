"""A sponsor's organisation: register one (its first member is who registers it), keep
its data, invite people to act for it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from portal.forms import InviteForm, OrganizationForm, form_errors
from portal.views import _posted, organization_page, portal_page
from projects import selectors
from projects import services as project_services


def _own(request: HttpRequest, pk: int, perm: str):
    organization = selectors.organizations_visible_to(request.user).filter(pk=pk).first()
    if organization is None or not request.user.has_perm(perm, organization):
        raise Http404
    return organization


@portal_page
@require_http_methods(["GET", "POST"])
def organization_new(request: HttpRequest) -> HttpResponse:
    form = OrganizationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            organization = project_services.organization_create(actor=request.user, **form.values())
        except DomainError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Your organisation is registered."))
            return redirect("portal:organization", pk=organization.pk)
    return render(request, "portal/organization_form.html", {"form": form, "organization": None})


@portal_page
@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _own(request, pk, "projects.change_organization")
    form = OrganizationForm(_posted(request), instance=organization)
    if request.method == "POST" and form.is_valid():
        # The form checked a copy; the stored row changes only through the service.
        organization.refresh_from_db()
        try:
            project_services.organization_update(
                organization=organization, actor=request.user, **form.values()
            )
        except DomainError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The organisation's data are saved."))
            return redirect("portal:organization", pk=organization.pk)
    return render(
        request, "portal/organization_form.html", {"form": form, "organization": organization}
    )


@portal_page
@require_POST
def organization_invite(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _own(request, pk, "projects.manage_members")
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            project_services.invitation_create(
                organization=organization, actor=request.user, email=form.cleaned_data["email"]
            )
        except DomainError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("We sent the invitation to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("portal:organization", pk=organization.pk)
    return organization_page(request, organization, invite_form=form, status=400)
