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
from core.errors import InvalidInput, TransitionNotAllowed, require
from core.formats import format_date
from core.money import format_eur
from core.transitions import Prepared, StateMachine
from grants.models import CostCategory, Program, User
from projects import funding
from projects.models import (
    Application,
    ChangeRequest,
    Expenditure,
    InterimProof,
    PayoutBatch,
    PayoutRequest,
    ProofOfUse,
)
from projects.models.money import CheckExtent, Finding
from projects.selectors import application_for_update, application_locked_in
from projects.states import ApplicationState, PayoutState
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

EXPENDITURE_FIELDS = (
    "date",
    "payee",
    "purpose",
    "category",
    "amount",
    "vat",
    "receipt_number",
)


def earliest_cost_day(locked: Application) -> date | None:
    """VV Nr. 1.3 zu § 44 BHO: costs count from the day of the grant decision, or from
    the granted early-start day (vorzeitiger Maßnahmebeginn) if that lies earlier."""
    decided = timezone.localdate(locked.decided_at) if locked.decided_at else None
    granted = locked.early_start_granted_from if locked.early_start_decision == "granted" else None
    days = [day for day in (decided, granted) if day is not None]
    return min(days) if days else None


def _check_expenditure(locked: Application, values: dict[str, Any]) -> None:
    problems: dict[str, list[str]] = {}
    day = values.get("date")
    start, end = locked.start_date, funding.current_end_date(locked)
    earliest = earliest_cost_day(locked)
    if day and start and end and not start <= day <= end:
        problems["date"] = [
            _("The date lies outside the project period %(start)s – %(end)s.")
            % {"start": start.isoformat(), "end": end.isoformat()}
        ]
    elif day and earliest and day < earliest:
        problems["date"] = [
            _(
                "Costs before %(day)s are not eligible: a project may not start before the "
                "grant decision unless an early start was granted (VV Nr. 1.3 zu § 44 BHO)."
            )
            % {"day": format_date(earliest)}
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
        "vat": str(expenditure.vat),
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


def proof_of_use_save(
    *, application: Application, actor: User, certified: bool | None = None, **values: Any
) -> ProofOfUse:
    """The sponsor writes the proof of use while funded (after a revision request too):
    the narrative report, the participants and the actual financing (empty: as planned),
    and certifies it (``certified``: who and when are recorded; ANBest-P 6). A change of
    any figure or text withdraws an earlier certification unless it is given again.
    Audited with the figures."""
    with transaction.atomic():
        locked = locked_while_funded(application)
        require(actor, "projects.take_sponsor_step", locked)
        proof, _created = ProofOfUse.objects.select_for_update().get_or_create(application=locked)
        changed = False
        for name in PROOF_FIELDS:
            if name in values and getattr(proof, name) != values[name]:
                setattr(proof, name, values[name])
                changed = True
        if certified:
            proof.certified_by, proof.certified_at = actor, timezone.now()
        elif certified is False or changed:
            proof.certified_by, proof.certified_at = None, None
        proof.save()
        audit.record(
            event="application.proof_of_use",
            trail=locked,
            actor=actor,
            data={
                **{
                    name: (str(values[name]) if values[name] is not None else None)
                    for name in PROOF_FIELDS
                    if name in values and name != "narrative"
                },
                "certified": proof.certified_at is not None,
            },
        )
    return proof


# -- the office's receipt review and check note (VV Nr. 11 zu § 44 BHO) ------------------


def locked_while_checked(application: Application) -> Application:
    """The application locked; 409 unless its proof of use is being checked."""
    return application_locked_in(
        application,
        ApplicationState.PROOF_SUBMITTED,
        _("Only possible while the proof of use is being checked; it is “%(state)s”."),
    )


def receipts_request(
    *, application: Application, actor: User, lines: list[int] | None = None, comment: str = ""
) -> list[Expenditure]:
    """The office asks for the receipts of chosen lines (``lines``; none given: all of
    them) while checking the proof of use; the sponsor is told (audited)."""
    with transaction.atomic():
        locked = locked_while_checked(application)
        require(actor, "projects.take_office_step", locked)
        chosen = locked.expenditures.all()
        if lines:
            chosen = chosen.filter(pk__in=lines)
            unknown = sorted(set(lines) - set(chosen.values_list("pk", flat=True)))
            if unknown:
                raise InvalidInput(
                    errors={
                        "lines": [
                            _("Not a line of this receipts list: %(ids)s.")
                            % {"ids": ", ".join(str(pk) for pk in unknown)}
                        ]
                    }
                )
        requested = list(chosen)
        if not requested:
            raise InvalidInput(errors={"lines": [_("The receipts list has no lines.")]})
        Expenditure.objects.filter(pk__in=[line.pk for line in requested]).update(
            receipt_requested=True
        )
        entry = audit.record(
            event="application.receipts_request",
            trail=locked,
            actor=actor,
            comment=comment,
            data={"lines": [line.pk for line in requested], "all": not lines},
        )
        entry_id = entry.pk
        transaction.on_commit(lambda: notify_receipts_requested(entry_id))
    for line in requested:
        line.receipt_requested = True
    return requested


def notify_receipts_requested(entry_id: int) -> None:
    # Imported here: the task module's import of this one would make a circle.
    from workflows.tasks import send_receipts_request

    send_receipts_request.delay(entry_id)


def receipt_finding(
    *,
    expenditure: Expenditure,
    actor: User,
    finding: str,
    amount: Decimal | None = None,
    reason: str = "",
) -> Expenditure:
    """The office's finding on one line: accepted; reduced to an eligible amount, with
    the reason; or refused, with the reason (audited). The statement counts it."""
    with transaction.atomic():
        locked = locked_while_checked(expenditure.application)
        require(actor, "projects.take_office_step", locked)
        line = Expenditure.objects.select_for_update().get(pk=expenditure.pk)
        claimed = line.claimed(locked.organization.deducts_input_tax)
        reason = (reason or "").strip()
        problems: dict[str, list[str]] = {}
        if finding == Finding.REDUCED:
            if amount is None:
                problems["amount"] = [_("Enter the eligible amount.")]
            elif not Decimal("0") <= amount < claimed:
                problems["amount"] = [
                    _("A reduced amount lies between 0,00 € and below the %(claimed)s claimed.")
                    % {"claimed": format_eur(claimed)}
                ]
        elif amount is not None:
            problems["amount"] = [_("An amount belongs only to a reduced line.")]
        if finding in (Finding.REDUCED, Finding.REFUSED) and not reason:
            problems["reason"] = [_("Give the reason of the finding.")]
        if problems:
            raise InvalidInput(errors=problems)
        before = {"finding": line.finding, "amount": str(line.finding_amount)}
        line.finding = finding
        line.finding_amount = amount if finding == Finding.REDUCED else None
        line.finding_reason = reason
        line.reviewed_by, line.reviewed_at = actor, timezone.now()
        line.save()
        audit.record(
            event="expenditure.finding",
            trail=locked,
            actor=actor,
            comment=reason,
            data={
                "expenditure": line.pk,
                "before": before,
                "finding": finding,
                "claimed": str(claimed),
                "eligible": str(line.eligible(locked.organization.deducts_input_tax)),
            },
        )
    return line


def check_note_save(
    *, application: Application, actor: User, extent: str, result: str
) -> ProofOfUse:
    """The check note (Prüfvermerk): extent (in full, or by sample: the lines whose
    receipts were requested), findings (the lines'), result, who and when. A checked
    line without a finding of its own is accepted by the note (and listed so in its
    audit entry). ``accept_proof`` needs the note (audited)."""
    with transaction.atomic():
        locked = locked_while_checked(application)
        require(actor, "projects.take_office_step", locked)
        lines = list(locked.expenditures.all())
        checked = lines if extent == CheckExtent.FULL else [x for x in lines if x.receipt_requested]
        problems: dict[str, list[str]] = {}
        if extent == CheckExtent.SAMPLE and not checked:
            problems["extent"] = [
                _("A check by sample needs the receipts of chosen lines: request them first.")
            ]
        if not (result or "").strip():
            problems["result"] = [_("Write down the result of the check.")]
        if problems:
            raise InvalidInput(errors=problems)
        now = timezone.now()
        accepted_by_note = [line.pk for line in checked if not line.finding]
        Expenditure.objects.filter(pk__in=accepted_by_note).update(
            finding=Finding.ACCEPTED, reviewed_by=actor, reviewed_at=now
        )
        for line in checked:
            line.finding = line.finding or Finding.ACCEPTED
        proof, _created = ProofOfUse.objects.select_for_update().get_or_create(application=locked)
        proof.check_extent, proof.check_result = extent, result.strip()
        proof.checked_by, proof.checked_at = actor, now
        proof.save()
        audit.record(
            event="application.check_note",
            trail=locked,
            actor=actor,
            comment=proof.check_result,
            data={
                "extent": extent,
                "lines": [line.pk for line in checked],
                "findings": {str(line.pk): line.finding for line in checked},
                "accepted_by_note": accepted_by_note,
            },
        )
    return proof


def interim_proof_save(
    *, application: Application, actor: User, narrative: str, year: int | None = None
) -> InterimProof:
    """ANBest-P 6.1: a project running past 31 December reports on each such year by the
    program's interim day (default 30 April of the next). ``year``: one of those years;
    none given, the first whose report is still open."""
    with transaction.atomic():
        locked = locked_while_funded(application)
        require(actor, "projects.take_sponsor_step", locked)
        owed = funding.interim_proofs(locked)
        if not owed:
            raise InvalidInput(
                errors={"narrative": [_("The project ends in its first year: no interim proof.")]}
            )
        years = [item["year"] for item in owed]
        if year is None:
            open_years = [item["year"] for item in owed if not item["submitted"]]
            year = open_years[0] if open_years else years[-1]
        elif year not in years:
            raise InvalidInput(
                errors={
                    "year": [
                        _("An interim proof is owed for %(years)s only.")
                        % {"years": ", ".join(str(y) for y in years)}
                    ]
                }
            )
        proof, _created = InterimProof.objects.select_for_update().get_or_create(
            application=locked, year=year
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


# -- payout batches (Zahllauf): payment order and SEPA file, then paid together ----------


def _payee_problems(payouts: list[PayoutRequest]) -> list[str]:
    return [
        payout.application.reference
        for payout in payouts
        if not payout.application.organization.iban
    ]


def payout_batch_create(
    *,
    program: Program,
    actor: User,
    payments: list[int] | None = None,
    execution_date: date | None = None,
) -> PayoutBatch:
    """The office puts approved payouts of its program (the chosen ones; none chosen:
    every approved one not in a batch yet) into a batch for the treasury; each payee
    needs its account (IBAN), the program its treasury's. Audited on each application."""
    with transaction.atomic():
        require(actor, "projects.pay_out", program)
        today = timezone.localdate()
        day = execution_date or today
        problems: dict[str, list[str]] = {}
        if day < today:
            problems["execution_date"] = [_("The execution date cannot lie in the past.")]
        if not program.treasury_iban:
            problems["program"] = [
                _("Enter the treasury's account (IBAN) in the program's settings first.")
            ]
        chosen = (
            PayoutRequest.objects.select_for_update(of=("self",))
            .select_related("application__organization", "application__program")
            .filter(application__program=program, state=PayoutState.APPROVED, batch__isnull=True)
            .order_by("decided_at", "pk")
        )
        if payments:
            chosen = chosen.filter(pk__in=payments)
        payouts = list(chosen)
        if payments:
            missing = sorted(set(payments) - {payout.pk for payout in payouts})
            if missing:
                problems["payments"] = [
                    _("Not an approved payout of this program outside a batch: %(ids)s.")
                    % {"ids": ", ".join(str(pk) for pk in missing)}
                ]
        if not payouts and "payments" not in problems:
            problems["payments"] = [_("There is no approved payout to pay.")]
        without_account = _payee_problems(payouts)
        if without_account:
            problems["payments"] = [
                *problems.get("payments", []),
                _("The payee has no account (IBAN) yet: %(references)s.")
                % {"references": ", ".join(without_account)},
            ]
        if problems:
            raise InvalidInput(errors=problems)
        batch = PayoutBatch.objects.create(program=program, execution_date=day, created_by=actor)
        PayoutRequest.objects.filter(pk__in=[payout.pk for payout in payouts]).update(batch=batch)
        for payout in payouts:
            audit.record(
                event="payment.batch",
                trail=payout.application,
                actor=actor,
                data={"payment": payout.pk, "batch": batch.reference, "amount": str(payout.amount)},
            )
    return batch


def _locked_batch(batch: PayoutBatch) -> PayoutBatch:
    locked = PayoutBatch.objects.select_for_update().select_related("program").get(pk=batch.pk)
    if locked.state != PayoutBatch.State.OPEN:
        raise TransitionNotAllowed(
            _("The batch %(reference)s is paid; it no longer changes.")
            % {"reference": locked.reference}
        )
    return locked


def payout_batch_cancel(*, batch: PayoutBatch, actor: User) -> None:
    """An open batch is withdrawn (the treasury did not execute it): its payouts are
    approved and free again; its documents stay on file."""
    with transaction.atomic():
        require(actor, "projects.pay_out", batch)
        locked = _locked_batch(batch)
        payouts = list(locked.payouts.select_related("application"))
        PayoutRequest.objects.filter(batch=locked).update(batch=None)
        for payout in payouts:
            audit.record(
                event="payment.batch_cancel",
                trail=payout.application,
                actor=actor,
                data={"payment": payout.pk, "batch": locked.reference},
            )
        locked.delete()


def payout_batch_mark_paid(
    *, batch: PayoutBatch, actor: User, paid_on: date | None = None
) -> PayoutBatch:
    """The treasury paid the batch: each payout is marked paid on ``paid_on`` (default:
    today) through its transition (spending windows open, sponsors told), all in one
    transaction: if one payout cannot be marked, none is."""
    with transaction.atomic():
        require(actor, "projects.pay_out", batch)
        locked = _locked_batch(batch)
        day = paid_on or timezone.localdate()
        if day > timezone.localdate():
            raise InvalidInput(errors={"paid_on": [_("A payment cannot lie in the future.")]})
        for payout in locked.payouts.select_related("application").order_by("pk"):
            payment_mark_paid(payment=payout, actor=actor, paid_on=day, comment=locked.reference)
        locked.state, locked.paid_on, locked.paid_by = PayoutBatch.State.PAID, day, actor
        locked.save(update_fields=["state", "paid_on", "paid_by"])
    return locked
