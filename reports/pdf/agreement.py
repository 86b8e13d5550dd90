"""The grant document in the program's form of forwarding (VV Nr. 12 zu § 44 BHO): a
decision (Zuwendungsbescheid: legal-remedy clause naming the issuing authority,
revocation per §§ 48, 49 VwVfG) or a contract (Weiterleitungsvertrag: in force when both
have signed, no legal remedy, termination and repayment with interest, the ANBest-P as
part of it, the audit right of § 91 BHO, both signatures). Laid out as a DIN 5008 letter
(sender line, the recipient's address with its legal representative, the information
block); the parties, the approved plan, the account for payouts, the conditions, the
spending window and the deadlines."""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from core.formats import format_date, format_datetime, format_percent
from reports.pdf import parts
from reports.pdf.style import (
    Letter,
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
from reports.sheets import AgreementSheet, Project


def _letter(sheet: AgreementSheet, issued: str) -> Letter:
    """DIN 5008: the authority's sender line, the recipient's address (its legal
    representative named), and the information block."""
    project = sheet.project
    sender = " · ".join(
        part for part in (sheet.authority, sheet.authority_address.replace("\n", ", ")) if part
    )
    address = [line.strip() for line in project.organization_address.splitlines() if line.strip()]
    recipient = [project.organization]
    if sheet.representative:
        recipient.append(_("represented by %(name)s") % {"name": sheet.representative})
    info = [
        (_("File number"), project.reference),
        (_("Date"), issued),
        (_("Program"), sheet.head.program_code),
    ]
    if sheet.signatory:
        info.append((_("Signed by"), sheet.signatory))
    return Letter(sender_line=sender, recipient=(*recipient, *address), info=tuple(info))


def _approved(project: Project, sheet: AgreementSheet) -> Project:
    """The project as approved: the plan in force (scaled where the grant was approved
    below the request), so the document's plan and totals are the approved ones."""
    if not sheet.approved_lines:
        return project
    total = sheet.approved_costs if sheet.approved_costs is not None else project.total_costs
    return replace(project, lines=sheet.approved_lines, total_costs=total)


def _clauses(sheet: AgreementSheet) -> list[Flowable]:
    """The legal texts of the form of forwarding (VV Nr. 12 zu § 44 BHO)."""
    terms = sheet.terms
    if sheet.form == "contract":
        return [
            heading(_("Terms of the contract")),
            para(
                _(
                    "§ 1 In force. This contract comes into force when both parties have "
                    "signed it; the recipient signs by accepting it in Zuwendo (“Accept the "
                    "grant agreement”). Periods and deadlines are computed under §§ 187 to "
                    "193 BGB."
                )
            ),
            para(
                _(
                    "§ 2 General terms. The general ancillary provisions for grants to "
                    "projects (%(terms)s) are part of this contract; the recipient is bound "
                    "by them as by a decision."
                )
                % {"terms": terms}
            ),
            para(
                _(
                    "§ 3 Termination and repayment. The grantor may terminate the contract "
                    "in whole or in part with effect for the past if the grant is not used "
                    "for its purpose, not in time, or if the recipient breaches its "
                    "obligations; the same holds where the proof of use shows a lower "
                    "eligible grant. Amounts paid out beyond what is due are repaid within "
                    "%(months)s month(s) of the demand and bear interest of 5 percentage "
                    "points a year above the base rate (§ 247 BGB) from the day they were "
                    "paid out, as under § 49a VwVfG."
                )
                % {"months": sheet.repayment_months}
            ),
            para(
                _(
                    "§ 4 Audit. The grantor, the funder and the Federal Court of Audit "
                    "(Bundesrechnungshof, § 91 BHO) may audit the use of the grant by "
                    "inspecting the books, receipts and other records on site; the "
                    "recipient keeps them for the retention period."
                )
            ),
        ]
    return [
        heading(_("Legal basis and ancillary provisions")),
        para(
            _(
                "This decision is an administrative act. The general ancillary provisions "
                "(%(terms)s) are part of it; the grant may be revoked and reclaimed under "
                "§§ 48, 49 and 49a VwVfG, the amount to repay bearing interest of 5 "
                "percentage points a year above the base rate."
            )
            % {"terms": terms}
        ),
    ]


def render(sheet: AgreementSheet) -> bytes:
    return build(*compose(sheet))


def compose(sheet: AgreementSheet) -> tuple[list[Flowable], Letterhead]:
    """The document's flowables and letterhead: the PDF and its HTML page (``reports.html``)
    are made from these."""
    project = _approved(sheet.project, sheet)
    issued = format_date(sheet.head.issued_on)
    contract = sheet.form == "contract"
    title = (
        _("Forwarding contract (Weiterleitungsvertrag)")
        if contract
        else _("Grant decision (Zuwendungsbescheid)")
    )
    account = [
        (_("Account holder"), sheet.account_holder),
        (_("IBAN"), sheet.iban or _("not given yet: the recipient enters it before a payout")),
    ]
    if sheet.bic:
        account.append((_("BIC"), sheet.bic))
    story: list[Flowable] = [
        para(title, Styles.title),
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
                    % {
                        "grantor": "\n".join(
                            part for part in (sheet.authority, sheet.authority_address) if part
                        ),
                        "funder": sheet.head.funder,
                    },
                ),
                (
                    _("Recipient"),
                    "\n".join(
                        part
                        for part in (
                            project.organization,
                            _("represented by %(name)s") % {"name": sheet.representative}
                            if sheet.representative
                            else "",
                            project.organization_address,
                        )
                        if part
                    ),
                ),
            ]
        ),
        heading(_("Subject of the contract") if contract else _("Decision")),
        para(
            (
                _(
                    "On the application of %(submitted)s the grantor forwards to the "
                    "recipient, for the project described below and for the approved "
                    "period only, a grant of"
                )
                if contract
                else _(
                    "On the application of %(submitted)s the recipient is granted, for the "
                    "project described below and for the approved period only, a grant of"
                )
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
                (
                    _("Eligible costs (approved plan)")
                    if sheet.approved_costs is not None
                    else _("Eligible costs (plan)"),
                    money(project.total_costs),
                ),
                (_("Decided on"), format_datetime(project.decided_at)),
                *([(_("Early start"), sheet.early_start)] if sheet.early_start else []),
                *(
                    [
                        (
                            _("Amounts"),
                            _(
                                "net: the recipient may deduct input tax, so VAT is not "
                                "eligible (ANBest-P 1.2); the plan and every receipt are net"
                            ),
                        )
                    ]
                    if sheet.net_only
                    else []
                ),
            ]
        ),
        *parts.cost_plan(project, with_lines=False),
        *parts.financing_plan(sheet.project),
        heading(_("Conditions (Auflagen)")),
        *long_text(project.conditions or _("No conditions beyond the general terms.")),
        heading(_("Account for payouts")),
        facts(account),
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
        *_clauses(sheet),
    ]
    if contract:
        story += [
            Spacer(1, 4 * mm),
            signature_block(
                [
                    (
                        _("For the grantor: %(name)s, place and date")
                        % {"name": sheet.signatory or sheet.authority},
                        "",
                    ),
                    (
                        _("For the recipient: %(name)s, place and date")
                        % {"name": sheet.representative or project.organization},
                        "",
                    ),
                ]
            ),
        ]
    else:
        story += [
            heading(_("Acceptance")),
            para(
                _(
                    "The decision takes effect when it is notified (%(how)s: on the fourth "
                    "day after it was sent, § 41 Abs. 2 VwVfG). The recipient confirms it "
                    "in Zuwendo (“Accept the grant agreement”). Funds are paid out on "
                    "request (Mittelabruf), only as far as they are needed within the "
                    "spending window."
                )
                % {"how": _("by post") if sheet.sent == "post" else _("electronically")}
            ),
            para(
                _(
                    "Legal remedy: an objection (Widerspruch) may be lodged against this "
                    "decision within one month of its notification, in writing or for the "
                    "record, with %(authority)s%(address)s."
                )
                % {
                    "authority": sheet.authority,
                    "address": f", {sheet.authority_address.replace(chr(10), ', ')}"
                    if sheet.authority_address
                    else "",
                },
                Styles.note,
            ),
            Spacer(1, 4 * mm),
            signature_block(
                [
                    (
                        _("For %(authority)s: %(name)s")
                        % {"authority": sheet.authority, "name": sheet.signatory or ""},
                        "",
                    ),
                ]
            ),
        ]
    letterhead = Letterhead(
        program=sheet.head.program,
        document=(
            _("Forwarding contract %(reference)s, version %(version)s")
            if contract
            else _("Grant decision %(reference)s, version %(version)s")
        )
        % {"reference": project.reference, "version": sheet.version},
        reference=project.reference,
        issued_on=sheet.head.issued_on,
        letter=_letter(sheet, issued),
    )
    return story, letterhead
