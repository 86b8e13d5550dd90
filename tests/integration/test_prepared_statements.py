"""On PostgreSQL the server binds the parameters and a query run twice on a connection
is prepared, so it is planned once per connection (``DB_PREPARED_STATEMENTS``)."""

import pytest
from django.db import connection

from projects.models import Application

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_repeated_query_is_prepared_with_server_side_parameters():
    for state in ("submitted", "funded", "draft"):
        list(Application.objects.filter(state=state).values_list("pk", flat=True))
    prepared = [s for s in prepared_statements() if '"projects_application"' in s]
    assert len(prepared) == 1, prepared
    assert '"projects_application"."state" = $1' in prepared[0]
