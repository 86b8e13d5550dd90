"""The portal's pages (PORTAL.md): each parses its form, calls one service or selector of
the layers below, and renders. Objects come through the visibility selectors: what a
user may not see is a 404, as in the API."""

from __future__ import annotations

import base64

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from core.bank import formatted_iban
from core.errors import DomainError
from core.transitions import declaration_of, reasons, transitions_from
from grants import services as grant_services
from grants import two_factor
from grants.models import User
from grants.roles import roles_of
from grants.selectors import programs_followed_by
from portal.forms import (
    CodeForm,
    HoldForm,
    InviteForm,
    PasswordResetForm,
    ProfileForm,
    SignInForm,
    form_errors,
    transition_form,
)
from portal.steps import event_text, next_step, office_step, tally_of
from projects import funding, retention, selectors
from projects.models import Recommendation
from projects.states import EDITABLE_STATES, ApplicationState, VoteChoice
from reports import services as report_services
from reports.models import Document
from reports.selectors import latest_personal_export
from reports.services import available_kinds
from workflows import attachments
from workflows import services as workflow_services
from workflows.links import invitation_path
from workflows.services import APPLICATIONS

FUNDED_STATES = (
    ApplicationState.FUNDED,
    ApplicationState.PROOF_SUBMITTED,
    ApplicationState.REPAYMENT_DUE,
    ApplicationState.CLOSED,
)
PENDING = "portal_pending_user"
BACKEND = "portal_pending_backend"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("portal:start")


def _posted(request: HttpRequest):
    """The form's data on a POST (an empty one too: then it says what is missing)."""
    return request.POST if request.method == "POST" else None


def _needs_second_factor(user: User) -> bool:
    return two_factor.required_for(user) and not user.is_verified()


def portal_page(view):
    """A signed-in page. Staff who must use a second factor (``REQUIRE_2FA``) and have
    not verified one in this session are sent to set it up first: no dead end."""

    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs):
        if _needs_second_factor(request.user):
            return redirect("portal:two_factor_setup")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def saved(request: HttpRequest, form, write, **values):
    """For a POST: ``write(**values, **form.cleaned_data)`` if the form is valid, what it
    refuses onto the form. Answers what the service wrote (each service used so answers
    its object), None if nothing was written."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return write(actor=request.user, **values, **form.cleaned_data)
    except DomainError as error:
        form_errors(form, error)
        return None


def posted_pk(request: HttpRequest, name: str, queryset):
    """The object of ``queryset`` whose id the POST names in ``name`` (404 for anything
    else: no id, not digits, Unicode digits, too long, or not in the queryset)."""
    chosen = request.POST.get(name, "")
    found = (
        queryset.filter(pk=int(chosen)).first()
        if chosen.isascii() and chosen.isdecimal() and len(chosen) < 19
        else None
    )
    if found is None:
        raise Http404
    return found


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """User name or e-mail and password (axes counts the failures); then the second
    factor for an account that has one."""
    if request.user.is_authenticated and not _needs_second_factor(request.user):
        return redirect(_next_url(request))
    form = SignInForm(request, _posted(request))
    if request.method == "POST" and form.is_valid():
        user = form.user
        if two_factor.is_enabled(user):
            request.session.cycle_key()
            request.session[PENDING] = user.pk
            request.session[BACKEND] = user.backend
            target = reverse("portal:two_factor")
            return redirect(f"{target}?{urlencode({'next': _next_url(request)})}")
        login(request, user)
        if two_factor.required_for(user):
            messages.info(request, _("Your account needs two-factor sign-in: set it up now."))
            return redirect("portal:two_factor_setup")
        return redirect(_next_url(request))
    status = 429 if form.locked_out else 200
    return render(
        request,
        "portal/sign_in.html",
        {"form": form, "next": _next_url(request)},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def two_factor_code(request: HttpRequest) -> HttpResponse:
    """The second step: a code of the authenticator app or a recovery code."""
    user = User.objects.filter(pk=request.session.get(PENDING), is_active=True).first()
    if user is None:
        return redirect("portal:sign_in")
    form = CodeForm(_posted(request))
    if AxesProxyHandler.is_locked(request, {"username": user.username}):
        messages.error(
            request,
            _(
                "Too many failed sign-ins: this account is locked for a while. "
                "Try again later or reset your password."
            ),
        )
        request.session.pop(PENDING, None)
        return redirect("portal:sign_in")
    if request.method == "POST" and form.is_valid():
        device = two_factor.matching_device(user, form.cleaned_data["code"])
        if device is not None:
            user.backend = request.session.get(BACKEND)
            login(request, user)
            otp_login(request, device)
            return redirect(_next_url(request))
        # Counted like a wrong password (axes): codes are not tried without limit.
        user_login_failed.send(
            sender=User, credentials={"username": user.username}, request=request
        )
        form.add_error("code", _("The code is not right (or too old). Try the next one."))
    return render(request, "portal/two_factor.html", {"form": form, "next": _next_url(request)})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Turn on two-factor sign-in: scan the QR code, confirm with a first code, keep
    the recovery codes (shown once)."""
    user = request.user
    if two_factor.is_enabled(user) and request.method == "GET":
        return render(request, "portal/two_factor_setup.html", {"enabled": True})
    context: dict = {}
    form = CodeForm(_posted(request)) if request.POST.get("step") == "confirm" else None
    if request.method == "POST" and request.POST.get("step") == "start":
        try:
            device = two_factor.start(user=user)
        except DomainError as error:
            messages.error(request, str(error.detail))
            return redirect("portal:two_factor_setup")
        context = _setup_context(device)
        context["form"] = CodeForm()
    elif form is not None and form.is_valid():
        try:
            codes = two_factor.confirm(user=user, code=form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", _messages_of(error))
        else:
            otp_login(request, two_factor.confirmed_device(user))
            return render(request, "portal/recovery_codes.html", {"codes": codes})
        pending = two_factor.pending_device(user)
        if pending is not None:
            context = _setup_context(pending)
        context["form"] = form
    return render(request, "portal/two_factor_setup.html", context)


def _setup_context(device) -> dict:
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=5, dark="#000", light="#fff", title=_("QR code for your app"))
    secret = base64.b32encode(bytes.fromhex(device.key)).decode().rstrip("=")
    return {
        "qr_data": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode(),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }


def _messages_of(error: DomainError) -> str:
    detail = error.detail
    if isinstance(detail, dict):
        return " ".join(str(m) for value in detail.values() for m in value)
    return str(detail)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You are signed out."))
    return redirect("portal:sign_in")


def start(request: HttpRequest) -> HttpResponse:
    """``/``: the start page of the signed-in user; the sign-in when signed out."""
    if not request.user.is_authenticated:
        return redirect("portal:sign_in")
    if _needs_second_factor(request.user):
        return redirect("portal:two_factor_setup")
    user = request.user
    organizations = selectors.member_organizations(user)
    # A committee member, a funder or the office sees the sponsor's sections only if
    # they also act for an organisation; everybody else (a new sponsor) sees them.
    roles = roles_of(user)
    sponsor = organizations.exists() or not roles.program_ids
    found = list(selectors.sponsor_applications(user)[:100])
    funding.attach_due_dates(found)
    applications = [(application, next_step(application)) for application in found]
    return render(
        request,
        "portal/start.html",
        {
            "applications": applications,
            "organizations": organizations,
            "sponsor": sponsor,
            "committee": bool(roles.committee_body_ids),
            "office": user.is_superuser or bool(roles.office_program_ids),
            "programs": list(programs_followed_by(user).order_by("name")),
            "calls": selectors.open_calls(),
            "invitations": [
                (invitation, invitation_path(invitation))
                for invitation in selectors.invitations_for(user)
            ],
            "unverified": bool(user.email) and not user.email_verified,
            "reviews": list(selectors.applications_for_review(user)[:100]),
            "vote_choices": VoteChoice.choices,
        },
    )


@portal_page
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One application: its state, the next step, the plan, the files and the history."""
    application = (
        selectors.applications_visible_to(request.user)
        .select_related("organization", "call", "program")
        .prefetch_related("budget_lines__category")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    history = [
        (entry, event_text(entry))
        for entry in selectors.application_history(application, request.user)
        .select_related("actor")
        .order_by("at", "pk")
    ]
    files = attachments.visible_of(application, request.user)
    office = request.user.has_perm("projects.take_office_step", application)
    return render(
        request,
        "portal/application.html",
        {
            "application": application,
            "step": office_step(application) if office else next_step(application),
            "lines": application.budget_lines.all(),
            "attachments": files,
            "missing_annexes": attachments.missing_annexes(application),
            "history": history,
            "actions": _actions(application, request.user),
            "editable": application.state in EDITABLE_STATES
            and request.user.has_perm("projects.change_application", application),
            "documents": []
            if application.erased_at
            else [(kind, Document.Kind(kind).label) for kind in available_kinds(application)],
            "hold_form": HoldForm() if office and not application.erased_at else None,
            "deletion_day": retention.deletion_day(application),
            "office_review": application.state
            in (ApplicationState.SUBMITTED, ApplicationState.COMMITTEE_REVIEW)
            and request.user.has_perm("projects.manage_review", application),
            "recommendation": Recommendation.objects.filter(application=application).first(),
            # The office sees the whole file on one screen (PORTAL.md).
            "office": office,
            "tally": tally_of(application) if office else None,
            "payouts": list(application.payouts.order_by("requested_at", "pk")) if office else [],
            "statement": funding.statement_for(application)
            if office and application.state in FUNDED_STATES
            else None,
            "receipts": application.expenditures.aggregate(
                lines=Count("pk"),
                requested=Count("pk", filter=Q(receipt_requested=True)),
                reviewed=Count("pk", filter=~Q(finding="")),
            )
            if office
            else None,
            "office_check": application.state
            in (
                ApplicationState.PROOF_SUBMITTED,
                ApplicationState.REPAYMENT_DUE,
                ApplicationState.CLOSED,
            )
            and request.user.has_perm("projects.take_office_step", application),
        },
    )


@portal_page
def application_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A document of the application as an accessible page, from the same sheet as its
    PDF (BGG § 10), in the reader's language; the PDF beside it."""
    application = selectors.applications_visible_to(request.user).filter(pk=pk).first()
    if application is None:
        raise Http404
    try:
        title, body = report_services.application_document_html(
            application=application, kind=kind, language=get_language()
        )
    except DomainError:
        raise Http404 from None
    return render(
        request,
        "portal/document.html",
        {"application": application, "title": title, "body": body, "kind": kind},
    )


@portal_page
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        _posted(request),
        initial={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "optional_notifications": user.optional_notifications,
        },
    )
    if request.method == "POST" and form.is_valid():
        grant_services.user_profile_update(user=user, **form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        response = redirect("portal:profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.cleaned_data["language"],
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        return response
    return render(
        request,
        "portal/profile.html",
        {
            "form": form,
            "two_factor_on": two_factor.is_enabled(user),
            "personal_export": latest_personal_export(user),
        },
    )


class PasswordReset(auth_views.PasswordResetView):
    """Django's reset by e-mail link, the link on ``PUBLIC_URL`` (the portal's address
    as the e-mail's reader reaches it, not the host the request happened to name)."""

    template_name = "portal/password_reset.html"
    form_class = PasswordResetForm
    email_template_name = "portal/email/password_reset.txt"
    subject_template_name = "portal/email/password_reset_subject.txt"
    success_url = reverse_lazy("portal:password_reset_sent")

    @property
    def extra_email_context(self):
        return {"public_url": settings.PUBLIC_URL}


def _actions(application, user) -> list[dict]:
    """The transitions the user may take from this state: a button each, or the reasons
    why it is not possible yet (a condition that fails says why)."""
    actions = []
    for transition in transitions_from(type(application), "state", application.state):
        if not transition.has_perm(application, user):
            continue
        problems: list[str] = []
        for condition in transition.conditions or ():
            for messages_ in reasons(condition, application).values():
                problems.extend(str(message) for message in messages_)
        actions.append(
            {
                "name": transition.name,
                "label": declaration_of(transition).label,
                "reasons": problems,
            }
        )
    return actions


@portal_page
@require_http_methods(["GET", "POST"])
def application_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """One step of the application (submit, withdraw, accept the agreement …) with the
    inputs it declares; what refuses it is shown next to its field or on top."""
    application = selectors.applications_visible_to(request.user).filter(pk=pk).first()
    if application is None:
        raise Http404
    try:
        declaration = APPLICATIONS.declaration(name)
    except DomainError:
        raise Http404 from None
    form = transition_form(declaration, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        payload = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            workflow_services.application_transition(
                application=application, actor=request.user, name=name, payload=payload
            )
        except DomainError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": declaration.label})
            return redirect("portal:application", pk=application.pk)
    return render(
        request,
        "portal/transition.html",
        {"application": application, "declaration": declaration, "form": form},
    )


@portal_page
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation's data, members and invitations (its members and the office of
    a program it applied to; anyone else: 404)."""
    organization = selectors.organizations_visible_to(request.user).filter(pk=pk).first()
    if organization is None:
        raise Http404
    return organization_page(request, organization)


def organization_page(
    request: HttpRequest, organization, *, invite_form=None, status: int = 200
) -> HttpResponse:
    user = request.user
    is_member = selectors.member_organizations(user).filter(pk=organization.pk).exists()
    may_invite = user.has_perm("projects.manage_members", organization)
    return render(
        request,
        "portal/organization.html",
        {
            "organization": organization,
            "iban": formatted_iban(organization.iban),
            "members": organization.members.order_by("last_name", "first_name", "username"),
            "invitations": (
                selectors.organization_invitations(organization).order_by("-created_at")[:50]
                if is_member
                else []
            ),
            "may_edit": user.has_perm("projects.change_organization", organization),
            "invite_form": (invite_form or InviteForm()) if may_invite else None,
        },
        status=status,
    )


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """The header's language switch: the cookie for this browser and, signed in, the
    account's language too (its e-mails and documents follow it)."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    if request.user.is_authenticated:
        grant_services.user_settings_update(user=request.user, language=language)
    response = redirect(_next_url(request))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
