"""Rate limits. A module of its own: DRF reads ``DEFAULT_THROTTLE_CLASSES`` while its
views module loads, so this one must not import DRF's views."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from core.net import client_address


class AnonymousRateThrottle(AnonRateThrottle):
    """DRF's limit for requests without credentials, its rate read from the setting
    ``ANONYMOUS_RATE`` at request time (DRF's own reads it once at import)."""

    def get_rate(self) -> str:
        return settings.ANONYMOUS_RATE

    def get_ident(self, request) -> str:
        # DRF's own reads X-Forwarded-For from anybody (NUM_PROXIES unset); the limit
        # counts by the one address the lockout uses too.
        return client_address(request) or "unknown"
