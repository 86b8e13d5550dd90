"""A real Celery worker in a process of its own, for the tests that kill it halfway."""

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database, for a process that is not this one."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextlib.contextmanager
def worker_process(**env: str):
    """A worker on the ``mail`` queue with this test's database (and ``env``), given a
    few seconds to connect; killed on the way out if the test did not kill it."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            "mail",
            "-P",
            "solo",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "SECRET_KEY": "tests-only-not-a-secret",
            "DEBUG": "0",
            **env,
        },
    )
    try:
        time.sleep(4)  # the worker connects
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
