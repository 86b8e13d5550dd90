"""The SEPA credit transfer file (pain.001.001.03, the version German banks and
treasuries take) of a payout batch, built and validated against the XSD by ``sepaxml``
(the maintained library pretix uses): one payment per payout, the batch's number as the
message id, each payout's as its end-to-end id."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from schwifty import IBAN
from sepaxml import SepaTransfer
from sepaxml.validation import ValidationError

from core.errors import InvalidInput
from projects.models import PayoutBatch

SCHEMA = "pain.001.001.03"


def _bic(iban: str, bic: str) -> str:
    """The BIC given, else the one the IBAN's bank code names (schwifty's bank registry)."""
    if bic:
        return bic
    found = IBAN(iban).bic
    return str(found) if found else ""


def remittance(batch: PayoutBatch, payout) -> str:
    """The Verwendungszweck (at most 140 characters, the SEPA character set)."""
    application = payout.application
    return f"Zuwendung {application.reference} Mittelabruf {payout.pk} {batch.reference}"[:140]


def credit_transfer(batch: PayoutBatch) -> bytes:
    """The file's bytes; an account that does not pass the schema is a clear 400."""
    program = batch.program
    sepa = SepaTransfer(
        {
            "name": program.treasury_name or program.authority_name or program.name,
            "IBAN": program.treasury_iban,
            "BIC": _bic(program.treasury_iban, program.treasury_bic),
            "batch": True,
            "currency": "EUR",
        },
        schema=SCHEMA,
        clean=True,
    )
    sepa.msg_id = f"ZUWENDO-{batch.reference}"[:35]
    for payout in batch.payouts.select_related("application__organization").order_by("pk"):
        organization = payout.application.organization
        sepa.add_payment(
            {
                "name": (organization.account_holder or organization.name)[:70],
                "IBAN": organization.iban,
                "BIC": _bic(organization.iban, organization.bic),
                "amount": int((payout.amount * 100).to_integral_value()),
                "execution_date": batch.execution_date,
                "description": remittance(batch, payout),
                "endtoend_id": f"{batch.reference}-{payout.pk}"[:35],
            }
        )
    try:
        return sepa.export(validate=True, pretty_print=True)
    except ValidationError as exc:
        raise InvalidInput(
            errors={"sepa": [_("The SEPA file does not pass its schema: %(why)s") % {"why": exc}]}
        ) from exc


def total(batch: PayoutBatch) -> Decimal:
    return sum((payout.amount for payout in batch.payouts.all()), Decimal("0.00"))
