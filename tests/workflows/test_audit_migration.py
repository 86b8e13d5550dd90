"""Moving the audit trail to the kernel (issue #6) keeps every entry: id, time, actor,
comment and data, now filed in the application's trail under ``application.``."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.models import AuditEntry
from tests.factories import make_application

BEFORE = [("workflows", "0002_audit_append_only_trigger")]


@pytest.mark.django_db(transaction=True)
def test_old_audit_entries_arrive_in_the_application_trail(world):
    application = make_application(world)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    OldEntry = old_apps.get_model("workflows", "AuditEntry")
    at = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    OldEntry.objects.create(
        id=4242,
        application_id=application.pk,
        action="submit",
        source="draft",
        target="submitted",
        actor_id=world.sponsor_a.pk,
        comment="Bitte prüfen.",
        data={"reference": "PFD-KO-2026-0001"},
    )
    OldEntry.objects.filter(id=4242).update(at=at)  # auto_now_add set the present

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    entry = AuditEntry.objects.get(application=application)
    assert (entry.pk, entry.at, entry.event, entry.source, entry.target) == (
        4242,
        at,
        "application.submit",
        "draft",
        "submitted",
    )
    assert (entry.actor, entry.comment, entry.data) == (
        world.sponsor_a,
        "Bitte prüfen.",
        {"reference": "PFD-KO-2026-0001"},
    )
    assert entry.trail == application
