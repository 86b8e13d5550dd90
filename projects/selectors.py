"""Reads of organisations and applications, bounded in queries and filtered by role."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from grants.models import User
from grants.roles import roles_of
from projects.models import Application, BudgetLine, Invitation, Organization
from projects.roles import invitation_address, organization_ids_of
from projects.states import COMMITTEE_VISIBLE_STATES


def application_visibility(user: User) -> Q:
    """DOMAIN.md, "People and roles": nobody sees an application unless a role gives it.

    Sponsors see their organisations' applications; the office sees its programs' once
    submitted (a draft is the sponsor's workspace until then); committee members see
    their programs' applications once they were put before the committee (and every
    application past approval), never drafts; funders see none.
    """
    roles = roles_of(user)
    return (
        Q(organization_id__in=organization_ids_of(user))
        | Q(program_id__in=roles.office_program_ids, submitted_at__isnull=False)
        | (
            Q(program_id__in=roles.committee_program_ids)
            & (Q(state__in=COMMITTEE_VISIBLE_STATES) | Q(forwarded_at__isnull=False))
        )
    )


def applications_visible_to(user: User | AnonymousUser) -> QuerySet[Application]:
    applications = Application.objects.all()
    if not user.is_authenticated:
        return applications.none()
    if user.is_superuser:
        return applications
    return applications.filter(application_visibility(user))


def application_list(*, user: User | AnonymousUser) -> QuerySet[Application]:
    """Applications with everything their serialisation and transition checks read."""
    return (
        applications_visible_to(user)
        .select_related("call", "program", "organization")
        .prefetch_related(
            Prefetch("budget_lines", queryset=BudgetLine.objects.select_related("category"))
        )
    )


def organizations_visible_to(user: User | AnonymousUser) -> QuerySet[Organization]:
    """Members see their organisations; the office sees those that applied to its programs."""
    organizations = Organization.objects.all()
    if not user.is_authenticated:
        return organizations.none()
    if user.is_superuser:
        return organizations
    applied = Application.objects.filter(program_id__in=roles_of(user).office_program_ids).values(
        "organization_id"
    )
    return organizations.filter(Q(pk__in=organization_ids_of(user)) | Q(pk__in=applied))


def application_for_update(application: Application, *, with_lines: bool = True) -> Application:
    """The application re-read and locked (``SELECT … FOR UPDATE``) with what its checks
    read: call, program, organisation and (``with_lines``) the cost plan's lines."""
    locked = Application.objects.select_for_update(of=("self",)).select_related(
        "call", "program", "organization"
    )
    if with_lines:
        locked = locked.prefetch_related(
            Prefetch("budget_lines", queryset=BudgetLine.objects.select_related("category"))
        )
    return locked.get(pk=application.pk)


def invitations_for(user: User | AnonymousUser) -> QuerySet[Invitation]:
    """The caller's open invitations, matched by their account's e-mail address."""
    address = invitation_address(user)
    if not user.is_authenticated or not address:
        return Invitation.objects.none()
    return Invitation.objects.filter(
        email=address, state=Invitation.State.OPEN, expires_at__gt=timezone.now()
    ).select_related("organization", "invited_by")


def organization_invitations(organization: Organization) -> QuerySet[Invitation]:
    """An organisation's invitations, newest first, for its members."""
    return Invitation.objects.filter(organization=organization).select_related("invited_by")
