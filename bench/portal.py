#!/usr/bin/env python
"""Benchmark: the portal's busiest pages at 1,000 and 100,000 applications on PostgreSQL
(issue #24): the office's dashboard (``/office/``), the office's page of one application
(``/applications/<id>/``) and the sponsor's start page (``/``), each beside the API's
read of the same data in the same run (the office's application list, the application's
record, the sponsor's application list).

Prints the queries per page and the p50 at each size, the p50 ratio 100k / 1k, and each
page's p50 against the API's. Targets: queries constant, p50 ratio ≤ 1.5, p50 ≤ 3 × the
API's.

    python bench/portal.py [--database-url postgres://postgres@127.0.0.1:5432/zuwendo_bench]

The database named is dropped and created afresh. Requests go through Django's full
stack in-process (sessions, CSRF, templates; token authentication for the API), not a
socket. Page and API samples alternate, so that both see the same machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api_list import (  # noqa: E402
    add_applications,
    recreate_database,
    seed_base,
    setup_django,
)
from bench.summary import add_database_option, record  # noqa: E402

SIZES = (1_000, 100_000)
WARMUP = 5
SAMPLES = 40


def _queries(client, url: str) -> int:
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(executed)


def _p50s(page_client, page_url: str, api_client, api_url: str) -> tuple[float, float]:
    for _ in range(WARMUP):
        assert page_client.get(page_url).status_code == 200
        assert api_client.get(api_url).status_code == 200
    pages, apis = [], []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        page_client.get(page_url)
        pages.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        api_client.get(api_url)
        apis.append((time.perf_counter() - started) * 1000)
    return statistics.median(pages), statistics.median(apis)


def main() -> None:
    warnings.filterwarnings("ignore", message="No directory at")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_database_option(parser)
    args = parser.parse_args()
    recreate_database(args.database_url)
    setup_django(args.database_url)
    from django.db import connection
    from django.test import Client
    from knox.models import AuthToken

    from projects.models import Application

    program, call, categories, organizations, office, sponsor = seed_base()

    def clients(user):
        page = Client()
        page.force_login(user)
        api = Client(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=user)[1]}")
        return page, api

    office_page, office_api = clients(office)
    sponsor_page, sponsor_api = clients(sponsor)
    results: dict[str, list[tuple[int, int, float, float]]] = {}
    present = 0
    for size in SIZES:
        add_applications(size - present, present, program, call, categories, organizations, sponsor)
        present = size
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        one = Application.objects.order_by("pk").first().pk
        cases = {
            "office dashboard": (office_page, "/office/", office_api, "/api/applications/"),
            "office application page": (
                office_page,
                f"/applications/{one}/",
                office_api,
                f"/api/applications/{one}/",
            ),
            "sponsor start page": (sponsor_page, "/", sponsor_api, "/api/applications/"),
        }
        for name, (page_client, page_url, api_client, api_url) in cases.items():
            p50, api_p50 = _p50s(page_client, page_url, api_client, api_url)
            queries = _queries(page_client, page_url)  # after the warm-up: caches filled
            results.setdefault(name, []).append((size, queries, p50, api_p50))

    print(f"Portal pages, PostgreSQL, {SAMPLES} samples after {WARMUP} warm-up")
    print(
        f"{'page':<26} {'applications':>12} {'queries':>8} {'p50 ms':>8} {'API ms':>8} {'× API':>6}"
    )
    for name, rows in results.items():
        for size, queries, p50, api_p50 in rows:
            print(
                f"{name:<26} {size:>12,} {queries:>8} {p50:>8.1f} {api_p50:>8.1f} "
                f"{p50 / api_p50:>6.2f}"
            )
    print()
    for name, rows in results.items():
        first, last = rows[0], rows[-1]
        constant = len({row[1] for row in rows}) == 1
        ratio = last[2] / first[2]
        worst = max(row[2] / row[3] for row in rows)
        print(
            f"{name}: queries constant {'yes' if constant else 'NO'}; p50 ratio "
            f"{ratio:.2f} (target ≤ 1.5); at most {worst:.2f} × the API (target ≤ 3)"
        )
        record("portal", f"{name}: queries 1k / 100k", f"{first[1]} / {last[1]}", "same")
        record("portal", f"{name}: p50 1k / 100k (ms)", f"{first[2]:.1f} / {last[2]:.1f}", "")
        record("portal", f"{name}: p50 ratio 100k / 1k", f"{ratio:.2f}", "≤ 1.5")
        record("portal", f"{name}: p50 / API p50 (worst)", f"{worst:.2f}", "≤ 3")


if __name__ == "__main__":
    main()
