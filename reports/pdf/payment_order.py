"""The payment order (Auszahlungsanordnung) of a payout batch for the municipal treasury:
who orders, from which account, when, and per payout the payee, the account, the file
number, the remittance text and the amount; the total; the signatures of the factual
and arithmetical check and of the order (sachlich und rechnerisch richtig, angeordnet)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from reportlab.platypus import Flowable

from core.formats import format_number
from reports.pdf.style import (
    Column,
    Letterhead,
    Styles,
    build,
    day,
    facts,
    heading,
    money,
    para,
    signature_block,
    table,
)
from reports.sheets import PaymentOrderSheet


def render(sheet: PaymentOrderSheet) -> bytes:
    story: list[Flowable] = [
        para(_("Payment order (Auszahlungsanordnung)"), Styles.title),
        para(
            _("Order no. %(number)s of %(date)s")
            % {"number": sheet.number, "date": day(sheet.ordered_on)},
            Styles.subtitle,
        ),
        facts(
            [
                (_("Ordered by"), sheet.authority),
                (_("Paying treasury"), f"{sheet.treasury}\n{sheet.treasury_iban}"),
                (_("Execution date"), day(sheet.execution_date)),
                (_("Payments"), format_number(len(sheet.lines))),
                (_("Total"), money(sheet.total)),
                (_("Budget"), sheet.head.program),
            ]
        ),
        heading(_("Payments")),
        table(
            [
                Column(_("Payee"), 0.19),
                Column(_("IBAN / BIC"), 0.30),
                Column(_("File number"), 0.20),
                Column(_("Purpose"), 0.17),
                Column(_("Amount"), 0.14, numeric=True),
            ],
            [
                (
                    line.payee,
                    f"{line.iban}\n{line.bic}" if line.bic else line.iban,
                    line.reference,
                    line.purpose,
                    money(line.amount),
                )
                for line in sheet.lines
            ],
            totals=["", "", "", _("Total"), money(sheet.total)],
        ),
        para(
            _(
                "The amounts are due under the grant decisions named by their file "
                "numbers; the payouts were requested and approved in Zuwendo. The SEPA "
                "credit transfer file of this order carries the same payments."
            ),
            Styles.note,
        ),
        signature_block(
            [
                (_("Factually correct (sachlich richtig)"), ""),
                (_("Arithmetically correct (rechnerisch richtig)"), ""),
                (_("Ordered (angeordnet): %(name)s") % {"name": sheet.ordered_by}, ""),
            ]
        ),
    ]
    letterhead = Letterhead(
        program=sheet.head.program,
        document=_("Payment order %(number)s") % {"number": sheet.number},
        reference=sheet.number,
        issued_on=sheet.head.issued_on,
    )
    return build(story, letterhead)
