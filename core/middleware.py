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

from core.api import error_body
from core.parsers import RequestTooLarge


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
        if limit is not None and size > limit:
            return JsonResponse(
                error_body(str(RequestTooLarge.default_detail), "too_large"), status=413
            )
        return self.get_response(request)
