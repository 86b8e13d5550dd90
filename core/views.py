"""The one page outside the API and the admin: where a newcomer lands."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def landing(request: HttpRequest) -> HttpResponse:
    """``/``: links to the API docs, the admin and the health check."""
    return render(request, "core/landing.html")
