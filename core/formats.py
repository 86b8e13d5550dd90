"""Dates, percentages and counts as a reader expects them: German by default
(``22.11.2026``, ``15,5 %``, ``1.234``), English on request (``22 Nov 2026``, ``15.5%``,
``1,234``). Amounts: ``core.money.format_eur``, which follows the same language rule.
E-mails, PDFs and the admin use these; the API speaks ISO 8601 and decimal strings.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone, translation

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def is_english(language: str | None = None) -> bool:
    """English when asked for (or active); German for everything else."""
    return (language or translation.get_language() or "de").lower().startswith("en")


def group_digits(whole: str, language: str | None = None) -> str:
    """``1234567`` → ``1.234.567`` (German) or ``1,234,567`` (English)."""
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-') or '0'):,}"
    return sign + (grouped if is_english(language) else grouped.replace(",", "."))


def format_number(value: int | Decimal, places: int = 0, language: str | None = None) -> str:
    """A count or a decimal with ``places`` places, grouped: ``1.234,5``."""
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{number:f}".partition(".")
    grouped = group_digits(whole, language)
    if not fraction:
        return grouped
    return f"{grouped}{'.' if is_english(language) else ','}{fraction}"


def format_percent(value: Decimal | int, places: int = 1, language: str | None = None) -> str:
    """``15,5 %`` (DIN 5008 puts a space before the sign) or ``15.5%``."""
    number = format_number(value, places, language)
    return f"{number}%" if is_english(language) else f"{number}\u00a0%"


def format_date(value: date | datetime | None, language: str | None = None) -> str:
    """``22.11.2026`` or ``22 Nov 2026``; an aware datetime is shown in Europe/Berlin."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if is_english(language):
        return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"
    return f"{value.day:02d}.{value.month:02d}.{value.year}"


def format_datetime(value: datetime | None, language: str | None = None) -> str:
    """``22.11.2026, 18:30 Uhr`` or ``22 Nov 2026, 18:30``, in Europe/Berlin."""
    if value is None:
        return "–"
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    clock = f"{local.hour:02d}:{local.minute:02d}"
    if is_english(language):
        return f"{format_date(local, language)}, {clock}"
    return f"{format_date(local, language)}, {clock} Uhr"


# 1.234.567,89 | 1234567,89 | 1234567.89 | 1,234.56 is English and refused (ambiguous).
_GROUPED_COMMA = re.compile(r"^\d{1,3}(\.\d{3})+(,\d{1,2})?$", re.ASCII)
_PLAIN_COMMA = re.compile(r"^\d+(,\d{1,2})?$", re.ASCII)
_PLAIN_POINT = re.compile(r"^\d+(\.\d{1,2})?$", re.ASCII)


def parse_amount(text: str) -> Decimal | None:
    """The amount a German user means, or ``None`` if the text is not one. A point
    followed by exactly three digits is a thousands separator (``1.234`` is 1234)."""
    value = text.strip().replace("\u00a0", "").replace(" ", "").removesuffix("€").strip()
    negative = value.startswith("-")
    value = value.removeprefix("-")
    if _GROUPED_COMMA.match(value):
        number = value.replace(".", "").replace(",", ".")
    elif _PLAIN_COMMA.match(value):
        number = value.replace(",", ".")
    elif _PLAIN_POINT.match(value):
        number = value
    else:
        return None
    try:
        amount = Decimal(number)
    except InvalidOperation:
        return None
    return -amount if negative else amount


DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d")


def parse_date(text: str) -> date | None:
    """``14.12.2026``, ``14.12.26`` or ``2026-12-14``; ``None`` if the text is no date."""
    text = text.strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a day, no time)
        except ValueError:
            continue
    return None
