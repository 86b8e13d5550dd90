#!/usr/bin/env python
"""Benchmark: the daily reminder sweep on PostgreSQL with 10,000 and 100,000 applications
and the same 1,000 due reminders (agreement pending).

Prints, per size, the sweep's time, its queries (selection only, from a dry run; and in
all, with the delivery log's writes), and reminders per second handed to the mail
backend (locmem). Targets (issue #10): time ratio 100k / 10k ≤ 1.3; queries the same at
both sizes (they grow with what is due, never with what exists).

    python bench/reminders.py [--database-url postgres://postgres@127.0.0.1:5432/zuwendo_bench]

The database named is dropped and created afresh.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api_list import add_applications, recreate_database, seed_base, setup_django  # noqa: E402
from bench.summary import add_database_option, record  # noqa: E402

SIZES = (10_000, 100_000)
DUE = 1_000


def add_due(program, call, organizations, sponsor) -> None:
    """1,000 approved applications whose agreement has waited 15 days (bench rows)."""
    from datetime import date

    from django.utils import timezone

    from projects.models import Application

    decided = timezone.now() - timedelta(days=15)
    year = call.funding_year
    Application.objects.bulk_create(
        Application(
            reference=f"DUE-{year}-{i + 1:06d}",
            call=call,
            program=program,
            organization=organizations[i % len(organizations)],
            created_by=sponsor,
            title=f"Bewilligt {i}",
            start_date=date(year, 3, 1),
            end_date=date(year, 9, 30),
            total_costs=Decimal("1000.00"),
            requested_amount=Decimal("1000.00"),
            approved_amount=Decimal("1000.00"),
            state="approved",
            submitted_at=decided,
            decided_at=decided,
        )
        for i in range(DUE)
    )


def _counting():
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    return executed, count


def measure() -> tuple[float, int, int, int]:
    from django.db import connection
    from django.test.utils import override_settings

    from workflows.models import Delivery
    from workflows.reminders import sweep

    Delivery.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE workflows_delivery")
    selection, count = _counting()
    with connection.execute_wrapper(count):
        listed = sweep(dry_run=True)
    everything, count = _counting()
    locmem = "django.core.mail.backends.locmem.EmailBackend"
    with override_settings(EMAIL_BACKEND=locmem), connection.execute_wrapper(count):
        started = time.perf_counter()
        result = sweep()
        elapsed = time.perf_counter() - started
    assert result.sent == len(listed.lines) == DUE, (result.sent, len(listed.lines))
    return elapsed, len(selection), len(everything), result.sent


def main() -> None:
    warnings.filterwarnings("ignore", message="No directory at")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_database_option(parser)
    args = parser.parse_args()
    recreate_database(args.database_url)
    setup_django(args.database_url)
    program, call, categories, organizations, _office, sponsor = seed_base()
    sponsor.email = "traeger@bench.example"
    sponsor.save(update_fields=["email"])
    add_due(program, call, organizations, sponsor)
    rows = []
    present = DUE
    for size in SIZES:
        add_applications(size - present, present, program, call, categories, organizations, sponsor)
        present = size
        elapsed, selection, everything, sent = measure()
        rows.append((size, elapsed, selection, everything, sent / elapsed))

    print(f"reminder sweep, PostgreSQL, {DUE:,} due reminders (agreement pending)")
    header = f"{'applications':>12} {'sweep s':>8} {'select q':>9} {'all q':>7} {'mails/s':>8}"
    print(header)
    for size, elapsed, selection, everything, rate in rows:
        print(f"{size:>12,} {elapsed:>8.2f} {selection:>9} {everything:>7} {rate:>8.0f}")
    ratio = rows[-1][1] / rows[0][1]
    same = len({row[2] for row in rows}) == 1 and len({row[3] for row in rows}) == 1
    print(f"queries the same at both sizes: {'yes' if same else 'NO'}")
    print(f"sweep time ratio {SIZES[-1]:,} / {SIZES[0]:,}: {ratio:.2f} (target ≤ 1.3)")
    record("reminders", "sweep ratio 100k / 10k", f"{ratio:.2f}", "≤ 1.3")
    record("reminders", "selection queries (10k / 100k)", f"{rows[0][2]} / {rows[-1][2]}", "same")
    record("reminders", "mails per second at 100k", f"{rows[-1][4]:.0f}", "")


if __name__ == "__main__":
    main()
