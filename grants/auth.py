"""Signing in: API tokens (django-rest-knox) and login throttling (django-axes).

CONTRACT.md, "Authentication": a token expires after ``TOKEN_TTL`` without use; a user
holds one token per client; 5 failed logins for one username from one address within
15 minutes lock that pair, 30 from one address across usernames lock the address, and
a success resets the pair's count. Decision 007 explains the choices.
"""

from __future__ import annotations

from datetime import timedelta
from math import ceil

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Max, Sum
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.models import AuthToken

from grants.models import username_key


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox's token check without its scan of all the user's other tokens on every request
    (one query more per request); expired tokens are removed when the user signs in
    (``grants.services.token_issue``) and when they are presented."""

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """How OpenAPI describes it: ``Authorization: Token <token>``."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <token>` from POST /api/auth/token/",
        }


def login_username(request, credentials: dict | None = None) -> str:
    """The name axes counts failures under: the account's key (``username_key``), so
    ``Traeger.Koblenz`` and ``ｔraeger.koblenz`` share the one lock of
    ``traeger.koblenz``."""
    username = (credentials or {}).get("username")
    if username is None:
        username = request.POST.get("username", "") if hasattr(request, "POST") else ""
    return username_key(str(username))


class LoginLockHandler(AxesDatabaseHandler):
    """Axes' database handler with two limits instead of one.

    ``AXES_LOCKOUT_PARAMETERS`` is ``[["username", "ip_address"], "ip_address"]``, so
    axes hands over two sets of attempts: the pair's and the address's. The pair locks at
    ``AXES_FAILURE_LIMIT`` (5), the address at ``LOGIN_ADDRESS_FAILURE_LIMIT`` (30): an
    office behind one NAT address is not locked out by one person's typos.
    """

    def _pair_and_address_failures(self, request, credentials) -> tuple[int, int]:
        pair, address = self.get_user_attempts(request, credentials)
        count = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in (pair, address)
        ]
        return count[0], count[1]

    def get_failures(self, request, credentials: dict | None = None) -> int:
        pair, address = self._pair_and_address_failures(request, credentials)
        if address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(pair, settings.AXES_FAILURE_LIMIT)  # the address is locked
        return pair

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """A success resets the pair only: signing in to one account must not wipe the
        failures recorded against others from the same address."""
        pair = self.filter_user_attempts(request, credentials)[0]
        count, _ = pair.delete()
        return count

    def seconds_until_unlocked(self, request, credentials: dict | None = None) -> int:
        """When the lock lifts: the cool-off after the last counted failure."""
        cool_off = get_cool_off(request) or timedelta(0)
        last = None
        for attempts in self.get_user_attempts(request, credentials):
            latest = attempts.aggregate(latest=Max("attempt_time"))["latest"]
            if latest and (last is None or latest > last):
                last = latest
        if last is None:
            return 1
        return max(1, ceil((last + cool_off - timezone.now()).total_seconds()))

    def user_logged_in(self, sender, request, user, **kwargs):
        """Axes' access log of a successful sign-in, without the client's address unless
        ``ACCESS_LOG_ADDRESSES`` is on (DOMAIN.md, "Data protection": the address is
        needed for the lockout of failures, not for the record of who signed in)."""
        super().user_logged_in(sender, request, user, **kwargs)
        if not settings.ACCESS_LOG_ADDRESSES and not settings.AXES_DISABLE_ACCESS_LOG:
            # The row just written (its time is axes' own ``auto_now_add``, not the
            # request's): the user's rows hold no address but this one.
            AccessLog.objects.filter(username=user.get_username(), ip_address__isnull=False).update(
                ip_address=None
            )


def purge_signin_records(now=None) -> dict[str, int]:
    """Delete axes' failed attempts (and so its lockouts), failure and access logs older
    than ``SIGNIN_RECORDS_DAYS``, and every expired API token and browser session (the
    daily retention sweep). Answers how many rows of each went."""
    now = now or timezone.now()
    before = now - timedelta(days=settings.SIGNIN_RECORDS_DAYS)
    return {
        "attempts": AccessAttempt.objects.filter(attempt_time__lt=before).delete()[0],
        "failure_log": AccessFailureLog.objects.filter(attempt_time__lt=before).delete()[0],
        "access_log": AccessLog.objects.filter(attempt_time__lt=before).delete()[0],
        "expired_tokens": AuthToken.objects.filter(expiry__lt=now).delete()[0],
        "expired_sessions": Session.objects.filter(expire_date__lt=now).delete()[0],
    }
