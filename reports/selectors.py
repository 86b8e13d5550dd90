"""The documents' data, read through the selectors of the layers below and returned as
the plain sheets of ``reports.sheets``. Called inside ``translation.override`` so that
labels arrive in the reader's language; the renderers then run no queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.bank import formatted_iban
from core.formats import format_date
from core.money import format_eur
from grants.models import Call, FinancingType, Program
from grants.roles import roles_of
from grants.selectors import body_members_on
from projects import figures as program_figures
from projects import funding
from projects.models import (
    AgendaItem,
    Application,
    BudgetLine,
    ConflictDeclaration,
    Expenditure,
    Meeting,
    PayoutBatch,
    ProofOfUse,
    Recommendation,
)
from projects.selectors import application_tally
from projects.states import ApplicationState, DecisionMode
from projects.tally import REASON_TEXT
from reports.models import Document, Export, Report
from reports.sheets import (
    AgreementSheet,
    ApplicationSheet,
    Attendee,
    DossierItem,
    DossierSheet,
    FunderReportSheet,
    Head,
    Line,
    MinutesItem,
    MinutesSheet,
    PaymentLine,
    PaymentOrderSheet,
    PayoutLine,
    Project,
    Receipt,
    StatementSheet,
)
from workflows.committee import voting_deadline

ZERO = Decimal("0.00")


def _head(program: Program, reference: str = "", issued_on: date | None = None) -> Head:
    return Head(
        program=f"{program.code} – {program.name}",
        program_code=program.code,
        funder=program.funder_name,
        reference=reference,
        issued_on=issued_on or timezone.localdate(),
    )


def application_for_document(application_id: int) -> Application:
    """The application with everything a document reads, in one query plus the lines."""
    return _documents_query().get(pk=application_id)


def project_of(application: Application) -> Project:
    organization = application.organization
    return Project(
        application_id=application.pk,
        reference=application.reference or _("draft"),
        title=application.title,
        state=application.get_state_display(),
        organization=organization.name,
        organization_legal_form=organization.legal_form,
        organization_address=organization.address,
        organization_email=organization.email,
        is_municipal=organization.is_municipal,
        call=application.call.title,
        body=application.call.body.name,
        summary=application.summary,
        field_of_action=application.field_of_action,
        target_group=application.target_group,
        start_date=application.start_date,
        end_date=application.end_date,
        expected_participants=application.expected_participants,
        financing_type=application.program.get_financing_type_display(),
        lines=tuple(
            Line(line.category.name, line.description, line.amount)
            for line in application.budget_lines.all()
        ),
        own_funds=application.own_funds,
        third_party_funds=application.third_party_funds,
        expected_income=application.expected_income,
        total_costs=application.total_costs,
        requested_amount=application.requested_amount,
        approved_amount=application.approved_amount,
        conditions=application.conditions,
        submitted_at=application.submitted_at,
        decided_at=application.decided_at,
    )


def application_sheet(application: Application) -> ApplicationSheet:
    return ApplicationSheet(
        head=_head(application.program, application.reference),
        project=project_of(application),
        min_own_share_percent=application.program.min_own_share_percent,
    )


def _financing_rule(program: Program) -> str:
    """What the financing type means for this grant (VV Nr. 2 zu § 44 BHO)."""
    rules = {
        FinancingType.DEFICIT: _(
            "The grant covers the shortfall between the eligible costs and the other "
            "funds; savings and additional income reduce it first (deficit financing)."
        ),
        FinancingType.SHARE: _(
            "The grant covers a fixed share of the eligible costs; lower costs reduce it "
            "in proportion (share financing)."
        ),
        FinancingType.FIXED: _(
            "The grant is a fixed amount; it stays as long as the project's purpose is met "
            "(fixed-amount financing)."
        ),
        FinancingType.FULL: _(
            "The grant covers the eligible costs in full, less any income of the project "
            "(full financing)."
        ),
    }
    return str(rules[program.financing_type])


def _spending_window(program: Program, is_municipal: bool) -> str:
    if is_municipal:
        return _("two months after each payout (ANBest-Gk 1.4)")
    return _("%(days)s days after each payout (ANBest-P 1.4)") % {
        "days": program.spending_window_days
    }


def agreement_sheet(application: Application, version: int) -> AgreementSheet:
    program = application.program
    dues = funding.due_dates(application)
    organization = application.organization
    municipal = organization.is_municipal
    categories = {c.code: c.name for c in program.categories.all()}
    return AgreementSheet(
        head=_head(program, application.reference),
        project=project_of(application),
        version=version,
        grantor=program.name,
        end_date=funding.current_end_date(application),
        spending_window=_spending_window(program, municipal),
        proof_of_use_due=dues["proof_of_use_due"],
        interim_proof_due=dues["interim_proof_due"],
        tolerance_percent=program.category_tolerance_percent,
        financing_rule=_financing_rule(program),
        terms="ANBest-Gk" if municipal else "ANBest-P",
        form=program.forwarding_form,
        authority=program.authority_name or program.name,
        authority_address=program.authority_address,
        signatory=program.authority_signatory,
        representative=organization.legal_representative,
        iban=formatted_iban(organization.iban) if organization.iban else "",
        bic=organization.bic,
        account_holder=organization.account_holder or organization.name,
        approved_costs=application.approved_costs,
        approved_lines=tuple(
            Line(categories.get(code, code), text, amount)
            for code, text, amount in funding.plan_lines(application)
        ),
        early_start=_early_start(application),
        repayment_months=program.repayment_months,
        sent=program.decisions_sent,
        net_only=organization.deducts_input_tax,
    )


def _early_start(application: Application) -> str:
    """VV Nr. 1.3 zu § 44 BHO, as the grant document states it."""
    if application.early_start_decision == "granted":
        return _(
            "An early start of the project was permitted from %(day)s; costs from that day "
            "are eligible. The permission did not promise the grant."
        ) % {"day": format_date(application.early_start_granted_from)}
    if application.early_start_decision == "refused":
        return _(
            "The early start asked for was refused; costs before the decision are not eligible."
        )
    return ""


def statement_sheet(application: Application) -> StatementSheet:
    proof = ProofOfUse.objects.filter(application=application).first()
    result = funding.statement_for(application)

    financing = funding.actual_financing(application, proof)
    estimate, gap = funding.estimate_or_gap(application, result)
    net_only = application.organization.deducts_input_tax
    lines = list(
        Expenditure.objects.filter(application=application)
        .select_related("category")
        .order_by("date", "pk")
    )
    receipts = tuple(
        Receipt(
            e.date,
            e.payee,
            e.purpose,
            e.category.name,
            e.claimed(net_only),
            e.receipt_number,
            eligible=e.eligible(net_only),
            finding=e.get_finding_display() if e.finding else "",
            finding_reason=e.finding_reason,
        )
        for e in lines
    )
    sampled = tuple(e.receipt_number or format_date(e.date) for e in lines if e.receipt_requested)
    payouts = tuple(
        PayoutLine(p.paid_on, p.amount, p.window_ends_on)
        for p in application.payouts.filter(state="paid").order_by("paid_on", "pk")
    )
    return StatementSheet(
        head=_head(application.program, application.reference),
        project=project_of(application),
        statement=result,
        financing_type=application.program.get_financing_type_display(),
        tolerance_percent=application.program.category_tolerance_percent,
        own_funds=financing.own_funds,
        third_party_funds=financing.third_party_funds,
        income=financing.income,
        interest_estimate=estimate,
        interest_gap=gap,
        planned_own_funds=application.own_funds,
        planned_third_party_funds=application.third_party_funds,
        planned_income=application.expected_income,
        narrative=proof.narrative if proof else "",
        participants=proof.participants if proof else None,
        payouts=payouts,
        receipts=receipts,
        proof_of_use_due=funding.due_dates(application)["proof_of_use_due"],
        reclaim_amount=application.reclaim_amount,
        repaid_amount=application.repaid_amount,
        interest_amount=application.interest_amount,
        repaid_on=application.repaid_on,
        net_only=net_only,
        certified_by=_person(proof.certified_by) if proof and proof.certified_by else "",
        certified_at=proof.certified_at if proof else None,
        check_extent=proof.get_check_extent_display() if proof and proof.checked_at else "",
        check_lines=sampled if proof and proof.check_extent == "sample" else (),
        check_result=proof.check_result if proof and proof.checked_at else "",
        checked_by=_person(proof.checked_by) if proof and proof.checked_by else "",
        checked_at=proof.checked_at if proof else None,
    )


def _dossier_items(applications: list[Application]) -> tuple[DossierItem, ...]:
    recommendations = {
        r.application_id: r
        for r in Recommendation.objects.filter(application__in=[a.pk for a in applications])
    }
    items = []
    for position, application in enumerate(applications, start=1):
        recommendation = recommendations.get(application.pk)
        items.append(
            DossierItem(
                position=position,
                project=project_of(application),
                recommendation_code=recommendation.choice if recommendation else "",
                recommendation=recommendation.get_choice_display()
                if recommendation
                else _("no recommendation recorded"),
                recommended_amount=recommendation.amount if recommendation else None,
                recommendation_text=recommendation.text if recommendation else "",
                decision_mode=application.get_decision_mode_display(),
                vote_until=voting_deadline(application)
                if application.decision_mode == DecisionMode.WRITTEN
                else None,
            )
        )
    return tuple(items)


def _call_budgets(call_ids: set[int]) -> tuple[tuple[str, Decimal, Decimal], ...]:
    """Per call: its budget and what was approved in it so far."""
    calls = Call.objects.filter(pk__in=call_ids).order_by("opens_at", "pk")
    approved = program_figures.approved_by_call(Application.objects.filter(call_id__in=call_ids))
    return tuple((c.title, c.budget, approved.get(c.pk, (ZERO, 0))[0]) for c in calls)


def _documents_query():
    """Applications with what a document reads: call, body, program, organisation, and
    the cost plan's lines in their order."""
    return Application.objects.select_related(
        "call__body", "program", "organization"
    ).prefetch_related(
        Prefetch(
            "budget_lines",
            queryset=BudgetLine.objects.select_related("category").order_by("position", "pk"),
        )
    )


def meeting_dossier_sheet(meeting: Meeting) -> DossierSheet:
    """The dossier of a meeting: its agenda's applications in the agenda's order."""
    order = list(
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("position", "pk")
        .values_list("application_id", flat=True)
    )
    by_id = {a.pk: a for a in _documents_query().filter(pk__in=order)}
    applications = [by_id[pk] for pk in order]
    body = meeting.body
    return DossierSheet(
        head=_head(body.program),
        title=_("Dossier: %(body)s, meeting of %(date)s")
        % {"body": body.name, "date": format_date(meeting.starts_at)},
        body=body.name,
        call_budgets=_call_budgets({a.call_id for a in applications}),
        items=_dossier_items(applications),
        meeting_when=meeting.starts_at,
        meeting_place=meeting.place,
    )


def call_dossier_sheet(call: Call) -> DossierSheet:
    """The dossier of a call: every application before its body (under review)."""
    applications = list(
        _documents_query()
        .filter(call=call, state=ApplicationState.COMMITTEE_REVIEW)
        .order_by("reference", "pk")
    )
    return DossierSheet(
        head=_head(call.program),
        title=_("Dossier: %(call)s") % {"call": call.title},
        body=call.body.name,
        call_budgets=_call_budgets({call.pk}),
        items=_dossier_items(applications),
        meeting_when=None,
        meeting_place="",
    )


def _person(user) -> str:
    return user.get_full_name() or user.username


def _outcome_words(outcome: str) -> str:
    return {
        "approve": _("approval recommended"),
        "reject": _("rejection recommended"),
    }.get(outcome, _("undecided"))


def minutes_sheet(meeting: Meeting) -> MinutesSheet:
    """The minutes (§ 93 VwVfG): who was there, and per agenda item the conflicts, the
    votes and the outcome (the kept tally once signed, the live one before)."""
    body = meeting.body
    day = timezone.localdate(meeting.starts_at)
    present = set(meeting.present.values_list("pk", flat=True))
    roles = list(body_members_on(body.pk, day).order_by("-chair", "-voting", "user__last_name"))
    attendees = []
    chair = ""
    for role in roles:
        if role.chair:
            chair = _person(role.user)
            kind = _("chair")
        elif role.deputy_for_id:
            kind = _("deputy of %(member)s") % {"member": _person(role.deputy_for.user)}
        elif role.voting:
            kind = _("voting member")
        else:
            kind = _("advisory member")
        attendees.append(Attendee(_person(role.user), str(kind), role.user_id in present))
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("application__organization", "application__call", "application__program")
        .order_by("position", "pk")
    )
    conflicts: dict[int, list[str]] = {}
    for conflict in ConflictDeclaration.objects.filter(
        application__in=[i.application_id for i in items], excluded=True
    ).select_related("member"):
        conflicts.setdefault(conflict.application_id, []).append(_person(conflict.member))
    decisions = {
        ApplicationState.APPROVED: _("approved"),
        ApplicationState.REJECTED: _("rejected"),
    }
    result_items = []
    for item in items:
        application = item.application
        kept = item.outcome
        if kept and "outcome" in kept:
            tally = kept
        elif application.state == ApplicationState.COMMITTEE_REVIEW:
            tally = application_tally(application, meeting=meeting).as_dict()
        else:
            tally = {}
        decision = ""
        if application.decided_at and application.state not in (
            ApplicationState.SUBMITTED,
            ApplicationState.COMMITTEE_REVIEW,
        ):
            word = decisions.get(application.state, application.get_state_display())
            decision = _("The office recorded: %(decision)s") % {"decision": word}
            if application.approved_amount is not None:
                decision += f" ({format_eur(application.approved_amount)})"
        result_items.append(
            MinutesItem(
                position=item.position,
                reference=application.reference,
                title=application.title,
                organization=application.organization.name,
                requested_amount=application.requested_amount,
                conflicted=tuple(sorted(conflicts.get(application.pk, []))),
                votes=dict(tally.get("votes", {})),
                eligible=tally.get("eligible"),
                quorum_required=tally.get("quorum_required"),
                quorum_reached=tally.get("quorum_reached"),
                outcome=_outcome_words(tally.get("outcome", "")) if tally else "",
                reason=str(REASON_TEXT[tally["reason"]]) if tally.get("reason") else "",
                decision=decision,
            )
        )
    return MinutesSheet(
        head=_head(body.program),
        body=body.name,
        starts_at=meeting.starts_at,
        place=meeting.place,
        attendees=tuple(attendees),
        items=tuple(result_items),
        notes=meeting.notes,
        keeper=_person(meeting.keeper) if meeting.keeper else "",
        keeper_signed_at=meeting.keeper_signed_at,
        chair=_person(meeting.chair_signer) if meeting.chair_signer else chair,
        chair_signed_at=meeting.chair_signed_at,
        signed=meeting.minutes_signed,
    )


def period_label(start: date, end: date) -> str:
    """ "3. Quartal 2026", "Oktober 2026", "2026" or "01.07.2026 – 15.08.2026"."""
    next_day = end.toordinal() + 1
    if start.day == 1 and date.fromordinal(next_day).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months == 12 and start.month == 1:
            return str(start.year)
        if months == 3 and start.month in (1, 4, 7, 10):
            return _("Q%(quarter)s %(year)s") % {
                "quarter": (start.month - 1) // 3 + 1,
                "year": start.year,
            }
        if months == 1:
            return f"{MONTH_NAMES[start.month - 1]!s} {start.year}"
    return f"{format_date(start)} – {format_date(end)}"


MONTH_NAMES = (
    gettext_lazy("January"),
    gettext_lazy("February"),
    gettext_lazy("March"),
    gettext_lazy("April"),
    gettext_lazy("May"),
    gettext_lazy("June"),
    gettext_lazy("July"),
    gettext_lazy("August"),
    gettext_lazy("September"),
    gettext_lazy("October"),
    gettext_lazy("November"),
    gettext_lazy("December"),
)


def funder_report_sheet(program: Program, start: date, end: date) -> FunderReportSheet:
    """The funder report's data: ``projects.figures.program_figures``, the selector the
    figures endpoint serves, and the state names."""
    return FunderReportSheet(
        head=_head(program),
        period_label=period_label(start, end),
        figures=program_figures.program_figures(program, start, end),
        state_labels={value: str(label) for value, label in ApplicationState.choices},
        generated_at=timezone.now(),
        key_to_date=program_figures.key_figures(program, date(2000, 1, 1), end),
    )


def reports_visible_to(user) -> QuerySet[Report]:
    """The funder reports of the programs where the user is office or funder (all for
    an admin; none for anyone else)."""
    if not user.is_authenticated:
        return Report.objects.none()
    reports = Report.objects.select_related("program", "document")
    if user.is_superuser:
        return reports
    roles = roles_of(user)
    return reports.filter(program_id__in=roles.office_program_ids | roles.funder_program_ids)


def exports_visible_to(user) -> QuerySet[Export]:
    """The whole-file ZIPs the user asked for; nobody sees another's (each holds a
    whole file, and the request was theirs)."""
    if not user.is_authenticated:
        return Export.objects.none()
    return Export.objects.filter(requested_by=user).select_related("application")


def latest_personal_export(user) -> Export | None:
    """The person's latest request for their own data (DSGVO Art. 15), if any."""
    if not user.is_authenticated:
        return None
    return (
        Export.objects.filter(kind=Export.Kind.PERSONAL_DATA, requested_by=user)
        .order_by("-created_at", "-pk")
        .first()
    )


def documents_of(subject: models.Model) -> QuerySet[Document]:
    """The kept documents of one object (an application, a meeting, a call, a program)."""
    return Document.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    )


def documents_visible_to(user) -> QuerySet[Document]:
    """The office sees its programs' documents; a funder only the funder reports."""
    if not user.is_authenticated:
        return Document.objects.none()
    documents = Document.objects.select_related("program")
    if user.is_superuser:
        return documents
    roles = roles_of(user)
    return documents.filter(
        Q(program_id__in=roles.office_program_ids)
        | Q(program_id__in=roles.funder_program_ids, kind=Document.Kind.FUNDER_REPORT)
    )


def payment_order_sheet(batch: PayoutBatch) -> PaymentOrderSheet:
    """A payout batch as the treasury reads it."""
    from reports.sepa import remittance

    program = batch.program
    payouts = list(batch.payouts.select_related("application__organization").order_by("pk"))
    lines = tuple(
        PaymentLine(
            payee=payout.application.organization.account_holder
            or payout.application.organization.name,
            iban=formatted_iban(payout.application.organization.iban),
            bic=payout.application.organization.bic,
            amount=payout.amount,
            reference=payout.application.reference,
            purpose=remittance(batch, payout),
        )
        for payout in payouts
    )
    return PaymentOrderSheet(
        head=_head(program, batch.reference, timezone.localdate(batch.created_at)),
        number=batch.reference,
        authority=program.authority_name or program.name,
        treasury=program.treasury_name or program.name,
        treasury_iban=formatted_iban(program.treasury_iban),
        execution_date=batch.execution_date,
        lines=lines,
        total=sum((line.amount for line in lines), ZERO),
        ordered_by=_person(batch.created_by),
        ordered_on=timezone.localdate(batch.created_at),
    )
