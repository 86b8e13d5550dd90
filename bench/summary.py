"""What the benchmarks share: the database option, and ``record``, to which each hands
its headline figures; ``bench/run_all.py`` sets ``BENCH_SUMMARY`` to a file and prints
them all as one table. Run alone, a benchmark prints its own table and ``record`` does
nothing."""

from __future__ import annotations

import argparse
import json
import os


def record(bench: str, measure: str, value: str, target: str = "") -> None:
    path = os.environ.get("BENCH_SUMMARY")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as summary:
        line = {"bench": bench, "measure": measure, "value": value, "target": target}
        summary.write(json.dumps(line, ensure_ascii=False) + "\n")


def add_database_option(parser: argparse.ArgumentParser) -> None:
    """``--database-url``: the PostgreSQL database a benchmark drops and creates afresh
    (default ``BENCH_DATABASE_URL``, else ``zuwendo_bench`` on the local server)."""
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zuwendo_bench"
        ),
    )
