"""The proof-of-use statement: plan against actual per cost category with the tolerance
flags, the actual financing, the eligible grant, and the balance or the reclaim with
interest, each figure with the rule behind it (``projects.statement`` explains them)."""

from __future__ import annotations

from decimal import Decimal

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
    return build(*compose(sheet))


def compose(sheet: StatementSheet) -> tuple[list[Flowable], Letterhead]:
    """The document's flowables and letterhead: the PDF and its HTML page (``reports.html``)
    are made from these."""
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
    estimate = (
        money(sheet.interest_estimate)
        if sheet.interest_estimate is not None
        else sheet.interest_gap
    )
    interest = [(_("Interest (estimate, § 49a VwVfG)"), estimate)]
    if sheet.reclaim_amount:
        interest.append((_("Repayment demanded"), money(sheet.reclaim_amount)))
    if sheet.repaid_amount is not None:
        interest.append(
            (_("Repaid on %(day)s") % {"day": day(sheet.repaid_on)}, money(sheet.repaid_amount))
        )
    if sheet.interest_amount is not None:
        interest.append((_("Interest recorded (§ 49a Abs. 3 VwVfG)"), money(sheet.interest_amount)))
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
    claimed = sum((r.amount for r in sheet.receipts), Decimal("0.00"))
    story += [
        heading(_("Receipts list (Belegliste)")),
        para(
            _("Net amounts: the sponsor may deduct input tax (ANBest-P 1.2).")
            if sheet.net_only
            else _("Gross amounts: net plus VAT, as the sponsor cannot deduct input tax.")
        ),
        table(
            [
                Column(_("Date"), 0.105),
                Column(_("No."), 0.115),
                Column(_("Payee"), 0.17),
                Column(_("Purpose"), 0.18),
                Column(_("Category"), 0.15),
                Column(_("Claimed"), 0.135, numeric=True),
                Column(_("Recognised"), 0.145, numeric=True),
            ],
            [
                (
                    day(r.date),
                    r.receipt_number,
                    r.payee,
                    r.purpose,
                    r.category,
                    money(r.amount),
                    money(r.eligible if r.eligible is not None else r.amount),
                )
                for r in sheet.receipts
            ],
            totals=["", "", "", "", _("Total"), money(claimed), money(result.actual_costs)],
        ),
    ]
    findings = [
        (
            f"{r.receipt_number or day(r.date)} · {r.payee}",
            f"{r.finding}: {money(r.eligible)}"
            + (f" – {r.finding_reason}" if r.finding_reason else ""),
        )
        for r in sheet.receipts
        if r.finding and r.eligible is not None and r.eligible != r.amount
    ]
    if findings:
        story += [subheading(_("Findings of the receipt review")), facts(findings)]
    story += [
        heading(_("Check note (Prüfvermerk)")),
        facts(
            [
                (_("Extent"), sheet.check_extent or _("not checked yet")),
                *(
                    [(_("Receipts checked"), ", ".join(sheet.check_lines))]
                    if sheet.check_lines
                    else []
                ),
                *(
                    [
                        (_("Result"), sheet.check_result),
                        (_("Checked by"), f"{sheet.checked_by}, {day(sheet.checked_at)}"),
                    ]
                    if sheet.checked_at
                    else []
                ),
            ]
        ),
        heading(_("Certification by the sponsor")),
        para(
            _(
                "%(name)s certified on %(day)s that the money was spent economically and "
                "according to the grant's conditions and that the figures match the books "
                "and receipts (ANBest-P 6)."
            )
            % {"name": sheet.certified_by, "day": day(sheet.certified_at)}
            if sheet.certified_at
            else _("Not certified yet.")
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
    return story, letterhead
