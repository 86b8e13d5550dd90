#!/usr/bin/env python
"""Runs every benchmark in ``bench/`` against PostgreSQL and prints one table.

    python bench/run_all.py [--database-url postgres://…/zuwendo_bench] [--write]

``--write`` also puts the table, the machine it ran on and the commands into
``docs/performance.md``. Each benchmark recreates the database it is given.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.summary import add_database_option  # noqa: E402

BENCHES = ["api_list.py", "portal.py", "reminders.py", "retention.py", "reports.py", "load.py"]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    psql = shutil.which("psql")
    postgres = ""
    if psql:
        postgres = subprocess.run(  # noqa: S603
            [psql, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
    return (
        f"{os.cpu_count()} CPUs ({cpu}){memory}; Python {platform.python_version()}; "
        f"{postgres or 'PostgreSQL'}; {platform.system()} {platform.release()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_database_option(parser)
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    options = parser.parse_args()
    with tempfile.NamedTemporaryFile("r", suffix=".jsonl", delete=False) as handle:
        summary = handle.name
    env = {**os.environ, "BENCH_SUMMARY": summary, "BENCH_DATABASE_URL": options.database_url}
    started = time.perf_counter()
    failed = []
    for bench in BENCHES:
        print(f"--- bench/{bench}", flush=True)
        result = subprocess.run(  # noqa: S603 (our own scripts)
            [sys.executable, str(ROOT / "bench" / bench)], env=env, check=False
        )
        if result.returncode != 0:
            failed.append(bench)
    import json

    rows = [json.loads(line) for line in Path(summary).read_text().splitlines() if line]
    Path(summary).unlink(missing_ok=True)
    width = max(len(r["measure"]) for r in rows) if rows else 10
    lines = [
        f"| benchmark | {'measure':<{width}} | value | target |",
        f"| --- | {'-' * width} | ---: | --- |",
    ]
    lines += [
        f"| {r['bench']} | {r['measure']:<{width}} | {r['value']} | {r['target']} |" for r in rows
    ]
    table = "\n".join(lines)
    print()
    print(table)
    elapsed = time.perf_counter() - started
    print(f"\n{len(rows)} figures from {len(BENCHES) - len(failed)} benchmarks in {elapsed:.0f} s")
    if failed:
        print(f"failed: {', '.join(failed)}")
    if options.write:
        write(table)
    sys.exit(1 if failed else 0)


# Below this line docs/performance.md is written by hand (what the figures mean, where
# the time goes); --write keeps it.
NOTES_MARK = "<!-- Hand-written from here on; bench/run_all.py --write keeps it. -->"


def write(table: str) -> None:
    target = ROOT / "docs" / "performance.md"
    previous = target.read_text(encoding="utf-8") if target.exists() else ""
    notes = previous[previous.index(NOTES_MARK) :] if NOTES_MARK in previous else NOTES_MARK + "\n"
    text = f"""# Performance

The latest run of `bench/run_all.py` ({date.today().isoformat()}), on {machine()}.

{table}

Reproduce (PostgreSQL at `BENCH_DATABASE_URL`, default
`postgres://postgres@127.0.0.1:5432/zuwendo_bench`, which each benchmark drops and
creates afresh):

```sh
make bench                          # every benchmark, each printing its own table
.venv/bin/python bench/run_all.py --write   # this table, written here
```

What each measures is in its docstring: `bench/api_list.py` (the application list at
1,000 and 100,000 applications, and its floor: one raw SQL query and `json.dumps`),
`bench/portal.py` (the office's dashboard and application page and the sponsor's start
page at 1,000 and 100,000, each beside the API's read of the same data),
`bench/reminders.py` (the daily sweep at 10,000 and 100,000), `bench/retention.py` (the
retention sweep: queries per erased file, lean and fat, 100 and 1,000), `bench/reports.py` (the
funder report of 5,000 projects beside a raw reportlab table, the application PDF),
`bench/load.py` (locust against gunicorn on PostgreSQL, 2 and 4 workers).

{notes}"""  # noqa: DTZ011
    target.write_text(text, encoding="utf-8")
    print("docs/performance.md written")


if __name__ == "__main__":
    main()
