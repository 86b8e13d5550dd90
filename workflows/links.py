"""The signed links of Zuwendo's e-mails, which work without signing in: switching
optional reminders off (RFC 8058) and answering an invitation. Each names one account or
one invitation and cannot be made up for another (``django.core.signing``, keyed by
``SECRET_KEY``, a salt per purpose); every link points at ``PUBLIC_URL``."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from grants.models import User
from projects.models import Invitation

UNSUBSCRIBE = "zuwendo.unsubscribe"
INVITATION = "zuwendo.invitation"
# A mail read a year later still switches reminders off; an invitation ends by itself.
UNSUBSCRIBE_DAYS = 400
INVITATION_DAYS = 60


def _path(path: str, salt: str, pk: int) -> str:
    token = signing.dumps({"id": pk}, salt=salt, compress=True)
    return f"/{path}/{token}/"


def _link(path: str, salt: str, pk: int) -> str:
    return f"{settings.PUBLIC_URL}{_path(path, salt, pk)}"


def _read(token: str, salt: str, days: int) -> int | None:
    try:
        data = signing.loads(token, salt=salt, max_age=days * 86400)
    except signing.BadSignature:
        return None
    pk = data.get("id") if isinstance(data, dict) else None
    return pk if isinstance(pk, int) and not isinstance(pk, bool) else None


def unsubscribe_url(user: User) -> str:
    return _link("unsubscribe", UNSUBSCRIBE, user.pk)


def unsubscribing(token: str) -> User | None:
    pk = _read(token, UNSUBSCRIBE, UNSUBSCRIBE_DAYS)
    return User.objects.filter(pk=pk, is_active=True).first() if pk else None


def invitation_url(invitation: Invitation) -> str:
    return _link("invitations", INVITATION, invitation.pk)


def invitation_path(invitation: Invitation) -> str:
    """The invitation's page on this site (the portal's start page links to it)."""
    return _path("invitations", INVITATION, invitation.pk)


def invited(token: str) -> Invitation | None:
    pk = _read(token, INVITATION, INVITATION_DAYS)
    if not pk:
        return None
    return Invitation.objects.select_related("organization", "invited_by").filter(pk=pk).first()


VERIFY_EMAIL = "zuwendo.verify-email"
VERIFY_EMAIL_DAYS = 3


def verification_url(user: User) -> str:
    """The link that proves the account's present address (a changed address ends it)."""
    token = signing.dumps(
        {"id": user.pk, "email": user.email.strip().lower()}, salt=VERIFY_EMAIL, compress=True
    )
    return f"{settings.PUBLIC_URL}/register/confirm/{token}/"


def verifying(token: str) -> tuple[User, str] | None:
    """The account and the address a verification link was sent for."""
    try:
        data = signing.loads(token, salt=VERIFY_EMAIL, max_age=VERIFY_EMAIL_DAYS * 86400)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    pk, address = data.get("id"), data.get("email")
    if not isinstance(pk, int) or isinstance(pk, bool) or not isinstance(address, str):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    return (user, address) if user is not None else None


# The portal's page of an application that an occasion is about (the mail's link).
PAGES = {
    "payment": "payouts/",
    "change_request": "changes/",
    "receipts": "receipts/",
    "proof_of_use": "proof-of-use/",
    "spending_window": "payouts/",
    "proof_of_use_due": "proof-of-use/",
    "interim_proof_due": "proof-of-use/",
}
PROOF_STATES = frozenset({"proof_submitted", "repayment_due", "closed"})


def application_url(application_id: int, occasion: str = "") -> str:
    """``PUBLIC_URL/applications/<id>/`` or the page of it the occasion concerns (a
    payout's to the payouts, a proof of use's to the proof of use)."""
    return f"{settings.PUBLIC_URL}/applications/{application_id}/{PAGES.get(occasion, '')}"


def transition_occasion(namespace: str, source: str, target: str) -> str:
    """The page a transition's mail links to: the proof of use's steps (submitted, sent
    back for revision, accepted) go to the proof of use, a payout's to the payouts."""
    if namespace != "application":
        return namespace
    if target in PROOF_STATES or (source == "proof_submitted" and target == "funded"):
        return "proof_of_use"
    return ""
