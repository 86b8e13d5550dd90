"""Shared fixtures.

Integration tests (markers ``postgres`` and ``redis``) run when DATABASE_URL points at
PostgreSQL and REDIS_URL is set; without them they are skipped with the reason shown.
When a service *is* configured but does not answer, the whole run fails at once: a CI
told to use PostgreSQL and Redis never passes by skipping them.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from projects import services as project_services
from tests.factories import (
    CallFactory,
    CostCategoryFactory,
    OrganizationFactory,
    ProgramFactory,
    UserFactory,
    grant_role,
    make_member,
)
from workflows import services as flow

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
ON_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://", "pgsql://"))


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
        if "postgres" in item.keywords and not ON_POSTGRES:
            item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL=postgres://… (CI sets it)"))
        if "redis" in item.keywords and not REDIS_URL:
            item.add_marker(pytest.mark.skip(reason="needs REDIS_URL (CI sets it)"))


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


def client_for(user=None) -> APIClient:
    """An API client that authenticates like a real one: with the user's token."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api():
    return client_for


def close_call(call, *, ago=timedelta(minutes=1)):
    """Move a call's deadline into the past (it opened ten days before)."""
    call.opens_at = timezone.now() - timedelta(days=10)
    call.closes_at = timezone.now() - ago
    call.save()


def default_lines(world, amount="400.00"):
    return [project_services.BudgetLineInput(world.category, "Honorar Workshop", Decimal(amount))]


def make_application(world, *, organization=None, sponsor=None, lines=None, **fields):
    organization = organization or world.org_a
    sponsor = sponsor or world.sponsor_a
    year = world.call.funding_year
    values = {
        "title": "Demokratiewerkstatt",
        "summary": "Vier Workshops für Jugendliche.",
        "start_date": date(year, 3, 1),
        "end_date": date(year, 6, 30),
        "own_funds": Decimal("0.00"),
        **fields,
    }
    return project_services.application_create(
        actor=sponsor,
        organization=organization,
        call=world.call,
        budget_lines=lines if lines is not None else default_lines(world),
        **values,
    )


# How to bring a fresh draft into each state, through the real services.
PATHS = {
    "draft": [],
    "submitted": [("submit", "sponsor_a", {})],
    "revision_requested": [
        ("submit", "sponsor_a", {}),
        ("request_revision", "office", {"comment": "Bitte Angebot nachreichen."}),
    ],
    "committee_review": [("submit", "sponsor_a", {}), ("forward_to_committee", "office", {})],
    "approved": [("submit", "sponsor_a", {}), ("fast_track_approve", "office", {})],
    "funded": [
        ("submit", "sponsor_a", {}),
        ("fast_track_approve", "office", {}),
        ("accept_agreement", "sponsor_a", {}),
    ],
    "rejected": [("submit", "sponsor_a", {}), ("reject", "office", {"comment": "Nein."})],
    "withdrawn": [("withdraw", "sponsor_a", {})],
}


def bring_to(world, application, state: str, sponsor=None):
    for name, actor, payload in PATHS[state]:
        user = sponsor if sponsor and actor == "sponsor_a" else getattr(world, actor)
        application = flow.application_transition(
            application=application, actor=user, name=name, payload=payload
        )
    assert application.state == state
    return application


@pytest.fixture
def world(db):
    """One program with every role, two organisations with one sponsor each, an open call."""
    program = ProgramFactory(code="PFD-KO", max_grant=Decimal("5000.00"))
    category = CostCategoryFactory(program=program, code="honorare", name="Honorare")
    CostCategoryFactory(program=program, code="sachausgaben", name="Sachausgaben")
    call = CallFactory(program=program)
    org_a = OrganizationFactory(name="Jugendzentrum A e.V.")
    org_b = OrganizationFactory(name="Kulturverein B e.V.")
    return SimpleNamespace(
        program=program,
        category=category,
        call=call,
        org_a=org_a,
        org_b=org_b,
        sponsor_a=make_member(org_a, UserFactory(username="sponsor_a")),
        sponsor_b=make_member(org_b, UserFactory(username="sponsor_b")),
        office=grant_role(program, "office", UserFactory(username="office")),
        committee=grant_role(program, "committee", UserFactory(username="committee"), voting=True),
        funder=grant_role(program, "funder", UserFactory(username="funder")),
        admin=UserFactory(username="admin", is_superuser=True, is_staff=True),
        other_office=grant_role(ProgramFactory(), "office", UserFactory(username="other_office")),
    )


@pytest.fixture
def application_in(world):
    def build(state: str, **fields):
        return bring_to(world, make_application(world, **fields), state, fields.get("sponsor"))

    return build
