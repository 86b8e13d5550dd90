"""A funded project's money (DOMAIN.md, "Money"): payout requests and their machine, the
receipts list, and the proof of use's narrative and actual financing.

Every write locks the application row first (like the transition runner), so payouts,
receipts and the office's decisions never cross; every change is audited in the
application's trail; a closed application's money no longer changes (409).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.errors import InvalidInput, require
from core.formats import format_date
from core.money import format_eur
from core.transitions import Prepared, StateMachine
from grants.models import CostCategory, User
from projects import funding
from projects.models import (
    Application,
    ChangeRequest,
    Expenditure,
    InterimProof,
    PayoutRequest,
    ProofOfUse,
)
from projects.selectors import application_for_update, application_locked_in
from projects.states import ApplicationState
from workflows.tasks import after_commit, notify_transition


def _locked_with_its_application(model: type[models.Model]):
    """A row of ``model`` and its application, both locked: the application's lock
    serialises every change of its money."""

    def lock(obj):
        application_for_update(obj.application, with_lines=False)
        return (
            model.objects.select_for_update(of=("self",))
            .select_related("application__program", "application__organization")
            .get(pk=obj.pk)
        )

    return lock


PAYOUTS = StateMachine(
    model=PayoutRequest,
    namespace="payment",
    subject="payment",
    lock=_locked_with_its_application(PayoutRequest),
    notify=after_commit(notify_transition),
    trail=lambda payout: payout.application,
)


def locked_while_funded(application: Application) -> Application:
    """The application locked; 409 unless it is funded (DOMAIN.md: payouts, receipts and
    the proof of use are the sponsor's while the project runs; a closed file is final)."""
    return application_locked_in(
        application,
        ApplicationState.FUNDED,
        _("Only possible while the project is funded; it is “%(state)s”."),
    )


def payout_request(
    *,
    application: Application,
    actor: User,
    amount: Decimal,
    note: str = "",
    needed_by: date | None = None,
) -> PayoutRequest:
    """DOMAIN.md: the sponsor requests a payout while funded; requested, approved and
    paid payouts never sum to more than the approved grant, also under concurrent
    requests (the application's row lock here; a trigger on PostgreSQL behind it). A
    payout is for payments due within the spending window (ANBest-P 1.4): ``needed_by``,
    the day it will be spent by, is required and lies in the window."""
    with transaction.atomic():
        locked = locked_while_funded(application)
        require(actor, "projects.take_sponsor_step", locked)
        remaining = (locked.approved_amount or Decimal("0")) - funding.payouts_committed(locked)
        if amount > remaining:
            raise InvalidInput(
                errors={
                    "amount": [
                        _("At most %(remaining)s can still be requested.")
                        % {"remaining": format_eur(max(remaining, Decimal("0")))}
                    ]
                }
            )
        today = timezone.localdate()
        latest = funding.window_end(today, locked)
        if needed_by is None:
            # ANBest-P 1.4: money is called only as far as it is needed soon; the day
            # it will be spent by is part of the request.
            raise InvalidInput(
                errors={
                    "needed_by": [
                        _("Say by when the money will be spent: a day up to %(day)s.")
                        % {"day": latest.isoformat()}
                    ]
                }
            )
        if needed_by < today or needed_by > latest:
            raise InvalidInput(
                errors={
                    "needed_by": [
                        _("Request money for payments due between today and %(day)s.")
                        % {"day": latest.isoformat()}
                    ]
                }
            )
        try:
            with transaction.atomic():
                payout = PayoutRequest.objects.create(
                    application=locked,
                    amount=amount,
                    note=note,
                    needed_by=needed_by,
                    requested_by=actor,
                )
        except IntegrityError:  # the PostgreSQL trigger: the lock above should prevent it
            raise InvalidInput(errors={"amount": [_("This exceeds the approved grant.")]}) from None
        audit.record(
            event="payment.request",
            trail=locked,
            actor=actor,
            target=payout.state,
            comment=note,
            data={"payment": payout.pk, "amount": str(amount)},
        )
    return payout


def _payment_data(locked: PayoutRequest) -> dict[str, Any]:
    return {"payment": locked.pk, "amount": str(locked.amount)}


@PAYOUTS.service("approve")
def payment_approve(*, payment: PayoutRequest, actor: User, comment: str = "") -> PayoutRequest:
    """The office approves a requested payout while the project is funded."""
    return PAYOUTS.run(
        obj=payment,
        actor=actor,
        name="approve",
        inputs={"comment": comment},
        prepare=lambda locked: Prepared(audit_data=_payment_data(locked)),
    )


@PAYOUTS.service("reject")
def payment_reject(*, payment: PayoutRequest, actor: User, comment: str = "") -> PayoutRequest:
    """The office refuses a requested payout, saying why; its amount is free again."""
    return PAYOUTS.run(
        obj=payment,
        actor=actor,
        name="reject",
        inputs={"comment": comment},
        prepare=lambda locked: Prepared(audit_data=_payment_data(locked)),
    )


@PAYOUTS.service("mark_paid")
def payment_mark_paid(
    *, payment: PayoutRequest, actor: User, paid_on: date | None = None, comment: str = ""
) -> PayoutRequest:
    """The office records the payment (default: today); the spending window opens
    (ANBest-P / ANBest-Gk 1.4)."""

    def prepare(locked: PayoutRequest) -> Prepared:
        day = paid_on or timezone.localdate()
        if day > timezone.localdate():
            raise InvalidInput(errors={"paid_on": [_("A payment cannot lie in the future.")]})
        approved_on = timezone.localdate(locked.decided_at) if locked.decided_at else None
        if approved_on and day < approved_on:
            raise InvalidInput(
                errors={
                    "paid_on": [
                        _("A payout cannot be paid before it was approved (%(date)s).")
                        % {"date": format_date(approved_on)}
                    ]
                }
            )
        window = funding.window_end(day, locked.application)
        return Prepared(
            method_kwargs={"paid_on": day, "window_ends_on": window},
            audit_data={**_payment_data(locked), "paid_on": day.isoformat()},
        )

    return PAYOUTS.run(
        obj=payment, actor=actor, name="mark_paid", inputs={"comment": comment}, prepare=prepare
    )


# -- receipts ----------------------------------------------------------------------------

EXPENDITURE_FIELDS = ("date", "payee", "purpose", "category", "amount", "receipt_number")


def _check_expenditure(locked: Application, values: dict[str, Any]) -> None:
    problems: dict[str, list[str]] = {}
    day = values.get("date")
    start, end = locked.start_date, funding.current_end_date(locked)
    if day and start and end and not start <= day <= end:
        problems["date"] = [
            _("The date lies outside the project period %(start)s – %(end)s.")
            % {"start": start.isoformat(), "end": end.isoformat()}
        ]
    category = values.get("category")
    if isinstance(category, CostCategory) and category.program_id != locked.program_id:
        problems["category"] = [_("This cost category does not belong to the program.")]
    if problems:
        raise InvalidInput(errors=problems)


def _snapshot(expenditure: Expenditure) -> dict[str, str]:
    return {
        "expenditure": str(expenditure.pk),
        "date": expenditure.date.isoformat(),
        "payee": expenditure.payee,
        "purpose": expenditure.purpose,
        "category": expenditure.category.code,
        "amount": str(expenditure.amount),
        "receipt_number": expenditure.receipt_number,
    }


def expenditure_create(*, application: Application, actor: User, **values: Any) -> Expenditure:
    """DOMAIN.md: the sponsor records spending in the receipts list while funded: a date
    within the project period, a category of the program (audited)."""
    with transaction.atomic():
        locked = locked_while_funded(application)
        require(actor, "projects.take_sponsor_step", locked)
        _check_expenditure(locked, values)
        expenditure = Expenditure.objects.create(application=locked, created_by=actor, **values)
        audit.record(
            event="expenditure.create", trail=locked, actor=actor, data=_snapshot(expenditure)
        )
    return expenditure


def expenditure_update(*, expenditure: Expenditure, actor: User, **values: Any) -> Expenditure:
    """Corrections while funded, audited with the line before and after."""
    with transaction.atomic():
        locked = locked_while_funded(expenditure.application)
        require(actor, "projects.take_sponsor_step", locked)
        current = Expenditure.objects.select_for_update().get(pk=expenditure.pk)
        merged = {name: getattr(current, name) for name in EXPENDITURE_FIELDS} | values
        _check_expenditure(locked, merged)
        before = _snapshot(current)
        for name, value in values.items():
            setattr(current, name, value)
        current.save()
        audit.record(
            event="expenditure.update",
            trail=locked,
            actor=actor,
            data={"before": before, "after": _snapshot(current)},
        )
    return current


def expenditure_delete(*, expenditure: Expenditure, actor: User) -> None:
    """A line removed while funded; the audit entry keeps what it was."""
    with transaction.atomic():
        locked = locked_while_funded(expenditure.application)
        require(actor, "projects.take_sponsor_step", locked)
        before = _snapshot(expenditure)
        expenditure.delete()
        audit.record(event="expenditure.delete", trail=locked, actor=actor, data=before)


# -- the proof of use --------------------------------------------------------------------

PROOF_FIELDS = (
    "narrative",
    "participants",
    "actual_own_funds",
    "actual_third_party_funds",
    "actual_income",
    "purpose_met",
)


def proof_of_use_save(*, application: Application, actor: User, **values: Any) -> ProofOfUse:
    """The sponsor writes the proof of use while funded (after a revision request too):
    the narrative report, the participants and the actual financing (empty: as planned).
    Audited with the figures."""
    with transaction.atomic():
        locked = locked_while_funded(application)
        require(actor, "projects.take_sponsor_step", locked)
        proof, _created = ProofOfUse.objects.select_for_update().get_or_create(application=locked)
        for name in PROOF_FIELDS:
            if name in values:
                setattr(proof, name, values[name])
        proof.save()
        audit.record(
            event="application.proof_of_use",
            trail=locked,
            actor=actor,
            data={
                name: (str(values[name]) if values[name] is not None else None)
                for name in PROOF_FIELDS
                if name in values and name != "narrative"
            },
        )
    return proof


def interim_proof_save(*, application: Application, actor: User, narrative: str) -> InterimProof:
    """ANBest-P 6.1: a project running past 31 December of its first year reports on that
    year by the program's interim day (default 30 April of the next)."""
    with transaction.atomic():
        locked = locked_while_funded(application)
        require(actor, "projects.take_sponsor_step", locked)
        end = funding.current_end_date(locked)
        if not (locked.start_date and end and end.year > locked.start_date.year):
            raise InvalidInput(
                errors={"narrative": [_("The project ends in its first year: no interim proof.")]}
            )
        proof, _created = InterimProof.objects.select_for_update().get_or_create(
            application=locked, year=locked.start_date.year
        )
        proof.narrative = narrative
        proof.save()
        audit.record(
            event="application.interim_proof", trail=locked, actor=actor, data={"year": proof.year}
        )
    return proof


# -- change requests (ANBest-P 5) --------------------------------------------------------


CHANGES = StateMachine(
    model=ChangeRequest,
    namespace="change_request",
    subject="change_request",
    lock=_locked_with_its_application(ChangeRequest),
    notify=after_commit(notify_transition),
    trail=lambda change: change.application,
)


def _check_new_plan(locked: Application, lines: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Categories of the program, positive cents, and the same total: a change moves
    money between categories, it does not change the grant."""
    codes = set(locked.program.categories.values_list("code", flat=True))
    problems: dict[str, list[str]] = {}
    for index, line in enumerate(lines):
        if line["category"] not in codes:
            problems[f"budget_lines.{index}.category"] = [
                _("This cost category does not belong to the program.")
            ]
    total = sum((line["amount"] for line in lines), Decimal("0"))
    current = sum((amount for _c, _d, amount in funding.plan_lines(locked)), Decimal("0"))
    if total != current:
        problems["budget_lines"] = [
            _("A change moves money between categories: the total must stay %(total)s.")
            % {"total": format_eur(current)}
        ]
    if problems:
        raise InvalidInput(errors=problems)
    return [
        {
            "category": line["category"],
            "description": line["description"],
            "amount": str(line["amount"]),
        }
        for line in lines
    ]


def change_request_create(
    *,
    application: Application,
    actor: User,
    reason: str,
    end_date: date | None = None,
    budget_lines: list[dict[str, Any]] | None = None,
) -> ChangeRequest:
    """ANBest-P 5: while funded, the sponsor asks for a later end or for money moved
    between categories beyond the tolerance, giving a reason (audited)."""
    with transaction.atomic():
        locked = locked_while_funded(application)
        require(actor, "projects.take_sponsor_step", locked)
        if end_date is None and not budget_lines:
            raise InvalidInput(
                errors={"end_date": [_("Ask for a new end, a new cost plan, or both.")]}
            )
        if end_date is not None and locked.start_date and end_date < locked.start_date:
            raise InvalidInput(errors={"end_date": [_("The project cannot end before it starts.")]})
        lines = _check_new_plan(locked, budget_lines) if budget_lines else None
        change = ChangeRequest.objects.create(
            application=locked,
            reason=reason,
            end_date=end_date,
            budget_lines=lines,
            requested_by=actor,
        )
        audit.record(
            event="change_request.request",
            trail=locked,
            actor=actor,
            target=change.state,
            comment=reason,
            data={
                "change_request": change.pk,
                "end_date": end_date.isoformat() if end_date else None,
                "budget_lines": lines,
            },
        )
    return change


@CHANGES.service("grant")
def change_request_grant(
    *, change_request: ChangeRequest, actor: User, comment: str = ""
) -> ChangeRequest:
    """The office grants the change: the new plan and end apply from now on (the
    statement, the receipts' period, the deadlines); the original stays visible."""
    return CHANGES.run(
        obj=change_request,
        actor=actor,
        name="grant",
        inputs={"comment": comment},
        prepare=lambda locked: Prepared(audit_data={"change_request": locked.pk}),
    )


@CHANGES.service("refuse")
def change_request_refuse(
    *, change_request: ChangeRequest, actor: User, comment: str = ""
) -> ChangeRequest:
    """The office refuses the change, saying why."""
    return CHANGES.run(
        obj=change_request,
        actor=actor,
        name="refuse",
        inputs={"comment": comment},
        prepare=lambda locked: Prepared(audit_data={"change_request": locked.pk}),
    )
