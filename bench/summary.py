"""Each benchmark hands its headline figures to ``record``; ``bench/run_all.py`` sets
``BENCH_SUMMARY`` to a file and prints them all as one table. Run alone, a benchmark
prints its own table and ``record`` does nothing."""

from __future__ import annotations

import json
import os


def record(bench: str, measure: str, value: str, target: str = "") -> None:
    path = os.environ.get("BENCH_SUMMARY")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as summary:
        line = {"bench": bench, "measure": measure, "value": value, "target": target}
        summary.write(json.dumps(line, ensure_ascii=False) + "\n")
