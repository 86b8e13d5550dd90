"""The grant agreement (Zuwendungsbescheid / Weiterleitungsvertrag): the parties, the
project, the approved grant and its financing type, the period, the conditions, the
spending window and the deadlines of the proof of use."""

from __future__ import annotations

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from core.formats import format_date, format_datetime, format_percent
from reports.pdf import parts
from reports.pdf.style import (
    Letterhead,
    Styles,
    build,
    day,
    facts,
    heading,
    long_text,
    money,
    para,
    signature_block,
)
from reports.sheets import AgreementSheet


def render(sheet: AgreementSheet) -> bytes:
    project = sheet.project
    issued = format_date(sheet.head.issued_on)
    story: list[Flowable] = [
        para(_("Grant agreement (Zuwendungsbescheid)"), Styles.title),
        para(
            _("File number %(reference)s · version %(version)s of %(date)s")
            % {"reference": project.reference, "version": sheet.version, "date": issued},
            Styles.subtitle,
        ),
        heading(_("Parties")),
        facts(
            [
                (
                    _("Grantor"),
                    _("%(grantor)s\nfunded by %(funder)s")
                    % {"grantor": sheet.grantor, "funder": sheet.head.funder},
                ),
                (
                    _("Recipient"),
                    "\n".join(
                        part
                        for part in (project.organization, project.organization_address)
                        if part
                    ),
                ),
            ]
        ),
        heading(_("Decision")),
        para(
            _(
                "On the application of %(submitted)s the recipient is granted, for the "
                "project described below and for the approved period only, a grant of"
            )
            % {"submitted": format_datetime(project.submitted_at)}
        ),
        para(money(project.approved_amount), Styles.title),
        facts(
            [
                (_("Project"), f"{project.title} ({project.reference})"),
                (_("Call (fund)"), project.call),
                (_("Project period"), f"{day(project.start_date)} – {day(sheet.end_date)}"),
                (_("Financing type"), project.financing_type),
                (_("What that means"), sheet.financing_rule),
                (_("Eligible costs (plan)"), money(project.total_costs)),
                (_("Decided on"), format_datetime(project.decided_at)),
            ]
        ),
        *parts.cost_plan(project, with_lines=False),
        *parts.financing_plan(project),
        heading(_("Conditions (Auflagen)")),
        *long_text(project.conditions or _("No conditions beyond the general terms.")),
        heading(_("Spending and proof of use")),
        facts(
            [
                (_("Spending window"), sheet.spending_window),
                (
                    _("Cost categories"),
                    _(
                        "A cost category may be exceeded by up to %(tolerance)s if the "
                        "excess is saved in other categories (%(terms)s 1.2); beyond that, "
                        "only with a granted change request."
                    )
                    % {
                        "tolerance": format_percent(sheet.tolerance_percent, 0),
                        "terms": sheet.terms,
                    },
                ),
                (_("Proof of use due"), day(sheet.proof_of_use_due)),
                (
                    _("Interim proof due"),
                    day(sheet.interim_proof_due)
                    if sheet.interim_proof_due
                    else _("not required (the project ends in its first year)"),
                ),
                (
                    _("General terms"),
                    _("The general ancillary provisions (%(terms)s) are part of this agreement.")
                    % {"terms": sheet.terms},
                ),
            ]
        ),
        heading(_("Acceptance")),
        para(
            _(
                "The grant takes effect when the recipient accepts this agreement in "
                "Zuwendo (“Accept the grant agreement”). Funds are paid out on request "
                "(Mittelabruf), only as far as they are needed within the spending window."
            )
        ),
        para(
            _(
                "Legal remedy: an objection (Widerspruch) may be lodged against this "
                "decision within one month of its notification, in writing or for the "
                "record, with the authority that issued it."
            ),
            Styles.note,
        ),
        Spacer(1, 4 * mm),
        signature_block(
            [
                (_("For the grantor, place and date"), ""),
                (_("For the recipient: accepted, place and date"), ""),
            ]
        ),
    ]
    letterhead = Letterhead(
        program=sheet.head.program,
        document=_("Grant agreement %(reference)s, version %(version)s")
        % {"reference": project.reference, "version": sheet.version},
        reference=project.reference,
        issued_on=sheet.head.issued_on,
    )
    return build(story, letterhead)
