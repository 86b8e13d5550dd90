"""Erasing an account on its owner's request (DSGVO Art. 17; DOMAIN.md, "Data
protection").

An account is erased at once unless a file still needs it: a file in which the person
acted (the audit trail names them as the actor) that is not erased and either still
runs (submitted up to closed, no retention period yet), is within its retention period,
or is on hold. Such an account is locked at once (signed out everywhere, no token, no
second factor, no sign-in) and erased by the retention sweep once the last of those
files is erased.

Erasing replaces the name, the e-mail address and the username by a stable pseudonym
("gelöschtes Konto 17"); the rows that point at the account (votes, uploads, the audit
trail) keep pointing at it and so show the pseudonym. The audit entries naming the
person in their words get the pseudonym in place of the name, address and username
(``core.audit.pseudonymise``, the only change the trail allows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from core import audit
from core.models import AuditEntry
from grants.models import User
from projects.models import Application, Invitation
from projects.states import ApplicationState as S
from workflows.models import Delivery

PSEUDONYM = "gelöschtes Konto {pk}"
# The states in which a file is still worked on: it needs the people who acted in it.
RUNNING = (
    S.SUBMITTED,
    S.REVISION_REQUESTED,
    S.COMMITTEE_REVIEW,
    S.APPROVED,
    S.FUNDED,
    S.PROOF_SUBMITTED,
    S.REPAYMENT_DUE,
    S.CLOSED,
)


def pseudonym(user: User) -> str:
    return PSEUDONYM.format(pk=user.pk)


def _needing(today: date) -> QuerySet[Application]:
    """The files not yet erased that still need the people who acted in them."""
    return Application.objects.filter(erased_at__isnull=True).filter(
        Q(retention_hold__gt="")
        | Q(retention_until__gte=today)
        | Q(retention_until__isnull=True, state__in=RUNNING)
    )


def _acts(**actor) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        trail_type=ContentType.objects.get_for_model(Application), **actor
    )


def files_needing(user: User, today: date | None = None) -> QuerySet[Application]:
    """The files not yet erased whose retention still needs ``user``'s account."""
    today = today or timezone.localdate()
    return _needing(today).filter(pk__in=_acts(actor=user).values("trail_id"))


@dataclass(frozen=True)
class Erasure:
    erased: bool
    # While locked: the last retention day known now (None while a file still runs).
    kept_until: date | None = None
    files: int = 0


def _lock(user: User) -> None:
    """No way in any more: inactive (sessions end at their next request), no token, no
    second factor."""
    User.objects.filter(pk=user.pk).update(is_active=False)
    AuthToken.objects.filter(user=user).delete()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def _erase(user: User) -> None:
    """Replace the account's personal fields by the pseudonym, in one transaction."""
    name = pseudonym(user)
    full_name = user.get_full_name().strip()
    terms = [user.email, user.verified_email, user.username, full_name]
    own = Q(actor=user) | Q(trail_type=ContentType.objects.get_for_model(User), trail_id=user.pk)
    audit.pseudonymise(audit.entries_naming(terms, also=own), audit.replacing(terms, name))
    if user.email:
        Invitation.objects.filter(email__iexact=user.email).update(email="")
    Delivery.objects.filter(recipient=user).update(address="")
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=name)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__in={user.username, user.username_key}).delete()
    user.username = name
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.verified_email = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.optional_notifications = False
    user.erased_at = timezone.now()
    user.set_unusable_password()
    user.save()
    audit.record(event="account.erase", trail=user, actor=None)


def account_erasure_request(*, user: User) -> Erasure:
    """The person asks for their account to be deleted: erased now, or locked until the
    retention sweep may erase it. Audited in the account's trail."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.erased_at is not None:
            return Erasure(erased=True)
        needing = files_needing(locked)
        count = needing.count()
        if locked.erasure_requested_at is None:
            locked.erasure_requested_at = timezone.now()
            User.objects.filter(pk=locked.pk).update(
                erasure_requested_at=locked.erasure_requested_at
            )
            audit.record(
                event="account.erasure_request",
                trail=locked,
                actor=locked,
                data={"files_needing": count},
            )
        _lock(locked)
        if count:
            running = needing.filter(retention_until__isnull=True).exists()
            until = None if running else needing.aggregate(last=Max("retention_until"))["last"]
            return Erasure(erased=False, kept_until=until, files=count)
        _erase(locked)
    return Erasure(erased=True)


def accounts_to_erase(today: date | None = None) -> QuerySet[User]:
    """The locked accounts whose files no longer need them: one query, however many
    accounts wait."""
    today = today or timezone.localdate()
    needed = _acts(actor=OuterRef("pk"), trail_id__in=_needing(today).values("pk"))
    return User.objects.filter(erasure_requested_at__isnull=False, erased_at__isnull=True).exclude(
        Exists(needed)
    )


def erase_waiting_accounts() -> int:
    """The retention sweep's step: erase the accounts nothing keeps any more."""
    erased = 0
    for user in accounts_to_erase():
        with transaction.atomic():
            locked = User.objects.select_for_update().get(pk=user.pk)
            if locked.erased_at is None and not files_needing(locked).exists():
                _erase(locked)
                erased += 1
    return erased
