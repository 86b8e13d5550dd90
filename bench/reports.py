#!/usr/bin/env python
"""Benchmark: the funder report of a program with 5,000 funded projects, on PostgreSQL.

Prints, from one run:
- seconds for the whole funder report (selectors, layout, storing the file) beside a raw
  reportlab table of the same 5,000 rows built in the same process, and their ratio
  (target ≤ 1.3, issue #19);
- the peak RSS of the process that renders (target ≤ 150 MB);
- the application PDF's p50 over 50 renders, data read included (target < 100 ms);
- the longest application the text limits allow, and a 50,000-character narrative, as
  PDF (issue #19: bounded, linear in the text);
- the funder report's queries at 500 and at 5,000 projects (target: the same).

    python bench/reports.py [--database-url postgres://postgres@127.0.0.1:5432/zuwendo_bench]

The database named is dropped and created afresh; the rendering runs in a child process
of its own, so that its peak RSS is the report's and not the seeding's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.summary import add_database_option, record  # noqa: E402

PROJECTS = 5_000
FIRST = 500
RENDERS = 50
FIELDS = ["Demokratieförderung", "Vielfalt gestalten", "Extremismusprävention", "Jugendbeteiligung"]
GROUPS = ["Jugendliche", "Familien", "Seniorinnen und Senioren", "Multiplikatoren"]


def recreate_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str, migrate: bool) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["REDIS_URL"] = ""
    os.environ["MEDIA_ROOT"] = str(ROOT / "media" / "bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def seed(count: int, start: int) -> None:
    """``count`` funded projects (numbered from ``start``) with one paid payout each."""
    from django.db import transaction
    from django.utils import timezone

    from grants.models import Call, CostCategory, Program, User
    from projects.models import Application, BudgetLine, Organization, PayoutRequest

    now = timezone.now()
    year = now.year
    program = Program.objects.filter(code="BENCH").first()
    if program is None:
        program = Program.objects.create(code="BENCH", name="Bench-Programm", funder_name="Bund")
        CostCategory.objects.create(program=program, code="honorare", name="Honorare")
        user = User.objects.create_user("office", password="bench-password-1")
        for n in range(4):
            Call.objects.create(
                program=program,
                title=f"Fonds {n + 1}",
                opens_at=now - timedelta(days=300),
                closes_at=now - timedelta(days=200),
                budget=Decimal("5000000.00"),
                funding_year=year,
            )
        Organization.objects.bulk_create(
            Organization(name=f"Träger Nr. {n} für Demokratie und Vielfalt e.V.")
            for n in range(500)
        )
    user = User.objects.get(username="office")
    calls = list(Call.objects.filter(program=program).order_by("pk"))
    organizations = list(Organization.objects.order_by("pk"))
    category = CostCategory.objects.get(program=program, code="honorare")
    with transaction.atomic():
        applications = Application.objects.bulk_create(
            Application(
                reference=f"BENCH-{year}-{n:05d}",
                call=calls[n % len(calls)],
                program=program,
                organization=organizations[n % len(organizations)],
                created_by=user,
                title=f"Projekt {n}: Begegnungen im Quartier – Workshops, Feste und Gespräche",
                summary="Kurzbeschreibung",
                field_of_action=FIELDS[n % len(FIELDS)],
                target_group=GROUPS[n % len(GROUPS)],
                start_date=date(year, 1, 1),
                end_date=date(year, 12, 31),
                total_costs=Decimal("2000.00"),
                requested_amount=Decimal("1800.00"),
                approved_amount=Decimal("1500.00"),
                state="funded",
                submitted_at=now - timedelta(days=100),
                decided_at=now - timedelta(days=80),
            )
            for n in range(start, start + count)
        )
        BudgetLine.objects.bulk_create(
            BudgetLine(
                application=a, category=category, description="Honorar", amount=Decimal("2000.00")
            )
            for a in applications
        )
        PayoutRequest.objects.bulk_create(
            PayoutRequest(
                application=a,
                amount=Decimal("750.00"),
                requested_by=user,
                state="paid",
                paid_on=date(year, 1 + n % 10, 1 + n % 27),
            )
            for n, a in enumerate(applications)
        )


def analyze() -> None:
    """Fresh statistics after the bulk load, as autovacuum would gather within a minute
    (without them PostgreSQL plans a 5,000 × 5,000 nested loop)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def report_queries() -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from grants.models import Program
    from reports import selectors

    program = Program.objects.get(code="BENCH")
    year = date.today().year  # noqa: DTZ011
    with translation.override("de"), CaptureQueriesContext(connection) as queries:
        selectors.funder_report_sheet(program, date(year, 1, 1), date(year, 12, 31))
    return len(queries)


def raw_table(rows: list[tuple[str, ...]]) -> bytes:
    """The baseline: the same rows in a plain reportlab table, nothing else."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, invariant=1)
    document.build(
        [
            Table(
                [("Aktenzeichen", "Projekt", "Träger", "Bewilligt", "Ausgezahlt"), *rows],
                repeatRows=1,
            )
        ]
    )
    return buffer.getvalue()


def worst_case(application) -> tuple[float, float]:
    """The longest application the limits of ``core.text`` allow (every text at its
    limit, 300 cost lines of 300 characters) as PDF, and a narrative report of the
    longest length laid out alone: milliseconds, best of three."""
    from django.utils import translation

    from core.text import Limit
    from projects.models import Application, BudgetLine
    from reports import selectors
    from reports.pdf import application as application_pdf
    from reports.pdf import style

    def words(length: int) -> str:
        return ("Zuwendungsfähige Ausgaben " * (length // 26 + 1))[:length]

    Application.objects.filter(pk=application.pk).update(
        title=words(Limit.NAME),
        summary=words(Limit.SUMMARY),
        field_of_action=words(Limit.NAME),
        target_group=words(Limit.NAME),
    )
    category = BudgetLine.objects.filter(application=application).first().category
    BudgetLine.objects.filter(application=application).delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(
            application=application,
            category=category,
            description=words(Limit.LINE),
            amount=Decimal("10.00"),
            position=n,
        )
        for n in range(300)
    )
    best_application, best_narrative = float("inf"), float("inf")
    with translation.override("de"):
        for _ in range(3):
            began = time.perf_counter()
            application_pdf.render(
                selectors.application_sheet(selectors.application_for_document(application.pk))
            )
            best_application = min(best_application, time.perf_counter() - began)
            began = time.perf_counter()
            style.build(
                style.long_text(words(Limit.NARRATIVE)), style.Letterhead(program="P", document="D")
            )
            best_narrative = min(best_narrative, time.perf_counter() - began)
    return best_application * 1000, best_narrative * 1000


def render_child() -> None:
    """Runs in the child: times the report and the baseline, prints JSON."""
    from django.utils import translation

    from grants.models import Program
    from projects.figures import program_figures
    from projects.models import Application
    from reports import selectors, services
    from reports.models import Report
    from reports.pdf import application as application_pdf
    from reports.pdf.funder_report import funded_rows

    program = Program.objects.get(code="BENCH")
    year = date.today().year  # noqa: DTZ011
    start, end = date(year, 1, 1), date(year, 12, 31)
    report_seconds, raw_seconds = [], []
    for _ in range(3):
        began = time.perf_counter()
        report = services.report_render(
            Report.objects.create(program=program, period_start=start, period_end=end).pk
        )
        report_seconds.append(time.perf_counter() - began)
        assert report.status == "done", report.failure
        with translation.override("de"):
            funded = program_figures(program, start, end).funded
            rows = funded_rows(funded)
        began = time.perf_counter()
        raw_table(rows)
        raw_seconds.append(time.perf_counter() - began)
    application = Application.objects.order_by("pk").first()
    timings = []
    with translation.override("de"):
        for _ in range(RENDERS):
            began = time.perf_counter()
            sheet = selectors.application_sheet(selectors.application_for_document(application.pk))
            application_pdf.render(sheet)
            timings.append(time.perf_counter() - began)
    worst_ms, narrative_ms = worst_case(application)
    print(
        json.dumps(
            {
                "worst_application_ms": worst_ms,
                "worst_narrative_ms": narrative_ms,
                "projects": len(funded),
                "pages": report.document.pages,
                "report_s": min(report_seconds),
                "raw_s": min(raw_seconds),
                "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "application_p50_ms": statistics.median(timings) * 1000,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_database_option(parser)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        setup_django(options.database_url, migrate=False)
        render_child()
        return
    recreate_database(options.database_url)
    setup_django(options.database_url, migrate=True)
    seed(FIRST, 0)
    analyze()
    queries_small = report_queries()
    seed(PROJECTS - FIRST, FIRST)
    analyze()
    queries_large = report_queries()
    child = subprocess.run(  # noqa: S603 (this very script)
        [sys.executable, __file__, "--child", "--database-url", options.database_url],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    ratio = figures["report_s"] / figures["raw_s"]
    print(f"funder report, {figures['projects']:,} funded projects, {figures['pages']} pages")
    print(f"{'measure':<44}{'value':>12}  target")
    rows = [
        ("funder report, whole (s, best of 3)", f"{figures['report_s']:.2f}", ""),
        ("raw reportlab table, same rows (s)", f"{figures['raw_s']:.2f}", ""),
        ("ratio report / raw table", f"{ratio:.2f}", "≤ 1.3"),
        ("peak RSS of the rendering process (MB)", f"{figures['rss_mb']:.0f}", "≤ 150"),
        ("application PDF p50 over 50 (ms)", f"{figures['application_p50_ms']:.1f}", "< 100"),
        (
            "longest application the limits allow (ms)",
            f"{figures['worst_application_ms']:.0f}",
            "< DOCUMENT_RENDER_SECONDS",
        ),
        ("narrative of 50,000 characters alone (ms)", f"{figures['worst_narrative_ms']:.0f}", ""),
        (f"report queries at {FIRST:,} projects", str(queries_small), ""),
        (f"report queries at {PROJECTS:,} projects", str(queries_large), "the same"),
    ]
    for label, value, target in rows:
        print(f"{label:<44}{value:>12}  {target}")
        record("reports", label, value, target)


if __name__ == "__main__":
    main()
