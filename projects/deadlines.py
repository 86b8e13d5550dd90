"""Deadlines set for a sponsor (DOMAIN.md, "Deadlines"; § 31 VwVfG): one that ends on a
Saturday, Sunday or public holiday of the program's federal state ends at the close of
the next working day. The holidays come from the maintained ``holidays`` library."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays(state: str, year: int) -> holidays.HolidayBase:
    return holidays.Germany(subdiv=state, years=year)


def is_working_day(day: date, state: str) -> bool:
    return day.weekday() < 5 and day not in _holidays(state, day.year)


def deadline(day: date, state: str) -> date:
    """§ 31 Abs. 3 VwVfG: the deadline ``day``, moved to the next working day if needed."""
    while not is_working_day(day, state):
        day += timedelta(days=1)
    return day


def proof_of_use_due(end_date: date, due_days: int, state: str) -> date:
    """ANBest-P 6.1: the proof of use is due ``due_days`` after the project's end."""
    return deadline(end_date + timedelta(days=due_days), state)


def interim_proof_due(end_date: date, start_year: int, month_day: str, state: str) -> date | None:
    """ANBest-P 6.1: a project running past 31 December of its first year owes an interim
    proof for that year on the program's day (default 30 April) of the next year."""
    if end_date.year <= start_year:
        return None
    month, day = (int(part) for part in month_day.split("-"))
    return deadline(date(start_year + 1, month, day), state)


def repayment_due(notified_on: date, days: int, state: str) -> date:
    """A repayment requested in a revocation is due ``days`` after it was notified."""
    return deadline(notified_on + timedelta(days=days), state)
