"""Reads of programs and their decision bodies, filtered by role."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from grants.models import Program, ProgramRole, User
from grants.roles import roles_of


def programs_managed_by(user: User | AnonymousUser) -> QuerySet[Program]:
    """The programs whose office the user is (all of them for an administrator)."""
    if user.is_superuser:
        return Program.objects.all()
    return Program.objects.filter(pk__in=roles_of(user).office_program_ids)


def programs_followed_by(user: User | AnonymousUser) -> QuerySet[Program]:
    """The programs whose figures and reports the user reads: as funder or office (all
    of them for an administrator)."""
    if not user.is_authenticated:
        return Program.objects.none()
    if user.is_superuser:
        return Program.objects.all()
    roles = roles_of(user)
    return Program.objects.filter(pk__in=roles.funder_program_ids | roles.office_program_ids)


def users_known_to(user: User | AnonymousUser) -> QuerySet[User]:
    """The accounts a program's office may name (a new role): everyone holding a role in
    one of its programs; an administrator, who creates accounts, names anybody. Anybody
    else is to the office as an id that does not exist: the role endpoint answers both
    alike and never shows their username."""
    if user.is_superuser:
        return User.objects.all()
    programs = roles_of(user).office_program_ids
    return User.objects.filter(
        pk__in=ProgramRole.objects.filter(program_id__in=programs).values("user_id")
    )


def body_members_on(body_id: int, day: date) -> QuerySet[ProgramRole]:
    """The members of a decision body on ``day`` (membership from/until, DOMAIN.md)."""
    return ProgramRole.objects.filter(
        (Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=day)),
        body_id=body_id,
        role=ProgramRole.Kind.COMMITTEE,
    ).select_related("user", "deputy_for")
