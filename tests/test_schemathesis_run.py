"""schemathesis, all phases (examples, coverage, fuzzing, stateful) and every check
(``--checks all``), against a live server over the demo data in a disposable database
(#20): no server error, no undocumented status or content type, no answer off its schema,
nothing the schema forbids accepted.

Bounded: ``SCHEMATHESIS_RUN_EXAMPLES`` cases per operation and phase (default 3), one
worker (the embedded SQLite database takes one writer). The counts are printed
(``pytest -s``) and the ndjson report is kept under the test's temporary folder.

Left out, because they would end the run for everything after them: logging out
(``DELETE /api/auth/token/``, ``/api/auth/tokens/``) and changing the password revoke the
token the run uses (their own tests are in tests/grants), and deleting the account
(``DELETE /api/users/me/``) erases the user the run signs in as (tested in
tests/workflows/test_retention.py); the deprecated DELETE of
two-factor cannot carry its body in OpenAPI (``POST …/two-factor/disable/`` is tested).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from knox.models import AuthToken

from grants.models import User

EXAMPLES = int(os.environ.get("SCHEMATHESIS_RUN_EXAMPLES", "3"))
CONFIG = Path(__file__).with_name("schemathesis.toml")

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("schemathesis")]


def test_schemathesis_all_phases_and_checks_find_nothing(live_server, tmp_path, capsys):
    call_command("seed_demo", force=True, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    token = AuthToken.objects.create(user=User.objects.get(username="admin"))[1]
    report = tmp_path / "events.ndjson"
    result = subprocess.run(  # noqa: S603 (our own venv's tool, our own arguments)
        [
            str(Path(sys.executable).parent / "schemathesis"),
            "--config-file",
            str(CONFIG),
            "run",
            f"{live_server.url}/api/schema/?format=json",
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--checks",
            "all",
            "--max-examples",
            str(EXAMPLES),
            "--seed",
            "20",
            "--workers",
            "1",
            "--request-timeout",
            "60",
            "--header",
            f"Authorization: Token {token}",
            "--exclude-path-regex",
            "^/api/auth/tokens?/$",
            "--exclude-path",
            "/api/users/me/password/",
            "--exclude-name",
            "DELETE /api/users/me/",
            "--exclude-deprecated",
            "--report",
            "ndjson",
            "--report-ndjson-path",
            str(report),
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    (tmp_path / "schemathesis.txt").write_text(result.stdout + result.stderr)
    summary = result.stdout[result.stdout.find("= SUMMARY") :]
    start = result.stdout.find("= FAILURES")
    findings = result.stdout[start : start + 8000] if start >= 0 else result.stdout[-3000:]
    with capsys.disabled():
        print(f"\nschemathesis (all phases, --checks all):\n{summary[-1500:]}")  # noqa: T201 (the figures)
    assert result.returncode == 0, findings + summary
    events = [json.loads(line) for line in report.read_text().splitlines() if line.strip()]
    assert len(events) > 100
    failures = Counter(
        line.split("ST", 1)[1][:3] for line in result.stdout.splitlines() if "❌ ST" in line
    )
    assert failures == Counter()
