"""The pages of ``workflows`` outside the API, reached from an e-mail's signed link
without signing in (``workflows.links``):

- ``/unsubscribe/<token>/``: switch optional reminders off (RFC 8058 one-click). ``GET``
  shows a button (a link scanner that follows the link changes nothing); ``POST`` (the
  button, or the mail client's one-click request) switches them off. Reminders with
  legal effect stay on.

An invitation's link (``/invitations/<token>/``) is the portal's page
(``portal.accounts.invitation``): the invitee answers it signed in.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from grants.services import optional_notifications_off
from workflows.links import unsubscribing


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
