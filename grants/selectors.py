"""Reads of programs, filtered by role."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from grants.models import Program, User
from grants.roles import roles_of


def programs_managed_by(user: User | AnonymousUser) -> QuerySet[Program]:
    """The programs whose office the user is (all of them for an administrator)."""
    if user.is_superuser:
        return Program.objects.all()
    return Program.objects.filter(pk__in=roles_of(user).office_program_ids)
