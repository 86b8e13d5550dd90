"""Every log line carries the id of the request it belongs to: the client's
``X-Request-ID`` when it sends a sane one (a proxy's), else a new one; the response
returns it, so a user's complaint, the access log and the application's log meet. In
production the lines are JSON (python-json-logger), one object per line on stdout."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
_SANE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Outermost but one (after the guard that answers a bad Host): sets the request's
    id for the log lines written while it is served, and returns it in the response."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = offered if _SANE.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        # Left set until the response is finished: Django logs 4xx and 5xx responses
        # after the middleware returned them (``request_finished`` resets it).
        _request_id.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


def _forget_request_id(**kwargs) -> None:
    _request_id.set("-")


request_finished.connect(_forget_request_id, dispatch_uid="core.logs.forget_request_id")


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` on every record (``-`` outside a request: tasks, commands)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True
