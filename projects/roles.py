"""The organisations a user is a member of (a sponsor's role), read once per request
and cached on the user object beside the program roles (``grants.roles``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from grants.models import User

_CACHE_ATTRIBUTE = "_zuwendo_organization_ids"


def organization_ids_of(user: User | AnonymousUser | None) -> frozenset[int]:
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    from projects.models import Membership

    ids = frozenset(
        Membership.objects.filter(user=user).order_by().values_list("organization_id", flat=True)
    )
    setattr(user, _CACHE_ATTRIBUTE, ids)
    return ids


def forget_memberships(user: User) -> None:
    """Call after changing a user's memberships so the same object sees the change."""
    user.__dict__.pop(_CACHE_ATTRIBUTE, None)


def invitation_address(user: User | AnonymousUser | None) -> str:
    """The address invitations are matched against: the account's e-mail, compared in
    lower case (invitations store it so), once verified (an administrator entered it,
    or its owner opened the link sent to it). An unverified address matches nothing:
    anyone may register with anyone's address."""
    if not getattr(user, "email_verified", False):
        return ""
    return (getattr(user, "email", "") or "").strip().lower()
