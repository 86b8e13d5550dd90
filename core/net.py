"""Where a request comes from: the one answer the login lockout (axes), the anonymous
rate limit (DRF) and the logs share.

Only the peer's address is believed, unless ``TRUSTED_PROXY=1`` says a reverse proxy of
our own stands in front: then the last hop of ``X-Forwarded-For``, the one that proxy
appended (anything before it the client may have written itself). A client that sends
its own ``X-Forwarded-For`` to a server without such a proxy changes nothing.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The client's address as our side of the connection saw it (see the module)."""
    meta = getattr(request, "META", request)
    if settings.TRUSTED_PROXY:
        hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if hops and _is_address(hops[-1]):
            return hops[-1]
    return meta.get("REMOTE_ADDR") or None


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
