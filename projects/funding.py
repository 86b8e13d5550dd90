"""Reads of a funded project's money (DOMAIN.md, "Money"): payouts, receipts, the current
plan, the proof of use's statement and the interest. Thin wrappers that feed the pure
rules (``projects.statement``, ``projects.interest``) from the database."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from core.money import round_money
from grants.models import BaseRate, FinancingType
from projects import deadlines
from projects import interest as rules_of_interest
from projects.models import Application, ChangeRequest, InterimProof, PayoutRequest, ProofOfUse
from projects.statement import Category, Statement, StatementInput, statement
from projects.states import PAYOUT_COUNTING_STATES, ChangeRequestState, PayoutState

ZERO = Decimal("0.00")


def payouts_committed(application: Application) -> Decimal:
    """Requested, approved and paid: what counts against the approved grant."""
    total = application.payouts.filter(state__in=PAYOUT_COUNTING_STATES).aggregate(
        total=Sum("amount")
    )["total"]
    return total or ZERO


def paid_out(application: Application, until: date | None = None) -> Decimal:
    """The payouts marked as paid (up to ``until``: an interim statement's year)."""
    paid = application.payouts.filter(state=PayoutState.PAID)
    if until is not None:
        paid = paid.filter(paid_on__lte=until)
    return paid.aggregate(total=Sum("amount"))["total"] or ZERO


def window_end(paid_on: date, application: Application) -> date:
    """ANBest-P 1.4: spent within the program's window (default six weeks) after the
    payout; ANBest-Gk 1.4: two months for municipal sponsors."""
    if application.organization.is_municipal:
        month = paid_on.month + 2
        year = paid_on.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        day = min(paid_on.day, calendar.monthrange(year, month)[1])
        return date(year, month, day)
    return paid_on + timedelta(days=application.program.spending_window_days)


def base_rates() -> list[rules_of_interest.BaseRate]:
    return [
        rules_of_interest.BaseRate(rate.valid_from, rate.rate_percent)
        for rate in BaseRate.objects.order_by("valid_from")
    ]


def _paid_payouts(application: Application) -> list[PayoutRequest]:
    return list(application.payouts.filter(state=PayoutState.PAID).order_by("paid_on", "pk"))


@dataclass(frozen=True)
class Receipt:
    day: date
    category: str
    eligible: Decimal  # net where the sponsor deducts input tax; after the office's finding


def receipts(application: Application, until: date | None = None) -> list[Receipt]:
    """The receipts list as the statement counts it: net + VAT, or net only where the
    organisation deducts input tax (ANBest-P 1.2), and the office's finding where it
    made one (accepted, reduced, refused)."""
    deducts = application.organization.deducts_input_tax
    lines = application.expenditures.select_related("category")
    if until is not None:
        lines = lines.filter(date__lte=until)
    return [Receipt(line.date, line.category.code, line.eligible(deducts)) for line in lines]


def planned_total_costs(application: Application) -> Decimal:
    """The approved plan's total: the approved eligible costs where the grant was approved
    below the request, else the plan's."""
    if application.approved_costs is not None:
        return application.approved_costs
    return application.total_costs


def grant_uses(application: Application) -> list[tuple[date, Decimal]]:
    """The grant's part of each receipt (DOMAIN.md, "Payouts"): under deficit and full
    financing the other funds pay first, under share and fixed-amount financing every
    receipt pro rata (approved ÷ planned total costs). A receipt uses money as spent
    (net, or net + VAT): the office's findings change the eligible grant and so the
    reclaim, whose interest § 49a Abs. 3 covers; counting them here as well would charge
    the same money twice."""
    deducts = application.organization.deducts_input_tax
    lines = [(line.date, line.claimed(deducts)) for line in application.expenditures.all()]
    kind = application.program.financing_type
    if kind in (FinancingType.SHARE, FinancingType.FIXED):
        total = planned_total_costs(application)
        share = (application.approved_amount or ZERO) / total if total else Decimal(0)
        return rules_of_interest.grant_uses(lines, share=min(share, Decimal(1)))
    proof = ProofOfUse.objects.filter(application=application).first()
    financing = actual_financing(application, proof)
    own = financing.own_funds
    if kind == FinancingType.DEFICIT:
        own = max(own, application.own_funds)  # the planned own funds are binding
    other = own + financing.third_party_funds + financing.income
    return rules_of_interest.grant_uses(lines, first_from_other_funds=other)


def _payout_rows(paid: list[PayoutRequest]) -> list[rules_of_interest.Payout]:
    return [rules_of_interest.Payout(p.paid_on, p.amount, p.window_ends_on) for p in paid]


def uncovered_amounts(application: Application) -> dict[int, Decimal]:
    """Per paid payout, the part the grant's share of the receipts has not used yet
    (oldest payout first)."""
    paid = _paid_payouts(application)
    left = rules_of_interest.uncovered(_payout_rows(paid), grant_uses(application))
    return {payout.pk: amount for payout, amount in zip(paid, left, strict=True)}


def latest_granted_change(application: Application, field: str) -> ChangeRequest | None:
    """The last granted change request that changed ``field`` (ANBest-P 5)."""
    return (
        application.change_requests.filter(state=ChangeRequestState.GRANTED)
        .exclude(**{f"{field}__isnull": True})
        .order_by("-decided_at", "-pk")
        .first()
    )


def current_end_date(application: Application) -> date | None:
    """The project's end as granted last (the original unless a change request moved it)."""
    change = latest_granted_change(application, "end_date")
    return change.end_date if change else application.end_date


def plan_lines(application: Application) -> list[tuple[str, str, Decimal]]:
    """The plan in force: ``(category code, description, amount)``, the last granted
    change's or the original."""
    change = latest_granted_change(application, "budget_lines")
    if change is not None:
        return [
            (line["category"], line["description"], Decimal(line["amount"]))
            for line in change.budget_lines
        ]
    lines = [
        (line.category.code, line.description, line.amount)
        for line in application.budget_lines.select_related("category").order_by("position", "pk")
    ]
    if application.approved_costs is not None:
        return scaled_plan(lines, application.approved_costs)
    return lines


def scaled_plan(
    lines: list[tuple[str, str, Decimal]], total: Decimal
) -> list[tuple[str, str, Decimal]]:
    """The approved plan when the office approved lower eligible costs (DOMAIN.md,
    decision 017): every line scaled by the same factor, rounded to the cent, the
    rounding difference on the largest line, so that the lines add up to ``total``."""
    planned = sum((amount for _c, _d, amount in lines), ZERO)
    if not lines or planned == total or planned == 0:
        return lines
    scaled = [(code, text, round_money(amount * total / planned)) for code, text, amount in lines]
    difference = total - sum((amount for _c, _d, amount in scaled), ZERO)
    largest = max(range(len(scaled)), key=lambda i: scaled[i][2])
    code, text, amount = scaled[largest]
    scaled[largest] = (code, text, amount + difference)
    return scaled


def plan_categories(application: Application) -> list[Category]:
    """The plan the statement is checked against, per category in the program's order."""
    categories = {c.code: c for c in application.program.categories.all()}
    planned: dict[str, Decimal] = {}
    for code, _description, amount in plan_lines(application):
        planned[code] = planned.get(code, ZERO) + amount
    ordered = sorted(planned, key=lambda code: (categories[code].position, code))
    return [Category(code, categories[code].name, planned[code]) for code in ordered]


@dataclass(frozen=True)
class ActualFinancing:
    own_funds: Decimal
    third_party_funds: Decimal
    income: Decimal


def actual_financing(application: Application, proof: ProofOfUse | None) -> ActualFinancing:
    """The financing the proof of use states; an amount it leaves empty is as planned."""

    def actual(field: str, planned: Decimal) -> Decimal:
        value = getattr(proof, f"actual_{field}", None) if proof else None
        return planned if value is None else value

    return ActualFinancing(
        own_funds=actual("own_funds", application.own_funds),
        third_party_funds=actual("third_party_funds", application.third_party_funds),
        income=actual("income", application.expected_income),
    )


def statement_for(application: Application, *, until: date | None = None) -> Statement:
    """The numeric statement of the proof of use from the receipts and the actual
    financing (which defaults to the plan); with ``until``, the interim statement of the
    receipts and payouts up to that day (ANBest-P 6.1)."""
    proof = ProofOfUse.objects.filter(application=application).first()
    financing = actual_financing(application, proof)
    spent: dict[str, Decimal] = {}
    for receipt in receipts(application, until):
        spent[receipt.category] = spent.get(receipt.category, ZERO) + receipt.eligible
    return statement(
        StatementInput(
            financing_type=application.program.financing_type,
            approved=application.approved_amount or ZERO,
            categories=plan_categories(application),
            actual=spent,
            tolerance_percent=application.program.category_tolerance_percent,
            own_funds=financing.own_funds,
            third_party_funds=financing.third_party_funds,
            income=financing.income,
            paid_out=paid_out(application, until),
            purpose_met=proof.purpose_met if proof else True,
            planned_own_funds=application.own_funds,
            planned_third_party_funds=application.third_party_funds,
            planned_income=application.expected_income,
        )
    )


def first_payout_day(application: Application) -> date | None:
    payout = application.payouts.filter(state=PayoutState.PAID).order_by("paid_on").first()
    return payout.paid_on if payout else None


def proof_submitted_on(application: Application) -> date | None:
    if application.proof_submitted_at is None:
        return None
    return timezone.localdate(application.proof_submitted_at)


def reclaim_interest_detail(
    application: Application,
    reclaim: Decimal,
    effective: date | None,
    until: date,
) -> rules_of_interest.ReclaimInterest:
    """§ 49a Abs. 3: the reclaim allocated to the paid payouts latest first, each piece
    from max(its payout day, ``effective``) to ``until``."""
    return rules_of_interest.reclaim_interest(
        reclaim, _payout_rows(_paid_payouts(application)), until, base_rates(), effective
    )


def reclaim_interest(application: Application, until: date | None = None) -> Decimal:
    """§ 49a Abs. 3: interest on the amount to repay, per payout from the day the grant
    ceased to be effective for it, until the repayment (``until`` or today: an
    estimate)."""
    if not application.reclaim_amount or application.interest_waived:
        return ZERO
    end = until or application.repaid_on or timezone.localdate()
    return reclaim_interest_detail(
        application, application.reclaim_amount, application.interest_from, end
    ).amount


def unused_funds_interest(application: Application, until: date | None = None) -> Decimal:
    """§ 49a Abs. 4, ANBest-P 8.5: interest on paid funds not used within their spending
    window, from their payout to their use."""
    paid = _paid_payouts(application)
    if not paid:
        return ZERO
    return rules_of_interest.unused_funds_interest(
        _payout_rows(paid), grant_uses(application), until or timezone.localdate(), base_rates()
    )


def interest_estimate(application: Application, result: Statement | None = None) -> Decimal:
    """What the sponsor would owe in interest today: on a reclaim (while the proof is
    being checked: the statement's, effective from the proof's submission day, the
    default of DOMAIN.md) and on funds that lay unused beyond their window."""
    reclaim = application.reclaim_amount
    if reclaim is None:
        reclaim = (result or statement_for(application)).reclaim
        on_reclaim = ZERO
        if reclaim:
            on_reclaim = reclaim_interest_detail(
                application, reclaim, proof_submitted_on(application), timezone.localdate()
            ).amount
    else:
        on_reclaim = reclaim_interest(application)
    return round_money(on_reclaim + unused_funds_interest(application))


def estimate_or_gap(
    application: Application, result: Statement | None = None
) -> tuple[Decimal | None, str]:
    """The interest estimate for a page or a document that only shows it: ``(None,
    why)`` when the base-rate table lacks a half-year, so that reading a proof of use
    never fails for an estimate; a transition that records interest refuses instead
    (409 ``base_rate_missing``)."""
    try:
        return interest_estimate(application, result), ""
    except rules_of_interest.MissingBaseRate as missing:
        return None, str(missing.detail)


def interim_proofs(application: Application) -> list[dict[str, object]]:
    """ANBest-P 6.1: the interim proofs the project owes, one per 31 December it runs
    past: ``{"year", "due", "submitted"}`` (submitted: a narrative is on file)."""
    cached = getattr(application, _DUE_DATES, None)
    if cached is not None:
        return cached["interim_proofs"]
    return _interim_proofs(
        application, current_end_date(application), _submitted_years(application)
    )


def _submitted_years(application: Application) -> set[int]:
    return set(
        InterimProof.objects.filter(application=application)
        .exclude(narrative="")
        .values_list("year", flat=True)
    )


def _interim_proofs(
    application: Application, end: date | None, done: set[int]
) -> list[dict[str, object]]:
    if application.start_date is None or end is None:
        return []
    program = application.program
    return [
        {"year": year, "due": due, "submitted": year in done}
        for year, due in deadlines.interim_proofs_due(
            application.start_date, end, program.interim_proof_due, program.state
        )
    ]


# ``attach_due_dates`` keeps each application's deadlines on it under this name.
_DUE_DATES = "_funding_due_dates"


def due_dates(application: Application) -> dict[str, object]:
    """The sponsor's deadlines under § 31 VwVfG (the program's federal state): the proof
    of use a period after the (current) end (days or months), the next interim proof not
    yet submitted (one per 31 December the project runs past) with the list of all, and
    the repayment: the program's months after the decision that demands it was notified
    (§ 41 Abs. 2 VwVfG: the fourth day after it was sent). Read once per object when a
    list attached them (``attach_due_dates``)."""
    cached = getattr(application, _DUE_DATES, None)
    if cached is not None:
        return cached
    return _due_dates(application, current_end_date(application), _submitted_years(application))


def attach_due_dates(applications: list[Application]) -> None:
    """The deadlines of a page of applications in two queries however many there are
    (the granted changes of the end, the interim proofs on file); each keeps its own."""
    ids = [application.pk for application in applications]
    if not ids:
        return
    ends: dict[int, date] = {}
    for change in ChangeRequest.objects.filter(
        application_id__in=ids, state=ChangeRequestState.GRANTED, end_date__isnull=False
    ).order_by("application_id", "-decided_at", "-pk"):
        ends.setdefault(change.application_id, change.end_date)
    done: dict[int, set[int]] = {pk: set() for pk in ids}
    for application_id, year in (
        InterimProof.objects.filter(application_id__in=ids)
        .exclude(narrative="")
        .values_list("application_id", "year")
    ):
        done[application_id].add(year)
    for application in applications:
        end = ends.get(application.pk, application.end_date)
        setattr(application, _DUE_DATES, _due_dates(application, end, done[application.pk]))


def _due_dates(application: Application, end: date | None, done: set[int]) -> dict[str, object]:
    program = application.program
    owed = _interim_proofs(application, end, done)
    open_ones = [item["due"] for item in owed if not item["submitted"]]
    dues: dict[str, object] = {
        "proof_of_use_due": None,
        "interim_proof_due": open_ones[0] if open_ones else None,
        "interim_proofs": owed,
        "repayment_due": None,
    }
    if end is not None:
        dues["proof_of_use_due"] = deadlines.proof_of_use_due(
            end, program.proof_of_use_due_days, program.state, program.proof_of_use_due_months
        )
    dues["repayment_due"] = repayment_due_date(application)
    return dues


def repayment_due_date(application: Application) -> date | None:
    """The day a demanded repayment is due (``due_dates``), read from the application
    and its program alone: a list of files asks it without a query per row."""
    if not (application.reclaim_amount and application.reclaim_set_on):
        return None
    program = application.program
    return deadlines.repayment_due(
        application.reclaim_set_on, program.repayment_months, program.state
    )
