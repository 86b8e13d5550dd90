"""Sections more than one document shows: the project's particulars, the cost plan and
its financing."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _
from reportlab.platypus import Flowable

from core.formats import format_datetime, format_number, format_percent
from reports.pdf.style import Column, day, facts, heading, money, subheading, table
from reports.sheets import Project

ZERO = Decimal("0.00")


def sponsor(project: Project) -> list[Flowable]:
    rows = [(_("Organisation"), project.organization)]
    if project.organization_legal_form:
        rows.append((_("Legal form"), project.organization_legal_form))
    if project.organization_address:
        rows.append((_("Address"), project.organization_address))
    if project.organization_email:
        rows.append((_("E-mail"), project.organization_email))
    return [heading(_("Sponsor (Träger)")), facts(rows)]


def particulars(project: Project, *, with_state: bool = True) -> list[Flowable]:
    period = f"{day(project.start_date)} – {day(project.end_date)}"
    rows = [
        (_("File number"), project.reference),
        (_("Title"), project.title),
        (_("Call (fund)"), project.call),
        (_("Decided by"), project.body),
        (_("Field of action"), project.field_of_action or "–"),
        (_("Target group"), project.target_group or "–"),
        (_("Project period"), period),
        (
            _("Expected participants"),
            format_number(project.expected_participants)
            if project.expected_participants is not None
            else "–",
        ),
    ]
    if with_state:
        rows.append((_("State"), project.state))
    if project.submitted_at:
        rows.append((_("Submitted"), format_datetime(project.submitted_at)))
    return [heading(_("Project")), facts(rows)]


def category_totals(project: Project) -> list[tuple[str, Decimal]]:
    """The plan's lines summed per category, in the order of their first line."""
    totals: dict[str, Decimal] = {}
    for line in project.lines:
        totals[line.category] = totals.get(line.category, ZERO) + line.amount
    return list(totals.items())


def cost_plan(project: Project, *, with_lines: bool = True) -> list[Flowable]:
    """The cost plan (Kostenplan), line by line or per category, with its total."""
    story: list[Flowable] = [heading(_("Cost plan (Kostenplan)"))]
    if with_lines:
        columns = [
            Column(_("Cost category"), 0.27),
            Column(_("Description"), 0.53),
            Column(_("Amount"), 0.20, numeric=True),
        ]
        rows: Iterable = [
            (line.category, line.description, money(line.amount)) for line in project.lines
        ]
        totals = ["", _("Total costs"), money(project.total_costs)]
    else:
        columns = [Column(_("Cost category"), 0.75), Column(_("Amount"), 0.25, numeric=True)]
        rows = [(name, money(amount)) for name, amount in category_totals(project)]
        totals = [_("Total costs"), money(project.total_costs)]
    story.append(table(columns, rows, totals=totals))
    return story


def financing_plan(project: Project, min_own_share: Decimal | None = None) -> list[Flowable]:
    """The financing plan (Finanzierungsplan): own funds, third-party funds, income and
    the grant requested (and approved), with their shares of the total."""

    def share(amount: Decimal) -> str:
        if not project.total_costs:
            return "–"
        return format_percent(amount * 100 / project.total_costs)

    rows = [
        (_("Own funds (Eigenmittel)"), money(project.own_funds), share(project.own_funds)),
        (
            _("Third-party funds (Drittmittel)"),
            money(project.third_party_funds),
            share(project.third_party_funds),
        ),
        (
            _("Expected income (Einnahmen)"),
            money(project.expected_income),
            share(project.expected_income),
        ),
        (
            _("Grant requested"),
            money(project.requested_amount),
            share(project.requested_amount),
        ),
    ]
    story: list[Flowable] = [
        subheading(_("Financing plan (Finanzierungsplan)")),
        table(
            [
                Column(_("Source"), 0.6),
                Column(_("Amount"), 0.22, numeric=True),
                Column(_("Share"), 0.18, numeric=True),
            ],
            rows,
            totals=[_("Total"), money(project.total_costs), share(project.total_costs)],
        ),
    ]
    extra = [(_("Financing type"), project.financing_type)]
    if project.approved_amount is not None:
        extra.append((_("Grant approved"), money(project.approved_amount)))
    if min_own_share:
        extra.append((_("Minimum own contribution of the program"), format_percent(min_own_share)))
    story.append(facts(extra))
    return story
