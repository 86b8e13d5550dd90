"""Money's one home: the model field, the API field, rounding and German formatting.

DOMAIN.md, "Money": amounts are ``Decimal`` with two places, never floats; rounding is
ROUND_HALF_UP in one helper; documents and e-mails show them the German way
(``1.234,56 €``, English on request). The API, the admin, e-mails and PDFs all use what is here.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.validators import MaxValueValidator
from django.db import models
from rest_framework import serializers

from core.formats import group_digits, is_english

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_DIGITS = 12
DECIMAL_PLACES = 2
# The largest amount Zuwendo takes anywhere (a cost line, a receipt, a budget, a payout):
# just under 100 million euros, beyond what any one program funds, and small enough that
# every sum and every figure computed from such amounts (a cost plan's 200 lines, a
# receipts list, interest over years) still fits ``MAX_DIGITS``.
MAX_AMOUNT = Decimal("99999999.99")

Amount = Decimal | int | str

# How a number is written over HTTP: ASCII digits, an optional sign and fraction. Python's
# own Decimal() and int() also read "٤٠", "４０" and "1_000", which no client means.
ASCII_DECIMAL = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
ASCII_INTEGER = re.compile(r"[+-]?[0-9]+")


def round_money(value: Amount) -> Decimal:
    """Round to whole cents, half up (kaufmännisches Runden)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def is_whole_cents(value: Decimal) -> bool:
    """True for a finite amount that needs no rounding (``12.30``, not ``12.305``)."""
    return value.is_finite() and value == round_money(value)


def format_eur(value: Amount, language: str | None = None) -> str:
    """``1.234,56 €`` in German (the default), ``€1,234.56`` in English; the language
    is the one asked for or the active one (``translation.override`` in e-mails, PDFs)."""
    amount = round_money(value)
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    english = is_english(language)  # the active language is looked up once
    grouped = group_digits(whole, "en" if english else "de")
    if english:
        return f"{sign}€{grouped}.{cents}"
    return f"{sign}{grouped},{cents} €"


class MoneyField(models.DecimalField):
    """DecimalField(max_digits=12, decimal_places=2) for every amount in the database;
    forms and ``full_clean`` refuse more than ``MAX_AMOUNT``."""

    default_validators = [MaxValueValidator(MAX_AMOUNT)]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", DECIMAL_PLACES)
        super().__init__(*args, **kwargs)


class MoneySerializerField(serializers.DecimalField):
    """An amount over HTTP (CONTRACT.md): a decimal string with two places, ``"1234.50"``.

    Accepts a string of ASCII digits with at most two decimal places (a JSON number is
    refused by the API's bodies, ``core.api``: CONTRACT.md sends amounts as strings);
    refuses more places (``12.345``, ``1.0000000000000000000001``), other digits
    (``"٤٠"``, ``"４０"``), ``"1_000"``, non-numbers, NaN and infinities. Not negative unless
    ``min_value`` says otherwise.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", DECIMAL_PLACES)
        kwargs.setdefault("min_value", ZERO)
        kwargs.setdefault("max_value", MAX_AMOUNT)
        kwargs.setdefault("coerce_to_string", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, float):
            # A float has already lost what the client wrote (core.parsers reads JSON
            # numbers as Decimal; only other callers can hand one over).
            data = str(data)
        if isinstance(data, str) and not ASCII_DECIMAL.fullmatch(data.strip()):
            self.fail("invalid")
        return super().to_internal_value(data)

    def to_representation(self, value: Any) -> str:
        # Every stored amount has whole cents and needs only formatting; DRF would
        # quantise each one in a context copied per value (a list page has 800), and in
        # a context of ``max_digits`` places, which a computed figure (a sum, a
        # difference) may exceed: that was a server error, not an answer.
        if isinstance(value, Decimal) and value.as_tuple().exponent == -DECIMAL_PLACES:
            return f"{value:f}"
        return f"{round_money(value):f}"
