"""The roles a user holds in programs, read once per request and cached on the user.

Every permission predicate (``*/rules.py``) and every visibility selector asks this one
place, so a list of a hundred applications costs one role query, not a hundred.
Organisation memberships are the layer above's (``projects.roles``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from grants.models import User

_CACHE_ATTRIBUTE = "_zuwendo_program_roles"


@dataclass(frozen=True)
class ProgramRoles:
    office_program_ids: frozenset[int]
    committee_program_ids: frozenset[int]
    funder_program_ids: frozenset[int]
    # Decision bodies (DOMAIN.md, "Committee review"): where the user sits today, where
    # they vote (voting members and deputies), and which they chair.
    committee_body_ids: frozenset[int]
    voting_body_ids: frozenset[int]
    chair_body_ids: frozenset[int]

    @property
    def program_ids(self) -> frozenset[int]:
        return self.office_program_ids | self.committee_program_ids | self.funder_program_ids


NO_ROLES = ProgramRoles(*(frozenset() for _ in range(6)))


def roles_of(user: User | AnonymousUser | None) -> ProgramRoles:
    """The user's roles today: a committee membership counts from its first to its last
    day (a former member neither sees nor votes)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_ROLES
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    from django.db.models import Q
    from django.utils import timezone

    from grants.models import ProgramRole

    today = timezone.localdate()
    by_role: dict[str, set[int]] = {kind: set() for kind in ProgramRole.Kind.values}
    bodies: set[int] = set()
    voting_bodies: set[int] = set()
    chair_bodies: set[int] = set()
    current = (Q(valid_from__isnull=True) | Q(valid_from__lte=today)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    for program_id, role, body_id, is_voting, is_chair in (
        ProgramRole.objects.filter(current, user=user)
        .order_by()
        .values_list("program_id", "role", "body_id", "voting", "chair")
    ):
        by_role[role].add(program_id)
        if role == ProgramRole.Kind.COMMITTEE:
            bodies.add(body_id)
            if is_voting:
                voting_bodies.add(body_id)
            if is_chair:
                chair_bodies.add(body_id)
    roles = ProgramRoles(
        office_program_ids=frozenset(by_role[ProgramRole.Kind.OFFICE]),
        committee_program_ids=frozenset(by_role[ProgramRole.Kind.COMMITTEE]),
        funder_program_ids=frozenset(by_role[ProgramRole.Kind.FUNDER]),
        committee_body_ids=frozenset(bodies),
        voting_body_ids=frozenset(voting_bodies),
        chair_body_ids=frozenset(chair_bodies),
    )
    setattr(user, _CACHE_ATTRIBUTE, roles)
    return roles


def forget_roles(user: User) -> None:
    """Call after changing a user's program roles so the same object sees the change."""
    user.__dict__.pop(_CACHE_ATTRIBUTE, None)
