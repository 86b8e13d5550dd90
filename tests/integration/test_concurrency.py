"""Races on the real PostgreSQL: row locks and the state filter let exactly one win."""

import pytest
from django.db import connection

from core.models import AuditEntry
from projects.models import Application
from tests.factories import client_for, make_application
from tests.integration.racing import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


def test_same_transition_eight_times_one_wins(world):
    application = make_application(world)
    url = f"/api/applications/{application.pk}/transitions/submit/"
    clients = [client_for(world.sponsor_a) for _ in range(THREADS)]

    responses = race([lambda c=c: c.post(url, {}, format="json") for c in clients])

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * (THREADS - 1)
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {
        "transition_not_allowed"
    }
    assert AuditEntry.objects.filter(application=application, action="submit").count() == 1
    application.refresh_from_db()
    assert application.state == "submitted"


def test_competing_office_decisions_one_wins(world):
    application = make_application(world)
    client_for(world.sponsor_a).post(
        f"/api/applications/{application.pk}/transitions/submit/", {}, format="json"
    )
    base = f"/api/applications/{application.pk}/transitions/"
    moves = ["reject", "fast_track_approve", "forward_to_committee", "request_revision"] * 2
    clients = [client_for(world.office) for _ in moves]

    responses = race(
        [
            lambda c=c, m=m: c.post(f"{base}{m}/", {"comment": "Entscheidung"}, format="json")
            for c, m in zip(clients, moves, strict=True)
        ]
    )

    # One wins; the others find the application moved on: 409, or (since issue #8) 400
    # condition_failed for a ``reject`` that exists from committee_review but needs the
    # committee's tally, when forwarding won.
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(200) == 1
    losers = [(m, r) for m, r in zip(moves, responses, strict=True) if r.status_code != 200]
    for move, response in losers:
        if response.status_code == 400:
            assert move == "reject" and response.json()["code"] == "condition_failed"
            application.refresh_from_db()
            assert application.state == "committee_review"
        else:
            assert response.status_code == 409
    assert AuditEntry.objects.filter(application=application).count() == 2


def test_parallel_submissions_get_distinct_gapless_file_numbers(world):
    applications = [make_application(world) for _ in range(THREADS)]
    clients = [client_for(world.sponsor_a) for _ in applications]

    responses = race(
        [
            lambda c=c, a=a: c.post(
                f"/api/applications/{a.pk}/transitions/submit/", {}, format="json"
            )
            for c, a in zip(clients, applications, strict=True)
        ]
    )

    assert [r.status_code for r in responses] == [200] * THREADS
    numbers = sorted(
        int(ref.rsplit("-", 1)[1])
        for ref in Application.objects.values_list("reference", flat=True)
    )
    assert numbers == list(range(1, THREADS + 1))


def test_audit_entries_refuse_update_and_delete_in_the_database(world):
    from django.db import DatabaseError, transaction

    application = make_application(world)
    client_for(world.sponsor_a).post(
        f"/api/applications/{application.pk}/transitions/submit/", {}, format="json"
    )
    entry = AuditEntry.objects.get(application=application)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET comment = 'x' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).comment == ""
