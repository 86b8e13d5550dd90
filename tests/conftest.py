"""Shared fixtures (factories and builders live in ``tests/factories.py``; fixtures of
one app in that app's ``conftest.py``).

Integration tests (markers ``postgres`` and ``redis``) run when DATABASE_URL points at
PostgreSQL and REDIS_URL is set; without them they are skipped with the reason shown.
When a service *is* configured but does not answer, the whole run fails at once: a CI
told to use PostgreSQL and Redis never passes by skipping them.
"""

from __future__ import annotations

import os
from datetime import date

import pytest
from django.utils import timezone

from tests.factories import bring_to, build_world, client_for, make_application

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
ON_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://", "pgsql://"))

# The real ClamAV daemon (``daemon``) for the tests that scan uploads.
pytest_plugins = ["tests.clamav"]


def pytest_sessionstart(session):
    if REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
        except Exception as exc:
            pytest.exit(f"REDIS_URL={REDIS_URL} is set but Redis does not answer: {exc}", 2)
    if DATABASE_URL and ON_POSTGRES:
        import psycopg

        try:
            dsn = DATABASE_URL.replace("postgresql://", "postgres://", 1).replace(
                "pgsql://", "postgres://", 1
            )
            base = dsn.rsplit("/", 1)[0] + "/postgres"
            psycopg.connect(base, connect_timeout=3).close()
        except Exception as exc:
            pytest.exit(f"DATABASE_URL is set but PostgreSQL does not answer: {exc}", 2)


def pytest_collection_modifyitems(config, items):
    for item in items:
        # The tests of real services (the servers they start, Redis' queues, the worker)
        # share those services: under pytest-xdist they run one after another in one
        # process (``--dist loadgroup``), the rest in parallel.
        if "tests/integration/" in item.nodeid or "postgres" in item.keywords:
            item.add_marker(pytest.mark.xdist_group("services"))
        if "postgres" in item.keywords and not ON_POSTGRES:
            item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL=postgres://… (CI sets it)"))
        if "redis" in item.keywords and not REDIS_URL:
            item.add_marker(pytest.mark.skip(reason="needs REDIS_URL (CI sets it)"))


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Rate limits count in the cache; each test starts with none spent. On Redis the
    cache is shared by the processes of pytest-xdist: each keeps its own keys (a prefix
    of its name) and clears only those."""
    from django.core.cache import cache

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker and "redis" in settings.CACHES["default"]["BACKEND"].lower():
        settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": worker}}
        client = cache._cache.get_client(write=True)  # the handler is new for the new setting
        for key in client.scan_iter(f"{worker}:*"):
            client.delete(key)
        return
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Generated documents go to a directory of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _base_rate_of_this_half_year(request):
    """The base rate of the half-year the tests run in, as an administrator enters it
    once the Bundesbank has published it (the last published rate, carried): interest
    computed today must not depend on the day the suite runs. Tests of a missing rate
    (``@pytest.mark.no_current_base_rate``) go without it."""
    marker = request.node.get_closest_marker("django_db")
    if request.node.get_closest_marker("no_current_base_rate"):
        return
    if "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames or marker is not None:
        request.getfixturevalue("db")
    else:
        return
    from django.utils import timezone

    from grants.models import BaseRate

    today = timezone.localdate()
    current = today.replace(month=1 if today.month <= 6 else 7, day=1)
    last = BaseRate.objects.order_by("-valid_from").first()
    if last is None:
        return
    start = last.valid_from.replace(day=1)
    while start < current:  # every half-year after the last row up to today's
        start = (
            start.replace(year=start.year + 1, month=1)
            if start.month >= 7
            else start.replace(month=7)
        )
        BaseRate.objects.get_or_create(
            valid_from=start, defaults={"rate_percent": last.rate_percent}
        )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_in_process(request, settings):
    """Unit tests run Celery tasks in-process; tests marked ``redis`` use the real broker."""
    from config.celery import app

    eager = "redis" not in request.keywords
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    settings.CELERY_TASK_ALWAYS_EAGER = eager
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def api():
    return client_for


@pytest.fixture
def world(db):
    """One program with every role, two organisations with one sponsor each, an open call."""
    return build_world()


@pytest.fixture
def application_in(world):
    def build(state: str, **fields):
        return bring_to(world, make_application(world, **fields), state, fields.get("sponsor"))

    return build


@pytest.fixture
def funded(world, application_in):
    """A funded application: 400 € approved (one line of Honorare), running this year."""
    today = timezone.localdate()
    world.call.funding_year = today.year
    world.call.save()
    world.application = application_in(
        "funded", start_date=date(today.year, 1, 1), end_date=date(today.year, 12, 31)
    )
    return world
