"""Form fields that read what a German user types: amounts as ``1.234,56``, ``1234,56``
or ``1234.56``, dates as ``14.12.2026`` (or ISO), with errors in plain words."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.formats import DATE_FORMATS, format_number, parse_amount

__all__ = ["AmountField", "GermanDateField", "parse_amount"]


class AmountField(forms.CharField):
    """An amount in euros with two places: shown ``1.234,56``, typed any common way."""

    default_error_messages = {
        "invalid": _("Please enter an amount in euros, such as 1.234,56."),
        "negative": _("The amount cannot be negative."),
        "too_large": _("The amount is too large."),
    }

    def __init__(self, *, max_value: Decimal = Decimal("99999999.99"), **kwargs) -> None:
        self.max_amount = max_value
        # A model's MoneyField hands over its decimal options; the text field has none.
        for option in ("max_digits", "decimal_places", "min_value", "step_size"):
            kwargs.pop(option, None)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs |= {"inputmode": "decimal", "autocomplete": "off", "maxlength": "24"}
        return attrs

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_number(value, 2, "de")
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        amount = parse_amount(text) if len(text) <= 24 else None
        if amount is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if amount < 0:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if amount > self.max_amount:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        return amount.quantize(Decimal("0.01"))


class GermanDateField(forms.DateField):
    """``14.12.2026``, ``14.12.26`` or ``2026-12-14``; shown ``14.12.2026``."""

    input_formats = list(DATE_FORMATS)
    default_error_messages = {
        "invalid": _("Please enter a date as DD.MM.YYYY, such as 14.12.2026."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", forms.DateInput(format="%d.%m.%Y"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs |= {"placeholder": _("DD.MM.YYYY"), "autocomplete": "off"}
        return attrs

    def to_python(self, value):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return super().to_python(value.strip() if isinstance(value, str) else value)
