"""Application transitions: one service function per transition of DOMAIN.md.

Each registers with the application machine and is run by the kernel's runner
(``core.transitions.StateMachine.run``): lock the row, check that the transition exists
from the current state (409), that the actor may take it (403) and that its inputs and
conditions hold (400), change the state, save, write the audit entry and queue the
notification after commit, all in one transaction. The admin and the API both reach
them through ``APPLICATIONS.dispatch``; nothing else changes ``state``.

A new transition is its declaration in ``projects.lifecycle`` plus a function here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.errors import InvalidInput, TransitionNotAllowed, require
from core.formats import format_date
from core.money import format_eur, is_whole_cents, round_money
from core.transitions import Prepared, StateMachine
from grants.models import FinancingType, User
from projects import funding
from projects.models import Application
from projects.selectors import application_for_update, application_tally, counted_votes
from projects.services import allocate_reference
from projects.states import ApplicationState
from workflows.tasks import after_commit, notify_transition

# A revocation may take effect for the future (§ 49 VwVfG), within a year.
MAX_FUTURE_EFFECT = timedelta(days=366)

APPLICATIONS = StateMachine(
    model=Application,
    namespace="application",
    subject="application",
    lock=application_for_update,
    notify=after_commit(notify_transition),
)


def _cost_plan_snapshot(application: Application) -> dict[str, str]:
    return {
        "total_costs": str(application.total_costs),
        "requested_amount": str(application.requested_amount),
    }


@APPLICATIONS.service("submit")
def application_submit(*, application: Application, actor: User, comment: str = "") -> Application:
    """DOMAIN.md: draft → submitted by a sponsor while the call is open, with a complete and
    valid cost plan. The first submission opens the file and gives it its file number."""

    def prepare(locked: Application) -> Prepared:
        locked.reference = allocate_reference(
            program=locked.program, year=timezone.localdate().year
        )
        return Prepared(audit_data={"reference": locked.reference, **_cost_plan_snapshot(locked)})

    return APPLICATIONS.run(
        obj=application, actor=actor, name="submit", inputs={"comment": comment}, prepare=prepare
    )


@APPLICATIONS.service("request_revision")
def application_request_revision(
    *, application: Application, actor: User, comment: str = ""
) -> Application:
    """DOMAIN.md: the office asks the sponsor for more (Nachforderung); a comment says what."""
    return APPLICATIONS.run(
        obj=application, actor=actor, name="request_revision", inputs={"comment": comment}
    )


@APPLICATIONS.service("resubmit")
def application_resubmit(
    *, application: Application, actor: User, comment: str = ""
) -> Application:
    """DOMAIN.md: revision_requested → submitted with a valid cost plan, even after the call
    closed (the sponsor answers the office, it is not a new submission)."""
    return APPLICATIONS.run(
        obj=application,
        actor=actor,
        name="resubmit",
        inputs={"comment": comment},
        prepare=lambda locked: Prepared(audit_data=_cost_plan_snapshot(locked)),
    )


@APPLICATIONS.service("forward_to_committee")
def application_forward_to_committee(
    *, application: Application, actor: User, comment: str = ""
) -> Application:
    """DOMAIN.md: after the formal check, the office puts a valid application before the
    committee (Begleitausschuss)."""
    return APPLICATIONS.run(
        obj=application, actor=actor, name="forward_to_committee", inputs={"comment": comment}
    )


def _approved_amount(application: Application, value: Decimal | str | None) -> Decimal:
    """The approved grant: a positive amount with cents, no more than requested."""
    if value is None or value == "":
        return application.requested_amount
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(errors={"approved_amount": [_("Enter an amount.")]}) from None
    if not is_whole_cents(amount):
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


def _approved_costs(
    application: Application, amount: Decimal, value: Decimal | str | None
) -> Decimal | None:
    """The approved plan when the grant is approved below the request (decision 017):
    the approved eligible costs, given or by the financing type's default. Deficit and
    full financing keep the sponsor's own funds, third-party funds and income, so the
    costs fall by the cut; share financing keeps the share; a fixed amount does not
    depend on the costs. ``None``: the plan as submitted."""
    total = application.total_costs
    if value in (None, ""):
        if amount == application.requested_amount:
            return None
        kind = application.program.financing_type
        if kind in (FinancingType.DEFICIT, FinancingType.FULL):
            return total - (application.requested_amount - amount)
        if kind == FinancingType.SHARE and application.requested_amount:
            return round_money(total * amount / application.requested_amount)
        return total
    try:
        costs = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(errors={"approved_costs": [_("Enter an amount.")]}) from None
    other = application.own_funds + application.third_party_funds + application.expected_income
    if not is_whole_cents(costs) or costs <= 0 or costs > total:
        raise InvalidInput(
            errors={
                "approved_costs": [
                    _("The approved costs lie above zero and at most the planned %(total)s.")
                    % {"total": format_eur(total)}
                ]
            }
        )
    gap_financed = application.program.financing_type in (FinancingType.DEFICIT, FinancingType.FULL)
    if gap_financed and amount > costs - other:
        raise InvalidInput(
            errors={
                "approved_costs": [
                    _(
                        "With these costs the own funds, third-party funds and income "
                        "(%(other)s) leave at most %(gap)s to the grant."
                    )
                    % {"other": format_eur(other), "gap": format_eur(max(costs - other, 0))}
                ]
            }
        )
    if amount > costs:
        raise InvalidInput(
            errors={"approved_costs": [_("The grant cannot exceed the approved costs.")]}
        )
    return None if costs == total and amount == application.requested_amount else costs


def _approval(
    approved_amount: Decimal | str | None,
    conditions: str,
    approved_costs: Decimal | str | None = None,
) -> Callable[[Application], Prepared]:
    """What an approval computes from the locked row: the approved grant, the approved
    plan's costs where it lies below the request, the conditions (Auflagen) and, from
    committee review, the tally it rests on."""

    def prepare(locked: Application) -> Prepared:
        amount = _approved_amount(locked, approved_amount)
        costs = _approved_costs(locked, amount, approved_costs)
        text = (conditions or "").strip()
        return Prepared(
            method_kwargs={
                "approved_amount": amount,
                "approved_costs": costs,
                "conditions": text,
            },
            audit_data={
                "approved_amount": str(amount),
                "approved_costs": str(costs) if costs is not None else None,
                "conditions": text,
                **_decision_record(locked),
            },
        )

    return prepare


@APPLICATIONS.service("fast_track_approve")
def application_fast_track_approve(
    *,
    application: Application,
    actor: User,
    approved_amount: Decimal | str | None = None,
    approved_costs: Decimal | str | None = None,
    conditions: str = "",
    comment: str = "",
) -> Application:
    """PfD rules: up to the fast-track ceiling the office approves without the committee.
    The approved amount defaults to the requested one and may not exceed it; below it,
    with the approved costs (``_approved_costs``)."""

    return APPLICATIONS.run(
        obj=application,
        actor=actor,
        name="fast_track_approve",
        inputs={"comment": comment},
        prepare=_approval(approved_amount, conditions, approved_costs),
    )


def _decision_record(locked: Application) -> dict[str, Any]:
    """The committee's tally the decision rests on, kept in its audit entry: which votes
    were counted, so a vote that came too late is visibly not among them."""
    if locked.state != ApplicationState.COMMITTEE_REVIEW:
        return {}
    return {"tally": application_tally(locked).as_dict(), "counted_votes": counted_votes(locked)}


@APPLICATIONS.service("approve")
def application_approve(
    *,
    application: Application,
    actor: User,
    approved_amount: Decimal | str | None = None,
    approved_costs: Decimal | str | None = None,
    conditions: str = "",
    comment: str = "",
) -> Application:
    """DOMAIN.md, "Committee review": the body recommends, the office decides. The office
    records approval only when the tally says approve (quorum and majority, § 90 and
    § 91 VwVfG), with the approved grant (required, at most the requested amount) and
    any conditions (Auflagen). Votes arriving meanwhile wait for the row lock and are then
    refused; the audit entry keeps the tally that was counted."""

    return APPLICATIONS.run(
        obj=application,
        actor=actor,
        name="approve",
        inputs={"comment": comment, "approved_amount": approved_amount},
        prepare=_approval(approved_amount, conditions, approved_costs),
    )


@APPLICATIONS.service("reject")
def application_reject(*, application: Application, actor: User, comment: str = "") -> Application:
    """DOMAIN.md: the office rejects a submitted application alone; one under committee
    review only when the tally has a quorum and no majority for it. The comment gives
    the reasons."""
    return APPLICATIONS.run(
        obj=application,
        actor=actor,
        name="reject",
        inputs={"comment": comment},
        prepare=lambda locked: Prepared(audit_data=_decision_record(locked)),
    )


@APPLICATIONS.service("withdraw")
def application_withdraw(
    *, application: Application, actor: User, comment: str = ""
) -> Application:
    """DOMAIN.md: the sponsor withdraws at any point before the grant agreement is accepted."""
    return APPLICATIONS.run(
        obj=application, actor=actor, name="withdraw", inputs={"comment": comment}
    )


@APPLICATIONS.service("accept_agreement")
def application_accept_agreement(
    *, application: Application, actor: User, comment: str = ""
) -> Application:
    """DOMAIN.md: the sponsor accepts the grant agreement; the project is then funded."""
    return APPLICATIONS.run(
        obj=application, actor=actor, name="accept_agreement", inputs={"comment": comment}
    )


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _statement_figures(locked: Application) -> dict[str, str]:
    result = funding.statement_for(locked)
    return {
        "eligible_costs": str(result.eligible_costs),
        "eligible_grant": str(result.eligible_grant),
        "paid_out": str(result.paid_out),
        "reclaim": str(result.reclaim),
    }


@APPLICATIONS.service("submit_proof_of_use")
def application_submit_proof_of_use(
    *, application: Application, actor: User, comment: str = ""
) -> Application:
    """DOMAIN.md: funded → proof_submitted with a narrative report, once the project has
    ended or all funds are spent. The records are kept for the program's retention years
    from this day (ANBest-P Nr. 6)."""

    def prepare(locked: Application) -> Prepared:
        keep = _years_later(timezone.localdate(), locked.program.retention_years)
        return Prepared(
            method_kwargs={"retention_until": keep},
            audit_data={**_statement_figures(locked), "retention_until": keep.isoformat()},
        )

    return APPLICATIONS.run(
        obj=application,
        actor=actor,
        name="submit_proof_of_use",
        inputs={"comment": comment},
        prepare=prepare,
    )


@APPLICATIONS.service("request_proof_revision")
def application_request_proof_revision(
    *, application: Application, actor: User, comment: str = ""
) -> Application:
    """DOMAIN.md: the office sends the proof of use back (funded again), saying what."""
    return APPLICATIONS.run(
        obj=application, actor=actor, name="request_proof_revision", inputs={"comment": comment}
    )


@APPLICATIONS.service("accept_proof")
def application_accept_proof(
    *,
    application: Application,
    actor: User,
    waive_interest: bool = False,
    effective_from: date | None = None,
    effective_reason: str = "",
    comment: str = "",
) -> Application:
    """DOMAIN.md: the office accepts the checked proof of use. Paid out beyond the
    eligible grant (``projects.statement``) is reclaimed: the application goes to
    ``repayment_due`` with that amount; interest (§ 49a Abs. 3, waivable, S. 2) runs
    per payout from max(its payout day, the effective date), which defaults to the day
    the proof of use was submitted; an earlier day needs a reason. Otherwise it is
    ``closed``."""

    def prepare(locked: Application) -> Prepared:
        figures = _statement_figures(locked)
        submitted = funding.proof_submitted_on(locked)
        effective = effective_from or submitted
        reason = (effective_reason or "").strip()
        if effective_from and submitted and effective_from > submitted:
            raise InvalidInput(
                errors={
                    "effective_from": [
                        _("At the latest the day the proof of use was submitted (%(date)s).")
                        % {"date": format_date(submitted)}
                    ]
                }
            )
        if effective_from and submitted and effective_from < submitted and not reason:
            raise InvalidInput(
                errors={
                    "effective_reason": [
                        _("Say why the grant ceased to be effective before %(date)s.")
                        % {"date": format_date(submitted)}
                    ]
                }
            )
        return Prepared(
            method_kwargs={
                "reclaim_amount": Decimal(figures["reclaim"]),
                "proven_amount": Decimal(figures["eligible_grant"]),
                "effective_from": effective,
                "effective_reason": reason,
                "waive_interest": bool(waive_interest),
            },
            audit_data={
                **figures,
                "waive_interest": bool(waive_interest),
                "effective_from": effective.isoformat() if effective else None,
                "effective_reason": reason,
            },
        )

    return APPLICATIONS.run(
        obj=application,
        actor=actor,
        name="accept_proof",
        inputs={
            "comment": comment,
            "effective_from": effective_from,
            "effective_reason": effective_reason,
        },
        prepare=prepare,
    )


@APPLICATIONS.service("revoke")
def application_revoke(
    *,
    application: Application,
    actor: User,
    comment: str = "",
    hearing_on: date | None = None,
    reclaim_amount: Decimal | str | None = None,
    effective_from: date | None = None,
) -> Application:
    """§§ 48, 49 VwVfG (Widerruf) after the hearing (§ 28): the office revokes the grant
    and sets the amount to repay: everything paid out unless it sets less. The reclaim
    is allocated to the payouts latest first; interest runs on each piece from max(its
    payout day, ``effective_from``); without one (a revocation for the past), from each
    payout's own day (§ 49a Abs. 3)."""

    def prepare(locked: Application) -> Prepared:
        paid = funding.paid_out(locked)
        amount = paid if reclaim_amount in (None, "") else Decimal(str(reclaim_amount))
        problems: dict[str, list[str]] = {}
        today = timezone.localdate()
        first_payout = funding.first_payout_day(locked)
        if hearing_on and hearing_on > today:
            problems["hearing_on"] = [_("The hearing must have taken place.")]
        elif hearing_on and first_payout and hearing_on < first_payout:
            problems["hearing_on"] = [
                _("The hearing cannot lie before the first payout (%(date)s).")
                % {"date": format_date(first_payout)}
            ]
        if effective_from and first_payout and effective_from < first_payout:
            problems["effective_from"] = [
                _("The revocation cannot take effect before the first payout (%(date)s).")
                % {"date": format_date(first_payout)}
            ]
        elif effective_from and effective_from > today + MAX_FUTURE_EFFECT:
            problems["effective_from"] = [
                _("A revocation takes effect within a year from today at the latest.")
            ]
        if amount <= 0 or amount > paid:
            problems["reclaim_amount"] = [
                _("The amount to repay must be above zero and at most the %(paid)s paid out.")
                % {"paid": format_eur(paid)}
            ]
        if problems:
            raise InvalidInput(errors=problems)
        return Prepared(
            method_kwargs={
                "hearing_on": hearing_on,
                "reclaim_amount": amount,
                "effective_from": effective_from,
            },
            audit_data={
                "hearing_on": hearing_on.isoformat() if hearing_on else None,
                "reclaim_amount": str(amount),
                "effective_from": effective_from.isoformat() if effective_from else None,
            },
        )

    return APPLICATIONS.run(
        obj=application,
        actor=actor,
        name="revoke",
        inputs={"comment": comment, "hearing_on": hearing_on},
        prepare=prepare,
    )


@APPLICATIONS.service("confirm_repayment")
def application_confirm_repayment(
    *,
    application: Application,
    actor: User,
    repaid_amount: Decimal | str | None = None,
    repaid_on: date | None = None,
    comment: str = "",
) -> Application:
    """DOMAIN.md: the office records the repaid amount and day; the interest (§ 49a
    Abs. 3, unless waived) is computed to that day and recorded; the file is closed."""

    def prepare(locked: Application) -> Prepared:
        amount = Decimal(str(repaid_amount))
        if amount <= 0:
            raise InvalidInput(errors={"repaid_amount": [_("Enter the amount repaid.")]})
        if repaid_on > timezone.localdate():
            raise InvalidInput(errors={"repaid_on": [_("A repayment cannot lie in the future.")]})
        first_payout = funding.first_payout_day(locked)
        if first_payout and repaid_on < first_payout:
            raise InvalidInput(
                errors={
                    "repaid_on": [
                        _("A repayment cannot lie before the first payout (%(date)s).")
                        % {"date": format_date(first_payout)}
                    ]
                }
            )
        interest = funding.reclaim_interest(locked, until=repaid_on)
        owed = (locked.reclaim_amount or Decimal("0")) + interest
        return Prepared(
            method_kwargs={"repaid_amount": amount, "repaid_on": repaid_on, "interest": interest},
            audit_data={
                "repaid_amount": str(amount),
                "repaid_on": repaid_on.isoformat(),
                "interest": str(interest),
                "outstanding": str(max(Decimal("0"), owed - amount)),
            },
        )

    return APPLICATIONS.run(
        obj=application,
        actor=actor,
        name="confirm_repayment",
        inputs={"comment": comment, "repaid_amount": repaid_amount, "repaid_on": repaid_on},
        prepare=prepare,
    )


def application_transition(
    *, application: Application, actor: User, name: str, payload: dict[str, Any]
) -> Application:
    """Take a transition by name with the inputs its declaration accepts (API and admin)."""
    return APPLICATIONS.dispatch(obj=application, actor=actor, name=name, inputs=payload)


# -- early start (vorzeitiger Maßnahmebeginn, VV Nr. 1.3 zu § 44 BHO) ---------------------

EARLY_START_OPEN = (
    ApplicationState.SUBMITTED,
    ApplicationState.REVISION_REQUESTED,
    ApplicationState.COMMITTEE_REVIEW,
)


def early_start_decide(
    *,
    application: Application,
    actor: User,
    granted: bool,
    granted_from: date | None = None,
    comment: str = "",
) -> Application:
    """The office grants the early start the sponsor asked for (from the day asked, or a
    later one it sets) or refuses it, before the grant decision; granting it promises no
    grant. Audited; the grant agreement names it."""
    with transaction.atomic():
        locked = application_for_update(application, with_lines=False)
        require(actor, "projects.take_office_step", locked)
        if locked.state not in EARLY_START_OPEN:
            raise TransitionNotAllowed(
                _("An early start is decided before the grant decision; the file is “%(state)s”.")
                % {"state": locked.get_state_display()}
            )
        if locked.early_start_from is None:
            raise InvalidInput(
                errors={"granted": [_("The sponsor did not ask for an early start.")]}
            )
        day = None
        if granted:
            day = granted_from or locked.early_start_from
            if day < locked.early_start_from:
                raise InvalidInput(
                    errors={
                        "granted_from": [
                            _("Not before the day asked for (%(date)s).")
                            % {"date": format_date(locked.early_start_from)}
                        ]
                    }
                )
        elif granted_from is not None:
            raise InvalidInput(errors={"granted_from": [_("A refused early start has no day.")]})
        locked.early_start_decision = "granted" if granted else "refused"
        locked.early_start_granted_from = day
        locked.save(update_fields=["early_start_decision", "early_start_granted_from"])
        audit.record(
            event="application.early_start",
            trail=locked,
            actor=actor,
            comment=(comment or "").strip(),
            data={
                "decision": locked.early_start_decision,
                "asked_from": locked.early_start_from.isoformat(),
                "granted_from": day.isoformat() if day else None,
            },
        )
    return locked
