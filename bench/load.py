#!/usr/bin/env python
"""Load test: locust (headless, bounded in time, loopback only) against gunicorn on
PostgreSQL, with the mix of ``bench/locustfile.py``: sponsors listing and editing,
office transitions and payouts, committee votes, report downloads.

For 2 and then 4 gunicorn workers it raises the number of simulated users step by step
and prints, per step, requests/s, p50/p95/p99 and the error count; the highest rate
with no error and p95 under 250 ms is the one the machine sustains.

    python bench/load.py [--database-url postgres://…/zuwendo_bench] [--seconds 15]

The database named is dropped and created afresh (the demo data, 2,000 submitted
applications more, a funded project to pay out, a rendered funder report).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api_list import recreate_database  # noqa: E402
from bench.summary import add_database_option, record  # noqa: E402

PORT = 8765
STEPS = (8, 16, 32, 64)
WORKERS = (2, 4)
POOL = 4_000  # 400 a step, eight steps
P95_TARGET_MS = 250


def server_env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "DEBUG": "0",
        "REDIS_URL": "",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_URL": "dummymail://",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "ERROR",
        # Many simulated users share a few accounts and sign in at once.
        "ANONYMOUS_RATE": "100000/min",
        "TOKENS_PER_USER": "1000",
        "MEDIA_ROOT": str(ROOT / "media" / "bench"),
        "REQUIRE_2FA": "0",
    }


def seed(url: str) -> dict:
    env = server_env(url)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [*manage, "seed_demo"], env={**env, "DEBUG": "1"}, check=True, capture_output=True
    )
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.utils import timezone

    from grants.models import Call, Program, ProgramRole, User
    from projects.models import Application, BudgetLine, Membership
    from reports import services
    from reports.models import Report

    program = Program.objects.get(code="PFD-KO")
    sponsor = User.objects.get(username="traeger.koblenz")
    organization = Membership.objects.filter(user=sponsor).first().organization
    now = timezone.now()
    call = Call.objects.filter(program=program, opens_at__lte=now, closes_at__gt=now).first()
    category = program.categories.order_by("position").first()
    review = Application.objects.get(
        program=program, state="committee_review", title__contains="Erinnerungsorte"
    )
    member = (
        ProgramRole.objects.filter(body=review.call.body, role="committee", voting=True)
        .exclude(user__in=review.conflicts.filter(excluded=True).values("member"))
        .order_by("-pk")
        .first()
        .user
    )
    year = call.funding_year
    today = timezone.localdate()
    applications = Application.objects.bulk_create(
        Application(
            reference=f"PFD-KO-2099-{n:05d}",
            call=call,
            program=program,
            organization=organization,
            created_by=sponsor,
            title=f"Lastprojekt {n}",
            summary="Workshops im Stadtteil.",
            start_date=date(year, 3, 1),
            end_date=date(year, 9, 30),
            total_costs=Decimal("1500.00"),
            requested_amount=Decimal("1500.00"),
            state="submitted",
            submitted_at=now,
        )
        for n in range(POOL)
    )
    funded = Application.objects.create(
        reference="PFD-KO-2099-99999",
        call=call,
        program=program,
        organization=organization,
        created_by=sponsor,
        title="Lastprojekt mit Auszahlungen",
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=300),
        total_costs=Decimal("100000.00"),
        requested_amount=Decimal("100000.00"),
        approved_amount=Decimal("100000.00"),
        state="funded",
        submitted_at=now,
        decided_at=now,
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(application=a, category=category, description="Honorar", amount=a.total_costs)
        for a in [*applications, funded]
    )
    report = services.report_render(
        Report.objects.create(
            program=program, period_start=date(today.year, 1, 1), period_end=today
        ).pk
    )
    return {
        "password": "zuwendo-demo",
        "sponsor": sponsor.username,
        "office": "buero.koblenz",
        "committee": member.username,
        "funder": "foerdergeber",
        "organization": organization.pk,
        "call": call.pk,
        "category": category.code,
        "start": date(year, 3, 1).isoformat(),
        "end": date(year, 9, 30).isoformat(),
        "submitted": [a.pk for a in applications],
        "funded": funded.pk,
        "review": review.pk,
        "report": report.pk,
    }


def wait_for_server(process: subprocess.Popen) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


def run_step(users: int, seconds: int, data_file: str, offset: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        prefix = str(Path(folder) / "step")
        subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(users),
                "--run-time",
                f"{seconds}s",
                "--host",
                f"http://127.0.0.1:{PORT}",
                "--csv",
                prefix,
                "--only-summary",
                "--loglevel",
                "ERROR",
            ],
            env={**os.environ, "BENCH_LOAD_DATA": data_file, "BENCH_POOL_FROM": str(offset)},
            capture_output=True,
            check=False,
        )
        with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
            rows = list(csv.DictReader(stats))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    endpoints = [
        (
            row["Type"] + " " + row["Name"],
            int(row["Request Count"]),
            float(row["50%"]),
            float(row["99%"]),
        )
        for row in rows
        if row["Name"] != "Aggregated"
    ]
    return {
        # Where the tail comes from: each kind of request with its count, p50 and p99.
        "endpoints": sorted(endpoints, key=lambda endpoint: -endpoint[3]),
        "users": users,
        "rps": float(total["Requests/s"]),
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "p99": float(total["99%"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_database_option(parser)
    parser.add_argument("--seconds", type=int, default=15)
    options = parser.parse_args()
    recreate_database(options.database_url)
    data = seed(options.database_url)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(data, handle)
        data_file = handle.name
    print(f"load test, gunicorn on PostgreSQL, {os.cpu_count()} CPUs, {options.seconds} s a step")
    columns = ("workers", "users", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors")
    print(" ".join(f"{column:>7}" for column in columns))
    offset = 0
    best: dict[int, dict] = {}
    first: dict[int, dict] = {}
    for workers in WORKERS:
        server = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{PORT}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=server_env(options.database_url),
        )
        try:
            wait_for_server(server)
            for users in STEPS:
                result = run_step(users, options.seconds, data_file, offset)
                offset += 400
                first.setdefault(workers, result)
                print(
                    f"{workers:>7} {users:>6} {result['rps']:>7.1f} {result['p50']:>7.0f} "
                    f"{result['p95']:>7.0f} {result['p99']:>7.0f} {result['errors']:>7}"
                )
                record(
                    "load",
                    f"{workers} workers, {users} users: req/s, p50/p95/p99 ms, errors",
                    f"{result['rps']:.1f}, {result['p50']:.0f}/{result['p95']:.0f}/"
                    f"{result['p99']:.0f}, {result['errors']}",
                )
                sustained = result["errors"] == 0 and result["p95"] < P95_TARGET_MS
                if sustained and result["rps"] > best.get(workers, {"rps": 0})["rps"]:
                    best[workers] = result
        finally:
            server.terminate()
            server.wait(timeout=30)
    Path(data_file).unlink(missing_ok=True)
    for workers in WORKERS:
        result = best.get(workers)
        if result is None:
            print(f"{workers} workers: no step had 0 errors and p95 < {P95_TARGET_MS} ms")
            record(
                "load", f"{workers} workers: sustained req/s", "none", f"p95 < {P95_TARGET_MS} ms"
            )
            continue
        print(
            f"{workers} workers: {result['rps']:.1f} req/s sustained ({result['users']} users, "
            f"p95 {result['p95']:.0f} ms, 0 errors)"
        )
        record(
            "load",
            f"{workers} workers: sustained req/s (p95 ms)",
            f"{result['rps']:.1f} ({result['p95']:.0f})",
            f"0 errors, p95 < {P95_TARGET_MS}",
        )
    if len(best) == len(WORKERS):
        scaling = best[4]["rps"] / best[2]["rps"]
        print(f"scaling 2 → 4 workers: × {scaling:.2f} ({os.cpu_count()} CPUs)")
        record("load", "scaling 2 → 4 workers", f"× {scaling:.2f}", f"{os.cpu_count()} CPUs")
    for workers in WORKERS:
        result = best.get(workers) or first[workers]
        print(f"slowest requests at {workers} workers, {result['users']} users (p99 ms):")
        for name, count, p50, p99 in result["endpoints"][:4]:
            print(f"  {name:<34} {count:>6} × p50 {p50:>5.0f} p99 {p99:>6.0f}")
        name, count, _p50, p99 = result["endpoints"][0]
        record(
            "load",
            f"{workers} workers: slowest request (count, p99 ms)",
            f"{name} ({count}, {p99:.0f})",
        )


if __name__ == "__main__":
    main()
