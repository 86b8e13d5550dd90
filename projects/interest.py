"""Interest on reclaimed and unused grant money (§ 49a VwVfG), pure functions over plain
data; ``projects.selectors`` feeds them the dated base-rate table.

- Rate: 5 percentage points a year above the base rate (Basiszinssatz, § 247 BGB), which
  changes on 1 January and 1 July; a period that crosses a change is computed piece by
  piece, each piece at the rate valid on its days.
- Days: from the first day (the day the grant decision ceased to be effective, or the
  day after a spending window ended) up to the day before the repayment or use: the
  money is back, or spent, on that day. Each day earns ``rate / days in its year`` (365 or
  366: actual/actual), so a whole year earns exactly the yearly rate, in leap years too.
- Exact ``Decimal`` arithmetic per piece; rounded once, to the cent (ROUND_HALF_UP).
- § 49a Abs. 4: money paid out but not used within the spending window earns interest
  for the days it lay unused. Receipts are allocated to payouts in date order (the
  oldest payout is used first); a part used after its window ends earns interest from the
  day after the window to the day before the receipt's date, a part not used yet until
  the day before ``until`` (an estimate).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from core.errors import BaseRateMissing
from core.money import round_money

POINTS_ABOVE_BASE = Decimal("5")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class BaseRate:
    valid_from: date
    percent: Decimal


@dataclass(frozen=True)
class Piece:
    first_day: date
    last_day: date
    days: int
    year_days: int
    percent: Decimal  # the yearly rate applied: base rate + 5 points
    amount: Decimal  # exact, not rounded


@dataclass(frozen=True)
class Interest:
    principal: Decimal
    amount: Decimal  # rounded to the cent
    pieces: tuple[Piece, ...]


class MissingBaseRate(BaseRateMissing):
    """The table has no base rate for a day of the period: 409 ``base_rate_missing``
    naming the half-year (never a server error)."""

    def __init__(self, day: date) -> None:
        self.day = day
        half = 1 if day.month <= 6 else 2
        super().__init__(
            _(
                "The base rate (§ 247 BGB) for the half-year starting %(start)s is not in "
                "the table: an administrator enters the published rate, then the interest "
                "can be computed."
            )
            % {"start": date(day.year, 1 if half == 1 else 7, 1).isoformat()},
            errors={"base_rate": [f"{day.year}-H{half}"]},
        )


def _rate_on(day: date, rates: Sequence[BaseRate]) -> tuple[Decimal, date | None]:
    """The base rate valid on ``day`` and the day the next one starts."""
    ordered = sorted(rates, key=lambda r: r.valid_from)
    current = None
    following = None
    for rate in ordered:
        if rate.valid_from <= day:
            current = rate
        elif following is None:
            following = rate.valid_from
    if current is None:
        raise MissingBaseRate(day)
    return current.percent, following


def interest(
    principal: Decimal,
    first_day: date,
    end: date,
    rates: Sequence[BaseRate],
    points: Decimal = POINTS_ABOVE_BASE,
) -> Interest:
    """Interest on ``principal`` for the days ``first_day`` … ``end − 1``."""
    pieces: list[Piece] = []
    day = first_day
    while day < end:
        base, next_change = _rate_on(day, rates)
        year_end = date(day.year, 12, 31) + timedelta(days=1)
        stop = min(x for x in (end, next_change, year_end) if x is not None)
        days = (stop - day).days
        year_days = 366 if calendar.isleap(day.year) else 365
        percent = base + points
        amount = principal * percent / 100 * days / year_days
        pieces.append(Piece(day, stop - timedelta(days=1), days, year_days, percent, amount))
        day = stop
    total = sum((piece.amount for piece in pieces), Decimal(0))
    return Interest(principal=principal, amount=round_money(total), pieces=tuple(pieces))


@dataclass(frozen=True)
class Payout:
    paid_on: date
    amount: Decimal
    window_ends_on: date  # the last day of its spending window


@dataclass(frozen=True)
class Use:
    payout_index: int
    amount: Decimal
    used_on: date | None  # None: not used yet


def allocate(payouts: Sequence[Payout], receipts: Sequence[tuple[date, Decimal]]) -> list[Use]:
    """Receipts in date order use the payouts in date order (oldest first)."""
    order = sorted(range(len(payouts)), key=lambda i: (payouts[i].paid_on, i))
    remaining = {i: payouts[i].amount for i in order}
    uses: list[Use] = []
    queue = list(order)
    for used_on, amount in sorted(receipts, key=lambda r: r[0]):
        left = amount
        while left > 0 and queue:
            index = queue[0]
            part = min(left, remaining[index])
            uses.append(Use(index, part, used_on))
            remaining[index] -= part
            left -= part
            if remaining[index] == 0:
                queue.pop(0)
    for index in queue:
        if remaining[index] > 0:
            uses.append(Use(index, remaining[index], None))
    return uses


def uncovered(payouts: Sequence[Payout], receipts: Sequence[tuple[date, Decimal]]) -> list[Decimal]:
    """Per payout, the part no receipt has used yet."""
    left = [ZERO for _ in payouts]
    for use in allocate(payouts, receipts):
        if use.used_on is None:
            left[use.payout_index] += use.amount
    return left


def unused_funds_interest(
    payouts: Sequence[Payout],
    receipts: Sequence[tuple[date, Decimal]],
    until: date,
    rates: Sequence[BaseRate],
) -> Decimal:
    """§ 49a Abs. 4 VwVfG: interest for the days paid funds lay unused beyond their
    spending window, as of ``until`` (an estimate while funds are still unused)."""
    total = Decimal(0)
    for use in allocate(payouts, receipts):
        window_end = payouts[use.payout_index].window_ends_on
        used = use.used_on or until
        if used > window_end + timedelta(days=1):
            part = interest(use.amount, window_end + timedelta(days=1), used, rates)
            total += sum((piece.amount for piece in part.pieces), Decimal(0))
    return round_money(total)
