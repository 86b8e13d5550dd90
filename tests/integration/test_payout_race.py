"""Concurrent payout requests on the real PostgreSQL (issue #9): the sum of requested,
approved and paid payouts never exceeds the approved grant."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from projects.models import PayoutRequest
from tests.factories import bring_to, client_for, make_application
from tests.integration.racing import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


def test_eight_requests_of_thirty_percent_at_most_three_accepted(world):
    application = bring_to(world, make_application(world), "funded")  # 400.00 approved
    clients = [client_for(world.sponsor_a) for _ in range(THREADS)]
    url = f"/api/applications/{application.pk}/payments/"
    today = timezone.localdate().isoformat()

    responses = race(
        [
            lambda c=c: c.post(url, {"amount": "120.00", "needed_by": today}, format="json")
            for c in clients
        ]
    )

    statuses = sorted(r.status_code for r in responses)
    print(f"\n8 concurrent payout requests of 30 %: {statuses}")
    assert statuses == [201] * 3 + [400] * (THREADS - 3)
    total = sum(p.amount for p in PayoutRequest.objects.filter(application=application))
    assert total == Decimal("360.00") <= application.approved_amount


def test_the_database_refuses_payouts_beyond_the_grant(world):
    application = bring_to(world, make_application(world), "funded")
    PayoutRequest.objects.create(
        application=application, amount=Decimal("300.00"), requested_by=world.sponsor_a
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PayoutRequest.objects.create(
            application=application, amount=Decimal("100.01"), requested_by=world.sponsor_a
        )
    assert PayoutRequest.objects.filter(application=application).count() == 1
