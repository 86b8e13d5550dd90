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
- The table covers the days from its first row to the end of the half-year of its last
  row: the rate changes on 1 January and 1 July, and nobody knows the next one before
  the Bundesbank publishes it. A day outside is ``MissingBaseRate`` (409 naming the
  half-year), never a guessed rate.
- § 49a Abs. 3: a reclaim is allocated to the paid payouts latest first; each piece
  bears interest from max(its payout day, the effective date) to the repayment
  (``reclaim_interest``): money cannot earn interest before it was paid out.
- § 49a Abs. 4 (ANBest-P 8.5): the grant's part of each receipt (``grant_uses``: after
  the other funds under deficit and full financing, pro rata under share and fixed) is
  allocated to the payouts oldest first; a part used after its payout's window earns
  interest from the payout day to the day before the receipt's date, a part not used
  yet until the day before ``until`` (an estimate). A part used within its window earns
  nothing.
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


def half_year_start(day: date) -> date:
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def next_half_year(day: date) -> date:
    start = half_year_start(day)
    return date(start.year, 7, 1) if start.month == 1 else date(start.year + 1, 1, 1)


def covered_until(rates: Sequence[BaseRate]) -> date | None:
    """The first day the table does not cover: the half-year after its last row."""
    if not rates:
        return None
    return next_half_year(max(rate.valid_from for rate in rates))


def _rate_on(day: date, rates: Sequence[BaseRate]) -> tuple[Decimal, date | None]:
    """The base rate valid on ``day`` and the day the next one starts (or the table
    ends)."""
    ordered = sorted(rates, key=lambda r: r.valid_from)
    current = None
    following = None
    for rate in ordered:
        if rate.valid_from <= day:
            current = rate
        elif following is None:
            following = rate.valid_from
    end = covered_until(ordered)
    if current is None or end is None or day >= end:
        raise MissingBaseRate(day)
    return current.percent, following or end


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


# -- spending: which part of a receipt is the grant's (DOMAIN.md, "Payouts") ------------


def grant_uses(
    receipts: Sequence[tuple[date, Decimal]],
    *,
    first_from_other_funds: Decimal | None = None,
    share: Decimal | None = None,
) -> list[tuple[date, Decimal]]:
    """The grant's part of each receipt, in date order. Deficit and full financing
    (``first_from_other_funds``): the own funds, third-party funds and income pay the
    first receipts, the grant only what comes after them. Share and fixed-amount
    financing (``share``, approved ÷ planned total costs): every receipt pro rata, the
    parts rounded so that they add up to the rounded share of the running total."""
    ordered = sorted(receipts, key=lambda r: r[0])
    parts: list[tuple[date, Decimal]] = []
    if share is not None:
        running = Decimal(0)
        given = ZERO
        for used_on, amount in ordered:
            running += amount
            part = round_money(running * share) - given
            given += part
            parts.append((used_on, part))
        return [(day, part) for day, part in parts if part > 0]
    other = first_from_other_funds or ZERO
    for used_on, amount in ordered:
        from_other = min(other, amount)
        other -= from_other
        if amount - from_other > 0:
            parts.append((used_on, amount - from_other))
    return parts


def allocate(payouts: Sequence[Payout], uses: Sequence[tuple[date, Decimal]]) -> list[Use]:
    """The grant's uses in date order use the payouts in date order (oldest first)."""
    order = sorted(range(len(payouts)), key=lambda i: (payouts[i].paid_on, i))
    remaining = {i: payouts[i].amount for i in order}
    allocated: list[Use] = []
    queue = list(order)
    for used_on, amount in sorted(uses, key=lambda r: r[0]):
        left = amount
        while left > 0 and queue:
            index = queue[0]
            part = min(left, remaining[index])
            allocated.append(Use(index, part, used_on))
            remaining[index] -= part
            left -= part
            if remaining[index] == 0:
                queue.pop(0)
    for index in queue:
        if remaining[index] > 0:
            allocated.append(Use(index, remaining[index], None))
    return allocated


def uncovered(payouts: Sequence[Payout], uses: Sequence[tuple[date, Decimal]]) -> list[Decimal]:
    """Per payout, the part the grant's uses have not covered yet."""
    left = [ZERO for _ in payouts]
    for use in allocate(payouts, uses):
        if use.used_on is None:
            left[use.payout_index] += use.amount
    return left


def unused_funds_interest(
    payouts: Sequence[Payout],
    uses: Sequence[tuple[date, Decimal]],
    until: date,
    rates: Sequence[BaseRate],
) -> Decimal:
    """§ 49a Abs. 4 VwVfG, ANBest-P 8.5: for paid funds not used within their spending
    window, interest from their payout to their use (to ``until`` while still unused:
    an estimate). A part used within its window earns nothing."""
    total = Decimal(0)
    for use in allocate(payouts, uses):
        payout = payouts[use.payout_index]
        used = use.used_on or until
        if used > payout.window_ends_on:
            part = interest(use.amount, payout.paid_on, used, rates)
            total += sum((piece.amount for piece in part.pieces), Decimal(0))
    return round_money(total)


# -- the reclaim (§ 49a Abs. 3) -------------------------------------------------------


@dataclass(frozen=True)
class ReclaimPiece:
    payout_index: int
    principal: Decimal
    first_day: date
    interest: Interest


@dataclass(frozen=True)
class ReclaimInterest:
    amount: Decimal  # rounded once, to the cent
    pieces: tuple[ReclaimPiece, ...]


def reclaim_interest(
    reclaim: Decimal,
    payouts: Sequence[Payout],
    end: date,
    rates: Sequence[BaseRate],
    effective: date | None = None,
) -> ReclaimInterest:
    """§ 49a Abs. 3 VwVfG: the reclaim is allocated to the paid payouts latest first
    (what was paid last is what was not needed); each piece bears interest from
    max(its payout day, ``effective``) to the day before ``end``. Without an effective
    date (a revocation for the past), each piece from its own payout day."""
    order = sorted(range(len(payouts)), key=lambda i: (payouts[i].paid_on, i), reverse=True)
    left = reclaim
    pieces: list[ReclaimPiece] = []
    for index in order:
        if left <= 0:
            break
        principal = min(left, payouts[index].amount)
        left -= principal
        first = payouts[index].paid_on
        if effective is not None and effective > first:
            first = effective
        part = interest(principal, first, end, rates) if first < end else None
        if part is not None:
            pieces.append(ReclaimPiece(index, principal, first, part))
    exact = sum((p.amount for piece in pieces for p in piece.interest.pieces), Decimal(0))
    return ReclaimInterest(amount=round_money(exact), pieces=tuple(pieces))
