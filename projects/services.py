"""Everything that changes organisations and applications (outside the state machine)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.errors import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed, require
from core.services import apply_changes
from grants.models import Call, CostCategory, Program, User
from projects.models import (
    Application,
    BudgetLine,
    Invitation,
    Membership,
    Organization,
    ReferenceCounter,
)
from projects.roles import forget_memberships
from projects.selectors import application_for_update
from projects.states import EDITABLE_STATES, ApplicationState
from projects.validation import CostPlan, cost_plan_problems


@dataclass(frozen=True)
class BudgetLineInput:
    category: CostCategory
    description: str
    amount: Decimal


APPLICATION_FIELDS = (
    "title",
    "summary",
    "field_of_action",
    "target_group",
    "start_date",
    "end_date",
    "expected_participants",
    "own_funds",
    "third_party_funds",
    "expected_income",
    "early_start_from",
    "early_start_reason",
)


def allocate_reference(*, program: Program, year: int) -> str:
    """The next file number of a program and year, e.g. ``PFD-KO-2026-0042``.

    Gapless and unique under concurrency: the counter row is created if missing (a no-op
    when another transaction did it first) and then locked for the increment.
    """
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(program=program, year=year)], ignore_conflicts=True
    )
    counter = ReferenceCounter.objects.select_for_update().get(program=program, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{program.code}-{year}-{counter.last_number:04d}"


def organization_create(*, actor: User, **fields: Any) -> Organization:
    """Any signed-in user may register an organisation and becomes its first member."""
    with transaction.atomic():
        organization = Organization.objects.create(**fields)
        Membership.objects.create(organization=organization, user=actor)
    forget_memberships(actor)
    return organization


def organization_update(*, organization: Organization, actor: User, **fields: Any) -> Organization:
    require(actor, "projects.change_organization", organization)
    return apply_changes(organization, fields)


def membership_add(*, organization: Organization, actor: User, user: User) -> Membership:
    """Administrators add a member directly (CONTRACT.md); everybody else invites."""
    require(actor, "projects.add_member", organization)
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(organization=organization, user=user)
        if created:
            audit.record(
                event="organization.add_member",
                trail=organization,
                actor=actor,
                data={"user": user.pk},
            )
    forget_memberships(user)
    return membership


def membership_end(*, organization: Organization, actor: User, user: User) -> None:
    """A member leaves, or removes another member (CONTRACT.md). The last member cannot
    go: an organisation without members has nobody left to answer for its applications."""
    require(actor, "projects.manage_members", organization)
    with transaction.atomic():
        # Lock the organisation so two members leaving at once cannot both be "not last".
        Organization.objects.select_for_update().get(pk=organization.pk)
        membership = Membership.objects.filter(organization=organization, user=user).first()
        if membership is None:
            raise NotFound(_("This user is not a member of the organisation."))
        if Membership.objects.filter(organization=organization).count() == 1:
            raise InvalidInput(
                errors={"user": [_("The last member cannot leave; invite a successor first.")]}
            )
        membership.delete()
        audit.record(
            event="organization.leave" if user == actor else "organization.remove_member",
            trail=organization,
            actor=actor,
            data={"user": user.pk},
        )
    forget_memberships(user)


def invitation_create(*, organization: Organization, actor: User, email: str) -> Invitation:
    """A member invites someone by e-mail address. The answer is the same whether an
    account has that address or not (no enumeration); inviting an address again renews
    the open invitation instead of adding another. The e-mail goes out after commit
    (``workflows`` subscribes to ``organization.invite``)."""
    require(actor, "projects.manage_members", organization)
    address = email.strip().lower()
    expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
    with transaction.atomic():
        Organization.objects.select_for_update().get(pk=organization.pk)
        invitation = Invitation.objects.filter(
            organization=organization, email=address, state=Invitation.State.OPEN
        ).first()
        if invitation is None:
            invitation = Invitation.objects.create(
                organization=organization, email=address, invited_by=actor, expires_at=expires_at
            )
        else:
            invitation.expires_at = expires_at
            invitation.save(update_fields=["expires_at"])
        audit.record(
            event="organization.invite",
            trail=organization,
            actor=actor,
            data={"invitation": invitation.pk, "email": address},
        )
    return invitation


def _decide(*, invitation: Invitation, actor: User, accept: bool) -> Invitation:
    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update()
            .select_related("organization")
            .get(pk=invitation.pk)
        )
        # Only the invitee sees an invitation; to anybody else it does not exist (404).
        if not actor.has_perm("projects.answer_invitation", locked):
            raise NotFound()
        if locked.state != Invitation.State.OPEN or locked.expires_at <= timezone.now():
            raise TransitionNotAllowed(_("This invitation is no longer open."))
        locked.state = Invitation.State.ACCEPTED if accept else Invitation.State.DECLINED
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.save(update_fields=["state", "decided_at", "decided_by"])
        if accept:
            try:
                with transaction.atomic():
                    Membership.objects.create(organization=locked.organization, user=actor)
            except IntegrityError:
                pass  # already a member: accepting changes nothing more
        audit.record(
            event="organization.accept_invitation" if accept else "organization.decline_invitation",
            trail=locked.organization,
            actor=actor,
            data={"invitation": locked.pk},
        )
    forget_memberships(actor)
    return locked


def invitation_accept(*, invitation: Invitation, actor: User) -> Invitation:
    """The invitee (matched by the account's e-mail address) joins the organisation."""
    return _decide(invitation=invitation, actor=actor, accept=True)


def invitation_decline(*, invitation: Invitation, actor: User) -> Invitation:
    """The invitee declines; the invitation stays on record."""
    return _decide(invitation=invitation, actor=actor, accept=False)


def _plan(program: Program, values: dict[str, Any], lines: list[BudgetLineInput]) -> CostPlan:
    return CostPlan(
        start_date=values.get("start_date"),
        end_date=values.get("end_date"),
        own_funds=values.get("own_funds") or Decimal("0"),
        third_party_funds=values.get("third_party_funds") or Decimal("0"),
        expected_income=values.get("expected_income") or Decimal("0"),
        financing_type=program.financing_type,
        line_amounts=tuple(line.amount for line in lines),
    )


def _check_cost_plan(
    *, program: Program, call: Call, values: dict[str, Any], lines: Iterable[BudgetLineInput]
) -> tuple[list[BudgetLineInput], CostPlan]:
    """The lines and the plan they make with ``values``, if the program's rules allow them."""
    lines = list(lines)
    problems: dict[str, list[str]] = {}
    for index, line in enumerate(lines):
        if line.category.program_id != program.pk:
            problems[f"budget_lines.{index}.category"] = [
                _("This cost category does not belong to the program.")
            ]
    plan = _plan(program, values, lines)
    problems.update(cost_plan_problems(plan, program=program, funding_year=call.funding_year))
    problems.update(early_start_problems(values))
    if problems:
        raise InvalidInput(errors=problems)
    return lines, plan


def cost_plan_preview(
    *, application: Application, lines: Iterable[BudgetLineInput] | None = None, **fields: Any
) -> tuple[CostPlan, dict[str, list[str]]]:
    """What saving these values would give, and what the program's rules would refuse,
    without saving: the live totals of the portal's cost and financing plan. The rules
    are those ``application_update`` applies (``_check_cost_plan``)."""
    values = {name: getattr(application, name) for name in APPLICATION_FIELDS}
    values.update({name: fields[name] for name in APPLICATION_FIELDS if name in fields})
    lines = (
        [
            BudgetLineInput(line.category, line.description, line.amount)
            for line in application.budget_lines.select_related("category")
        ]
        if lines is None
        else list(lines)
    )
    try:
        _, plan = _check_cost_plan(
            program=application.program, call=application.call, values=values, lines=lines
        )
    except InvalidInput as refused:
        return _plan(application.program, values, lines), dict(refused.errors or {})
    return plan, {}


def early_start_problems(values: dict[str, Any]) -> dict[str, list[str]]:
    """VV Nr. 1.3 zu § 44 BHO: an early start is asked for from a day, with a reason, and
    only for a day before the project would otherwise start."""
    day, reason = values.get("early_start_from"), (values.get("early_start_reason") or "").strip()
    if day is None:
        return (
            {"early_start_reason": [_("Give the day the early start is asked from.")]}
            if reason
            else {}
        )
    problems: dict[str, list[str]] = {}
    if not reason:
        problems["early_start_reason"] = [_("Say why the project must start early.")]
    start = values.get("start_date")
    if start is not None and day > start:
        problems["early_start_from"] = [_("An early start lies on or before the project's start.")]
    return problems


def _store_cost_plan(
    application: Application, lines: list[BudgetLineInput], plan: CostPlan
) -> None:
    """Replace the lines and store the totals of the plan they were checked as."""
    application.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(
            application=application,
            category=line.category,
            description=line.description,
            amount=line.amount,
            position=position,
        )
        for position, line in enumerate(lines)
    )
    application.total_costs = plan.total_costs
    application.requested_amount = plan.requested_amount
    application.save(update_fields=["total_costs", "requested_amount", "updated_at"])


def application_create(
    *,
    actor: User,
    organization: Organization,
    call: Call,
    budget_lines: Iterable[BudgetLineInput] = (),
    **fields: Any,
) -> Application:
    """A new draft. The organisation's members may apply; the call must not have closed;
    the cost plan must already meet the program's rules (DOMAIN.md, "Money")."""
    if not actor.has_perm("projects.add_application", organization):
        raise PermissionDenied(_("Only members of the organisation may apply for it."))
    if call.has_closed():
        raise InvalidInput(errors={"call": [_("This call has closed.")]})
    values = {name: fields[name] for name in APPLICATION_FIELDS if name in fields}
    lines, plan = _check_cost_plan(
        program=call.program, call=call, values=values, lines=budget_lines
    )
    with transaction.atomic():
        application = Application.objects.create(
            call=call,
            program=call.program,
            organization=organization,
            created_by=actor,
            **values,
        )
        _store_cost_plan(application, lines, plan)
    return application


def application_update(
    *,
    application: Application,
    actor: User,
    budget_lines: Iterable[BudgetLineInput] | None = None,
    **fields: Any,
) -> Application:
    """Sponsors edit in draft or revision_requested only. Changes during a revision are
    money-relevant and audited; drafts are the sponsor's private workspace and are not."""
    with transaction.atomic():
        locked = application_for_update(application, with_lines=budget_lines is None)
        require(actor, "projects.change_application", locked)
        if locked.state not in EDITABLE_STATES:
            raise TransitionNotAllowed(
                _("An application can only be changed in draft or when a revision was requested.")
            )
        call = fields.pop("call", None) or locked.call
        if call.pk != locked.call_id:
            if locked.state != ApplicationState.DRAFT:
                raise InvalidInput(errors={"call": [_("Only a draft can move to another call.")]})
            if call.program_id != locked.program_id:
                raise InvalidInput(
                    errors={"call": [_("A draft can only move to a call of its program.")]}
                )
        values = {name: getattr(locked, name) for name in APPLICATION_FIELDS}
        values.update({name: fields[name] for name in APPLICATION_FIELDS if name in fields})
        if budget_lines is None:
            lines = [
                BudgetLineInput(line.category, line.description, line.amount)
                for line in locked.budget_lines.all()
            ]
        else:
            lines = list(budget_lines)
        lines, plan = _check_cost_plan(
            program=locked.program, call=call, values=values, lines=lines
        )
        before = {"total_costs": str(locked.total_costs), "requested": str(locked.requested_amount)}
        locked.call = call
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save()
        _store_cost_plan(locked, lines, plan)
        if locked.state == ApplicationState.REVISION_REQUESTED:
            audit.record(
                event="application.update",
                trail=locked,
                source=locked.state,
                target=locked.state,
                actor=actor,
                data={
                    "before": before,
                    "after": {
                        "total_costs": str(locked.total_costs),
                        "requested": str(locked.requested_amount),
                    },
                    "fields": sorted(set(fields) | ({"budget_lines"} if budget_lines else set())),
                },
            )
    return locked


def application_delete(*, application: Application, actor: User) -> None:
    """Only drafts can be deleted; everything submitted stays on file."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        require(actor, "projects.delete_application", locked)
        if locked.state != ApplicationState.DRAFT:
            raise TransitionNotAllowed(_("Only drafts can be deleted."))
        locked.delete()
