"""The proof-of-use statement: plan against actual per cost category with the tolerance
flags, the actual financing, the eligible grant, and the balance or the reclaim with
interest, each figure with the rule behind it (``projects.statement`` explains them)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from reportlab.platypus import Flowable

from core.formats import format_number, format_percent
from reports.pdf import parts
from reports.pdf.style import (
    Column,
    Letterhead,
    Styles,
    build,
    day,
    facts,
    heading,
    long_text,
    money,
    para,
    subheading,
    table,
)
from reports.sheets import StatementSheet


def render(sheet: StatementSheet) -> bytes:
    project = sheet.project
    result = sheet.statement
    story: list[Flowable] = [
        para(_("Proof of use: statement (zahlenmäßiger Nachweis)"), Styles.title),
        para(f"{project.reference} · {project.title}", Styles.subtitle),
        facts(
            [
                (_("Recipient"), project.organization),
                (_("Project period"), f"{day(project.start_date)} – {day(project.end_date)}"),
                (_("Grant approved"), money(project.approved_amount)),
                (_("Financing type"), sheet.financing_type),
                (_("Proof of use due"), day(sheet.proof_of_use_due)),
                (_("State"), project.state),
            ]
        ),
        heading(_("Costs: plan and actual")),
    ]
    rows = []
    for line in result.lines:
        over = format_percent(line.over_percent) if line.over_percent > 0 else ""
        rows.append(
            (
                line.name,
                money(line.planned),
                money(line.actual),
                over,
                money(line.eligible),
            )
        )
    story.append(
        table(
            [
                Column(_("Cost category"), 0.32),
                Column(_("Planned"), 0.17, numeric=True),
                Column(_("Actual"), 0.17, numeric=True),
                Column(_("Over plan"), 0.14, numeric=True),
                Column(_("Eligible"), 0.20, numeric=True),
            ],
            rows,
            totals=[
                _("Total"),
                money(result.planned_costs),
                money(result.actual_costs),
                "",
                money(result.eligible_costs),
            ],
        )
    )
    explained = [(line.name, line.explanation) for line in result.lines if line.explanation]
    if explained:
        story += [
            subheading(
                _("Tolerance (%(tolerance)s, ANBest-P 1.2)")
                % {"tolerance": format_percent(sheet.tolerance_percent, 0)}
            ),
            facts(explained),
        ]
    story += [
        heading(_("Financing: planned and actual")),
        table(
            [
                Column(_("Source"), 0.5),
                Column(_("Planned"), 0.25, numeric=True),
                Column(_("Actual"), 0.25, numeric=True),
            ],
            [
                (label, money(planned), money(actual))
                for label, planned, actual in (
                    (_("Own funds (Eigenmittel)"), sheet.planned_own_funds, sheet.own_funds),
                    (
                        _("Third-party funds (Drittmittel)"),
                        sheet.planned_third_party_funds,
                        sheet.third_party_funds,
                    ),
                    (_("Income (Einnahmen)"), sheet.planned_income, sheet.income),
                )
            ],
        ),
        heading(_("Result")),
    ]
    figures = [
        (_("Eligible costs"), money(result.eligible_costs), "eligible_costs"),
        (_("Eligible grant"), money(result.eligible_grant), "eligible_grant"),
        (_("Paid out"), money(result.paid_out), "paid_out"),
        (_("Balance"), money(result.balance), "balance"),
        (_("To be repaid"), money(result.reclaim), "reclaim"),
    ]
    story.append(
        table(
            [
                Column(_("Figure"), 0.27),
                Column(_("Amount"), 0.16, numeric=True),
                Column(_("Rule"), 0.57),
            ],
            [(label, amount, result.explanations.get(key, "")) for label, amount, key in figures],
        )
    )
    if "third_party_shortfall" in result.explanations:
        story.append(para(result.explanations["third_party_shortfall"]))
    interest = [(_("Interest (estimate, § 49a VwVfG)"), money(sheet.interest_estimate))]
    if sheet.reclaim_amount:
        interest.append((_("Repayment demanded"), money(sheet.reclaim_amount)))
    if sheet.repaid_amount is not None:
        interest.append((_("Repaid"), money(sheet.repaid_amount)))
    story.append(facts(interest))
    if sheet.payouts:
        story += [
            heading(_("Payouts")),
            table(
                [
                    Column(_("Paid on"), 0.3),
                    Column(_("Amount"), 0.35, numeric=True),
                    Column(_("Spend by"), 0.35, numeric=True),
                ],
                [(day(p.paid_on), money(p.amount), day(p.window_ends_on)) for p in sheet.payouts],
            ),
        ]
    story += [
        heading(_("Receipts list (Belegliste)")),
        table(
            [
                Column(_("Date"), 0.12),
                Column(_("No."), 0.13),
                Column(_("Payee"), 0.21),
                Column(_("Purpose"), 0.24),
                Column(_("Category"), 0.15),
                Column(_("Amount"), 0.15, numeric=True),
            ],
            [
                (day(r.date), r.receipt_number, r.payee, r.purpose, r.category, money(r.amount))
                for r in sheet.receipts
            ],
            totals=["", "", "", "", _("Total"), money(result.actual_costs)],
        ),
        heading(_("Narrative report (Sachbericht)")),
        facts(
            [
                (
                    _("Participants"),
                    format_number(sheet.participants) if sheet.participants is not None else "–",
                )
            ]
        ),
        *long_text(sheet.narrative or _("Not submitted yet.")),
        *parts.cost_plan(project, with_lines=False),
    ]
    letterhead = Letterhead(
        program=sheet.head.program,
        document=_("Proof of use %(reference)s") % {"reference": project.reference},
        reference=project.reference,
        issued_on=sheet.head.issued_on,
    )
    return build(story, letterhead)
