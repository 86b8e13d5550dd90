"""Issue #8's migration: programs made before decision bodies get their default body,
and their calls and committee roles belong to it."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from grants.models import Call, Program, ProgramRole

BEFORE = [("grants", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_existing_committee_roles_and_calls_move_onto_the_default_body():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    program = old.get_model("grants", "Program").objects.create(
        code="PFD-ALT", name="Alt", funder_name="Bund", committee_name="Bündnis"
    )
    user = old.get_model("grants", "User").objects.create(username="alt.mitglied")
    old.get_model("grants", "ProgramRole").objects.create(
        program=program, user=user, role="committee", voting=True, chair=True
    )
    old.get_model("grants", "ProgramRole").objects.create(
        program=program, user=user, role="office", voting=False
    )
    old.get_model("grants", "Call").objects.create(
        program=program,
        title="Runde",
        opens_at=datetime(2026, 1, 1, tzinfo=UTC),
        closes_at=datetime(2026, 2, 1, tzinfo=UTC),
        funding_year=2026,
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    migrated = Program.objects.get(code="PFD-ALT")
    body = migrated.default_body()
    assert body.name == "Bündnis"
    assert Call.objects.get(program=migrated).body == body
    seat = ProgramRole.objects.get(program=migrated, role="committee")
    assert (seat.body, seat.chair) == (body, True)
    assert ProgramRole.objects.get(program=migrated, role="office").body is None
