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
    reclaim_interest,
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
    rates = [BaseRate(date(2024, 1, 1), D("0")), BaseRate(date(2024, 7, 1), D("0"))]
    result = interest(D("1000.00"), date(2024, 1, 1), date(2025, 1, 1), rates)
    assert result.amount == D("50.00")


def test_a_period_across_new_year_is_split_by_the_year_length():
    rates = [BaseRate(date(2024, 7, 1), D("0")), BaseRate(date(2025, 1, 1), D("0"))]
    result = interest(D("3650.00"), date(2024, 12, 31), date(2025, 1, 2), rates)
    # 1 day of 2024 at 5 %/366, 1 day of 2025 at 5 %/365
    assert [p.year_days for p in result.pieces] == [366, 365]
    assert result.amount == (D("3650") * D("0.05") / 366 + D("0.50")).quantize(D("0.01"))


def test_no_interest_for_an_empty_period():
    assert interest(D("500.00"), date(2025, 5, 1), date(2025, 5, 1), PUBLISHED).amount == 0


def test_a_day_before_the_table_is_refused():
    with pytest.raises(MissingBaseRate):
        interest(D("1.00"), date(2023, 12, 31), date(2024, 1, 2), PUBLISHED)


# Every half-year from 2024 to 2031: the published rates, then 1.27 carried.
LONG_TABLE = PUBLISHED + [
    BaseRate(date(year, month, 1), D("1.27"))
    for year in range(2026, 2032)
    for month in (1, 7)
    if (year, month) != (2026, 1)
]


@given(
    st.decimals(min_value=D("0.01"), max_value=D("50000"), places=2),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)),
    st.integers(min_value=0, max_value=900),
    st.integers(min_value=0, max_value=900),
)
def test_interest_is_additive_over_adjacent_periods(principal, first, one, two):
    middle, end = first + timedelta(days=one), first + timedelta(days=one + two)
    whole = interest(principal, first, end, LONG_TABLE)
    parts = [
        interest(principal, first, middle, LONG_TABLE),
        interest(principal, middle, end, LONG_TABLE),
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


def test_money_used_late_earns_interest_from_its_payout():
    """ANBest-P 8.5, § 49a Abs. 4: 300 € of the first payout (paid 1 March, window to
    11 April) were used on 21 April, after the window: interest from the payout, 1 March,
    to 20 April: 51 days at 2.27 + 5 = 7.27 %: 300 × 7.27 % × 51/365 = 3.0474 → 3.05 €.
    The 700 € used on 20 March, within the window, earn nothing."""
    receipts = [(date(2025, 3, 20), D("700.00")), (date(2025, 4, 21), D("300.00"))]
    payouts = _payouts()[:1]
    assert unused_funds_interest(payouts, receipts, date(2025, 12, 31), PUBLISHED) == D("3.05")


def test_the_issue_case_800_of_a_3_march_payout_used_on_2_june():
    """#21: 800 € of a payout of 3 March 2025 (window: 42 days, to 14 April) were used on
    2 June 2025: interest from 3 March to 1 June, 91 days at 7.27 %: 800 × 7.27 % ×
    91/365 = 14.4999 → 14.50 € (counted from the day after the window, 48 days, it was 7.65 €,
    about half)."""
    payouts = [Payout(date(2025, 3, 3), D("800.00"), date(2025, 4, 14))]
    receipts = [(date(2025, 6, 2), D("800.00"))]
    hand = D(800) * D("0.0727") * 91 / 365
    assert unused_funds_interest(payouts, receipts, date(2025, 12, 31), PUBLISHED) == D("14.50")
    assert hand.quantize(D("0.01")) == D("14.50")


def test_abs_4_across_a_rate_change():
    """1,000 € paid 2 June 2025 (window to 14 July), used on 1 August 2025: from 2 June
    to 31 July: 29 days of June at 7.27 % and 31 days of July at 6.27 %:
    1,000 × (29 × 0.0727 + 31 × 0.0627) ÷ 365 = 5.7761 + 5.3252 = 11.10 €."""
    payouts = [Payout(date(2025, 6, 2), D("1000.00"), date(2025, 7, 14))]
    receipts = [(date(2025, 8, 1), D("1000.00"))]
    hand = D(1000) * (29 * D("0.0727") + 31 * D("0.0627")) / 365
    result = unused_funds_interest(payouts, receipts, date(2025, 12, 31), PUBLISHED)
    assert result == hand.quantize(D("0.01")) == D("11.10")


def test_money_used_within_its_window_earns_nothing():
    payouts = _payouts()[:1]
    receipts = [(date(2025, 4, 11), D("1000.00"))]
    assert unused_funds_interest(payouts, receipts, date(2025, 12, 31), PUBLISHED) == 0


def test_money_not_used_yet_earns_interest_from_its_payout_as_an_estimate():
    payouts = _payouts()[:1]
    until = date(2025, 4, 22)  # past the window (11 April): 1 March – 21 April, 52 days
    expected = (D("1000") * D("0.0727") * 52 / 365).quantize(D("0.01"))
    assert unused_funds_interest(payouts, [], until, PUBLISHED) == expected
    # Still within the window: nothing yet.
    assert unused_funds_interest(payouts, [], date(2025, 4, 10), PUBLISHED) == 0


# -- § 49a Abs. 3: the reclaim, per payout latest first (#21) ----------------------------


def test_the_issue_case_two_payouts_fully_revoked():
    """#21: 1,000 € paid 2 February 2026 and 4,000 € paid 1 June 2026, all revoked with
    effect for the past, repaid 1 December 2026, base rate 1.27 % all year (entered for
    the second half as published): each payout from its own day to 30 November:
    1,000 × 6.27 % × 302/365 = 51.8778 and 4,000 × 6.27 % × 183/365 = 125.7436;
    together 177.6214 → 177.62 € (all of it from 2 February was 259.39 €)."""
    payouts = [
        Payout(date(2026, 2, 2), D("1000.00"), date(2026, 3, 16)),
        Payout(date(2026, 6, 1), D("4000.00"), date(2026, 7, 13)),
    ]
    hand = D(1000) * D("0.0627") * 302 / 365 + D(4000) * D("0.0627") * 183 / 365
    result = reclaim_interest(D("5000.00"), payouts, date(2026, 12, 1), LONG_TABLE)
    assert [(p.payout_index, p.principal, p.first_day) for p in result.pieces] == [
        (1, D("4000.00"), date(2026, 6, 1)),
        (0, D("1000.00"), date(2026, 2, 2)),
    ]
    assert result.amount == hand.quantize(D("0.01")) == D("177.62")


def test_a_partial_reclaim_takes_the_latest_payout_first():
    """2,500 € of the two payouts above are reclaimed: all of it from the 4,000 € paid
    1 June: 2,500 × 6.27 % × 183/365 = 78.5897 → 78.59 €."""
    payouts = [
        Payout(date(2026, 2, 2), D("1000.00"), date(2026, 3, 16)),
        Payout(date(2026, 6, 1), D("4000.00"), date(2026, 7, 13)),
    ]
    result = reclaim_interest(D("2500.00"), payouts, date(2026, 12, 1), LONG_TABLE)
    assert result.amount == D("78.59")


def test_the_effective_date_is_never_before_a_payout():
    """A reduction effective 1 March 2026 (the proof's submission, say): the 1,000 € of
    2 February count from 1 March (275 days), the 4,000 € of 1 June from 1 June (183):
    1,000 × 6.27 % × 275/365 + 4,000 × 6.27 % × 183/365 = 47.2397 + 125.7436 = 172.98 €."""
    payouts = [
        Payout(date(2026, 2, 2), D("1000.00"), date(2026, 3, 16)),
        Payout(date(2026, 6, 1), D("4000.00"), date(2026, 7, 13)),
    ]
    result = reclaim_interest(
        D("5000.00"), payouts, date(2026, 12, 1), LONG_TABLE, effective=date(2026, 3, 1)
    )
    assert result.amount == D("172.98")


def test_a_day_after_the_tables_last_half_year_is_missing():
    """The table ends with 2026-01-01: it covers 2026's first half; 1 July 2026 is
    beyond it and named as its half-year."""
    with pytest.raises(MissingBaseRate) as raised:
        interest(D("100.00"), date(2026, 6, 30), date(2026, 7, 2), PUBLISHED)
    assert raised.value.errors == {"base_rate": ["2026-H2"]}
    assert interest(D("100.00"), date(2026, 6, 1), date(2026, 7, 1), PUBLISHED).amount > 0


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
