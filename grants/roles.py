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
    voting_program_ids: frozenset[int]
    chair_program_ids: frozenset[int]
    funder_program_ids: frozenset[int]

    @property
    def program_ids(self) -> frozenset[int]:
        return self.office_program_ids | self.committee_program_ids | self.funder_program_ids


NO_ROLES = ProgramRoles(*(frozenset() for _ in range(5)))


def roles_of(user: User | AnonymousUser | None) -> ProgramRoles:
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_ROLES
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    from grants.models import ProgramRole

    by_role: dict[str, set[int]] = {kind: set() for kind in ProgramRole.Kind.values}
    voting: set[int] = set()
    chair: set[int] = set()
    for program_id, role, is_voting, is_chair in (
        ProgramRole.objects.filter(user=user)
        .order_by()
        .values_list("program_id", "role", "voting", "chair")
    ):
        by_role[role].add(program_id)
        if role == ProgramRole.Kind.COMMITTEE:
            if is_voting:
                voting.add(program_id)
            if is_chair:
                chair.add(program_id)
    roles = ProgramRoles(
        office_program_ids=frozenset(by_role[ProgramRole.Kind.OFFICE]),
        committee_program_ids=frozenset(by_role[ProgramRole.Kind.COMMITTEE]),
        voting_program_ids=frozenset(voting),
        chair_program_ids=frozenset(chair),
        funder_program_ids=frozenset(by_role[ProgramRole.Kind.FUNDER]),
    )
    setattr(user, _CACHE_ATTRIBUTE, roles)
    return roles


def forget_roles(user: User) -> None:
    """Call after changing a user's program roles so the same object sees the change."""
    user.__dict__.pop(_CACHE_ATTRIBUTE, None)
