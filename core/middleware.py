"""Refusals before a request reaches Django's own middleware, in the contract's body.

Outermost in ``MIDDLEWARE``, so that a bad ``Host`` header or a body over the limit is
answered with JSON in development (``DEBUG``) as in production, and before anything
reads the body.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.api import error_body
from core.parsers import RequestTooLarge

# The paths whose every answer is the contract's JSON (CONTRACT.md, "Errors").
JSON_PATHS = ("/api/", "/healthz")


def _speaks_json(request: HttpRequest) -> bool:
    return request.path.startswith(JSON_PATHS)


UPLOAD_ENVELOPE = 64 * 1024


def _is_upload(request: HttpRequest) -> bool:
    """A multipart POST to an attachments collection (the only place files go)."""
    return (
        request.method == "POST"
        and request.path.startswith("/api/")
        and request.path.endswith("/attachments/")
        and request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data")
    )


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            request.get_host()
        except DisallowedHost:
            return JsonResponse(
                error_body(_("The Host header names no site served here."), "invalid"),
                status=400,
            )
        length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            size = int(length)
        except ValueError:
            return JsonResponse(
                error_body(_("The Content-Length header is not a number."), "invalid"),
                status=400,
            )
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if _is_upload(request):
            # A file to attach: its own limit (plus the multipart envelope); the service
            # measures the file itself.
            limit = settings.ATTACHMENT_MAX_BYTES + UPLOAD_ENVELOPE
        if limit is not None and size > limit:
            return JsonResponse(
                error_body(str(RequestTooLarge.default_detail), "too_large"), status=413
            )
        response = self.get_response(request)
        if not _speaks_json(request):
            return response
        if response.status_code >= 400 and _is_html(response):
            response = _as_json(response)
        # What the API answers is the caller's own (their applications, their money): no
        # shared cache keeps it, and no browser stores it. Documents set their own
        # (revalidated with their ETag).
        if "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response


def _is_html(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


# What an HTML error page of Django's becomes under /api/: with DEBUG, its pages for an
# unknown path, a server error, a CSRF failure or a form flood are HTML (and a server
# error's page shows the request's body: a password). The status stays; the page goes.
_DETAILS = {
    400: (gettext_lazy("Bad request."), "invalid"),
    403: (gettext_lazy("You may not do this."), "permission_denied"),
    404: (gettext_lazy("Not found."), "not_found"),
    405: (gettext_lazy("This method is not allowed here."), "method_not_allowed"),
    413: (RequestTooLarge.default_detail, "too_large"),
}


def _as_json(response: HttpResponse) -> JsonResponse:
    status = response.status_code
    detail, code = _DETAILS.get(
        status,
        (gettext_lazy("Something went wrong on our side; it has been logged."), "server_error")
        if status >= 500
        else (gettext_lazy("The request could not be answered."), "invalid"),
    )
    answer = JsonResponse(error_body(str(detail), code), status=status)
    for header in ("Allow", "Retry-After", "X-Request-ID"):
        if header in response:
            answer[header] = response[header]
    return answer
