"""Deadlines set for a sponsor (DOMAIN.md, "Deadlines"; § 31 VwVfG): one that ends on a
Saturday, Sunday or public holiday of the program's federal state ends at the close of
the next working day. The holidays come from the maintained ``holidays`` library."""

from __future__ import annotations

import calendar
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


def add_months(day: date, months: int) -> date:
    """§ 188 Abs. 2 and 3 BGB: a period of months after an event ends on the day of the
    last month that has the event day's number, or on that month's last day if it has
    no such day (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def proof_of_use_due(
    end_date: date, due_days: int, state: str, due_months: int | None = None
) -> date:
    """ANBest-P 6.1: the proof of use is due a period after the project's end: the
    program's months where it sets them (up to six), else its days (§ 187 Abs. 1 BGB:
    the end day itself does not count)."""
    if due_months:
        return deadline(add_months(end_date, due_months), state)
    return deadline(end_date + timedelta(days=due_days), state)


def interim_proofs_due(
    start_date: date, end_date: date, month_day: str, state: str
) -> list[tuple[int, date]]:
    """ANBest-P 6.1: one interim proof for each 31 December the project runs past, each
    due on the program's day (default 30 April) of the following year: ``(year, due)``."""
    month, day = (int(part) for part in month_day.split("-"))
    return [
        (year, deadline(date(year + 1, month, day), state))
        for year in range(start_date.year, end_date.year)
    ]


def interim_proof_due(end_date: date, start_year: int, month_day: str, state: str) -> date | None:
    """The first interim proof's due day (the year the project starts in), if any."""
    due = interim_proofs_due(date(start_year, 1, 1), end_date, month_day, state)
    return due[0][1] if due else None


# § 41 Abs. 2 VwVfG (as amended from 2025): a decision posted or sent electronically
# counts as notified on the fourth day after posting or sending.
NOTIFICATION_DAYS = 4


def notified_on(sent_on: date) -> date:
    return sent_on + timedelta(days=NOTIFICATION_DAYS)


def repayment_due(sent_on: date, months: int, state: str) -> date:
    """The repayment is due ``months`` (program setting, default one) after the decision
    that demands it was notified (§ 41 Abs. 2 VwVfG: the fourth day after it was sent),
    the end moved per § 31 VwVfG."""
    return deadline(add_months(notified_on(sent_on), months), state)
