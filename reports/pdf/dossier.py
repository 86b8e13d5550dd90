"""The committee's dossier (Sitzungsvorlage): every application before the body, in a
call or on a meeting's agenda, with the office's recommendation and a budget summary."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable

from core.formats import format_datetime
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
    rule,
    subheading,
    table,
)
from reports.sheets import DossierSheet

ZERO = Decimal("0.00")


def _budget_summary(sheet: DossierSheet) -> list[Flowable]:
    requested = sum((item.project.requested_amount for item in sheet.items), ZERO)
    recommended = sum(
        (
            item.recommended_amount
            if item.recommended_amount is not None
            else item.project.requested_amount
            for item in sheet.items
            if item.recommendation_code in ("approve", "approve_with_conditions")
        ),
        ZERO,
    )
    rows = [
        (title, money(budget), money(approved), money(budget - approved))
        for title, budget, approved in sheet.call_budgets
    ]
    return [
        heading(_("Budget summary")),
        table(
            [
                Column(_("Call (fund)"), 0.4),
                Column(_("Budget"), 0.2, numeric=True),
                Column(_("Approved so far"), 0.2, numeric=True),
                Column(_("Still available"), 0.2, numeric=True),
            ],
            rows,
        ),
        facts(
            [
                (_("Applications in this dossier"), str(len(sheet.items))),
                (_("Grants requested"), money(requested)),
                (_("Grants the office recommends"), money(recommended)),
            ]
        ),
    ]


def render(sheet: DossierSheet) -> bytes:
    return build(*compose(sheet))


def compose(sheet: DossierSheet) -> tuple[list[Flowable], Letterhead]:
    """The document's flowables and letterhead: the PDF and its HTML page (``reports.html``)
    are made from these."""
    story: list[Flowable] = [
        para(_("Committee dossier (Sitzungsvorlage)"), Styles.title),
        para(sheet.title, Styles.subtitle),
    ]
    if sheet.meeting_when:
        story.append(
            facts(
                [
                    (_("Body"), sheet.body),
                    (_("Meeting"), format_datetime(sheet.meeting_when)),
                    (_("Place"), sheet.meeting_place),
                ]
            )
        )
    else:
        deadlines = sorted({item.vote_until for item in sheet.items if item.vote_until})
        story.append(
            facts(
                [
                    (_("Body"), sheet.body),
                    *(
                        [(_("Written procedure: vote until"), format_datetime(deadlines[0]))]
                        if len(deadlines) == 1
                        else []
                    ),
                ]
            )
        )
    story += _budget_summary(sheet)
    story += [
        heading(_("Overview")),
        table(
            [
                Column(_("No."), 0.06),
                Column(_("File number"), 0.18),
                Column(_("Project / sponsor"), 0.36),
                Column(_("Requested"), 0.15, numeric=True),
                Column(_("Office recommends"), 0.25),
            ],
            [
                (
                    str(item.position),
                    item.project.reference,
                    f"{item.project.title}\n{item.project.organization}",
                    money(item.project.requested_amount),
                    item.recommendation
                    + (
                        f" ({money(item.recommended_amount)})"
                        if item.recommended_amount is not None
                        else ""
                    ),
                )
                for item in sheet.items
            ],
        ),
    ]
    if not sheet.items:
        story.append(para(_("No application is before the body."), Styles.note))
    for item in sheet.items:
        project = item.project
        story += [
            CondPageBreak(60 * mm),
            rule(),
            para(
                f"{item.position}. {project.reference} · {project.title}",
                Styles.h1,
            ),
            facts(
                [
                    (_("Sponsor"), project.organization),
                    (_("Field of action"), project.field_of_action or "–"),
                    (_("Target group"), project.target_group or "–"),
                    (
                        _("Project period"),
                        f"{day(project.start_date)} – {day(project.end_date)}",
                    ),
                    (_("Total costs"), money(project.total_costs)),
                    (_("Grant requested"), money(project.requested_amount)),
                    (_("Decision mode"), item.decision_mode),
                    *(
                        [(_("Vote until"), format_datetime(item.vote_until))]
                        if item.vote_until
                        else []
                    ),
                ]
            ),
            subheading(_("Summary")),
            *long_text(project.summary, Styles.body),
            *parts.cost_plan(project, with_lines=False),
            subheading(_("The office's recommendation")),
            facts(
                [
                    (_("Recommendation"), item.recommendation),
                    (
                        _("Recommended grant"),
                        money(item.recommended_amount)
                        if item.recommended_amount is not None
                        else "–",
                    ),
                ]
            ),
        ]
        if item.recommendation_text:
            story += long_text(item.recommendation_text)
    letterhead = Letterhead(
        program=sheet.head.program,
        document=_("Dossier: %(body)s") % {"body": sheet.body},
        issued_on=sheet.head.issued_on,
    )
    return story, letterhead
