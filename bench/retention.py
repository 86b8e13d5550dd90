#!/usr/bin/env python
"""Benchmark: the daily retention sweep on PostgreSQL, among 10,000 applications.

Erases batches of due files (closed, kept until yesterday) of two shapes: lean (5 receipt
lines, 10 history entries with words) and fat (50 lines, 100 entries). Prints per batch
the sweep's time, files per second and the queries per erased file. Target (issue #25):
the queries per file are the same for lean and fat files and for 100 and 1,000 of them
(bounded per application, not per row of it).

    python bench/retention.py [--database-url postgres://postgres@127.0.0.1:5432/zuwendo_bench]

The database named is dropped and created afresh.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api_list import add_applications, recreate_database, seed_base, setup_django  # noqa: E402
from bench.reminders import _counting  # noqa: E402
from bench.summary import add_database_option, record  # noqa: E402

EXISTING = 10_000
BATCHES = (("lean", 100, 5, 10), ("lean", 1_000, 5, 10), ("fat", 100, 50, 100))


def add_due(tag, count, lines, entries, program, call, category, organizations, sponsor):
    """``count`` closed files kept until yesterday, each with ``lines`` receipts naming a
    person and ``entries`` history entries with a comment."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from core.models import AuditEntry
    from projects.models import Application, Expenditure

    kept = timezone.localdate() - timedelta(days=1)
    year = call.funding_year
    files = Application.objects.bulk_create(
        Application(
            reference=f"RET-{tag}-{count}-{i + 1:06d}",
            call=call,
            program=program,
            organization=organizations[i % len(organizations)],
            created_by=sponsor,
            title=f"Abgeschlossen {i}",
            summary="Workshop mit Frau Erika Muster",
            start_date=date(year, 3, 1),
            end_date=date(year, 9, 30),
            total_costs=Decimal("1000.00"),
            requested_amount=Decimal("1000.00"),
            approved_amount=Decimal("1000.00"),
            state="closed",
            retention_until=kept,
        )
        for i in range(count)
    )
    Expenditure.objects.bulk_create(
        Expenditure(
            application=application,
            date=date(year, 4, 1),
            payee=f"Erika Muster {n}",
            purpose="Honorar",
            category=category,
            amount=Decimal("10.00"),
            created_by=sponsor,
        )
        for application in files
        for n in range(lines)
    )
    trail = ContentType.objects.get_for_model(Application)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            trail_type=trail,
            trail_id=application.pk,
            namespace="application",
            action="update",
            actor=sponsor,
            comment="Rücksprache mit Frau Muster",
            data={"payee": "Erika Muster", "amount": "10.00"},
        )
        for application in files
        for _ in range(entries)
    )


def measure(count: int) -> tuple[float, int]:
    from django.db import connection

    from workflows.retention import sweep

    executed, counting = _counting()
    with connection.execute_wrapper(counting):
        started = time.perf_counter()
        result = sweep()
        elapsed = time.perf_counter() - started
    assert len(result.applications) == count, (len(result.applications), count)
    return elapsed, len(executed)


def main() -> None:
    warnings.filterwarnings("ignore", message="No directory at")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_database_option(parser)
    args = parser.parse_args()
    recreate_database(args.database_url)
    setup_django(args.database_url)
    program, call, categories, organizations, _office, sponsor = seed_base()
    add_applications(EXISTING, 0, program, call, categories, organizations, sponsor)
    category = categories[0]
    rows = []
    for tag, count, lines, entries in BATCHES:
        add_due(tag, count, lines, entries, program, call, category, organizations, sponsor)
        elapsed, queries = measure(count)
        rows.append((tag, count, lines, entries, elapsed, queries))

    print(f"retention sweep, PostgreSQL, among {EXISTING:,} applications")
    print(
        f"{'files':>6} {'shape':>6} {'lines':>6} {'entries':>8} {'sweep s':>8} {'files/s':>8} "
        f"{'q/file':>7}"
    )
    per_file = []
    for tag, count, lines, entries, elapsed, queries in rows:
        # The run's fixed part (retries, accounts, sign-in records) is shared by all files.
        per_file.append(queries // count)
        print(
            f"{count:>6,} {tag:>6} {lines:>6} {entries:>8} {elapsed:>8.2f} "
            f"{count / elapsed:>8.0f} {queries / count:>7.2f}"
        )
    same = len(set(per_file)) == 1
    print(f"queries per file the same for every batch: {'yes' if same else 'NO'} ({per_file})")
    record(
        "retention",
        "queries per erased file (lean 100 / lean 1k / fat 100)",
        " / ".join(str(n) for n in per_file),
        "same",
    )
    record("retention", "files erased per second (lean, 1k)", f"{rows[1][1] / rows[1][4]:.0f}")


if __name__ == "__main__":
    main()
