"""Bank details of a payee, checked with schwifty (the maintained IBAN/BIC library):
the IBAN's country format and check digits, the BIC's form. Stored compact and upper
case, shown in groups of four."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException


def valid_iban(value: str) -> str:
    """The IBAN in its compact form, or a clear 400 (``""`` stays empty)."""
    if not value.strip():
        return ""
    try:
        return IBAN(value).compact
    except SchwiftyException:
        raise serializers.ValidationError(
            _("This is not a valid IBAN: check its country code, length and check digits.")
        ) from None


def valid_bic(value: str) -> str:
    if not value.strip():
        return ""
    try:
        return str(BIC(value.strip()))
    except SchwiftyException:
        raise serializers.ValidationError(
            _("This is not a valid BIC: 8 or 11 letters and digits, e.g. COBADEFFXXX.")
        ) from None


def formatted_iban(value: str) -> str:
    """``DE89370400440532013000`` → ``DE89 3704 0044 0532 0130 00``."""
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
