"""Money: Decimal with two places, one rounding rule, one German formatting helper.

DOMAIN.md: amounts are never floats; rounding is ROUND_HALF_UP in one helper.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models

CENT = Decimal("0.01")
MAX_DIGITS = 12
DECIMAL_PLACES = 2


def round_money(value: Decimal | int | str) -> Decimal:
    """Round to whole cents, half up (kaufmännisches Runden)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_eur(value: Decimal | int | str) -> str:
    """German format: ``1.234,56 €``."""
    amount = round_money(value)
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{'.'.join(groups)},{cents} €"


class MoneyField(models.DecimalField):
    """DecimalField(max_digits=12, decimal_places=2) for every amount."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", DECIMAL_PLACES)
        super().__init__(*args, **kwargs)
