"""The pages of ``workflows`` outside the API, reached from an e-mail's signed link
without signing in (``workflows.links``):

- ``/unsubscribe/<token>/``: switch optional reminders off (RFC 8058 one-click). ``GET``
  shows a button (a link scanner that follows the link changes nothing); ``POST`` (the
  button, or the mail client's one-click request) switches them off. Reminders with
  legal effect stay on.
- ``/invitations/<token>/``: answer an invitation to an organisation. The link went to
  the invited address, so it acts for the account with that address (as a password
  reset would): ``GET`` shows the invitation, ``POST`` accepts or declines it. Without
  such an account the page says to ask the office for one.

The portal (a later issue) takes these pages over in its own look.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from grants.services import optional_notifications_off
from projects.services import invitation_accept, invitation_decline
from workflows.links import invited, unsubscribing
from workflows.notifications import account_with_address


def _page(request: HttpRequest, template: str, language: str, context: dict, status: int):
    with translation.override(language):
        # the template reads the language from the override (``get_current_language``)
        response = render(request, template, context, status=status)
    response["Cache-Control"] = "private, no-store"
    response["Content-Language"] = language
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_exempt  # the mail client's one-click POST carries no CSRF token; the link is signed
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user = unsubscribing(token)
    done = False
    if user is not None and request.method == "POST":
        optional_notifications_off(user=user, via="e-mail link")
        done = True
    context = {
        "valid": user is not None,
        "done": done,
        "name": (user.get_full_name() or user.username) if user else "",
    }
    language = user.language if user else settings.LANGUAGE_CODE
    status = 200 if user is not None else 404
    return _page(request, "workflows/unsubscribe.html", language, context, status)


@csrf_exempt  # the token in the path is the proof; there is no session to forge
@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = invited(token)
    account = account_with_address(found.email) if found else None
    language = account.language if account else settings.LANGUAGE_CODE
    context = {"invitation": found, "account": account, "answer": "", "error": ""}
    status = 200 if found is not None else 404
    if found is not None and account is not None and request.method == "POST":
        answer = request.POST.get("answer", "")
        if answer in ("accept", "decline"):
            act = invitation_accept if answer == "accept" else invitation_decline
            try:
                with translation.override(language):
                    act(invitation=found, actor=account)
                context["answer"] = answer
            except DomainError as error:
                context["error"] = error.detail
                status = error.status_code
        else:
            status = 400
            context["error"] = translation.gettext("Choose accept or decline.")
    return _page(request, "workflows/invitation.html", language, context, status)
