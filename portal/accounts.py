"""Accounts a sponsor makes themselves: registration, the link that verifies the
address, and the answer to an invitation from its e-mail's link.

An address counts as the person's only once they opened a link sent to it (or an
administrator entered it): invitations match verified addresses only, so registering
with somebody else's address gains nothing. Registering from an invitation's link
verifies that address at once, since only its mailbox received the link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from grants import services as grant_services
from portal.forms import RegisterForm, form_errors
from portal.views import _posted, portal_page
from projects import services as project_services
from projects.models import Invitation
from projects.roles import invitation_address
from workflows.links import invited, verifying

BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """A sponsor's own account; with ``?invitation=<token>`` for the invited address."""
    if request.user.is_authenticated:
        return redirect("portal:start")
    token = request.GET.get("invitation", "")
    invitation = invited(token) if token else None
    initial = {"email": invitation.email} if invitation else {}
    form = RegisterForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "password_again"}
        address = values["email"].strip().lower()
        proven = invitation is not None and invitation.email == address
        try:
            user = grant_services.user_register(
                verified=proven, language=get_language()[:2], **values
            )
        except DomainError as error:
            form_errors(form, error)
        else:
            if user is not None and proven:
                login(request, user, backend=BACKEND)
                messages.success(request, _("Your account is ready."))
                return redirect("portal:invitation", token=token)
            # The same page whether the address was new or known (no enumeration).
            return render(request, "portal/register_sent.html", {"email": values["email"]})
    return render(request, "portal/register.html", {"form": form, "invitation": invitation})


@require_http_methods(["GET", "POST"])
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the verification mail: a button (a link scanner that opens the link
    confirms nothing), which verifies the address it was sent to."""
    found = verifying(token)
    if found is None:
        return render(request, "portal/confirm_email.html", {"valid": False}, status=404)
    user, address = found
    if request.method == "POST":
        if grant_services.email_verify(user=user, address=address):
            messages.success(request, _("Your e-mail address is confirmed."))
            if request.user.is_authenticated:
                return redirect("portal:start")
            return redirect("portal:sign_in")
        messages.error(
            request,
            _("This link is for an address the account no longer has. Ask for a new link."),
        )
        return redirect("portal:start" if request.user.is_authenticated else "portal:sign_in")
    return render(request, "portal/confirm_email.html", {"valid": True, "address": address})


@portal_page
@require_POST
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    if grant_services.email_verification_request(user=request.user):
        messages.success(
            request,
            _("We sent a new link to %(email)s.") % {"email": request.user.email},
        )
    elif not request.user.email_verified:
        messages.info(request, _("We sent a link a few minutes ago: please look for it first."))
    return redirect("portal:start")


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation from its e-mail's link: the invitee signed in with the invited,
    verified address accepts or declines it; anyone else is told how to get there."""
    found = invited(token)
    if found is None:
        raise Http404
    user = request.user
    mine = user.is_authenticated and invitation_address(user) == found.email
    still_open = found.state == Invitation.State.OPEN and found.expires_at > timezone.now()
    error = ""
    if request.method == "POST":
        if not mine:
            raise Http404
        answer = request.POST.get("answer")
        if answer not in ("accept", "decline"):
            error = _("Choose accept or decline.")
        else:
            act = (
                project_services.invitation_accept
                if answer == "accept"
                else project_services.invitation_decline
            )
            try:
                act(invitation=found, actor=user)
            except DomainError as refused:
                error = str(refused.detail)
            else:
                if answer == "accept":
                    messages.success(
                        request,
                        _("You now act for %(organization)s.")
                        % {"organization": found.organization.name},
                    )
                    return redirect("portal:organization", pk=found.organization_id)
                messages.success(request, _("You declined the invitation."))
                return redirect("portal:start")
    here = reverse("portal:invitation", kwargs={"token": token})
    return render(
        request,
        "portal/invitation.html",
        {
            "invitation": found,
            "mine": mine,
            "open": still_open,
            "error": error,
            "unverified": user.is_authenticated
            and not user.email_verified
            and (user.email or "").strip().lower() == found.email,
            "sign_in_url": f"{reverse('portal:sign_in')}?{urlencode({'next': here})}",
            "register_url": f"{reverse('portal:register')}?{urlencode({'invitation': token})}",
        },
        status=400 if error else 200,
    )
