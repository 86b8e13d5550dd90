"""Factories and builders: everything tests use to make data, in one module.

Builders go through the real services (``make_application``, ``bring_to``), so the data
they make has the audit trail, file numbers and totals the product would give it.
"""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import factory
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from grants.models import Call, CostCategory, DecisionBody, Program, ProgramRole, User
from projects import services as project_services
from projects.models import Membership, Organization
from workflows import services as flow


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    verified_email = factory.LazyAttribute(lambda u: u.email.lower())
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")
    language = "de"

    @factory.post_generation
    def persist(self, create, extracted, **kwargs):
        if create:
            self.save()


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    code = factory.Sequence(lambda n: f"PRG{n}")
    name = factory.Sequence(lambda n: f"Program {n}")
    funder_name = "Bundesamt"


class DecisionBodyFactory(factory.django.DjangoModelFactory):
    """A further body of a program, e.g. its youth forum (the default body comes with it)."""

    class Meta:
        model = DecisionBody

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Jugendforum {n}")
    kind = DecisionBody.Kind.YOUTH_FORUM


class CostCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostCategory

    program = factory.SubFactory(ProgramFactory)
    code = factory.Sequence(lambda n: f"cat{n}")
    name = factory.Sequence(lambda n: f"Category {n}")


class CallFactory(factory.django.DjangoModelFactory):
    """An open call whose funding year is next year."""

    class Meta:
        model = Call

    program = factory.SubFactory(ProgramFactory)
    title = factory.Sequence(lambda n: f"Call {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    vote_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=60))
    budget = Decimal("50000.00")
    funding_year = factory.LazyFunction(lambda: timezone.localdate().year + 1)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Verein {n} e.V.")


def make_member(organization, user=None):
    user = user or UserFactory()
    Membership.objects.create(organization=organization, user=user)
    return user


def grant_role(program, role, user=None, **flags):
    user = user or UserFactory()
    ProgramRole.objects.create(program=program, user=user, role=role, **flags)
    return user


def seat_committee(world, *, voting=4, advisory=1):
    """Fill the default body: ``world.committee`` plus ``voting`` more voting members (the
    first of them chairs) and ``advisory`` advisory ones; five seats by default, so the
    quorum is three. Answers the voting members, ``world.committee`` first."""
    members = [world.committee]
    for number in range(voting):
        user = UserFactory(username=f"member{number + 2}")
        grant_role(world.program, "committee", user, chair=number == 0)
        members.append(user)
    world.chair = members[1]
    world.advisory = [
        grant_role(world.program, "committee", UserFactory(username=f"advisor{n}"), voting=False)
        for n in range(advisory)
    ]
    world.members = members
    return members


def client_for(user=None) -> APIClient:
    """An API client that authenticates like a real one: with the user's token."""
    client = APIClient()
    if user is not None:
        _instance, token = AuthToken.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def counted_get(user, url: str) -> tuple[int, Any]:
    """GET ``url`` as ``user`` (by token); it must answer 200. The number of queries it
    ran and its JSON, for the tests that pin a read path's queries (STYLE.md, rule 8)."""
    client = client_for(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:200]
    return len(captured), response.json()


def query_count(user, url: str) -> int:
    """The queries ``GET url`` runs as ``user`` (see ``counted_get``)."""
    return counted_get(user, url)[0]


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


def build_world() -> SimpleNamespace:
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
