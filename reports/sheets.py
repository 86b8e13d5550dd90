"""The plain data each document shows (frozen dataclasses of strings, numbers and
dates): ``reports.selectors`` fills them from the selectors of the layers below, the
renderers in ``reports.pdf`` draw them and run no queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from projects.figures import KeyFigures, ProgramFigures
from projects.statement import Statement


@dataclass(frozen=True)
class Head:
    program: str  # "PFD-KO – Partnerschaft für Demokratie Koblenz"
    program_code: str
    funder: str
    reference: str = ""
    issued_on: date | None = None


@dataclass(frozen=True)
class Line:
    category: str
    description: str
    amount: Decimal


@dataclass(frozen=True)
class Project:
    """An application as every document names it."""

    application_id: int
    reference: str
    title: str
    state: str  # in the reader's language
    organization: str
    organization_legal_form: str
    organization_address: str
    organization_email: str
    is_municipal: bool
    call: str
    body: str
    summary: str
    field_of_action: str
    target_group: str
    start_date: date | None
    end_date: date | None
    expected_participants: int | None
    financing_type: str
    lines: tuple[Line, ...]
    own_funds: Decimal
    third_party_funds: Decimal
    expected_income: Decimal
    total_costs: Decimal
    requested_amount: Decimal
    approved_amount: Decimal | None
    conditions: str
    submitted_at: datetime | None
    decided_at: datetime | None


@dataclass(frozen=True)
class ApplicationSheet:
    head: Head
    project: Project
    min_own_share_percent: Decimal


@dataclass(frozen=True)
class AgreementSheet:
    head: Head
    project: Project
    version: int
    grantor: str
    end_date: date | None  # as granted last (a change request may move it)
    spending_window: str  # "6 Wochen (42 Tage) nach jeder Auszahlung"
    proof_of_use_due: date | None
    interim_proof_due: date | None
    tolerance_percent: Decimal
    financing_rule: str  # what the financing type means for this grant
    terms: str  # ANBest-P or ANBest-Gk
    form: str = "decision"  # VV Nr. 12 zu § 44 BHO: "decision" or "contract"
    authority: str = ""  # the issuing authority (the grantor), its address and signatory
    authority_address: str = ""
    signatory: str = ""
    representative: str = ""  # the recipient's legal representative
    iban: str = ""  # the recipient's account, formatted
    bic: str = ""
    account_holder: str = ""
    approved_costs: Decimal | None = None  # the approved plan where below the request
    approved_lines: tuple[Line, ...] = ()  # the plan in force (scaled when approved lower)
    early_start: str = ""  # the early-start decision in words, "" when none was asked
    repayment_months: int = 1
    sent: str = "electronic"  # how decisions are sent: "post" or "electronic"
    net_only: bool = False  # the recipient deducts input tax: the plan and receipts are net


@dataclass(frozen=True)
class Receipt:
    date: date
    payee: str
    purpose: str
    category: str
    amount: Decimal  # claimed: net + VAT, or net where input tax is deducted
    receipt_number: str
    eligible: Decimal | None = None  # after the office's finding (None: as claimed)
    finding: str = ""  # the finding in words, "" when none
    finding_reason: str = ""


@dataclass(frozen=True)
class PayoutLine:
    paid_on: date | None
    amount: Decimal
    window_ends_on: date | None


@dataclass(frozen=True)
class StatementSheet:
    head: Head
    project: Project
    statement: Statement
    financing_type: str
    tolerance_percent: Decimal
    own_funds: Decimal  # actual financing (the plan unless the proof says otherwise)
    third_party_funds: Decimal
    income: Decimal
    interest_estimate: Decimal | None  # None: a base rate is missing (``interest_gap``)
    interest_gap: str
    planned_own_funds: Decimal  # the plan's financing, to compare with
    planned_third_party_funds: Decimal
    planned_income: Decimal
    narrative: str
    participants: int | None
    payouts: tuple[PayoutLine, ...]
    receipts: tuple[Receipt, ...]
    proof_of_use_due: date | None
    reclaim_amount: Decimal | None  # as set by the office (accepted proof or revocation)
    repaid_amount: Decimal | None
    interest_amount: Decimal | None = None  # recorded with the repayment (§ 49a Abs. 3)
    repaid_on: date | None = None
    net_only: bool = False  # the sponsor deducts input tax: receipts count net
    certified_by: str = ""  # the sponsor's certification (ANBest-P 6), "" when missing
    certified_at: datetime | None = None
    check_extent: str = ""  # the office's check note (Prüfvermerk), "" until written
    check_lines: tuple[str, ...] = ()  # by sample: the receipts checked
    check_result: str = ""
    checked_by: str = ""
    checked_at: datetime | None = None


@dataclass(frozen=True)
class DossierItem:
    position: int
    project: Project
    recommendation_code: str  # approve, approve_with_conditions, reject or ""
    recommendation: str  # the office's recommendation, in words
    recommended_amount: Decimal | None
    recommendation_text: str
    decision_mode: str
    # The end of the written procedure's vote (the call's deadline, or as reopened);
    # None at a meeting or without a deadline.
    vote_until: datetime | None = None


@dataclass(frozen=True)
class DossierSheet:
    head: Head
    title: str  # "Sitzungsvorlage: Begleitausschuss, 12.03.2026" or the call
    body: str
    call_budgets: tuple[tuple[str, Decimal, Decimal], ...]  # call, budget, approved so far
    items: tuple[DossierItem, ...]
    meeting_when: datetime | None
    meeting_place: str


@dataclass(frozen=True)
class Attendee:
    name: str
    role: str  # voting member, advisory, deputy of …, chair
    present: bool


@dataclass(frozen=True)
class MinutesItem:
    position: int
    reference: str
    title: str
    organization: str
    requested_amount: Decimal
    conflicted: tuple[str, ...]  # names of members excluded (§ 20 VwVfG)
    votes: dict[str, int]  # approve / reject / abstain
    eligible: int | None
    quorum_required: int | None
    quorum_reached: bool | None
    outcome: str  # in words
    reason: str  # the tally's reason, in words
    decision: str  # what the office decided on it, in words ("" if not yet)


@dataclass(frozen=True)
class MinutesSheet:
    head: Head
    body: str
    starts_at: datetime
    place: str
    attendees: tuple[Attendee, ...]
    items: tuple[MinutesItem, ...]
    notes: str
    keeper: str
    keeper_signed_at: datetime | None
    chair: str
    chair_signed_at: datetime | None
    signed: bool


@dataclass(frozen=True)
class FunderReportSheet:
    head: Head
    period_label: str  # "3. Quartal 2026"
    figures: ProgramFigures
    state_labels: dict[str, str]
    generated_at: datetime
    # The key figures from the program's start to the period's end: the tables that
    # count "up to the period's end" (calls, funded projects) agree with these.
    key_to_date: KeyFigures | None = None


@dataclass(frozen=True)
class PaymentLine:
    payee: str
    iban: str  # formatted in groups of four
    bic: str
    amount: Decimal
    reference: str  # the application's file number
    purpose: str  # the remittance information (Verwendungszweck)


@dataclass(frozen=True)
class PaymentOrderSheet:
    """A payout batch as the treasury's payment order (Auszahlungsanordnung)."""

    head: Head
    number: str  # PFD-KO-AO-0003
    authority: str  # who orders: the issuing authority
    treasury: str
    treasury_iban: str
    execution_date: date
    lines: tuple[PaymentLine, ...]
    total: Decimal
    ordered_by: str
    ordered_on: date
