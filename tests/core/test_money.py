"""Money arithmetic and its one API field, without a database."""

from decimal import Decimal

import pytest
from django.utils import translation
from rest_framework import serializers

from core.formats import format_number, group_digits
from core.money import MoneySerializerField, format_eur, is_whole_cents, round_money


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        ("0.005", "0.01"),  # half up, not half even
        ("0.015", "0.02"),
        ("2.675", "2.68"),
        ("-0.005", "-0.01"),  # half away from zero
        ("1234.5", "1234.50"),
        (3, "3.00"),
    ],
)
def test_round_money_rounds_half_up(value, rounded):
    assert round_money(value) == Decimal(rounded)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("0", "0,00 €"),
        ("5", "5,00 €"),
        ("999.99", "999,99 €"),
        ("1234.56", "1.234,56 €"),
        ("1000000", "1.000.000,00 €"),
        ("-1234.5", "-1.234,50 €"),
        ("12.345", "12,35 €"),
    ],
)
def test_format_eur_writes_the_german_form(value, text):
    assert format_eur(value) == text


def test_is_whole_cents():
    assert is_whole_cents(Decimal("12.30"))
    assert not is_whole_cents(Decimal("12.305"))
    assert not is_whole_cents(Decimal("NaN"))
    assert not is_whole_cents(Decimal("Infinity"))


class Amount(serializers.Serializer):
    amount = MoneySerializerField()


@pytest.mark.parametrize(
    ("given", "stored"),
    [("1234.50", "1234.50"), (12.5, "12.50"), (7, "7.00"), ("0", "0.00"), ("0.10", "0.10")],
)
def test_money_field_accepts_amounts_with_at_most_two_places(given, stored):
    parsed = Amount(data={"amount": given})
    assert parsed.is_valid(), parsed.errors
    assert parsed.validated_data["amount"] == Decimal(stored)


@pytest.mark.parametrize(
    "given", ["12.345", 0.1 + 0.2, "abc", "", "NaN", "Infinity", "-1.00", True, None, [], "1e400"]
)
def test_money_field_refuses_what_is_not_an_amount(given):
    parsed = Amount(data={"amount": given})
    assert not parsed.is_valid()
    assert "amount" in parsed.errors


def test_money_field_writes_a_string_with_two_places():
    assert Amount({"amount": Decimal("3")}).data == {"amount": "3.00"}
    assert Amount({"amount": Decimal("1234.5")}).data == {"amount": "1234.50"}


@pytest.mark.parametrize(
    "value",
    [Decimal("1234.56"), Decimal("0.00"), Decimal("-5.10"), Decimal("1.5"), Decimal("2"), 3, 1.25],
)
def test_money_field_writes_what_drf_writes(value):
    # Whole cents take the short path; anything else DRF's quantising one.
    field = MoneySerializerField()
    assert field.to_representation(value) == serializers.DecimalField.to_representation(
        field, value
    )


@pytest.mark.parametrize(
    ("value", "german", "english"),
    [
        ("0", "0", "0"),
        ("123", "123", "123"),
        ("1000", "1.000", "1,000"),
        ("1234567", "1.234.567", "1,234,567"),
        ("-1234", "-1.234", "-1,234"),
    ],
)
def test_digits_are_grouped_by_thousands_in_the_readers_language(value, german, english):
    assert group_digits(value, "de") == german
    assert group_digits(value, "en") == english


def test_amounts_and_numbers_follow_the_active_language():
    with translation.override("en"):
        assert format_eur(Decimal("1234.56")) == "€1,234.56"
        assert format_eur(Decimal("-1234.5")) == "-€1,234.50"
        assert format_number(Decimal("1234.5"), 1) == "1,234.5"
    with translation.override("de"):
        assert format_eur(Decimal("1234.56")) == "1.234,56 €"
        assert format_number(Decimal("1234.5"), 1) == "1.234,5"
    assert format_eur(Decimal("1234.56"), "en") == "€1,234.56"
