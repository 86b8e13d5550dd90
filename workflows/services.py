"""Application transitions: one service function per transition of DOMAIN.md.

Each one locks the application row, checks that the transition exists from the current
state (409), that the actor may take it (403) and that its conditions hold (400), then
changes the state, saves, writes the audit entry and queues notifications after commit,
all in one transaction. The admin and the API both call these; nothing else changes
``state``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, Transition

from config.exceptions import (
    ConditionFailed,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TransitionNotAllowed,
)
from config.money import format_eur, round_money
from grants.models import User
from projects.models import Application, BudgetLine
from projects.services import allocate_reference
from workflows.models import AuditEntry
from workflows.tasks import notify_transition


def fsm_transition(application: Application, name: str) -> Transition | None:
    """The django-fsm transition called ``name`` from the application's current state."""
    method = getattr(type(application), name, None)
    meta = getattr(method, "_django_fsm", None)
    if meta is None:
        return None
    return meta.get_transition(application.state)


def transition_names() -> list[str]:
    field = Application._meta.get_field("state")
    return sorted({t.name for t in field.get_all_transitions(Application)})


def available_transitions(*, application: Application, user: User) -> list[Transition]:
    """The transitions ``user`` may take now: allowed from this state, permitted, conditions met.

    Reads only what ``projects.selectors.application_list`` loads, and the cached roles.
    """
    return [
        t for t in application.get_available_state_transitions() if t.has_perm(application, user)
    ]


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "program", "organization")
        .prefetch_related(
            Prefetch("budget_lines", queryset=BudgetLine.objects.select_related("category"))
        )
        .get(pk=application.pk)
    )


@dataclass(frozen=True)
class Prepared:
    """What a transition computes from the locked row once it is allowed: the arguments
    of its django-fsm method and the data its audit entry records."""

    method_kwargs: dict[str, Any] = field(default_factory=dict)
    audit_data: dict[str, Any] = field(default_factory=dict)


def _run(
    *,
    application: Application,
    actor: User,
    name: str,
    comment: str = "",
    prepare: Callable[[Application], Prepared] | None = None,
) -> Application:
    comment = (comment or "").strip()
    with transaction.atomic():
        locked = _lock(application)
        source = locked.state
        fsm = fsm_transition(locked, name)
        if fsm is None:
            raise TransitionNotAllowed(
                _("“%(name)s” is not possible from the state “%(state)s”.")
                % {"name": name, "state": locked.get_state_display()}
            )
        if not fsm.has_perm(locked, actor):
            raise PermissionDenied()
        problems: dict[str, list[str]] = {}
        if "comment" in fsm.custom.get("needs", ()) and not comment:
            problems["comment"] = [_("A comment is required for this step.")]
        for condition in fsm.conditions:
            for key, messages in condition.reasons(locked).items():
                problems.setdefault(key, []).extend(messages)
        if problems:
            raise ConditionFailed(errors=problems)
        prepared = prepare(locked) if prepare else Prepared()
        getattr(locked, name)(**prepared.method_kwargs)
        try:
            locked.save()
        except ConcurrentTransition as exc:
            raise TransitionNotAllowed(_("A concurrent change won; reload and try again.")) from exc
        entry = AuditEntry.objects.create(
            application=locked,
            action=name,
            source=source,
            target=locked.state,
            actor=actor,
            comment=comment,
            data=prepared.audit_data,
        )
        transaction.on_commit(lambda: notify_transition.delay(entry.pk))
    return locked


def _cost_plan_snapshot(application: Application) -> dict[str, str]:
    return {
        "total_costs": str(application.total_costs),
        "requested_amount": str(application.requested_amount),
    }


def _record_cost_plan(application: Application) -> Prepared:
    return Prepared(audit_data=_cost_plan_snapshot(application))


def application_submit(*, application: Application, actor: User, comment: str = "") -> Application:
    """DOMAIN.md: draft → submitted by a sponsor while the call is open, with a complete and
    valid cost plan. The first submission opens the file and gives it its file number."""

    def prepare(locked: Application) -> Prepared:
        locked.reference = allocate_reference(
            program=locked.program, year=timezone.localdate().year
        )
        return Prepared(audit_data={"reference": locked.reference, **_cost_plan_snapshot(locked)})

    return _run(
        application=application, actor=actor, name="submit", comment=comment, prepare=prepare
    )


def application_request_revision(
    *, application: Application, actor: User, comment: str = ""
) -> Application:
    """DOMAIN.md: the office asks the sponsor for more (Nachforderung); a comment says what."""
    return _run(application=application, actor=actor, name="request_revision", comment=comment)


def application_resubmit(
    *, application: Application, actor: User, comment: str = ""
) -> Application:
    """DOMAIN.md: revision_requested → submitted with a valid cost plan, even after the call
    closed (the sponsor answers the office, it is not a new submission)."""
    return _run(
        application=application,
        actor=actor,
        name="resubmit",
        comment=comment,
        prepare=_record_cost_plan,
    )


def application_forward_to_committee(
    *, application: Application, actor: User, comment: str = ""
) -> Application:
    """DOMAIN.md: after the formal check, the office puts a valid application before the
    committee (Begleitausschuss)."""
    return _run(application=application, actor=actor, name="forward_to_committee", comment=comment)


def _approved_amount(application: Application, value: Decimal | str | None) -> Decimal:
    """The approved grant: a positive amount with cents, no more than requested."""
    if value is None or value == "":
        return application.requested_amount
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(errors={"approved_amount": [_("Enter an amount.")]}) from None
    if not amount.is_finite() or amount != round_money(amount):
        raise InvalidInput(
            errors={"approved_amount": [_("Enter an amount with at most two decimal places.")]}
        )
    if amount <= 0 or amount > application.requested_amount:
        raise InvalidInput(
            errors={
                "approved_amount": [
                    _("The approved grant must be above zero and at most the requested %(amount)s.")
                    % {"amount": format_eur(application.requested_amount)}
                ]
            }
        )
    return amount


def application_fast_track_approve(
    *,
    application: Application,
    actor: User,
    approved_amount: Decimal | str | None = None,
    conditions: str = "",
    comment: str = "",
) -> Application:
    """PfD rules: up to the fast-track ceiling the office approves without the committee.
    The approved amount defaults to the requested one and may not exceed it."""

    def prepare(locked: Application) -> Prepared:
        amount = _approved_amount(locked, approved_amount)
        text = (conditions or "").strip()
        return Prepared(
            method_kwargs={"approved_amount": amount, "conditions": text},
            audit_data={"approved_amount": str(amount), "conditions": text},
        )

    return _run(
        application=application,
        actor=actor,
        name="fast_track_approve",
        comment=comment,
        prepare=prepare,
    )


def application_reject(*, application: Application, actor: User, comment: str = "") -> Application:
    """DOMAIN.md: the office rejects a submitted application; the comment gives the reasons."""
    return _run(application=application, actor=actor, name="reject", comment=comment)


def application_withdraw(
    *, application: Application, actor: User, comment: str = ""
) -> Application:
    """DOMAIN.md: the sponsor withdraws at any point before the grant agreement is accepted."""
    return _run(application=application, actor=actor, name="withdraw", comment=comment)


def application_accept_agreement(
    *, application: Application, actor: User, comment: str = ""
) -> Application:
    """DOMAIN.md: the sponsor accepts the grant agreement; the project is then funded."""
    return _run(application=application, actor=actor, name="accept_agreement", comment=comment)


TRANSITION_SERVICES: dict[str, Callable[..., Application]] = {
    "submit": application_submit,
    "request_revision": application_request_revision,
    "resubmit": application_resubmit,
    "forward_to_committee": application_forward_to_committee,
    "fast_track_approve": application_fast_track_approve,
    "reject": application_reject,
    "withdraw": application_withdraw,
    "accept_agreement": application_accept_agreement,
}
OPTIONAL_INPUTS = ("approved_amount", "conditions")


def application_transition(
    *, application: Application, actor: User, name: str, payload: dict[str, Any]
) -> Application:
    """Dispatch a transition by name with the inputs it accepts (API and admin)."""
    service = TRANSITION_SERVICES.get(name)
    if service is None:
        raise NotFound(_("There is no transition called “%(name)s”.") % {"name": name})
    kwargs = {"comment": payload.get("comment") or ""}
    if name == "fast_track_approve":
        kwargs.update({key: payload.get(key) for key in OPTIONAL_INPUTS})
    return service(application=application, actor=actor, **kwargs)
