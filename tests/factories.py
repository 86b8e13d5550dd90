from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from grants.models import Call, CostCategory, Program, ProgramRole, User
from projects.models import Membership, Organization


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
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
