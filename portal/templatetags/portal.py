"""Amounts and dates on the portal's pages as the reader's language writes them."""

from django import template

from core.formats import format_date, format_datetime
from core.money import format_eur

register = template.Library()


@register.filter
def eur(value) -> str:
    """``1.234,56 €``."""
    return "–" if value is None else format_eur(value)


@register.filter
def day(value) -> str:
    """``14.12.2026``."""
    return format_date(value)


@register.filter
def moment(value) -> str:
    """``14.12.2026, 18:30 Uhr``."""
    return format_datetime(value)
