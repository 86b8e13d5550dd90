"""Two-factor sign-in (TOTP, RFC 6238) with django-otp: a time-based code from an
authenticator app, and ten one-time recovery codes for a lost phone.

Office staff and admins need it for the admin site when ``REQUIRE_2FA`` is on (the
production default); anyone, sponsors included, may turn it on. Once on, the API's token
login asks for a code too. Turning it on and off is audited in the user's trail.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from core import audit
from core.errors import InvalidInput, TransitionNotAllowed, WrongSecret
from grants.models import User

RECOVERY_CODES = 10
DEVICE_NAME = "Zuwendo"


def is_enabled(user: User) -> bool:
    """The user has a confirmed authenticator."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator: the app scans ``config_url`` (otpauth://) and
    the user confirms with a first code. Refused while one is on."""
    if is_enabled(user):
        raise TransitionNotAllowed(_("Two-factor sign-in is already on; turn it off first."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def confirm(*, user: User, code: str, keep: AuthToken | None = None) -> list[str]:
    """The first code from the app turns two-factor sign-in on; answers the recovery
    codes, shown this once (only their use is stored). Every token but the caller's
    (``keep``) is revoked: one issued on the password alone before would stay a way in
    without the second factor."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-pk")
            .first()
        )
        if device is None:
            raise TransitionNotAllowed(_("Start the set-up first."))
        if not device.verify_token(str(code).strip()):
            raise InvalidInput(errors={"code": [_("The code is not right (or too old).")]})
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        StaticDevice.objects.filter(user=user).delete()
        recovery = StaticDevice.objects.create(user=user, name=_("recovery codes"))
        codes = [secrets.token_hex(5) for _number in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
        others = AuthToken.objects.filter(user=user)
        others.exclude(pk=keep.pk).delete() if keep is not None else others.delete()
        audit.record(event="user.two_factor_on", trail=user, actor=user)
    return codes


def disable(*, user: User, code: str) -> None:
    """Off again, with a current code or a recovery code."""
    if not is_enabled(user):
        raise TransitionNotAllowed(_("Two-factor sign-in is not on."))
    if not verify(user, code):
        raise WrongSecret(errors={"code": [_("The code is not right (or too old).")]})
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=None):
            device.delete()
        audit.record(event="user.two_factor_off", trail=user, actor=user)


def verify(user: User, code: str | None) -> bool:
    """A current code of the user's authenticator, or an unused recovery code (used up
    by this check). django-otp slows down repeated wrong codes per device."""
    return matching_device(user, code) is not None


def matching_device(user: User, code: str | None):
    """The device the code belongs to (a browser session is marked verified with it:
    ``django_otp.login``), or ``None``; a recovery code is used up."""
    if not code:
        return None
    return match_token(user, str(code).strip().replace(" ", ""))


def pending_device(user: User) -> TOTPDevice | None:
    """The authenticator being set up (started, not yet confirmed)."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def required_for(user: User) -> bool:
    """Staff and admins must sign in with a second factor when ``REQUIRE_2FA`` is on."""
    return bool(settings.REQUIRE_2FA and (user.is_staff or user.is_superuser))
