#!/usr/bin/env python
"""Benchmark: GET /api/applications/?page_size=100 as an office user, at 1,000 and 100,000
applications (three budget lines each) on PostgreSQL.

Prints the queries per request and p50/p95 latency at each size, the p50 ratio, and the
floor: the same page of 100 rows fetched by one raw SQL query and serialised with the
standard json module, in the same run (each floor sample right after a request).
Targets: queries constant, p50(100k) / p50(1k) ≤ 1.5 (issue #2); at 100k, p50 ≤ 35 ms
and ≤ 8 × the floor (issue #12).

    python bench/api_list.py [--database-url postgres://postgres@127.0.0.1:5432/zuwendo_bench]

The database named is dropped and created afresh. Requests go through Django's full
stack in-process (middleware, token authentication, DRF, serialisation), not a socket.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import warnings
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.summary import add_database_option, record  # noqa: E402

SIZES = (1_000, 100_000)
BATCH = 5_000
WARMUP = 5
SAMPLES = 60
URL = "/api/applications/?page_size=100"


def recreate_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # the table, not an access line a request
    os.environ["REDIS_URL"] = ""
    # In-process requests are plain HTTP; production redirects to HTTPS before the view.
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed_base():
    from django.utils import timezone

    from grants.models import Call, CostCategory, Program, ProgramRole, User
    from projects.models import Membership, Organization

    program = Program.objects.create(code="BENCH", name="Bench", funder_name="Bund")
    categories = [
        CostCategory.objects.create(program=program, code=code, name=code, position=i)
        for i, code in enumerate(["honorare", "sachausgaben", "reisekosten"])
    ]
    now = timezone.now()
    call = Call.objects.create(
        program=program,
        title="Runde",
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=30),
        funding_year=now.year + 1,
    )
    office = User.objects.create_user("office", password="bench-password-1")
    ProgramRole.objects.create(program=program, user=office, role="office")
    sponsor = User.objects.create_user("sponsor", password="bench-password-1")
    organizations = [Organization.objects.create(name=f"Verein {i}") for i in range(50)]
    for organization in organizations:
        Membership.objects.create(organization=organization, user=sponsor)
    return program, call, categories, organizations, office, sponsor


def add_applications(count, start, program, call, categories, organizations, sponsor):
    """Bulk rows shaped like submitted applications (bench data, not a state change)."""
    from django.utils import timezone

    from projects.models import Application, BudgetLine

    year = call.funding_year
    now = timezone.now()
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        batch = []
        for i in range(start + done, start + done + size):
            batch.append(
                Application(
                    reference=f"BENCH-{year}-{i + 1:06d}",
                    call=call,
                    program=program,
                    organization=organizations[i % len(organizations)],
                    created_by=sponsor,
                    title=f"Projekt {i}",
                    summary="Workshops für Jugendliche im Stadtteil.",
                    start_date=date(year, 3, 1),
                    end_date=date(year, 9, 30),
                    own_funds=Decimal("100.00"),
                    total_costs=Decimal("1500.00"),
                    requested_amount=Decimal("1400.00"),
                    state="submitted",
                    submitted_at=now,
                )
            )
        created = Application.objects.bulk_create(batch)
        BudgetLine.objects.bulk_create(
            BudgetLine(
                application=application,
                category=category,
                description=f"Posten {n}",
                amount=Decimal("500.00"),
                position=n,
            )
            for application in created
            for n, category in enumerate(categories)
        )
        done += size
    from django.db import connection

    with connection.cursor() as cursor:
        # What autovacuum does in production; then the seeding's writes are flushed so
        # that the background writer does not run through the measurement.
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")


def measure(token: str, program_id: int) -> tuple[int, float, float, float]:
    """Queries per request, p50 and p95 of the request, and p50 of the floor. The floor
    and the request alternate sample by sample, so that both see the same machine: on a
    shared VM the speed drifts by half within minutes."""
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    for _ in range(WARMUP):
        assert client.get(URL).status_code == 200
        assert len(json.loads(floor_page(program_id))["results"]) == 100
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(URL)
    assert response.status_code == 200 and len(response.json()["results"]) == 100
    timings, floor = [], []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        client.get(URL)
        timings.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        floor_page(program_id)
        floor.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    return len(executed), statistics.median(timings), p95, statistics.median(floor)


FLOOR_SQL = """
SELECT a.id, a.reference, a.call_id, a.organization_id, o.name AS organization_name,
       a.title, a.summary, a.field_of_action, a.target_group, a.start_date, a.end_date,
       a.expected_participants, a.own_funds, a.third_party_funds, a.expected_income,
       a.total_costs, a.requested_amount, a.approved_amount, a.conditions, a.state,
       a.decision_mode, a.created_at, a.submitted_at, a.decided_at,
       (SELECT json_agg(json_build_object('category', c.code, 'description', l.description,
                                          'amount', l.amount) ORDER BY l.position, l.id)
          FROM projects_budgetline l JOIN grants_costcategory c ON c.id = l.category_id
         WHERE l.application_id = a.id) AS budget_lines
  FROM projects_application a JOIN projects_organization o ON o.id = a.organization_id
 WHERE a.program_id = %s AND a.submitted_at IS NOT NULL
 ORDER BY a.created_at DESC, a.id DESC
 LIMIT 100
"""


def floor_page(program_id: int) -> str:
    """The floor: the same page of 100 rows (with their budget lines) and the count by
    raw SQL, serialised with the standard json module."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [program_id])
        columns = [c.name for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        cursor.execute(
            "SELECT count(*) FROM projects_application WHERE program_id = %s "
            "AND submitted_at IS NOT NULL",
            [program_id],
        )
        total = cursor.fetchone()[0]
    return json.dumps({"count": total, "results": rows}, default=str)


def main() -> None:
    warnings.filterwarnings("ignore", message="No directory at")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_database_option(parser)
    args = parser.parse_args()
    recreate_database(args.database_url)
    setup_django(args.database_url)
    from knox.models import AuthToken

    program, call, categories, organizations, office, sponsor = seed_base()
    token = AuthToken.objects.create(user=office)[1]
    rows = []
    present = 0
    for size in SIZES:
        started = time.perf_counter()
        add_applications(size - present, present, program, call, categories, organizations, sponsor)
        seeded = time.perf_counter() - started
        present = size
        queries, p50, p95, floor = measure(token, program.pk)
        rows.append((size, queries, p50, p95, floor, seeded))

    print(f"GET {URL} as office, PostgreSQL, {SAMPLES} samples after {WARMUP} warm-up")
    print(
        f"{'applications':>12} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'floor ms':>9} {'× floor':>8} {'seed s':>8}"
    )
    for size, queries, p50, p95, floor, seeded in rows:
        print(
            f"{size:>12,} {queries:>8} {p50:>8.1f} {p95:>8.1f} {floor:>9.1f} "
            f"{p50 / floor:>8.1f} {seeded:>8.1f}"
        )
    ratio = rows[-1][2] / rows[0][2]
    constant = len({row[1] for row in rows}) == 1
    print(f"queries constant: {'yes' if constant else 'NO'}")
    print(f"p50 ratio {SIZES[-1]:,} / {SIZES[0]:,}: {ratio:.2f} (target ≤ 1.5)")
    print(
        f"p50 at {SIZES[-1]:,}: {rows[-1][2]:.1f} ms (target ≤ 35), "
        f"{rows[-1][2] / rows[-1][4]:.1f} × the floor (target ≤ 8)"
    )
    record("api_list", "queries per page (1k / 100k)", f"{rows[0][1]} / {rows[-1][1]}", "same")
    record("api_list", "p50 at 1k / 100k (ms)", f"{rows[0][2]:.1f} / {rows[-1][2]:.1f}", "")
    record("api_list", "p50 ratio 100k / 1k", f"{ratio:.2f}", "≤ 1.5")
    record("api_list", "p50 at 100k (ms)", f"{rows[-1][2]:.1f}", "≤ 35")
    record("api_list", "p95 at 100k (ms)", f"{rows[-1][3]:.1f}", "")
    record("api_list", "floor at 100k (ms)", f"{rows[-1][4]:.1f}", "")
    record("api_list", "p50 / floor at 100k", f"{rows[-1][2] / rows[-1][4]:.1f}", "≤ 8")


if __name__ == "__main__":
    main()
