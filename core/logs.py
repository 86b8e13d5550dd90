"""Every log line carries the id of the request it belongs to: the client's
``X-Request-ID`` when it sends a sane one (a proxy's), else a new one; the response
returns it, so a user's complaint, the access log and the application's log meet. In
production the lines are JSON (python-json-logger), one object per line on stdout, and
the access log is one of them (``zuwendo.access``, ``ACCESS_LOG``): gunicorn's own is
text and is left off."""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid

from django.conf import settings
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

REQUEST_ID_HEADER = "X-Request-ID"
_SANE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
access_log = logging.getLogger("zuwendo.access")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Outermost but one (after the guard that answers a bad Host): sets the request's
    id for the log lines written while it is served, and returns it in the response."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.log_access = settings.ACCESS_LOG

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = offered if _SANE.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        # Left set until the response is finished: Django logs 4xx and 5xx responses
        # after the middleware returned them (``request_finished`` resets it).
        _request_id.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        if self.log_access:
            _log_access(request, response, (time.perf_counter() - started) * 1000)
        return response


def _log_access(request: HttpRequest, response: HttpResponse, duration_ms: float) -> None:
    """One line per request. The path without its query string: searches carry names."""
    access_log.info(
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(duration_ms, 1),
            "user_id": _user_id(request),
        },
    )


def _user_id(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None  # the session's user was never asked for: not worth a query
    return user.pk if user is not None and user.is_authenticated else None


def _forget_request_id(**kwargs) -> None:
    _request_id.set("-")


request_finished.connect(_forget_request_id, dispatch_uid="core.logs.forget_request_id")


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` on every record (``-`` outside a request: tasks, commands)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True
