"""Fixtures of the integration tests: a real Celery worker on the real broker."""

import contextlib

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app


@pytest.fixture
def worker():
    with app.connection_for_write() as conn:
        for queue in ("mail", "default", "reports"):
            with contextlib.suppress(Exception):  # the queue may not exist yet
                conn.default_channel.queue_purge(queue)
    with start_worker(
        app,
        pool="solo",
        perform_ping_check=False,
        queues=["mail", "default", "reports"],
        shutdown_timeout=20,
    ) as running:
        yield running
