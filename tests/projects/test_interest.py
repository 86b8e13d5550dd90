"""Interest under § 49a VwVfG (``projects.interest``): hand computations across a base-rate
change and a year's end, and the allocation of receipts to payouts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from projects.interest import (
    BaseRate,
    MissingBaseRate,
    Payout,
    interest,
    uncovered,
    unused_funds_interest,
)

D = Decimal
PUBLISHED = [
    BaseRate(date(2024, 1, 1), D("3.62")),
    BaseRate(date(2024, 7, 1), D("3.37")),
    BaseRate(date(2025, 1, 1), D("2.27")),
    BaseRate(date(2025, 7, 1), D("1.27")),
    BaseRate(date(2026, 1, 1), D("1.27")),
]


def test_interest_across_a_base_rate_change_equals_the_hand_computation():
    """10,000 € from 1 March 2025, repaid 30 September 2025:
    1 March – 30 June: 122 days at 2.27 + 5 = 7.27 %: 10,000 × 7.27 % × 122/365 = 242.9973
    1 July – 29 September: 91 days at 1.27 + 5 = 6.27 %: 10,000 × 6.27 % × 91/365 = 156.3233
    together 399.3206… → 399.32 €."""
    hand = D(10000) * D("0.0727") * 122 / 365 + D(10000) * D("0.0627") * 91 / 365
    result = interest(D("10000.00"), date(2025, 3, 1), date(2025, 9, 30), PUBLISHED)
    assert [(p.days, p.percent) for p in result.pieces] == [(122, D("7.27")), (91, D("6.27"))]
    assert result.amount == D("399.32") == hand.quantize(D("0.01"))


def test_a_whole_leap_year_earns_the_yearly_rate():
    rates = [BaseRate(date(2024, 1, 1), D("0"))]
    result = interest(D("1000.00"), date(2024, 1, 1), date(2025, 1, 1), rates)
    assert result.amount == D("50.00")


def test_a_period_across_new_year_is_split_by_the_year_length():
    rates = [BaseRate(date(2020, 1, 1), D("0"))]
    result = interest(D("3650.00"), date(2024, 12, 31), date(2025, 1, 2), rates)
    # 1 day of 2024 at 5 %/366, 1 day of 2025 at 5 %/365
    assert [p.year_days for p in result.pieces] == [366, 365]
    assert result.amount == (D("3650") * D("0.05") / 366 + D("0.50")).quantize(D("0.01"))


def test_no_interest_for_an_empty_period():
    assert interest(D("500.00"), date(2025, 5, 1), date(2025, 5, 1), PUBLISHED).amount == 0


def test_a_day_before_the_table_is_refused():
    with pytest.raises(MissingBaseRate):
        interest(D("1.00"), date(2023, 12, 31), date(2024, 1, 2), PUBLISHED)


@given(
    st.decimals(min_value=D("0.01"), max_value=D("50000"), places=2),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)),
    st.integers(min_value=0, max_value=900),
    st.integers(min_value=0, max_value=900),
)
def test_interest_is_additive_over_adjacent_periods(principal, first, one, two):
    middle, end = first + timedelta(days=one), first + timedelta(days=one + two)
    whole = interest(principal, first, end, PUBLISHED)
    parts = [
        interest(principal, first, middle, PUBLISHED),
        interest(principal, middle, end, PUBLISHED),
    ]
    exact = sum((p.amount for part in parts for p in part.pieces), D(0))
    assert whole.amount == exact.quantize(D("0.01"))


def _payouts():
    return [
        Payout(date(2025, 3, 1), D("1000.00"), date(2025, 4, 11)),
        Payout(date(2025, 5, 1), D("500.00"), date(2025, 6, 11)),
    ]


def test_receipts_use_the_oldest_payout_first():
    receipts = [(date(2025, 3, 20), D("700.00")), (date(2025, 5, 10), D("500.00"))]
    assert uncovered(_payouts(), receipts) == [D("0.00"), D("300.00")]


def test_money_used_late_earns_interest_for_the_days_it_lay_unused():
    """300 € of the first payout (window to 11 April) were used on 21 April: interest from
    12 April to 20 April, 9 days at 2.27 + 5 = 7.27 %: 300 × 7.27 % × 9/365 = 0.5378 →
    0.54 €."""
    receipts = [(date(2025, 3, 20), D("700.00")), (date(2025, 4, 21), D("300.00"))]
    payouts = _payouts()[:1]
    assert unused_funds_interest(payouts, receipts, date(2025, 12, 31), PUBLISHED) == D("0.54")


def test_money_not_used_yet_earns_interest_until_today_as_an_estimate():
    payouts = _payouts()[:1]
    until = date(2025, 4, 22)  # 10 days after the window: 12 – 21 April
    expected = (D("1000") * D("0.0727") * 10 / 365).quantize(D("0.01"))
    assert unused_funds_interest(payouts, [], until, PUBLISHED) == expected


# -- #21: the table from 2015, and a day outside it is a 409, never a 500 -----------------


def test_the_table_holds_the_published_rates_from_2015(db):
    from projects.funding import base_rates

    table = {rate.valid_from: rate.percent for rate in base_rates()}
    assert table[date(2015, 1, 1)] == D("-0.83")
    assert table[date(2016, 7, 1)] == D("-0.88")
    assert table[date(2023, 1, 1)] == D("1.62")
    assert table[date(2023, 7, 1)] == D("3.12")


def test_a_payout_of_2023_is_repaid_with_the_rates_of_2023(db):
    """1,000 from 1 June to 30 September 2023 (the repayment day, 1 October, earns
    nothing): 30 days at 6.62 % (1.62 + 5) and 92 days at 8.12 % (3.12 + 5), over 365:
    1,000 × (30 × 0.0662 + 92 × 0.0812) ÷ 365 = 25.91."""
    from projects.funding import base_rates

    result = interest(D("1000.00"), date(2023, 6, 1), date(2023, 10, 1), base_rates())
    assert [(p.days, p.percent) for p in result.pieces] == [(30, D("6.62")), (92, D("8.12"))]
    assert result.amount == D("25.91")


def test_a_day_before_the_table_names_its_half_year():
    from core.errors import BaseRateMissing

    with pytest.raises(BaseRateMissing) as raised:
        interest(
            D("1.00"), date(2014, 8, 1), date(2015, 2, 1), [BaseRate(date(2015, 1, 1), D("-0.83"))]
        )
    assert raised.value.status_code == 409
    assert raised.value.code == "base_rate_missing"
    assert raised.value.errors == {"base_rate": ["2014-H2"]}
    assert "2014-07-01" in raised.value.detail
